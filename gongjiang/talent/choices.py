"""Choices of the talent app.

The survey's categories are those of 台人社发〔2021〕17号 附件1 《企业技能人才现状及需求情况调查表》:
five skill levels (初级工 … 高级技师), four age bands, three education bands, and two ways of meeting
a demand (自主培养 / 联合、委托培养、新型学徒制培养). Skill-level codes are the catalog's
`SkillLevel.code`s, so a survey figure and a certificate speak of the same level.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已结束")


class ResponseSource(models.TextChoices):
    ONLINE = "online", _("企业在线填报")
    IMPORT = "import", _("纸质表 Excel 导入")


class DemandMethod(models.TextChoices):
    SELF = "self", _("自主培养")
    JOINT = "joint", _("联合、委托培养、新型学徒制培养")


# (field on SurveyResponse, catalog SkillLevel.code, the form's heading)
LEVEL_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("level_junior", "junior", "初级工"),
    ("level_intermediate", "intermediate", "中级工"),
    ("level_senior", "senior", "高级工"),
    ("level_technician", "technician", "技师"),
    ("level_senior_technician", "senior_technician", "高级技师"),
)
# 填表说明1: 高技能人才是指取得高级工、技师、高级技师证书人员.
HIGH_SKILL_LEVEL_FIELDS = ("level_senior", "level_technician", "level_senior_technician")
HIGH_SKILL_LEVEL_CODES = ("senior", "technician", "senior_technician")
HIGH_SKILL_MIN_RANK = 3  # catalog SkillLevel.rank of 高级工 (三级)
AGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("age_18_30", "18—30岁"),
    ("age_31_40", "31—40岁"),
    ("age_41_50", "41—50岁"),
    ("age_51_plus", "51岁以上"),
)
EDUCATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("edu_high_school", "高中/技校及以下"),
    ("edu_college", "高职大专"),
    ("edu_bachelor", "本科及以上"),
)


class CompetitionLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业级")
    DISTRICT = "district", _("区(县)级")
    MUNICIPAL = "municipal", _("市级")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级(中国技能大赛)")
    WORLD = "world", _("世界技能大赛")


class StudioLevel(models.TextChoices):
    DISTRICT = "district", _("区级")
    CITY = "city", _("市级")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级")


class AssessmentResult(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class TitleKind(models.TextChoices):
    """Personal titles: the craftsman titles of 湖州 (实施意见 二(二)3) and 浙江 (虞人社〔2023〕19号 22),
    chief technicians (台人社发〔2021〕17号 二; 虞人社〔2023〕19号 21) and 技术能手 (台人社发 二、6)."""

    HUZHOU_GRAND = "湖州大工匠", _("湖州大工匠")
    HUZHOU = "湖州工匠", _("湖州工匠")
    HUZHOU_RURAL = "湖州乡村工匠", _("湖州乡村工匠")
    HUZHOU_YOUNG = "湖州青年工匠", _("湖州青年工匠")
    ZHEJIANG_GRAND = "浙江大工匠", _("浙江大工匠")
    ZHEJIANG_OUTSTANDING = "浙江杰出工匠", _("浙江杰出工匠")
    ZHEJIANG = "浙江工匠", _("浙江工匠")
    ZHEJIANG_YOUNG = "浙江青年工匠", _("浙江青年工匠")
    CHIEF_TECHNICIAN = "chief_technician", _("首席技师")
    TECHNICAL_EXPERT = "technical_expert", _("技术能手")


CRAFTSMAN_TITLES = frozenset(
    {
        TitleKind.HUZHOU_GRAND,
        TitleKind.HUZHOU,
        TitleKind.HUZHOU_RURAL,
        TitleKind.HUZHOU_YOUNG,
        TitleKind.ZHEJIANG_GRAND,
        TitleKind.ZHEJIANG_OUTSTANDING,
        TitleKind.ZHEJIANG,
        TitleKind.ZHEJIANG_YOUNG,
    }
)


class PlatformKind(models.TextChoices):
    TRAINING_BASE = "training_base", _("高技能人才培训基地")
    WORLD_SKILLS_BASE = "world_skills_base", _("世界技能大赛中国集训基地")
    PUBLIC_TRAINING_BASE = "public_training_base", _("公共实训基地")
    TRAINING_DEMO_BASE = "training_demo_base", _("职业技能培训示范基地")
    DEMO_ENTERPRISE = "demo_enterprise", _("高技能人才集聚示范企业")
    EVALUATION_DEMO_ENTERPRISE = "evaluation_demo_enterprise", _("职业技能等级认定示范企业")
    EVALUATION_DEMO_PARK = "evaluation_demo_park", _("职业技能等级认定示范园区")
    # Filings rather than platforms, counted by the goals (台儿庄 二, 湖州 二(四)8):
    SELF_EVALUATION_ENTERPRISE = "self_evaluation_enterprise", _("技能人才自主评价备案企业")
    SOCIAL_EVALUATION_ORG = "social_evaluation_org", _("社会培训评价组织")


class PlatformLevel(models.TextChoices):
    DISTRICT = "district", _("区级")
    MUNICIPAL = "municipal", _("市级")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")
