"""Input forms of the catalog pages. They only parse what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import SubsidyClass
from .models import Occupation


class OccupationFilterForm(forms.Form):
    q = forms.CharField(label=_("职业名称"), required=False, max_length=80)
    subsidy_class = forms.ChoiceField(
        label=_("职业类别"), required=False, choices=[("", _("全部类别")), *SubsidyClass.choices]
    )


class ShortageFilterForm(forms.Form):
    on = forms.DateField(
        label=_("有效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )


class ShortageAddForm(forms.Form):
    occupation = forms.ModelChoiceField(label=_("职业(工种)"), queryset=Occupation.objects.none())
    valid_from = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    valid_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        help_text=_("留空表示长期有效"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    source = forms.CharField(label=_("目录来源"), max_length=120, help_text=_("目录文件名称或文号"))

    def __init__(self, *args: Any, occupations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if occupations is not None:
            self.fields["occupation"].queryset = occupations  # type: ignore[attr-defined]


class ShortageEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    reason = forms.CharField(label=_("说明"), required=False, max_length=200)


class ImportForm(forms.Form):
    KIND_CHOICES = (("occupations", _("职业目录")), ("shortage", _("急需紧缺职业")))

    kind = forms.ChoiceField(label=_("导入内容"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("文件"), help_text=_("Excel(.xlsx) 或 CSV（UTF-8 或 GBK 编码）"))
