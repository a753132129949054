"""Assessment, closing and certificates (新民社发〔2025〕13号 附件2 3.2 结班仪式, 附件4).

    class approved and running
       │  institution: records each trainee's result (合格 / 不合格, score) — `assessment_record`;
       │  a trainee below the class's minimum attended hours cannot be 合格
       │  institution: closing ceremony photo (结班仪式影像), reviewers' ≥ 3 spot checks (3.2)
       ▼  `class_closing_request` (after the last day of the class)          status → CLOSING
    unit's reviewer reviews the qualified list ("各中心或就业科审核合格学员")
       ├─ `class_closing_return` with a reason → APPROVED again, the institution corrects, re-requests
       └─ `class_close` → CLOSED: every qualified trainee gets a 培训合格证 numbered from the unit's
          附件4 range for the class's column and the year of closing, a verification code and the
          issue date — all or nothing: no range, or too few numbers left, refuses the closing and
          nothing is issued (see `numbering`).

The follow-up of 3.3 ("一季度内") starts at closing: `follow_up_due_on` is three months after it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.core.audit import record_create, record_update, snapshot
from gongjiang.core.errors import DomainError
from gongjiang.core.validation import validated

from .. import events
from ..access import require_institution_side, require_reviewer_of
from ..attendance_hours import attended_hours
from ..choices import ClassStatus, EnrolmentStatus
from ..closing_checks import RESULTS, active_enrolments, closing_problems, hours_problem
from ..kpis import follow_up_due_date
from ..models import Enrolment, TrainingCertificate, TrainingClass
from ..numbering import allocate

SCORE_MAX = decimal.Decimal(100)
# Verification codes: 12 characters without look-alikes (0/O, 1/I/L), about 60 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


@dataclass(frozen=True)
class AssessmentResult:
    """One trainee's result: `result` is "qualified" or "unqualified"; `score` optional, 0–100."""

    enrolment_id: int
    result: str
    score: decimal.Decimal | None = None


def _lock(training_class: TrainingClass) -> TrainingClass:
    return TrainingClass.objects.select_for_update().get(pk=training_class.pk)


@transaction.atomic
def assessment_record(
    *, actor: Any, training_class: TrainingClass, results: Sequence[AssessmentResult]
) -> list[Enrolment]:
    """The institution records assessment results while the class runs or after a return. All rows
    are checked first; any bad row → nothing written, every problem listed."""
    locked = _lock(training_class)
    require_institution_side(actor, locked)
    if locked.status != ClassStatus.APPROVED:
        raise DomainError("not_running", f"培训班当前状态为“{locked.get_status_display()}”，不能登记考核结果")
    if not results:
        raise DomainError("no_results", "没有要登记的考核结果")
    by_id = {e.pk: e for e in active_enrolments(locked)}
    hours = attended_hours(locked)
    problems: list[str] = []
    seen: set[int] = set()
    for row in results:
        enrolment = by_id.get(row.enrolment_id)
        if enrolment is None:
            problems.append(f"学员 {row.enrolment_id} 不在本班在训名单中")
            continue
        if row.enrolment_id in seen:
            problems.append(f"{enrolment.person.name} 重复登记")
        seen.add(row.enrolment_id)
        if row.result not in RESULTS:
            problems.append(f"{enrolment.person.name} 的考核结果须为“培训合格”或“不合格”")
        if row.score is not None and not (row.score.is_finite() and 0 <= row.score <= SCORE_MAX):
            problems.append(f"{enrolment.person.name} 的考核成绩须在 0—100 之间")
        if row.result == EnrolmentStatus.QUALIFIED:
            problem = hours_problem(enrolment, hours.get(enrolment.pk, 0), locked.required_hours)
            if problem:
                problems.append(problem)
    if problems:
        raise DomainError("assessment_invalid", "考核结果未登记：" + "；".join(problems), details=problems)
    now = timezone.now()
    changed = []
    for row in results:
        enrolment = by_id[row.enrolment_id]
        before = snapshot(enrolment)
        enrolment.status = row.result
        enrolment.assessment_score = (
            row.score.quantize(decimal.Decimal("0.1")) if row.score is not None else None
        )
        enrolment.attended_hours = hours.get(enrolment.pk, 0)
        enrolment.assessed_at = now
        enrolment.assessed_by = actor
        enrolment.save()
        record_update(enrolment, before, actor=actor, event_type="assessment_recorded")
        changed.append(enrolment)
    everyone = active_enrolments(locked)
    qualified = sum(1 for e in everyone if e.status == EnrolmentStatus.QUALIFIED)
    events.assessment_recorded(locked, actor, qualified, len(everyone))
    return changed


