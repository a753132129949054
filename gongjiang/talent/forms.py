"""Forms of the talent pages. They only shape input: every rule is checked again by the services."""

from __future__ import annotations

import decimal
from typing import Any

from django import forms

from gongjiang.catalog.models import Occupation, SkillLevel
from gongjiang.registry import selectors as registry
from gongjiang.registry.choices import EnterpriseOwnership, EnterpriseSize
from gongjiang.registry.models import Institution

from .choices import (
    AGE_FIELDS,
    EDUCATION_FIELDS,
    LEVEL_FIELDS,
    AssessmentResult,
    CompetitionLevel,
    DemandMethod,
    PlatformKind,
    PlatformLevel,
    StudioLevel,
    TitleKind,
)
from .models import Competition, MasterStudio
from .survey import DemandData, ResponseData, totals_problems

DEMAND_ROWS = 5


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=decimal.Decimal(0), max_digits=12, decimal_places=2)


class RoundForm(forms.Form):
    title = forms.CharField(
        label="调查名称", max_length=120, help_text="如：2025年企业技能人才现状及需求情况调查"
    )
    period = forms.CharField(label="调查期", max_length=40, help_text="如：2025年")
    year = forms.IntegerField(label="统计年度", min_value=2000, max_value=2100)


class ImportForm(forms.Form):
    file = forms.FileField(label="调查表文件（.xlsx 或 .csv）")


