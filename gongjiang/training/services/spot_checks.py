"""Spot checks of a running class (附件2 3.2 过程管理: "新区民政司法和社保局各中心或就业科通过线上线下至少
开展3次抽查"; 四(三) "建立定期督查和不定期抽查相结合的督查机制").

A reviewer of the class's unit (or a bureau admin) records each check: online or on site, the day,
how many trainees were present, the findings and the outcome, optionally with a record file (kept
as the class's `spot_check` evidence). The check is on the class's page and timeline. The closing
step reads `selectors.spot_check_count` against `closing_checks.SPOT_CHECKS_MIN` (3).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from gongjiang.core.audit import record_create
from gongjiang.core.errors import DomainError

from .. import events
from ..access import require_reviewer_of
from ..choices import ClassStatus, EnrolmentStatus, EvidenceKind, SpotCheckMode, SpotCheckOutcome
from ..models import SpotCheck, TrainingClass
from .evidence import evidence_add

# While the class runs, and while its closing is under review (a last check before closing).
CHECKABLE = (ClassStatus.APPROVED, ClassStatus.CLOSING)


@transaction.atomic
def spot_check_record(
    *,
    actor: Any,
    training_class: TrainingClass,
    checked_on: dt.date,
    mode: str,
    present_count: int,
    findings: str,
    outcome: str,
    evidence_name: str = "",
    evidence_stream: IO[bytes] | None = None,
    today: dt.date | None = None,
) -> SpotCheck:
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    require_reviewer_of(actor, locked)
    today = today or timezone.localdate()
    if locked.status not in CHECKABLE:
        raise DomainError("wrong_status", f"培训班“{locked.get_status_display()}”时不能登记抽查")
    if mode not in SpotCheckMode.values:
        raise DomainError("invalid_mode", "抽查方式须为线上抽查或现场抽查")
    if outcome not in SpotCheckOutcome.values:
        raise DomainError("invalid_outcome", "请选择抽查结论")
    if checked_on > today:
        raise DomainError("date_in_future", "抽查日期不能晚于今天")
    if not locked.start_date <= checked_on <= locked.end_date:
        raise DomainError(
            "date_outside_class",
            f"抽查日期 {checked_on} 不在培训期间（{locked.start_date} 至 {locked.end_date}）内",
        )
    enrolled = locked.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if present_count < 0 or present_count > enrolled:
        raise DomainError("invalid_present_count", f"在场人数须在 0 至在训人数 {enrolled} 之间")
    findings = (findings or "").strip()
    if not findings:
        raise DomainError("findings_required", "请填写检查情况")
    check = SpotCheck(
        training_class=locked,
        checked_on=checked_on,
        mode=mode,
        present_count=present_count,
        findings=findings,
        outcome=outcome,
        reviewer=actor,
    )
    check.full_clean()
    check.save()
    record_create(check, actor=actor, event_type="spot_check_recorded")
    if evidence_stream is not None:
        evidence_add(
            actor=actor,
            training_class=locked,
            kind=EvidenceKind.SPOT_CHECK,
            name=evidence_name,
            stream=evidence_stream,
            spot_check=check,
            note=f"{checked_on} {check.get_mode_display()}",
        )
    events.spot_check(
        locked,
        actor,
        f"{checked_on} {check.get_mode_display()}（在场 {present_count} 人）",
        str(check.get_outcome_display()),
    )
    return check
