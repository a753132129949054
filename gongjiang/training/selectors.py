"""Reads of the training lifecycle, scoped to the user.

Who sees which classes: an institution clerk, their institution's; a centre reviewer with a service
unit, that unit's; bureau admins, finance officers and auditors, every class of their jurisdictions.
"Not found" and "not yours" give the same 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongjiang.core.calendar import working_days_between
from gongjiang.core.choices import Role
from gongjiang.core.permissions import jurisdiction_ids, require, role_of

from .attendance_hours import attendance_window, attended_hours
from .choices import AnomalyStatus, ClassStatus, EnrolmentStatus, EvidenceKind, SessionKind
from .closing_checks import SPOT_CHECKS_MIN
from .models import (
    AnomalyFlag,
    AttendanceDevice,
    AttendanceRecord,
    CertificateNumberRange,
    ClassEvent,
    ClassSession,
    Enrolment,
    SpotCheck,
    TrainingCertificate,
    TrainingClass,
)

# Practice should be at least 70% of the hours: 三(二) "按照理论培训和实操培训课程内容“3:7”比例".
PRACTICE_SHARE_MIN = 0.7


def class_list(user: Any) -> QuerySet[TrainingClass]:
    require(user, "training.read")
    qs = TrainingClass.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).select_related(
        "institution", "service_unit", "occupation", "startup_course", "enterprise"
    )
    role = role_of(user)
    if role == Role.INSTITUTION_CLERK:
        return qs.filter(institution_id=user.institution_id)
    if role == Role.CENTRE_REVIEWER and user.service_unit_id:
        return qs.filter(service_unit_id=user.service_unit_id)
    return qs


def class_get(user: Any, pk: Any) -> TrainingClass:
    found = class_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404("培训班不存在或无权查看")
    return found


def enrolment_list(training_class: TrainingClass) -> QuerySet[Enrolment]:
    return training_class.enrolments.select_related("person").order_by("id")


def active_enrolments(training_class: TrainingClass) -> QuerySet[Enrolment]:
    return enrolment_list(training_class).exclude(status=EnrolmentStatus.WITHDRAWN)


def class_timeline(training_class: TrainingClass) -> QuerySet[ClassEvent]:
    return training_class.events.select_related("actor").order_by("occurred_at", "id")


def practice_share(training_class: TrainingClass) -> float | None:
    total = training_class.class_hours
    return training_class.practice_hours / total if total else None


def practice_share_low(training_class: TrainingClass) -> bool:
    share = practice_share(training_class)
    return share is not None and share < PRACTICE_SHARE_MIN


def session_hours(training_class: TrainingClass) -> dict[str, int]:
    hours = {SessionKind.THEORY.value: 0, SessionKind.PRACTICE.value: 0}
    for session in training_class.sessions.all():
        hours[session.kind] += session.class_hours
    return hours


def evidence_counts(training_class: TrainingClass) -> dict[str, int]:
    counts = dict(
        training_class.evidence.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return {kind.value: counts.get(kind.value, 0) for kind in EvidenceKind}


@dataclass(frozen=True)
class QueueItem:
    training_class: TrainingClass
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)


def review_queue(user: Any, *, today: dt.date | None = None) -> list[QueueItem]:
    """Filings waiting for the user's review, soonest deadline first, with working days left
    (negative when overdue; the submission day itself never counts, 附件2 3.1)."""
    require(user, "training.review")
    today = today or timezone.localdate()
    waiting = class_list(user).filter(status=ClassStatus.SUBMITTED).order_by("review_due_on", "id")
    items = []
    for training_class in waiting:
        due = training_class.review_due_on or today
        left = working_days_between(today, due)
        items.append(QueueItem(training_class, due, left))
    return items


def classes_with_roster_counts(qs: QuerySet[TrainingClass]) -> QuerySet[TrainingClass]:
    return qs.annotate(
        trainee_count=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN))
    )


# --- Running the class (附件2 3.2) -------------------------------------------------------------


def spot_check_list(training_class: TrainingClass) -> QuerySet[SpotCheck]:
    return training_class.spot_checks.select_related("reviewer").order_by("checked_on", "id")


def spot_check_count(training_class: TrainingClass) -> int:
    return training_class.spot_checks.count()


def spot_checks_enough(training_class: TrainingClass) -> bool:
    """At least SPOT_CHECKS_MIN (3) spot checks, online or on site, are recorded (附件2 3.2)."""
    return spot_check_count(training_class) >= SPOT_CHECKS_MIN


def device_key_hash(key: str) -> str:
    """Device keys are 256-bit random strings: a plain SHA-256 is enough (nothing to brute-force)."""
    return hashlib.sha256(key.encode()).hexdigest()


def device_for_key(key: str) -> AttendanceDevice | None:
    """The device a key belongs to (active or not: the service refuses an inactive one by name)."""
    if not key:
        return None
    return (
        AttendanceDevice.objects.select_related("institution").filter(key_hash=device_key_hash(key)).first()
    )


def device_list(user: Any) -> QuerySet[AttendanceDevice]:
    """Devices the user manages: a clerk, their institution's; a bureau admin, their jurisdictions'."""
    require(user, "training.devices")
    qs = AttendanceDevice.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).select_related(
        "institution"
    )
    if role_of(user) == Role.INSTITUTION_CLERK:
        return qs.filter(institution_id=user.institution_id)
    return qs


def device_get(user: Any, pk: Any) -> AttendanceDevice:
    found = device_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404("设备不存在或无权查看")
    return found


def anomaly_queue(user: Any, *, status: str = AnomalyStatus.OPEN) -> QuerySet[AnomalyFlag]:
    """Flags of the classes the user reviews (the reviewer's unit's; every class for a bureau admin)."""
    require(user, "training.review")
    qs = AnomalyFlag.objects.filter(training_class__in=class_list(user)).select_related(
        "training_class", "person", "device", "resolved_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("day", "id")


def anomaly_get(user: Any, pk: Any) -> AnomalyFlag:
    found = anomaly_queue(user, status="").filter(pk=pk).first()
    if found is None:
        raise Http404("异常记录不存在或无权查看")
    return found


def class_anomalies(training_class: TrainingClass) -> QuerySet[AnomalyFlag]:
    return training_class.anomalies.select_related("person", "device", "resolved_by").order_by("day", "id")


def attendance_days(training_class: TrainingClass) -> list[dt.date]:
    """The class's days: its timetable days, or its date range when it has no timetable."""
    days = sorted(set(training_class.sessions.values_list("date", flat=True)))
    if days:
        return days
    span = (training_class.end_date - training_class.start_date).days
    return [training_class.start_date + dt.timedelta(days=i) for i in range(span + 1)]