class ResponseForm(forms.Form):
    """The 调查表 as one page: profile, totals by level/age/education, up to five demand lines."""

    principal = forms.CharField(label="负责人", max_length=60)
    principal_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    ownership = forms.ChoiceField(label="企业类型", choices=EnterpriseOwnership.choices)
    size = forms.ChoiceField(label="企业规模", choices=EnterpriseSize.choices)
    business_field = forms.CharField(
        label="经营领域", max_length=80, help_text="如：装备制造、IT 行业、建筑行业、服务业"
    )
    staff_count = forms.IntegerField(label="职工总数（人）", min_value=1)
    average_monthly_wage = _money("人均月工资（元）")
    training_funds_drawn = _money("提取职工培训经费（元）")
    training_funds_used = _money("用于职工培训经费（元）")
    filled_by = forms.CharField(label="填表人", max_length=60)
    filler_phone = forms.CharField(label="填表人联系电话", max_length=20, required=False)
    filled_on = forms.DateField(label="填表时间", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _code, label in LEVEL_FIELDS:
            self.fields[name] = forms.IntegerField(label=label, min_value=0, initial=0)
        for name, label in AGE_FIELDS:
            self.fields[name] = forms.IntegerField(label=label, min_value=0, initial=0)
        for name, label in EDUCATION_FIELDS:
            self.fields[name] = forms.IntegerField(label=label, min_value=0, initial=0)
        occupations = Occupation.objects.filter(is_active=True).order_by("name")
        levels = SkillLevel.objects.order_by("rank")
        for i in range(1, DEMAND_ROWS + 1):
            self.fields[f"d{i}_occupation"] = forms.ModelChoiceField(
                label=f"需求工种{i}", queryset=occupations, required=False
            )
            self.fields[f"d{i}_count"] = forms.IntegerField(label="需求人数", min_value=1, required=False)
            self.fields[f"d{i}_level"] = forms.ModelChoiceField(label="等级", queryset=levels, required=False)
            self.fields[f"d{i}_wage"] = forms.DecimalField(
                label="月工资待遇（元）",
                required=False,
                min_value=decimal.Decimal("0.01"),
                max_digits=12,
                decimal_places=2,
            )
            self.fields[f"d{i}_method"] = forms.ChoiceField(
                label="培养措施", choices=[("", "—"), *DemandMethod.choices], required=False
            )

    def level_fields(self) -> list[Any]:
        return [self[name] for name, _code, _label in LEVEL_FIELDS]

    def age_fields(self) -> list[Any]:
        return [self[name] for name, _label in AGE_FIELDS]

    def education_fields(self) -> list[Any]:
        return [self[name] for name, _label in EDUCATION_FIELDS]

    def demand_rows(self) -> list[list[Any]]:
        parts = ("occupation", "count", "level", "wage", "method")
        return [[self[f"d{i}_{p}"] for p in parts] for i in range(1, DEMAND_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, DEMAND_ROWS + 1):
            values = [data.get(f"d{i}_{p}") for p in ("occupation", "count", "level", "wage", "method")]
            if any(v not in (None, "") for v in values) and not all(v not in (None, "") for v in values):
                self.add_error(
                    f"d{i}_occupation", f"需求第 {i} 行：工种、人数、等级、月工资待遇、培养措施须填写完整"
                )
        if not self.errors:
            for column, message in totals_problems(self.to_data()):
                self.add_error(None, f"{column}：{message}")
        return data

    def to_data(self) -> ResponseData:
        d = self.cleaned_data
        demand = [
            DemandData(
                occupation=d[f"d{i}_occupation"],
                count=d[f"d{i}_count"],
                level=d[f"d{i}_level"],
                monthly_wage=d[f"d{i}_wage"],
                method=d[f"d{i}_method"],
            )
            for i in range(1, DEMAND_ROWS + 1)
            if d.get(f"d{i}_occupation") is not None
        ]
        counts = {
            name: d[name]
            for name in (
                *(f for f, _c, _l in LEVEL_FIELDS),
                *(f for f, _l in AGE_FIELDS),
                *(f for f, _l in EDUCATION_FIELDS),
            )
        }
        return ResponseData(
            principal=d["principal"],
            principal_phone=d.get("principal_phone", ""),
            ownership=d["ownership"],
            size=d["size"],
            business_field=d["business_field"],
            staff_count=d["staff_count"],
            average_monthly_wage=d["average_monthly_wage"],
            training_funds_drawn=d["training_funds_drawn"],
            training_funds_used=d["training_funds_used"],
            counts=counts,
            filled_by=d["filled_by"],
            filler_phone=d.get("filler_phone", ""),
            filled_on=d["filled_on"],
            demand=demand,
        )


def initial_from(response: Any) -> dict[str, Any]:
    """A saved answer as the form's initial values (phones are not shown back: they are masked)."""
    initial: dict[str, Any] = {
        name: getattr(response, name)
        for name in (
            "principal",
            "ownership",
            "size",
            "business_field",
            "staff_count",
            "average_monthly_wage",
            "training_funds_drawn",
            "training_funds_used",
            "filled_by",
            "filled_on",
            *(f for f, _c, _l in LEVEL_FIELDS),
            *(f for f, _l in AGE_FIELDS),
            *(f for f, _l in EDUCATION_FIELDS),
        )
    }
    for i, line in enumerate(response.demand_lines.all(), start=1):
        if i > DEMAND_ROWS:
            break
        initial.update(
            {
                f"d{i}_occupation": line.occupation_id,
                f"d{i}_count": line.count,
                f"d{i}_level": line.level_id,
                f"d{i}_wage": line.monthly_wage,
                f"d{i}_method": line.method,
            }
        )
    return initial


class ProposalForm(forms.Form):
    occupation = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="提议说明", max_length=500, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "采纳"), ("reject", "不采纳")])
    effective_from = forms.DateField(
        label="生效日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="说明", max_length=200, required=False)


# --- entry of competitions, results, studios, assessments, titles and platforms ---------------
#
# Every choice of a record, a person or an enterprise is limited to the page's jurisdiction (the
# querysets below), so a number from another jurisdiction is refused as an invalid choice before the
# service is called; the services check the same again.

PICKED = {
    "required": "请先搜索并选择",
    "invalid_choice": "所选记录不存在或不在本辖区",
}


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class PickedField(forms.ModelChoiceField):
    """A person or an enterprise chosen with the search picker (`talent/_picker.html`): the page shows
    a search box whose answer (htmx) is a list of radio buttons carrying this field's name."""

    def __init__(self, *, pick: str, **kwargs: Any) -> None:
        self.pick = pick  # "person" | "enterprise": which search the picker asks
        kwargs.setdefault("error_messages", PICKED)
        super().__init__(queryset=None, widget=forms.HiddenInput, **kwargs)


class RecordForm(forms.Form):
    """Base of the entry forms: querysets scoped to the jurisdiction; the field names are the
    service's keyword arguments, so `cleaned_data` is passed to the service as it is."""

    def __init__(self, *args: Any, user: Any, jurisdiction: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picked = {
            "person": registry.person_list(user).filter(jurisdiction=jurisdiction).order_by("name", "pk"),
            "enterprise": registry.enterprise_list(user).filter(jurisdiction=jurisdiction).order_by("name"),
        }
        chosen = {
            "occupation": Occupation.objects.filter(is_active=True).order_by("name"),
            "institution": registry.institution_list(user).filter(jurisdiction=jurisdiction).order_by("name"),
            "competition": Competition.objects.filter(jurisdiction=jurisdiction),
            "studio": MasterStudio.objects.filter(jurisdiction=jurisdiction),
        }
        for name, field in self.fields.items():
            if isinstance(field, PickedField):
                field.queryset = picked[field.pick]
            elif isinstance(field, forms.ModelChoiceField) and name in chosen:
                field.queryset = chosen[name]

    def rows(self) -> list[tuple[Any, dict[str, Any] | None]]:
        """(bound field, for a picker field its kind and the chosen object) in the form's order."""
        rows: list[tuple[Any, dict[str, Any] | None]] = []
        for bound in self:
            field = bound.field
            if not isinstance(field, PickedField):
                rows.append((bound, None))
                continue
            value = str(bound.value() or "")
            queryset = field.queryset
            chosen = queryset.filter(pk=value).first() if queryset is not None and value.isdigit() else None
            rows.append(
                (bound, {"pick": field.pick, "chosen": chosen, "chosen_list": [chosen] if chosen else []})
            )
        return rows


def _in_jurisdiction(label: str, model: Any, *, required: bool = True) -> forms.ModelChoiceField:
    """A choice among the jurisdiction's records (the queryset is set per form, `RecordForm`)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=model.objects.none(),
        required=required,
        error_messages={"invalid_choice": f"{label}不存在或不在本辖区"},
    )


def _occupation() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="职业(工种)", queryset=Occupation.objects.none())


class CompetitionForm(RecordForm):
    name = forms.CharField(label="竞赛名称", max_length=160)
    level = forms.ChoiceField(label="竞赛级别", choices=CompetitionLevel.choices)
    occupation = _occupation()
    organiser = forms.CharField(label="主办单位", max_length=120)
    held_on = _date("举办日期")


class CompetitionResultForm(RecordForm):
    competition = _in_jurisdiction("竞赛", Competition)
    person = PickedField(label="选手", pick="person")
    rank = forms.IntegerField(
        label="名次/等次", min_value=1, help_text="1 一等奖，2 二等奖，3 三等奖，以此类推"
    )
    result_label = forms.CharField(label="成绩", max_length=40, required=False, help_text="如 金牌、优胜奖")


class StudioForm(RecordForm):
    name = forms.CharField(label="工作室名称", max_length=160)
    level = forms.ChoiceField(label="级别", choices=StudioLevel.choices)
    enterprise = PickedField(label="依托单位", pick="enterprise")
    master = PickedField(label="领办技能大师", pick="person")
    occupation = _occupation()
    recognised_on = _date("命名日期")


class StudioAssessmentForm(RecordForm):
    studio = _in_jurisdiction("技能大师工作室", MasterStudio)
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    result = forms.ChoiceField(label="考核结果", choices=AssessmentResult.choices)
    assessed_on = _date("考核日期")


class TitleForm(RecordForm):
    person = PickedField(label="人员", pick="person")
    kind = forms.ChoiceField(label="称号", choices=TitleKind.choices)
    title_name = forms.CharField(
        label="称号全称", max_length=80, required=False, help_text="如“枣庄市首席技师”；不填则用称号名称"
    )
    awarded_by = forms.CharField(label="授予单位", max_length=120)
    awarded_on = _date("授予日期")
    enterprise = PickedField(label="所在企业", pick="enterprise", required=False)
    allowance_months = forms.IntegerField(
        label="岗位津贴月数",
        min_value=0,
        max_value=120,
        required=False,
        help_text="首席技师：聘任后已享受或申请的津贴月数",
    )


class PlatformForm(RecordForm):
    kind = forms.ChoiceField(label="类别", choices=PlatformKind.choices)
    level = forms.ChoiceField(label="级别", choices=PlatformLevel.choices)
    name = forms.CharField(label="名称", max_length=160)
    recognised_on = _date("认定日期")
    enterprise = PickedField(label="企业", pick="enterprise", required=False)
    institution = _in_jurisdiction("培训机构/院校", Institution, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("enterprise") is None and data.get("institution") is None:
            self.add_error("enterprise", "必须指定所属企业或培训机构/院校")
        return data