def _transition(
    training_class: TrainingClass,
    *,
    actor: Any,
    to: ClassStatus,
    event_type: str,
    reason: str = "",
    **fields: Any,
) -> None:
    before = snapshot(training_class)
    training_class.status = to
    for name, value in fields.items():
        setattr(training_class, name, value)
    training_class.save()
    record_update(
        training_class, before, actor=actor, event_type=event_type, reason=reason, action="transition"
    )


@transaction.atomic
def class_closing_request(
    *, actor: Any, training_class: TrainingClass, today: dt.date | None = None
) -> TrainingClass:
    """The institution asks its unit to close the class: ceremony evidence, ≥ 3 spot checks, every
    active trainee assessed and every qualified one with enough hours."""
    locked = _lock(training_class)
    require_institution_side(actor, locked)
    if locked.status != ClassStatus.APPROVED:
        raise DomainError("not_running", f"培训班当前状态为“{locked.get_status_display()}”，不能申请结班")
    today = today or timezone.localdate()
    problems = closing_problems(locked, today)
    if problems:
        raise DomainError("closing_incomplete", "不能申请结班：" + "；".join(problems), details=problems)
    _transition(
        locked,
        actor=actor,
        to=ClassStatus.CLOSING,
        event_type="class_closing_requested",
        closing_requested_on=today,
    )
    events.closing_requested(locked, actor)
    return locked


def _reviewable(actor: Any, training_class: TrainingClass) -> TrainingClass:
    locked = _lock(training_class)
    require_reviewer_of(actor, locked)
    if locked.status != ClassStatus.CLOSING:
        raise DomainError("not_closing", f"培训班当前状态为“{locked.get_status_display()}”，不在结班审核中")
    return locked


@transaction.atomic
def class_closing_return(*, actor: Any, training_class: TrainingClass, reason: str) -> TrainingClass:
    """The unit sends the qualified list back for correction; the institution re-requests."""
    if not reason.strip():
        raise DomainError("reason_required", "结班退回必须填写理由")
    locked = _reviewable(actor, training_class)
    _transition(
        locked,
        actor=actor,
        to=ClassStatus.APPROVED,
        event_type="class_closing_returned",
        reason=reason.strip(),
        review_note=reason.strip(),
    )
    events.closing_returned(locked, actor, reason.strip())
    return locked


def _new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def class_close(
    *, actor: Any, training_class: TrainingClass, note: str = "", today: dt.date | None = None
) -> TrainingClass:
    """The unit approves the qualified list: certificates for every qualified trainee, numbered from
    the unit's range for the class's 附件4 column and this year, then the class is closed. All in
    one transaction; a refusal (no range, too few numbers) leaves everything as it was."""
    locked = _reviewable(actor, training_class)
    today = today or timezone.localdate()
    qualified = [e for e in active_enrolments(locked) if e.status == EnrolmentStatus.QUALIFIED]
    hours = attended_hours(locked)
    short = [
        p for e in qualified if (p := hours_problem(e, hours.get(e.pk, 0), locked.required_hours)) is not None
    ]
    if short:
        raise DomainError("hours_short", "不能结班：" + "；".join(short), details=short)
    # Locks the unit's ranges before anything is audited (the audit chain head is locked last).
    numbers = allocate(training_class=locked, year=today.year, count=len(qualified))
    certificates = []
    for enrolment, allocation in zip(qualified, numbers, strict=True):
        certificate = TrainingCertificate(
            jurisdiction_id=locked.jurisdiction_id,
            enrolment=enrolment,
            number_range=allocation.number_range,
            number=allocation.number,
            issued_on=today,
            verification_code=_new_verification_code(),
        )
        validated(certificate)
        certificate.save()
        certificates.append(certificate)
    _transition(
        locked,
        actor=actor,
        to=ClassStatus.CLOSED,
        event_type="class_closed",
        reason=note.strip(),
        closed_on=today,
        closed_by=actor,
        review_note=note.strip(),
        follow_up_due_on=follow_up_due_date(today),
    )
    for certificate in certificates:
        record_create(certificate, actor=actor, event_type="certificate_issued")
    first = certificates[0].number if certificates else ""
    last = certificates[-1].number if certificates else ""
    events.closed(locked, actor, first, last, len(certificates))
    return locked
