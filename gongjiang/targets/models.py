"""Targets as data, and the records progress is counted from.

    TargetTable ── one 任务分解表 per jurisdiction and year (新民社发〔2025〕13号 附件1 for 兰州新区 2025)
      └─ TargetCell   one figure per service unit and column (12 columns, `choices.TargetColumn`);
                      NULL is the document's “/” (no task in that cell). The 合计 row of the document
                      is not stored: it is the sum of the unit rows, and the loader refuses a file
                      whose stated 合计 row disagrees, or a unit row whose 合计 ≠ 就业 + 岗位 + 创业.
    TargetGoal ─── a jurisdiction's other written goals (兰州新区 2025 一/二, 兰州新区 2024 三, 台儿庄
                   2021 二/三, 上虞 2023 二, 湖州 2021 一/二), each with its document, clause and the
                   words quoted; `measure` names the live figure that tracks it, or is empty when the
                   platform does not hold the records (yet).
    SkillUpgradeRecipient ── a person who received the unemployment-insurance skill-upgrade subsidy
                   (失业保险技能提升补贴) in a year, imported from the insurance agency's list; a table
                   with `counts_skill_upgrade_recipients` counts them (附件1 备注). The ID number is
                   stored as the registry stores it: keyed hash, ciphertext and masked copy.
    RecipientImport ── one imported file of such recipients (all rows or none).

Nothing here holds a “done” counter: progress is computed on every read from the training records
(`gongjiang.targets.counting` has the rules, `progress` the sums), so it can never drift from them.

Tables and goals are written only by `services.py` (bootstrap from the YAML files under `data/`, a
bureau admin's page or Excel import for the next year's table); the recipients only by their import.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Comparator, GoalUnit, TableSource, TargetColumn


class TargetTable(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("表名"), max_length=120)
    document = models.CharField(_("文号"), max_length=80)
    citation = models.CharField(_("依据"), max_length=200)
    measure_unit = models.CharField(_("计量单位"), max_length=10, default="人次")
    note = models.TextField(_("备注"), blank=True)
    counts_skill_upgrade_recipients = models.BooleanField(
        _("领取失业保险技能提升补贴人员纳入统计"), default=False
    )
    source = models.CharField(_("来源"), max_length=20, choices=TableSource.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("任务分解表")
        verbose_name_plural = _("任务分解表")
        ordering = ["jurisdiction", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="target_table_once_a_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="target_table_year"),
        ]

    def __str__(self) -> str:
        return self.title


class TargetCell(models.Model):
    table = models.ForeignKey(TargetTable, on_delete=models.CASCADE, related_name="cells")
    service_unit = models.ForeignKey("registry.ServiceUnit", verbose_name=_("单位"), on_delete=models.PROTECT)
    column = models.CharField(_("指标"), max_length=30, choices=TargetColumn.choices)
    value = models.PositiveIntegerField(_("任务数"), null=True, blank=True, help_text=_("空表示原表中的“/”"))

    class Meta:
        verbose_name = _("任务数")
        verbose_name_plural = _("任务数")
        ordering = ["table", "service_unit", "column"]
        constraints = [
            models.UniqueConstraint(fields=["table", "service_unit", "column"], name="target_cell_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_unit_id}:{self.column}={self.value if self.value is not None else '/'}"


class TargetGoal(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    key = models.SlugField(_("代码"), max_length=80)
    document = models.CharField(_("文号/文件"), max_length=120)
    clause = models.CharField(_("条款"), max_length=60)
    quote = models.TextField(_("原文"))
    title = models.CharField(_("目标"), max_length=200)
    comparator = models.CharField(_("比较"), max_length=10, choices=Comparator.choices)
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=4, choices=GoalUnit.choices)
    year_from = models.PositiveSmallIntegerField(_("起始年度"))
    year_to = models.PositiveSmallIntegerField(_("截止年度"))
    per_year = models.BooleanField(_("每年目标"), default=False)
    measure = models.CharField(_("进度口径"), max_length=60, blank=True)
    interpretation = models.TextField(_("解释"), blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("工作目标")
        verbose_name_plural = _("工作目标")
        ordering = ["jurisdiction", "year_from", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "key"], name="target_goal_key_once"),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="goal_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def citation(self) -> str:
        return f"{self.document} {self.clause}"


class RecipientImport(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("行数"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("技能提升补贴人员导入")
        verbose_name_plural = _("技能提升补贴人员导入")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.filename}"


class SkillUpgradeRecipient(models.Model):
    """One person's unemployment-insurance skill-upgrade subsidy in one year. Once a year per person:
    新民社发〔2025〕13号 附件3 备注5 “每年只能享受1次 … (含参保职工技能提升补贴)”."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    service_unit = models.ForeignKey(
        "registry.ServiceUnit", verbose_name=_("统计单位"), on_delete=models.PROTECT
    )
    name = models.CharField(_("姓名"), max_length=60)
    id_number_hash = models.CharField(_("身份证号哈希"), max_length=64)
    id_number_encrypted = models.TextField(_("身份证号(加密)"))
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("登记人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occupation = models.ForeignKey(
        "catalog.Occupation", verbose_name=_("职业(工种)"), on_delete=models.PROTECT
    )
    level = models.ForeignKey("catalog.SkillLevel", verbose_name=_("证书等级"), on_delete=models.PROTECT)
    certificate_number = models.CharField(_("证书编号"), max_length=40)
    paid_on = models.DateField(_("领取日期"))
    amount = models.DecimalField(_("补贴金额"), max_digits=10, decimal_places=2)
    batch = models.ForeignKey(RecipientImport, on_delete=models.PROTECT, related_name="recipients")

    class Meta:
        verbose_name = _("领取失业保险技能提升补贴人员")
        verbose_name_plural = _("领取失业保险技能提升补贴人员")
        ordering = ["paid_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "id_number_hash"], name="skill_upgrade_once_a_year"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="skill_upgrade_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.id_number_masked}) {self.paid_on}"
