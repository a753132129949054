from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdType(models.TextChoices):
    RURAL = "rural", _("农村")
    URBAN = "urban", _("城镇")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


# The six priority groups of 新民社发〔2025〕13号 (就业技能培训对象) and the other flags a person carries.
PRIORITY_GROUP_FIELDS = (
    "is_graduate_of_year",
    "is_poverty_monitoring",
    "is_unenrolled_graduate",
    "is_rural_migrant_worker",
    "is_registered_unemployed",
    "is_employment_difficulty",
)


class EnterpriseOwnership(models.TextChoices):
    STATE = "state", _("国有")
    COLLECTIVE = "collective", _("集体")
    PRIVATE_CORP = "private_corp", _("民营")
    PRIVATE = "private", _("私营")
    INDIVIDUAL = "individual", _("个体工商户")


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大")
    MEDIUM = "medium", _("中")
    SMALL = "small", _("小")


class FilingStatus(models.TextChoices):
    PENDING = "pending", _("备案审核中")
    FILED = "filed", _("已备案")
    SUSPENDED = "suspended", _("暂停")
    REVOKED = "revoked", _("撤销")


class EvaluationQualification(models.TextChoices):
    NONE = "none", _("无")
    SOCIAL_ORG = "social_training_evaluation_org", _("社会培训评价组织")
    SELF_EVALUATION = "self_evaluation_enterprise", _("自主评价备案企业")


class ListState(models.TextChoices):
    WHITE = "white", _("白名单")
    NORMAL = "normal", _("正常")
    BLACK = "black", _("黑名单")


class ServiceUnitKind(models.TextChoices):
    SERVICE_CENTRE = "service_centre", _("社会保障服务中心")
    SECTION = "section", _("业务科室")


class CertificateSource(models.TextChoices):
    TRAINING_FOLLOW_UP = "training_follow_up", _("培训后取证登记")
    IMPORT = "import", _("批量导入")
    MANUAL = "manual", _("人工登记")
