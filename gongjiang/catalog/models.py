"""Reference data: occupations and their subsidy class, startup courses, the shortage directory,
certificate types and skill levels.

Occupation names are national (2022 职业分类大典); the A/B/C/D subsidy class is a jurisdiction's own
classification (兰州新区 附件3), so it lives in `OccupationClass`, one row per jurisdiction. The
suffixes `S`/`L` in 附件3 mark digital and green occupations: the name is stored bare, the marker as a
flag.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import SubsidyClass


class Occupation(models.Model):
    name = models.CharField(_("职业(工种)名称"), max_length=80, unique=True)
    is_digital = models.BooleanField(_("数字职业(S)"), default=False)
    is_green = models.BooleanField(_("绿色职业(L)"), default=False)
    is_special_ability_item = models.BooleanField(_("专项职业能力考核项目"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("职业(工种)")
        verbose_name_plural = _("职业(工种)")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class OccupationClass(models.Model):
    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("职业(工种)"), on_delete=models.PROTECT, related_name="classes"
    )
    subsidy_class = models.CharField(_("职业类别"), max_length=1, choices=SubsidyClass.choices)
    citation = models.CharField(_("依据"), max_length=120)

    class Meta:
        verbose_name = _("职业补贴类别")
        verbose_name_plural = _("职业补贴类别")
        ordering = ["subsidy_class", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "occupation"], name="occupation_class_once"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} {self.subsidy_class}"


class StartupCourse(models.Model):
    code = models.CharField(_("代码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    min_class_hours = models.PositiveIntegerField(_("最少课时"))
    min_days = models.PositiveIntegerField(_("最少天数"))

    class Meta:
        verbose_name = _("创业培训课程")
        verbose_name_plural = _("创业培训课程")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ShortageOccupationEntry(models.Model):
    """One occupation's time in a jurisdiction's 急需紧缺职业(工种)指导目录."""

    jurisdiction = models.ForeignKey("core.Jurisdiction", verbose_name=_("辖区"), on_delete=models.PROTECT)
    occupation = models.ForeignKey(Occupation, verbose_name=_("职业(工种)"), on_delete=models.PROTECT)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    source = models.CharField(_("目录来源"), max_length=120)

    class Meta:
        verbose_name = _("急需紧缺职业目录条目")
        verbose_name_plural = _("急需紧缺职业目录")
        ordering = ["jurisdiction", "occupation", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="shortage_entry_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} {self.valid_from}~{self.valid_to or ''}"


class CertificateType(models.Model):
    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("证书类型")
        verbose_name_plural = _("证书类型")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SkillLevel(models.Model):
    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    alias = models.CharField(_("别称"), max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(_("等级序号"), unique=True, help_text=_("越大越高"))

    class Meta:
        verbose_name = _("技能等级")
        verbose_name_plural = _("技能等级")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.name}/{self.alias}" if self.alias else self.name
