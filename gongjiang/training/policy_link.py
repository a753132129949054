"""What the training lifecycle asks of the policy engine: the pack in force for a class, the
minimum class hours it requires, and the claim a trainee of the class would make.

Figures are never written here: they come from the pack's parameters (新民社发〔2025〕13号 四(一)
and 附件3), so an amended pack changes the lifecycle's checks with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongjiang.policy.loader import installed_packs
from gongjiang.policy.model import Pack

from .choices import TrainingType
from .models import TrainingClass

LIST_STATE_FACT = "institution_list_state"  # the fact of the lanzhou-xinqu-2025 benefits (四(三))

# The engine's benefit for each training category (a project class is quoted as project training).
BENEFIT_OF = {
    TrainingType.EMPLOYMENT: "training_subsidy",
    TrainingType.ENTERPRISE_POST: "training_subsidy",
    TrainingType.STARTUP: "startup_training",
    TrainingType.APPRENTICESHIP: "apprentice_subsidy",
}


def benefit_for(training_class: TrainingClass) -> str:
    if training_class.training_type == TrainingType.PROJECT:
        return "project_training"
    return BENEFIT_OF[TrainingType(training_class.training_type)]


def pack_for(jurisdiction_code: str, benefit: str, day: dt.date) -> Pack | None:
    """The installed pack of the jurisdiction that defines the benefit and is in force on the day."""
    candidates = [
        pack
        for pack in installed_packs().values()
        if pack.jurisdiction == jurisdiction_code and benefit in pack.benefits and pack.version_on(day)
    ]
    return max(candidates, key=lambda p: p.first_effective, default=None)


def _param_amount(pack: Pack, path: str, day: dt.date) -> tuple[int, str] | None:
    parameter = pack.parameters.get(path)
    value = parameter.at(day) if parameter else None
    if value is None or value.amount is None:
        return None
    return int(value.amount), value.reference


def required_hours(training_class: TrainingClass) -> tuple[int, str]:
    """The minimum class hours (and its citation) for the class, 0 where the documents set none."""
    benefit = benefit_for(training_class)
    pack = pack_for(training_class.jurisdiction.code, benefit, training_class.start_date)
    if pack is None:
        return 0, ""
    day = training_class.start_date
    if training_class.training_type == TrainingType.PROJECT:
        found = _param_amount(pack, "project.min_hours", day)
    elif training_class.training_type == TrainingType.STARTUP and training_class.startup_course:
        found = _param_amount(pack, f"startup.min_hours.{training_class.startup_course.code}", day)
    elif training_class.subsidy_class:
        found = _param_amount(pack, f"min_hours.{training_class.subsidy_class}", day)
    else:
        found = None
    return found if found is not None else (0, "")


def claim_facts(
    training_class: TrainingClass,
    *,
    rural_or_lowincome: bool,
    shortage: bool,
    certificate_obtained: bool = True,
    employed: bool = True,
    pack: Pack | None = None,
) -> dict[str, Any]:
    """The engine facts of a trainee's claim for this class (as in the quote contract), with the
    institution's current black/white list state where the pack knows that fact (四(三))."""
    facts = _claim_facts(
        training_class,
        rural_or_lowincome=rural_or_lowincome,
        shortage=shortage,
        certificate_obtained=certificate_obtained,
        employed=employed,
    )
    facts.update(list_state_facts(training_class, pack))
    return facts


def list_state_facts(training_class: TrainingClass, pack: Pack | None) -> dict[str, str]:
    """`institution_list_state` — the 黑白名单 state the differentiated-subsidy factor reads (四(三)
    按照取证率和就业率给予培训机构差异化补贴) — when the pack's benefit declares it; older packs
    (lanzhou-xinqu-2024) do not, and an undeclared fact would be refused."""
    if pack is None:
        return {}
    benefit = pack.benefits.get(benefit_for(training_class))
    if benefit is None or LIST_STATE_FACT not in benefit.facts:
        return {}
    return {LIST_STATE_FACT: training_class.institution.list_state}


def _claim_facts(
    training_class: TrainingClass,
    *,
    rural_or_lowincome: bool,
    shortage: bool,
    certificate_obtained: bool,
    employed: bool,
) -> dict[str, Any]:
    benefit = benefit_for(training_class)
    occupation = training_class.occupation.name if training_class.occupation else None
    days = len({s.date for s in training_class.sessions.all()})
    if benefit == "startup_training":
        course = training_class.startup_course.code if training_class.startup_course else ""
        return {"course": course, "class_hours": training_class.class_hours}
    if benefit == "apprentice_subsidy":
        return {"level": training_class.level, "occupation": occupation, "shortage": shortage}
    facts: dict[str, Any] = {
        "training_type": training_class.category,
        "occupation": occupation,
        "level": training_class.level,
        "class_hours": training_class.class_hours,
        "rural_or_lowincome": rural_or_lowincome,
        "training_days": days,
    }
    if benefit == "project_training":
        facts["certificate_obtained"] = certificate_obtained
        facts["employed"] = employed
    return facts
