"""The skilled-talent picture: the enterprise survey, its demand lines, shortage proposals, and the
records behind the high-skill talent database (competitions, studios, titles, bases).

    SurveyRound ── one round of 台人社发〔2021〕17号 附件1 《企业技能人才现状及需求情况调查表》 in a
      │            jurisdiction (措施7 “定期发布供求信息”: one round a period); open while enterprises
      │            fill it in, closed when the bureau publishes it.
      └─ SurveyResponse  one enterprise's answer in one round (the round is the version: a new round
           │             is a new answer; the same enterprise answers a round once). The profile is
           │             copied from the form, so a later registry change does not rewrite history.
           │             Level total = age total = education total (the form's three 合计).
           └─ DemandLine one 需求工种 (catalog occupation) with count, level, the monthly wage offered
                         and how the enterprise means to meet it.
    ShortageProposal ── an occupation proposed for the shortage directory from a round's demand; the
                   bureau accepts it with an effective date (a catalog `ShortageOccupationEntry` is
                   then written by the catalog's own service) or rejects it.

    Competition ─ CompetitionResult   a contest and the people placed in it (措施6: one level up).
    MasterStudio ─ StudioAssessment   技能大师工作室 and its yearly assessments.
    TalentTitle                        工匠 titles, 首席技师, 技术能手 held by a person.
    TalentPlatform                     training bases and demonstration enterprises.

The high-skill talent database (高技能人才信息库) is not a table: it is read from the registry's
certificates at 高级工 and above joined with the records above (`selectors.talent_list`).
Phones on the survey are stored encrypted with a masked copy, like the registry's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    AssessmentResult,
    CompetitionLevel,
    DemandMethod,
    PlatformKind,
    PlatformLevel,
    ProposalStatus,
    ResponseSource,
    RoundStatus,
    StudioLevel,
    TitleKind,
)


class SurveyRound(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    title = models.CharField(_("调查名称"), max_length=120)
    period = models.CharField(_("调查期"), max_length=40, help_text=_("如“2025年”“2025年上半年”"))
    year = models.PositiveSmallIntegerField(_("统计年度"))
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("技能人才调查轮次")
        verbose_name_plural = _("技能人才调查轮次")
        ordering = ["jurisdiction", "-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "title"], name="survey_round_title_once"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="survey_round_year"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class SurveyResponse(models.Model):
    survey_round = models.ForeignKey(
        SurveyRound, verbose_name=_("调查轮次"), on_delete=models.PROTECT, related_name="responses"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    # 企业概况 (copied from the form)
    enterprise_name = models.CharField(_("企业名称"), max_length=120)
    principal = models.CharField(_("负责人"), max_length=60)
    principal_phone_encrypted = models.TextField(_("联系电话(加密)"), blank=True)
    principal_phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    ownership = models.CharField(_("企业类型"), max_length=20)
    size = models.CharField(_("企业规模"), max_length=10)
    business_field = models.CharField(_("经营领域"), max_length=80)
    staff_count = models.PositiveIntegerField(_("职工总数"))
    average_monthly_wage = models.DecimalField(_("人均月工资(元)"), max_digits=10, decimal_places=2)
    training_funds_drawn = models.DecimalField(_("提取职工培训经费(元)"), max_digits=14, decimal_places=2)
    training_funds_used = models.DecimalField(_("用于职工培训经费(元)"), max_digits=14, decimal_places=2)
    # 技能人才结构: by level, by age, by education (the three totals must agree)
    level_junior = models.PositiveIntegerField(_("初级工"), default=0)
    level_intermediate = models.PositiveIntegerField(_("中级工"), default=0)
    level_senior = models.PositiveIntegerField(_("高级工"), default=0)
    level_technician = models.PositiveIntegerField(_("技师"), default=0)
    level_senior_technician = models.PositiveIntegerField(_("高级技师"), default=0)
    age_18_30 = models.PositiveIntegerField(_("18—30岁"), default=0)
    age_31_40 = models.PositiveIntegerField(_("31—40岁"), default=0)
    age_41_50 = models.PositiveIntegerField(_("41—50岁"), default=0)
    age_51_plus = models.PositiveIntegerField(_("51岁以上"), default=0)
    edu_high_school = models.PositiveIntegerField(_("高中/技校及以下"), default=0)
    edu_college = models.PositiveIntegerField(_("高职大专"), default=0)
    edu_bachelor = models.PositiveIntegerField(_("本科及以上"), default=0)
    # 填表人
    filled_by = models.CharField(_("填表人"), max_length=60)
    filler_phone_encrypted = models.TextField(_("填表人电话(加密)"), blank=True)
    filler_phone_masked = models.CharField(_("填表人电话"), max_length=20, blank=True)
    filled_on = models.DateField(_("填表日期"))
    source = models.CharField(_("来源"), max_length=10, choices=ResponseSource.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业技能人才调查表")
        verbose_name_plural = _("企业技能人才调查表")
        ordering = ["survey_round", "enterprise_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey_round", "enterprise"], name="survey_response_once"),
            models.CheckConstraint(condition=Q(average_monthly_wage__gte=0), name="survey_wage_not_negative"),
            models.CheckConstraint(
                condition=Q(training_funds_drawn__gte=0) & Q(training_funds_used__gte=0),
                name="survey_funds_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name}（{self.survey_round_id}）"

    @property
    def level_total(self) -> int:
        return (
            self.level_junior
            + self.level_intermediate
            + self.level_senior
            + self.level_technician
            + self.level_senior_technician
        )

    @property
    def age_total(self) -> int:
        return self.age_18_30 + self.age_31_40 + self.age_41_50 + self.age_51_plus

    @property
    def education_total(self) -> int:
        return self.edu_high_school + self.edu_college + self.edu_bachelor

    @property
    def high_skill_total(self) -> int:
        return self.level_senior + self.level_technician + self.level_senior_technician


class DemandLine(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="demand_lines")
    occupation = models.ForeignKey("catalog.Occupation", verbose_name=_("需求工种"), on_delete=models.PROTECT)
    count = models.PositiveIntegerField(_("需求人数"))
    level = models.ForeignKey("catalog.SkillLevel", verbose_name=_("需求等级"), on_delete=models.PROTECT)
    monthly_wage = models.DecimalField(_("月工资待遇(元)"), max_digits=10, decimal_places=2)
    method = models.CharField(_("培养措施"), max_length=10, choices=DemandMethod.choices)

    class Meta:
        verbose_name = _("技能人才需求")
        verbose_name_plural = _("技能人才需求")
        ordering = ["response", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="demand_count_positive"),
            models.CheckConstraint(condition=Q(monthly_wage__gt=0), name="demand_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id}×{self.count}"


class ShortageProposal(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    survey_round = models.ForeignKey(
        SurveyRound, verbose_name=_("依据调查"), on_delete=models.PROTECT, related_name="proposals"
    )
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("职业(工种)"), on_delete=models.PROTECT
    )
    demand = models.PositiveIntegerField(_("需求人数"))
    supply = models.PositiveIntegerField(_("供给人数"))
    note = models.TextField(_("提议说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    decision_reason = models.CharField(_("决定说明"), max_length=200, blank=True)
    shortage_entry = models.ForeignKey(
        "catalog.ShortageOccupationEntry",
        verbose_name=_("目录条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提议人"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提议时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("急需紧缺职业目录提议")
        verbose_name_plural = _("急需紧缺职业目录提议")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey_round", "occupation"], name="shortage_proposal_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.get_status_display()}"


class Competition(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    name = models.CharField(_("竞赛名称"), max_length=160)
    level = models.CharField(_("竞赛级别"), max_length=12, choices=CompetitionLevel.choices)
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("竞赛职业(工种)"), on_delete=models.PROTECT
    )
    organiser = models.CharField(_("主办单位"), max_length=120)
    held_on = models.DateField(_("举办日期"))

    class Meta:
        verbose_name = _("职业技能竞赛")
        verbose_name_plural = _("职业技能竞赛")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.name


class CompetitionResult(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="results")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("选手"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(
        _("名次/等次"), help_text=_("1 一等奖，2 二等奖，3 三等奖，以此类推")
    )
    result_label = models.CharField(_("成绩"), max_length=40, blank=True, help_text=_("如 金牌、优胜奖"))
    level_before = models.ForeignKey(
        "catalog.SkillLevel",
        verbose_name=_("原技能等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    promoted_to = models.ForeignKey(
        "catalog.SkillLevel",
        verbose_name=_("晋升后等级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("竞赛成绩")
        verbose_name_plural = _("竞赛成绩")
        ordering = ["competition", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "person"], name="competition_result_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="competition_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.competition_id} 第{self.rank}名"

    def facts_for_policy(self) -> list[dict[str, Any]]:
        """Quote requests ({policy, date, benefit, facts}) a funds application would start from
        (`policy_facts`); empty when the jurisdiction's document pays nothing for it."""
        from .policy_facts import competition_result_facts

        return competition_result_facts(self)


