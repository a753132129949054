"""What one filled-in 《企业技能人才现状及需求情况调查表》 holds (台人社发〔2021〕17号 附件1), and the
checks every answer passes, whether typed online by an enterprise clerk or imported from paper.

Checks (each with the form's own heading, so a row error names the column):
- counts are whole numbers ≥ 0, money in 元 with at most two decimals;
- the three 合计 of the form agree: 初级工+…+高级技师 = 18—30岁+…+51岁以上 = 高中/技校及以下+高职大专+本科及以上;
- skilled staff are part of the staff: level total ≤ 职工总数 (填表说明1: 技能人才 = staff holding a
  certificate);
- a demand line names a catalog occupation, a count > 0, a level, a wage > 0 and one of the two
  ways of meeting it (自主培养 / 联合、委托培养、新型学徒制培养); one occupation and level once.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

from .choices import AGE_FIELDS, EDUCATION_FIELDS, LEVEL_FIELDS

MAX_COUNT = 1_000_000
MAX_MONEY = decimal.Decimal("9999999999.99")


@dataclass
class DemandData:
    occupation: Any  # catalog Occupation
    count: int
    level: Any  # catalog SkillLevel
    monthly_wage: decimal.Decimal
    method: str


@dataclass
class ResponseData:
    principal: str
    principal_phone: str
    ownership: str
    size: str
    business_field: str
    staff_count: int
    average_monthly_wage: decimal.Decimal
    training_funds_drawn: decimal.Decimal
    training_funds_used: decimal.Decimal
    counts: dict[str, int]  # every field of LEVEL_FIELDS, AGE_FIELDS, EDUCATION_FIELDS
    filled_by: str
    filler_phone: str
    filled_on: dt.date
    demand: list[DemandData] = field(default_factory=list)

    @property
    def level_total(self) -> int:
        return sum(self.counts.get(name, 0) for name, _code, _label in LEVEL_FIELDS)

    @property
    def age_total(self) -> int:
        return sum(self.counts.get(name, 0) for name, _label in AGE_FIELDS)

    @property
    def education_total(self) -> int:
        return sum(self.counts.get(name, 0) for name, _label in EDUCATION_FIELDS)


COUNT_LABELS: dict[str, str] = {
    **{name: label for name, _code, label in LEVEL_FIELDS},
    **dict(AGE_FIELDS),
    **dict(EDUCATION_FIELDS),
}


def totals_problems(data: ResponseData) -> list[tuple[str, str]]:
    """(column heading, message) for each rule of the form's totals the answer breaks."""
    problems: list[tuple[str, str]] = []
    levels, ages, education = data.level_total, data.age_total, data.education_total
    if ages != levels:
        problems.append(
            ("51岁以上", f"年龄结构合计 {ages} 与职业技能等级合计 {levels} 不一致（调查表三个合计须相等）")
        )
    if education != levels:
        problems.append(
            (
                "本科及以上",
                f"学历结构合计 {education} 与职业技能等级合计 {levels} 不一致（调查表三个合计须相等）",
            )
        )
    if levels > data.staff_count:
        problems.append(("职工总数", f"技能人才合计 {levels} 人不能多于职工总数 {data.staff_count} 人"))
    seen: set[tuple[int, int]] = set()
    for index, line in enumerate(data.demand, start=1):
        key = (line.occupation.pk, line.level.pk)
        if key in seen:
            problems.append((f"需求工种{index}", f"“{line.occupation.name}”同一等级重复填写"))
        seen.add(key)
    return problems
