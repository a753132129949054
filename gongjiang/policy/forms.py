"""The 补贴试算 form, built from a benefit's fact specifications."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from .model import Benefit, FactSpec

BOOL_CHOICES = [("", "未填写"), ("true", "是"), ("false", "否")]


def _field(spec: FactSpec) -> forms.Field:
    label = f"{spec.label}（{spec.name}）"
    if spec.type == "enum":
        return forms.ChoiceField(
            label=label,
            required=spec.required,
            choices=[
                ("", "请选择"),
                *[(str(c), spec.choice_labels.get(str(c), str(c))) for c in spec.choices],
            ],
        )
    if spec.type == "bool":
        return forms.ChoiceField(label=label, required=spec.required, choices=BOOL_CHOICES)
    if spec.type == "int":
        return forms.IntegerField(label=label, required=spec.required, min_value=spec.minimum)
    if spec.type == "decimal":
        return forms.DecimalField(label=label, required=spec.required)
    if spec.type == "date":
        return forms.DateField(
            label=label, required=spec.required, widget=forms.DateInput(attrs={"type": "date"})
        )
    return forms.CharField(label=label, required=spec.required)


class TrialForm(forms.Form):
    date = forms.DateField(label="申请日期", widget=forms.DateInput(attrs={"type": "date"}))
    history = forms.CharField(
        label="已享受记录（JSON 数组，可空）",
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": '[{"date": "2024-05-01", "benefit": "training_subsidy", '
                '"facts": {}, "amount": "1500"}]',
            }
        ),
    )

    def __init__(self, *args: Any, benefit: Benefit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.benefit = benefit
        for spec in benefit.facts.values():
            self.fields[f"fact_{spec.name}"] = _field(spec)

    def clean_history(self) -> list[Any]:
        raw = self.cleaned_data.get("history", "").strip()
        if not raw:
            return []
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError("已享受记录不是有效的 JSON") from exc
        if not isinstance(value, list):
            raise forms.ValidationError("已享受记录应为 JSON 数组")
        return value

    def request_body(self, pack_id: str) -> dict[str, Any]:
        """The quote contract's request, exactly as the CLI and the API take it."""
        facts: dict[str, Any] = {}
        for spec in self.benefit.facts.values():
            value = self.cleaned_data.get(f"fact_{spec.name}")
            if value in (None, ""):
                continue
            if spec.type == "bool":
                value = value == "true"
            elif spec.type == "enum":
                value = next(c for c in spec.choices if str(c) == value)
            elif spec.type == "decimal":
                value = str(value)
            elif spec.type == "date":
                value = value.isoformat()
            facts[spec.name] = value
        return {
            "policy": pack_id,
            "date": self.cleaned_data["date"].isoformat(),
            "benefit": self.benefit.key,
            "facts": facts,
            "history": self.cleaned_data["history"],
        }
