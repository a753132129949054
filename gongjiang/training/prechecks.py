"""The pre-check of a roster (3.1, before filing): for each trainee, what this class would pay under
the policy engine given the trainee's history, and whether a cap (备注5: 3 in a lifetime, 1 a year,
never the same occupation and level twice) already blocks it.

History: the trainee's earlier subsidised training on record — qualified trainees of closed classes
of the same jurisdiction, dated by the closing. (When payments exist, the funds app's paid lines are
the history; see `history_for`.)
"""

from __future__ import annotations

from typing import Any

from gongjiang.catalog.selectors import shortage_occupations_on
from gongjiang.core.audit import audit_record
from gongjiang.policy.quote import QuoteInputError, quote_many

from . import policy_link
from .choices import ClassStatus, EnrolmentStatus
from .models import Enrolment, TrainingClass


def history_for(person_id: int, *, exclude_class_id: int | None) -> list[dict[str, Any]]:
    earlier = (
        Enrolment.objects.filter(
            person_id=person_id,
            status=EnrolmentStatus.QUALIFIED,
            training_class__status=ClassStatus.CLOSED,
        )
        .exclude(training_class_id=exclude_class_id)
        .select_related("training_class__occupation")
    )
    items = []
    for enrolment in earlier:
        other = enrolment.training_class
        amount = (enrolment.precheck or {}).get("amount", "0")
        items.append(
            {
                "date": (other.closed_on or other.end_date).isoformat(),
                "benefit": policy_link.benefit_for(other),
                "facts": {
                    "occupation": other.occupation.name if other.occupation else None,
                    "level": other.level,
                },
                "amount": amount,
            }
        )
    return items


def roster_prechecks(training_class: TrainingClass) -> dict[int, dict[str, Any]]:
    """enrolment id → the quote (eligible, amount, reasons, trace, policy_version), or a note why
    the engine could not quote (no pack in force, unknown occupation…)."""
    benefit = policy_link.benefit_for(training_class)
    day = training_class.end_date
    pack = policy_link.pack_for(training_class.jurisdiction.code, benefit, day)
    enrolments = list(
        training_class.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).select_related("person")
    )
    if pack is None:
        note = {"eligible": False, "amount": "0.00", "note": "本辖区在该日期没有适用的政策包", "reasons": []}
        return {e.pk: note for e in enrolments}
    shortage = (
        training_class.occupation is not None
        and training_class.occupation.name
        in shortage_occupations_on(training_class.jurisdiction, training_class.start_date)
    )
    requests = []
    for enrolment in enrolments:
        person = enrolment.person
        facts = policy_link.claim_facts(
            training_class,
            rural_or_lowincome=person.household_type == "rural" or person.is_urban_rural_dibao,
            shortage=shortage,
            pack=pack,
        )
        requests.append(
            {
                "policy": pack.id,
                "date": day.isoformat(),
                "benefit": benefit,
                "facts": facts,
                "history": history_for(person.pk, exclude_class_id=training_class.pk),
            }
        )
    try:
        from gongjiang.policy.selectors import shortage_lookup

        results = quote_many(requests, shortage_lookup=shortage_lookup)
    except QuoteInputError as exc:
        note = {"eligible": False, "amount": "0.00", "note": "；".join(exc.problems), "reasons": []}
        return {e.pk: note for e in enrolments}
    return {e.pk: result for e, result in zip(enrolments, results, strict=True)}


def store_prechecks(training_class: TrainingClass, *, actor: Any) -> dict[int, dict[str, Any]]:
    """Freeze the pre-check on each enrolment at submission (called inside `class_submit`)."""
    results = roster_prechecks(training_class)
    enrolments = list(training_class.enrolments.filter(pk__in=results))
    for enrolment in enrolments:
        enrolment.precheck = results[enrolment.pk]
    Enrolment.objects.bulk_update(enrolments, ["precheck"])
    audit_record(
        actor=actor,
        obj=training_class,
        action="update",
        event_type="roster_prechecked",
        after={
            str(pk): {
                "eligible": r.get("eligible"),
                "amount": r.get("amount"),
                "reasons": [x["code"] for x in r.get("reasons", [])],
            }
            for pk, r in results.items()
        },
    )
    return results
