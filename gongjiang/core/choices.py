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
    REVEAL = "reveal", _("查看明文")


class RevealPurpose(models.TextChoices):
    """Why a role allowed to see full identifiers unmasks one: stated each time, kept in the audit trail."""

    REVIEW_CLAIM = "review_claim", _("审核补贴申领材料")
    VERIFY_IDENTITY = "verify_identity", _("核实本人身份")
    PAYMENT = "payment", _("办理资金发放")
    ENQUIRY = "enquiry", _("答复本人咨询或信访")
    INSPECTION = "inspection", _("监督检查或审计取证")
    OTHER = "other", _("其他（须说明）")


class ReportKind(models.TextChoices):
    AUDIT_SUMMARY = "audit_summary", _("审计链核验与事件汇总")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
