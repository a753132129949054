"""Uploading a class's materials and images (附件2 3.1 材料, 3.2 影像资料, 3.3 凭证).

Each kind has a file type (photo, document, video: `core.uploads`), the class states in which it
may be added, and who adds it (the institution; spot-check records by the reviewers). Photos and
videos of teaching carry the day they were taken, which must be a day of the class: the anomaly
"attendance on a day with no evidence" reads it. The same file (same SHA-256) is never accepted
twice for one class — a photo reused for another day is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction

from gongjiang.core.audit import record_create
from gongjiang.core.errors import DomainError
from gongjiang.core.uploads import DOCUMENT, PHOTO, VIDEO, FileKind, check_upload

from .. import events
from ..access import EDITABLE, require_institution_side, require_reviewer_of
from ..choices import ClassStatus, EvidenceKind
from ..models import ClassEvidence, Enrolment, SpotCheck, TrainingClass

FILE_KIND: dict[str, FileKind] = {
    EvidenceKind.VENUE_PHOTO: PHOTO,
    EvidenceKind.VENUE_LEASE: DOCUMENT,
    EvidenceKind.TRAINING_PLAN: DOCUMENT,
    EvidenceKind.EMERGENCY_PLAN: DOCUMENT,
    EvidenceKind.COOPERATION_AGREEMENT: DOCUMENT,
    EvidenceKind.OPENING_CEREMONY: PHOTO,
    EvidenceKind.THEORY_PHOTO: PHOTO,
    EvidenceKind.PRACTICE_PHOTO: PHOTO,
    EvidenceKind.VIDEO: VIDEO,
    EvidenceKind.CLOSING_CEREMONY: PHOTO,
    EvidenceKind.SPOT_CHECK: DOCUMENT,
    EvidenceKind.PROMOTION: DOCUMENT,
    EvidenceKind.EMPLOYMENT: DOCUMENT,
}
RUNNING = frozenset({ClassStatus.APPROVED})
ALLOWED_STATUSES: dict[str, frozenset[str]] = {
    EvidenceKind.VENUE_PHOTO: EDITABLE,
    EvidenceKind.VENUE_LEASE: EDITABLE,
    EvidenceKind.TRAINING_PLAN: EDITABLE,
    EvidenceKind.EMERGENCY_PLAN: EDITABLE,
    EvidenceKind.COOPERATION_AGREEMENT: EDITABLE,
    EvidenceKind.OPENING_CEREMONY: RUNNING,
    EvidenceKind.THEORY_PHOTO: RUNNING,
    EvidenceKind.PRACTICE_PHOTO: RUNNING,
    EvidenceKind.VIDEO: RUNNING,
    EvidenceKind.CLOSING_CEREMONY: frozenset({ClassStatus.APPROVED, ClassStatus.CLOSING}),
    EvidenceKind.SPOT_CHECK: frozenset({ClassStatus.APPROVED, ClassStatus.CLOSING}),
    EvidenceKind.PROMOTION: frozenset({ClassStatus.APPROVED, ClassStatus.CLOSING, ClassStatus.CLOSED}),
    EvidenceKind.EMPLOYMENT: frozenset({ClassStatus.CLOSING, ClassStatus.CLOSED}),
}
DATED = frozenset({EvidenceKind.THEORY_PHOTO, EvidenceKind.PRACTICE_PHOTO, EvidenceKind.VIDEO})
BY_REVIEWER = frozenset({EvidenceKind.SPOT_CHECK})


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    training_class: TrainingClass,
    kind: str,
    name: str,
    stream: IO[bytes],
    taken_on: dt.date | None = None,
    note: str = "",
    enrolment: Enrolment | None = None,
    spot_check: SpotCheck | None = None,
) -> ClassEvidence:
    if kind not in FILE_KIND:
        raise DomainError("invalid_kind", "未知的材料类别")
    label = str(EvidenceKind(kind).label)
    if kind in BY_REVIEWER:
        require_reviewer_of(actor, training_class)
    else:
        require_institution_side(actor, training_class)
    if training_class.status not in ALLOWED_STATUSES[kind]:
        raise DomainError("wrong_status", f"培训班“{training_class.get_status_display()}”时不能上传{label}")
    if kind in DATED:
        if taken_on is None:
            raise DomainError("date_required", f"{label}须填写拍摄日期")
        if not training_class.start_date <= taken_on <= training_class.end_date:
            raise DomainError("date_outside_class", f"拍摄日期 {taken_on} 不在培训期间内")
    if enrolment is not None and enrolment.training_class_id != training_class.pk:
        raise DomainError("wrong_class", "学员不属于该培训班")
    if spot_check is not None and spot_check.training_class_id != training_class.pk:
        raise DomainError("wrong_class", "抽查记录不属于该培训班")
    upload = check_upload(name, stream, FILE_KIND[kind])
    duplicate = training_class.evidence.filter(sha256=upload.sha256).first()
    if duplicate is not None:
        raise DomainError(
            "duplicate_file",
            f"该文件已于 {duplicate.uploaded_at:%Y-%m-%d} 作为“{duplicate.get_kind_display()}”上传过，不能重复使用",
        )
    evidence = ClassEvidence(
        training_class=training_class,
        kind=kind,
        taken_on=taken_on,
        note=note.strip()[:200],
        enrolment=enrolment,
        spot_check=spot_check,
        uploaded_by=actor,
        **upload.fields(),
    )
    evidence.file.save(upload.sha256, upload.content, save=False)
    evidence.save()
    record_create(evidence, actor=actor, event_type="evidence_added")
    events.evidence_added(training_class, actor, label, upload.original_name)
    return evidence
