from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("人社局管理员")
    CENTRE_REVIEWER = "centre_reviewer", _("服务中心审核员")
    FINANCE_OFFICER = "finance_officer", _("财务人员")
    INSTITUTION_CLERK = "institution_clerk", _("培训机构经办人")
    ENTERPRISE_CLERK = "enterprise_clerk", _("企业经办人")
    PERSON = "person", _("个人")
    AUDITOR = "auditor", _("审计人员")


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    TRANSITION = "transition", _("状态变更")
    SOFT_DELETE = "soft_delete", _("删除(保留记录)")
    IMPORT = "import", _("导入")
    LOGIN = "login", _("登录")