@dataclass(frozen=True)
class SheetCell:
    session: ClassSession
    record: AttendanceRecord | None


@dataclass(frozen=True)
class SheetRow:
    enrolment: Enrolment
    cells: list[SheetCell]


def daily_sheet(training_class: TrainingClass, day: dt.date) -> tuple[list[ClassSession], list[SheetRow]]:
    """The day's attendance sheet (考勤表): trainees × the day's sessions, each cell the first check-in
    inside the session's window (30 minutes early to its end; `attendance_hours`), or None."""
    sessions = list(training_class.sessions.filter(date=day).select_related("teacher"))
    windows = [(s, *attendance_window(s)) for s in sessions]
    records: dict[int, list[AttendanceRecord]] = {}
    for record in (
        AttendanceRecord.objects.filter(training_class=training_class, occurred_at__date=day)
        .select_related("device")
        .order_by("occurred_at", "id")
    ):
        records.setdefault(record.enrolment_id, []).append(record)
    rows = []
    for enrolment in enrolment_list(training_class):
        mine = records.get(enrolment.pk, [])
        cells = [
            SheetCell(session, next((r for r in mine if start <= r.occurred_at <= end), None))
            for session, start, end in windows
        ]
        rows.append(SheetRow(enrolment, cells))
    return sessions, rows


@dataclass(frozen=True)
class HoursRow:
    enrolment: Enrolment
    attended_hours: int
    required_hours: int

    @property
    def meets_minimum(self) -> bool:
        return self.attended_hours >= self.required_hours


def hours_table(training_class: TrainingClass) -> list[HoursRow]:
    """Each trainee's attended hours against the class minimum (`attendance_hours.attended_hours`)."""
    hours = attended_hours(training_class)
    return [
        HoursRow(e, hours.get(e.pk, 0), training_class.required_hours) for e in enrolment_list(training_class)
    ]


# Closing and certificates (附件2 3.2 结班, 附件4) ---------------------------------------------------


def certificate_list(training_class: TrainingClass) -> QuerySet[TrainingCertificate]:
    return TrainingCertificate.objects.filter(enrolment__training_class=training_class).select_related(
        "enrolment__person"
    )


def certificate_get(user: Any, pk: Any) -> TrainingCertificate:
    """A certificate of a class the user may read (404 otherwise)."""
    found = (
        TrainingCertificate.objects.filter(pk=pk, enrolment__training_class__in=class_list(user))
        .select_related(
            "enrolment__person",
            "enrolment__training_class__institution",
            "enrolment__training_class__service_unit",
            "enrolment__training_class__occupation",
            "enrolment__training_class__startup_course",
        )
        .first()
    )
    if found is None:
        raise Http404("证书不存在或无权查看")
    return found


def number_range_list(user: Any) -> QuerySet[CertificateNumberRange]:
    """The jurisdiction's certificate number ranges (every unit's: a reviewer sees what is taken)."""
    require(user, "training.number_ranges")
    return CertificateNumberRange.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).select_related(
        "service_unit", "requested_by", "decided_by"
    )


def normalise_verification_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())[:16]


@dataclass(frozen=True)
class PublicCertificate:
    """What the public verification page may show: nothing beyond these."""

    holder: str
    id_number: str
    occupation: str
    level: str
    institution: str
    issued_on: dt.date


def certificate_verify(code: str) -> PublicCertificate | None:
    """The public view of the certificate with this verification code (no log-in)."""
    from gongjiang.core.pii import mask_name

    code = normalise_verification_code(code)
    if not code:
        return None
    certificate = (
        TrainingCertificate.objects.filter(verification_code=code)
        .select_related(
            "enrolment__person",
            "enrolment__training_class__institution",
            "enrolment__training_class__occupation",
            "enrolment__training_class__startup_course",
        )
        .first()
    )
    if certificate is None:
        return None
    training_class = certificate.enrolment.training_class
    person = certificate.enrolment.person
    if training_class.occupation is not None:
        occupation = training_class.occupation.name
    else:
        occupation = training_class.startup_course.name if training_class.startup_course else ""
    return PublicCertificate(
        holder=mask_name(person.name),
        id_number=person.id_number_masked,
        occupation=occupation,
        level=training_class.get_level_display() if training_class.level else "培训合格",
        institution=training_class.institution.name,
        issued_on=certificate.issued_on,
    )
