"""What counts as “done” in each column of 附件1 (新民社发〔2025〕13号, unit: 人次). Pure functions.

A trainee counts once per class (人次: the same person in two classes counts twice) when
  - the class is closed (`ClassStatus.CLOSED`: the unit has confirmed its qualified trainees,
    附件2 3.2 结班仪式 “审核合格学员”), and
  - the trainee's enrolment is `qualified` (培训合格), and
  - the class's closing date `closed_on` falls in the period (a month, or 1 January to the report
    date). A class's trainees therefore all count in the month the class closed.
Withdrawn, unqualified and still-running trainees never count (they are not “培训…人次” of a
subsidised training the document counts, whose subsidy is paid per qualified trainee, 四(一)).

The row is the class's reviewing unit (`TrainingClass.service_unit`): the centre the 附件1 row names.
The columns a counted trainee adds 1 to:

  合计                   always (it is 就业 + 岗位 + 创业)
  就业技能培训            employment classes, and project classes based on employment training
  岗位技能培训            enterprise post training, project classes based on it, and 企业新型学徒制
                         (apprenticeship is enterprise staff training: 附件2 1.2 lists it beside 岗位技能
                         培训, and 附件1 has no column of its own for it)
  创业培训                startup classes (GYB, SYB, IYB, EYB, 网创, 创业培训+实训)
  其中：国家级基地承接     the 就业/岗位 columns, for a class whose institution is a national high-skill
                         training base on its closing date (`extensions.national_base_institution_ids`,
                         empty until the talent app registers)
  高技能人才培训          classes at 高级工, 技师 or 高级技师 level (of any kind), and its “其中：国家级基地承接”
                         the same restricted to national bases
  康养类 / 电商类         classes whose occupation is listed in `data/occupation_categories.yaml`
  劳务品牌               classes with a 劳务品牌 (`TrainingClass.labour_brand` not blank)
  防止返贫监测对象        trainees flagged `Person.is_poverty_monitoring`

Unemployment-insurance skill-upgrade subsidy recipients (附件1 备注: “可将2025年度领取失业保险技能提升
补贴人员纳入培训人员统计范围”) count, when the year's table allows it, in the month they were paid, in
the unit the import assigns, in 合计 and 岗位技能培训 (they are insured employees who upgraded their
skills: the nature of post-skill training), in 高技能人才培训 when their certificate is at 高级工 or above,
and in 康养类/电商类 by their occupation. Never in the national-base, 劳务品牌 or 防止返贫 columns: the
subsidy list carries no institution, brand or poverty flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gongjiang.training.choices import ClassLevel, TrainingType

from .choices import TargetColumn as C
from .reference import Category

HIGH_SKILL_LEVELS = frozenset({ClassLevel.SENIOR, ClassLevel.TECHNICIAN, ClassLevel.SENIOR_TECHNICIAN})
HIGH_SKILL_RANK = 3  # catalog SkillLevel rank of 三级/高级工
KIND_OF_CATEGORY: dict[str, str] = {
    TrainingType.EMPLOYMENT: C.EMPLOYMENT,
    TrainingType.ENTERPRISE_POST: C.POST,
    TrainingType.APPRENTICESHIP: C.POST,
    TrainingType.STARTUP: C.STARTUP,
}
NATIONAL_BASE_OF: dict[str, str] = {
    C.EMPLOYMENT: C.EMPLOYMENT_NATIONAL_BASE,
    C.POST: C.POST_NATIONAL_BASE,
}


@dataclass(frozen=True)
class ClassFacts:
    category: str  # training type; a project class's base type (TrainingClass.category)
    level: str
    occupation_name: str | None
    labour_brand: str
    at_national_base: bool


def kind_column(category: str) -> str:
    return KIND_OF_CATEGORY[category]


def _category_columns(occupation_name: str | None, categories: Mapping[str, Category]) -> set[str]:
    if not occupation_name:
        return set()
    return {column for column, category in categories.items() if occupation_name in category.occupations}


def class_columns(facts: ClassFacts, categories: Mapping[str, Category]) -> frozenset[str]:
    """The columns one qualified trainee of this class adds 1 to (before the per-person 防止返贫)."""
    kind = kind_column(facts.category)
    columns = {C.TOTAL.value, kind}
    if facts.at_national_base and kind in NATIONAL_BASE_OF:
        columns.add(NATIONAL_BASE_OF[kind])
    if facts.level in HIGH_SKILL_LEVELS:
        columns.add(C.HIGH_SKILL)
        if facts.at_national_base:
            columns.add(C.HIGH_SKILL_NATIONAL_BASE)
    columns |= _category_columns(facts.occupation_name, categories)
    if facts.labour_brand.strip():
        columns.add(C.LABOUR_BRAND)
    return frozenset(str(c) for c in columns)


def trainee_columns(class_cols: frozenset[str], *, poverty_monitoring: bool) -> frozenset[str]:
    return class_cols | {C.POVERTY_MONITORING.value} if poverty_monitoring else class_cols


def recipient_columns(
    *, level_rank: int, occupation_name: str, categories: Mapping[str, Category]
) -> frozenset[str]:
    columns = {C.TOTAL.value, C.POST.value}
    if level_rank >= HIGH_SKILL_RANK:
        columns.add(C.HIGH_SKILL)
    columns |= _category_columns(occupation_name, categories)
    return frozenset(str(c) for c in columns)
