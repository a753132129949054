"""Choices of the targets app: the 12 figure columns of 附件1 任务分解表 (新民社发〔2025〕13号) in the
order the issue fixes (the scanned header is garbled; the figures decide: 合计 = 就业 + 岗位 + 创业,
and the 附件4 number ranges have exactly the sizes of the 就业/岗位/创业 cells), goal comparators,
and where a table came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetColumn(models.TextChoices):
    TOTAL = "total", _("合计")
    EMPLOYMENT = "employment", _("就业技能培训")
    EMPLOYMENT_NATIONAL_BASE = "employment_national_base", _("就业技能培训·其中国家级基地承接")
    POST = "post", _("岗位技能培训")
    POST_NATIONAL_BASE = "post_national_base", _("岗位技能培训·其中国家级基地承接")
    STARTUP = "startup", _("创业培训")
    HIGH_SKILL = "high_skill", _("高技能人才培训")
    HIGH_SKILL_NATIONAL_BASE = "high_skill_national_base", _("高技能人才培训·其中国家级基地承接")
    ELDERLY_CARE = "elderly_care", _("康养类职业技能培训")
    ECOMMERCE = "ecommerce", _("电商类职业技能培训")
    LABOUR_BRAND = "labour_brand", _("劳务品牌职业技能培训")
    POVERTY_MONITORING = "poverty_monitoring", _("防止返贫监测对象培训")


# The column order of 附件1 (after 单位) and the short headings used in tables, the Excel report and
# the import template.
COLUMN_ORDER: tuple[str, ...] = tuple(TargetColumn.values)
SHORT_LABELS: dict[str, str] = {
    TargetColumn.TOTAL: "合计",
    TargetColumn.EMPLOYMENT: "就业技能培训",
    TargetColumn.EMPLOYMENT_NATIONAL_BASE: "其中：国家级基地承接",
    TargetColumn.POST: "岗位技能培训",
    TargetColumn.POST_NATIONAL_BASE: "其中：国家级基地承接",
    TargetColumn.STARTUP: "创业培训",
    TargetColumn.HIGH_SKILL: "高技能人才培训",
    TargetColumn.HIGH_SKILL_NATIONAL_BASE: "其中：国家级基地承接",
    TargetColumn.ELDERLY_CARE: "康养类",
    TargetColumn.ECOMMERCE: "电商类",
    TargetColumn.LABOUR_BRAND: "劳务品牌",
    TargetColumn.POVERTY_MONITORING: "防止返贫监测对象",
}
# The three training kinds whose sum is 合计 (附件1; 一、总体目标 “全年共开展职业技能培训1.2万人次”).
KIND_COLUMNS: tuple[str, ...] = (TargetColumn.EMPLOYMENT, TargetColumn.POST, TargetColumn.STARTUP)
# A "其中" column and the column it is part of.
PART_OF: dict[str, str] = {
    TargetColumn.EMPLOYMENT_NATIONAL_BASE: TargetColumn.EMPLOYMENT,
    TargetColumn.POST_NATIONAL_BASE: TargetColumn.POST,
    TargetColumn.HIGH_SKILL_NATIONAL_BASE: TargetColumn.HIGH_SKILL,
}


class TableSource(models.TextChoices):
    REFERENCE = "reference", _("内置文件")
    ENTERED = "entered", _("页面录入")
    IMPORTED = "imported", _("Excel 导入")


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("以上/不低于")
    ABOUT = "about", _("左右")
    REACH = "reach", _("达到")


class GoalUnit(models.TextChoices):
    PERSON = "人", _("人")
    PERSON_TIME = "人次", _("人次")
    ITEM = "个", _("个")
    ORGANISATION = "家", _("家")
    NAMED = "名", _("名")
    EVENT = "场", _("场")
    SCHOOL = "所", _("所")
    PERCENT = "%", _("%")
