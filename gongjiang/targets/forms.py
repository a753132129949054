"""Forms of the targets pages. They only shape input: every rule is checked again by the services."""

from __future__ import annotations

from typing import Any

from django import forms

from .choices import COLUMN_ORDER, TargetColumn

YEAR_MIN, YEAR_MAX = 2000, 2100


class TableHeadForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=YEAR_MIN, max_value=YEAR_MAX)
    title = forms.CharField(
        label="表名", max_length=120, help_text="如：兰州新区2026年职业技能培训任务分解表"
    )
    document = forms.CharField(label="文号", max_length=80, help_text="如：新民社发〔2026〕X号")
    citation = forms.CharField(label="依据", max_length=200, help_text="文号、附件及表名")
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    counts_skill_upgrade_recipients = forms.BooleanField(
        label="领取失业保险技能提升补贴人员纳入培训人员统计范围（附件1 备注）", required=False
    )
    reason = forms.CharField(label="修改原因（修改已有年度时必填）", max_length=200, required=False)


def cell_field_name(unit_id: int, column: str) -> str:
    return f"u{unit_id}_{column}"


class TableForm(TableHeadForm):
    """The head of the table plus one number field per unit and column; empty means “/”."""

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            for column in COLUMN_ORDER:
                self.fields[cell_field_name(unit.pk, column)] = forms.IntegerField(
                    label=f"{unit.name} {TargetColumn(column).label}",
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "figure", "min": 0}),
                )

    def grid(self) -> list[tuple[Any, list[Any]]]:
        return [(unit, [self[cell_field_name(unit.pk, c)] for c in COLUMN_ORDER]) for unit in self.units]

    def figures(self) -> dict[int, dict[str, int | None]]:
        result: dict[int, dict[str, int | None]] = {}
        for unit in self.units:
            row = {c: self.cleaned_data.get(cell_field_name(unit.pk, c)) for c in COLUMN_ORDER}
            if any(v is not None for v in row.values()):
                result[unit.pk] = row
        return result


class TableImportForm(TableHeadForm):
    file = forms.FileField(label="文件（.xlsx 或 .csv）")


class RecipientImportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=YEAR_MIN, max_value=YEAR_MAX)
    file = forms.FileField(label="文件（.xlsx 或 .csv）")
