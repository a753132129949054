"""Reviewing attendance anomalies (附件2 3.2; 四(三) 事中监管). What is flagged, with its thresholds,
and when detection runs: `anomaly_detection.py`.

`anomaly_scan` runs every pattern over one class (the only way `no_evidence_day` is judged);
`anomaly_resolve` closes an open flag as explained or confirmed with the reviewer's note. Both are
for a reviewer of the class's unit (or a bureau admin), audited; a resolution is on the timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.core.audit import audit_record, record_update, snapshot
from gongjiang.core.errors import DomainError

from .. import events
from ..access import require_reviewer_of
from ..anomaly_detection import detect_class
from ..choices import AnomalyStatus
from ..models import AnomalyFlag, TrainingClass

RESOLUTIONS = (AnomalyStatus.EXPLAINED, AnomalyStatus.CONFIRMED)
MIN_NOTE = 4


@transaction.atomic
def anomaly_scan(
    *, actor: Any, training_class: TrainingClass, today: dt.date | None = None
) -> list[AnomalyFlag]:
    """Every pattern over the whole class (the only place `no_evidence_day` is judged, for days
    before `today`). Idempotent; returns the flags it added."""
    require_reviewer_of(actor, training_class)
    today = today or timezone.localdate()
    created = detect_class(training_class, actor, today)
    audit_record(
        actor=actor,
        obj=training_class,
        action="scan",
        event_type="anomaly_scan",
        after={"flags_added": len(created)},
    )
    return created


@transaction.atomic
def anomaly_resolve(*, actor: Any, flag: AnomalyFlag, status: str, note: str) -> AnomalyFlag:
    """Close an open flag as explained (已核实无误) or confirmed (确认违规), with the reviewer's note."""
    locked = AnomalyFlag.objects.select_for_update().select_related("training_class").get(pk=flag.pk)
    require_reviewer_of(actor, locked.training_class)
    if status not in RESOLUTIONS:
        raise DomainError("invalid_resolution", "核查结论须为“已核实无误”或“确认违规”")
    note = (note or "").strip()
    if len(note) < MIN_NOTE:
        raise DomainError("note_required", f"请填写核查说明（至少{MIN_NOTE}个字）")
    if locked.status != AnomalyStatus.OPEN:
        raise DomainError("already_resolved", f"该异常已核查（{locked.get_status_display()}），不能重复处理")
    before = snapshot(locked)
    locked.status = status
    locked.resolution_note = note[:300]
    locked.resolved_by = actor
    locked.resolved_at = timezone.now()
    locked.save()
    record_update(locked, before, actor=actor, event_type="anomaly_resolved", reason=note)
    events.anomaly_resolved(
        locked.training_class, actor, str(locked.get_kind_display()), str(locked.get_status_display())
    )
    return locked
