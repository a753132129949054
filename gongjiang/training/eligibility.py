"""Who may be trained in which class (新民社发〔2025〕13号 二 and 附件2 1.2).

- 就业技能培训 (二(一)): one of the six priority groups (六类人员): 毕业年度高校毕业生, 防止返贫监测对象,
  城乡未继续升学的应届初高中毕业生, 农村转移就业劳动者, 城镇登记失业人员, 就业困难人员.
- 岗位技能培训 (二(二)): an enterprise's newly hired people of the six groups, or its employees with
  a labour contract of one year or more who start training within one year of signing. The
  bureau's interpretation: "newly hired" means the contract began within the 12 months before the
  class starts, and the employer must be the class's enterprise.
- 企业新型学徒制: an employee, under a labour contract, of the class's enterprise.
- 创业培训 (二(三)): 大学生创业者、返乡创业人员、小微企业家 — the register holds no such status, so
  nobody is refused on identity.
- 项目化培训: the rules of its base type.
Everyone must be of working age (16 or over) on the first day of the class (劳动法 第十五条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongjiang.registry.choices import PRIORITY_GROUP_FIELDS

from .choices import TrainingType
from .models import TrainingClass

MIN_AGE = 16
GROUP_LABELS = {
    "is_graduate_of_year": "毕业年度高校毕业生",
    "is_poverty_monitoring": "防止返贫监测对象",
    "is_unenrolled_graduate": "城乡未继续升学的应届初高中毕业生",
    "is_rural_migrant_worker": "农村转移就业劳动者",
    "is_registered_unemployed": "城镇登记失业人员",
    "is_employment_difficulty": "就业困难人员",
}
assert set(GROUP_LABELS) == set(PRIORITY_GROUP_FIELDS)  # noqa: S101 - the two lists must not drift


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Candidate:
    birth_date: dt.date
    groups: frozenset[str]  # PRIORITY_GROUP_FIELDS that hold
    employer_id: int | None
    contract_start: dt.date | None
    contract_term_months: int | None


def _groups_text(candidate: Candidate) -> str:
    return "、".join(GROUP_LABELS[g] for g in PRIORITY_GROUP_FIELDS if g in candidate.groups)


def _employee_problem(training_class: TrainingClass, candidate: Candidate) -> str | None:
    if candidate.employer_id is None or candidate.contract_start is None:
        return "无劳动合同登记（工作单位、劳动合同签订日期）"
    if training_class.enterprise_id and candidate.employer_id != training_class.enterprise_id:
        return "工作单位不是本班合作企业"
    return None


def _post_training(training_class: TrainingClass, candidate: Candidate) -> tuple[str | None, str | None]:
    problem = _employee_problem(training_class, candidate)
    if problem:
        return None, f"岗位技能培训对象须为企业职工：{problem}"
    assert candidate.contract_start is not None  # noqa: S101 - checked by _employee_problem
    start = training_class.start_date
    within_year = candidate.contract_start <= start <= add_years(candidate.contract_start, 1)
    if within_year and (candidate.contract_term_months or 0) >= 12:
        return f"签订{candidate.contract_term_months}个月劳动合同，一年内参训", None
    if within_year and candidate.groups:
        return f"企业新录用的六类人员（{_groups_text(candidate)}）", None
    if not within_year:
        return None, (
            f"劳动合同签订于 {candidate.contract_start}，开班日 {start} 不在签订之日起1年内"
            "（新民社发〔2025〕13号 二(二)）"
        )
    return None, "劳动合同期限不足1年，且不属于六类人员（新民社发〔2025〕13号 二(二)）"


def eligibility(training_class: TrainingClass, candidate: Candidate) -> tuple[str | None, str | None]:
    """(basis, None) when the candidate may join the class, else (None, the reason in Chinese)."""
    start = training_class.start_date
    if add_years(candidate.birth_date, MIN_AGE) > start:
        return None, f"开班时未满 {MIN_AGE} 周岁"
    kind = training_class.category
    if kind == TrainingType.EMPLOYMENT:
        if not candidate.groups:
            return None, "就业技能培训对象须为六类人员之一（新民社发〔2025〕13号 二(一)）"
        return f"六类人员：{_groups_text(candidate)}", None
    if kind == TrainingType.ENTERPRISE_POST:
        return _post_training(training_class, candidate)
    if kind == TrainingType.APPRENTICESHIP:
        problem = _employee_problem(training_class, candidate)
        if problem:
            return None, f"企业新型学徒制学员须为企业在职职工：{problem}"
        return "企业在职职工（新型学徒）", None
    return "创业培训（不设身份限制）", None
