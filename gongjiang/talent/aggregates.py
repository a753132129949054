"""Aggregates of a survey round for the bureau and the public 供求信息 page (台人社发〔2021〕17号
措施7 “定期发布供求信息”; 虞人社〔2023〕19号 三(四)20 “适时发布分职业（工种、岗位）、分技能等级的工资
价位信息”). Only sums, counts and averages leave this module: no enterprise, person or phone.

- structure: skilled staff by level, age band and education (sums over the round's answers), and by
  industry (经营领域 as filled in): enterprises, staff, skilled, high-skilled (高级工 and above,
  填表说明1), and the staff-weighted average monthly wage Σ(人均月工资 × 职工总数) / Σ职工总数.
- demand against supply by occupation: demand = Σ 需求人数 of the demand lines; supply = skill-level
  certificates (registry `PersonCertificate` with a level) in that occupation issued in the round's
  year to people of the jurisdiction — the newly certified the year produced; gap = demand − supply.
- wage levels by occupation and level: from the demand lines, the wage offered (月工资待遇) as
  lowest, highest and the count-weighted average Σ(工资 × 人数) / Σ人数, rounded half up to 元.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from gongjiang.catalog.models import SkillLevel
from gongjiang.registry.models import PersonCertificate

from .choices import AGE_FIELDS, EDUCATION_FIELDS, HIGH_SKILL_LEVEL_FIELDS, LEVEL_FIELDS, DemandMethod
from .models import DemandLine, SurveyResponse, SurveyRound

YUAN = decimal.Decimal("1")


def _round_yuan(value: decimal.Decimal) -> decimal.Decimal:
    return value.quantize(YUAN, rounding=decimal.ROUND_HALF_UP)


@dataclass
class IndustryRow:
    industry: str
    enterprises: int = 0
    staff: int = 0
    skilled: int = 0
    high_skilled: int = 0
    wage_weighted: decimal.Decimal = decimal.Decimal(0)

    @property
    def average_wage(self) -> decimal.Decimal | None:
        return _round_yuan(self.wage_weighted / self.staff) if self.staff else None


@dataclass
class Structure:
    enterprises: int
    staff: int
    by_level: list[tuple[str, int]]
    by_age: list[tuple[str, int]]
    by_education: list[tuple[str, int]]
    skilled: int
    high_skilled: int
    industries: list[IndustryRow]
    training_funds_drawn: decimal.Decimal
    training_funds_used: decimal.Decimal

    @property
    def high_skill_share(self) -> decimal.Decimal | None:
        """高技能人才占技能人才比例, percent to one decimal (上虞 二: 38% by 2025)."""
        if not self.skilled:
            return None
        return (decimal.Decimal(self.high_skilled * 100) / self.skilled).quantize(
            decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP
        )


def structure(survey_round: SurveyRound) -> Structure:
    responses = list(SurveyResponse.objects.filter(survey_round=survey_round))
    industries: dict[str, IndustryRow] = {}
    for r in responses:
        row = industries.setdefault(r.business_field, IndustryRow(r.business_field))
        row.enterprises += 1
        row.staff += r.staff_count
        row.skilled += r.level_total
        row.high_skilled += r.high_skill_total
        row.wage_weighted += r.average_monthly_wage * r.staff_count
    return Structure(
        enterprises=len(responses),
        staff=sum(r.staff_count for r in responses),
        by_level=[(label, sum(getattr(r, name) for r in responses)) for name, _code, label in LEVEL_FIELDS],
        by_age=[(label, sum(getattr(r, name) for r in responses)) for name, label in AGE_FIELDS],
        by_education=[(label, sum(getattr(r, name) for r in responses)) for name, label in EDUCATION_FIELDS],
        skilled=sum(r.level_total for r in responses),
        high_skilled=sum(getattr(r, name) for r in responses for name in HIGH_SKILL_LEVEL_FIELDS),
        industries=sorted(industries.values(), key=lambda i: (-i.skilled, i.industry)),
        training_funds_drawn=sum((r.training_funds_drawn for r in responses), decimal.Decimal(0)),
        training_funds_used=sum((r.training_funds_used for r in responses), decimal.Decimal(0)),
    )


@dataclass
class DemandSupplyRow:
    occupation_id: int
    occupation: str
    demand: int = 0
    demand_self: int = 0
    demand_joint: int = 0
    demand_by_level: dict[str, int] = field(default_factory=dict)
    supply: int = 0
    enterprises: int = 0
    in_directory: bool = False

    @property
    def gap(self) -> int:
        return self.demand - self.supply


def demand_supply(survey_round: SurveyRound) -> list[DemandSupplyRow]:
    """One row per demanded occupation, largest gap first."""
    from gongjiang.catalog.selectors import shortage_occupations_on

    rows: dict[int, DemandSupplyRow] = {}
    enterprises: dict[int, set[int]] = defaultdict(set)
    lines = DemandLine.objects.filter(response__survey_round=survey_round).select_related(
        "occupation", "level"
    )
    for line in lines:
        row = rows.setdefault(line.occupation_id, DemandSupplyRow(line.occupation_id, line.occupation.name))
        row.demand += line.count
        if line.method == DemandMethod.SELF:
            row.demand_self += line.count
        else:
            row.demand_joint += line.count
        label = line.level.alias or line.level.name
        row.demand_by_level[label] = row.demand_by_level.get(label, 0) + line.count
        enterprises[line.occupation_id].add(line.response_id)
    supply = dict(
        PersonCertificate.objects.filter(
            person__jurisdiction_id=survey_round.jurisdiction_id,
            occupation_id__in=list(rows),
            level__isnull=False,
            issued_on__year=survey_round.year,
        )
        .values_list("occupation_id")
        .annotate(n=Count("id"))
        .values_list("occupation_id", "n")
    )
    reference_day = survey_round.closed_on or timezone.localdate()
    directory = shortage_occupations_on(survey_round.jurisdiction, reference_day)
    for occupation_id, row in rows.items():
        row.supply = supply.get(occupation_id, 0)
        row.enterprises = len(enterprises[occupation_id])
        row.in_directory = row.occupation in directory
    return sorted(rows.values(), key=lambda r: (-r.gap, r.occupation))


@dataclass
class WageRow:
    occupation: str
    level: str
    level_rank: int
    lines: int
    people: int
    lowest: decimal.Decimal
    highest: decimal.Decimal
    weighted: decimal.Decimal

    @property
    def average(self) -> decimal.Decimal:
        return _round_yuan(self.weighted / self.people)


def wage_levels(survey_round: SurveyRound) -> list[WageRow]:
    """工资价位 by occupation and level (虞人社〔2023〕19号 三(四)20), from the wages offered."""
    rows: dict[tuple[int, int], WageRow] = {}
    lines = DemandLine.objects.filter(response__survey_round=survey_round).select_related(
        "occupation", "level"
    )
    for line in lines:
        key = (line.occupation_id, line.level_id)
        row = rows.get(key)
        if row is None:
            rows[key] = WageRow(
                occupation=line.occupation.name,
                level=line.level.alias or line.level.name,
                level_rank=line.level.rank,
                lines=1,
                people=line.count,
                lowest=line.monthly_wage,
                highest=line.monthly_wage,
                weighted=line.monthly_wage * line.count,
            )
            continue
        row.lines += 1
        row.people += line.count
        row.lowest = min(row.lowest, line.monthly_wage)
        row.highest = max(row.highest, line.monthly_wage)
        row.weighted += line.monthly_wage * line.count
    return sorted(rows.values(), key=lambda r: (r.occupation, r.level_rank))


def shortage_candidates(survey_round: SurveyRound) -> list[DemandSupplyRow]:
    """Occupations whose demand exceeds supply and that are not in the directory yet, nor proposed."""
    proposed = set(survey_round.proposals.values_list("occupation_id", flat=True))
    return [
        r
        for r in demand_supply(survey_round)
        if r.gap > 0 and not r.in_directory and r.occupation_id not in proposed
    ]


def levels_in_order() -> list[SkillLevel]:
    return list(SkillLevel.objects.order_by("rank"))