class MasterStudio(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    name = models.CharField(_("工作室名称"), max_length=160)
    level = models.CharField(_("级别"), max_length=12, choices=StudioLevel.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("依托单位"), on_delete=models.PROTECT, related_name="+"
    )
    master = models.ForeignKey(
        "registry.Person", verbose_name=_("领办技能大师"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("职业(工种)"), on_delete=models.PROTECT
    )
    recognised_on = models.DateField(_("命名日期"))

    class Meta:
        verbose_name = _("技能大师工作室")
        verbose_name_plural = _("技能大师工作室")
        ordering = ["-recognised_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name", "level"], name="master_studio_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def facts_for_policy(self) -> list[dict[str, Any]]:
        """Quote requests ({policy, date, benefit, facts}) a funds application would start from
        (`policy_facts`); empty when the jurisdiction's document pays nothing for it."""
        from .policy_facts import studio_facts

        return studio_facts(self)


class StudioAssessment(models.Model):
    studio = models.ForeignKey(MasterStudio, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("考核年度"))
    result = models.CharField(_("考核结果"), max_length=10, choices=AssessmentResult.choices)
    assessed_on = models.DateField(_("考核日期"))

    class Meta:
        verbose_name = _("工作室考核")
        verbose_name_plural = _("工作室考核")
        ordering = ["studio", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "year"], name="studio_assessment_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.studio_id} {self.year} {self.result}"


class TalentTitle(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("称号"), max_length=30, choices=TitleKind.choices)
    title_name = models.CharField(_("称号全称"), max_length=80, help_text=_("如“枣庄市首席技师”"))
    awarded_by = models.CharField(_("授予单位"), max_length=120)
    awarded_on = models.DateField(_("授予日期"))
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("所在企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    allowance_months = models.PositiveSmallIntegerField(
        _("岗位津贴月数"), null=True, blank=True, help_text=_("首席技师：聘任后已享受或申请的津贴月数")
    )

    class Meta:
        verbose_name = _("技能人才称号")
        verbose_name_plural = _("技能人才称号")
        ordering = ["-awarded_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "awarded_on"], name="talent_title_once"),
        ]

    def __str__(self) -> str:
        return self.title_name

    def facts_for_policy(self) -> list[dict[str, Any]]:
        """Quote requests ({policy, date, benefit, facts}) a funds application would start from
        (`policy_facts`); empty when the jurisdiction's document pays nothing for it."""
        from .policy_facts import title_facts

        return title_facts(self)


class TalentPlatform(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    kind = models.CharField(_("类别"), max_length=30, choices=PlatformKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=PlatformLevel.choices)
    name = models.CharField(_("名称"), max_length=160)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("培训机构/院校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recognised_on = models.DateField(_("认定日期"))

    class Meta:
        verbose_name = _("培训基地与示范企业")
        verbose_name_plural = _("培训基地与示范企业")
        ordering = ["kind", "-recognised_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "level", "name"], name="talent_platform_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def facts_for_policy(self) -> list[dict[str, Any]]:
        """Quote requests ({policy, date, benefit, facts}) a funds application would start from
        (`policy_facts`); empty when the jurisdiction's document pays nothing for it."""
        from .policy_facts import platform_facts

        return platform_facts(self)
