"""Attendance anomaly flags for the reviewers (附件2 3.2 过程管理; 四(三) 事中监管, "实现培训过程可查询、
可追溯").

Four patterns, each a named threshold below:

    overlapping_classes  one person has check-ins at two classes whose sessions overlap in time, or
                         (outside any session) less than SIMULTANEOUS_WINDOW apart
    device_burst         one device checks in BURST_MIN_PEOPLE or more different people within
                         BURST_WINDOW (a terminal needs about 2 s per person: step up, match, step away)
    outside_timetable    a check-in outside every session window of the class's timetable (the same
                         window that counts hours: from 30 minutes before a session to its end)
    no_evidence_day      a day with check-ins but no dated teaching photo or video (附件2 3.2 "全程
                         留存录像, 留存至少5张高质量照片")

When detection runs: the first three after each check-in, inside its transaction — they depend
only on check-ins, so the reviewer's queue is current the moment a device posts. The fourth needs the
day to be over (photos and video are uploaded in the evening), so it runs in `anomaly_scan`, which a
reviewer starts over a whole class (it also re-runs the other three, so a class whose check-ins were
imported some other way is covered). Detection is idempotent: a flag has a fingerprint naming its
subject, unique per class and kind, so running it twice adds nothing.

A reviewer of the class's unit resolves a flag — explained or confirmed — with a note; audited and on
the class's timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongjiang.core.audit import record_create

from .attendance_hours import EARLY_CHECK_IN
from .choices import AnomalyKind, EvidenceKind
from .models import AnomalyFlag, AttendanceRecord, ClassSession, TrainingClass

SIMULTANEOUS_WINDOW = dt.timedelta(minutes=30)
BURST_WINDOW = dt.timedelta(seconds=10)
BURST_MIN_PEOPLE = 6
DAY_EVIDENCE = (EvidenceKind.THEORY_PHOTO, EvidenceKind.PRACTICE_PHOTO, EvidenceKind.VIDEO)


def _local(at: dt.datetime) -> dt.datetime:
    return timezone.localtime(at)


def _session_range(session: ClassSession) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(session.date, session.starts_at, tzinfo=zone)
    end = dt.datetime.combine(session.date, session.ends_at, tzinfo=zone)
    return start, end


def _sessions_at(sessions: list[ClassSession], at: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The sessions whose check-in window (30 minutes early to the end) holds `at`."""
    found = []
    for session in sessions:
        start, end = _session_range(session)
        if start - EARLY_CHECK_IN <= at <= end:
            found.append((start, end))
    return found


def _flag(
    training_class: TrainingClass,
    kind: AnomalyKind,
    fingerprint: str,
    day: dt.date,
    actor: Any,
    **fields: Any,
) -> AnomalyFlag | None:
    """Create the flag unless it exists (also under a concurrent detection); the new flag or None."""
    if AnomalyFlag.objects.filter(training_class=training_class, kind=kind, fingerprint=fingerprint).exists():
        return None
    try:
        with transaction.atomic():
            flag = AnomalyFlag.objects.create(
                training_class=training_class, kind=kind, fingerprint=fingerprint[:120], day=day, **fields
            )
    except IntegrityError:
        return None
    record_create(flag, actor=actor, event_type="anomaly_flagged", reason=str(kind.label))
    return flag


def _overlapping(record: AttendanceRecord, actor: Any) -> list[AnomalyFlag]:
    day = _local(record.occurred_at).date()
    others = list(
        AttendanceRecord.objects.filter(person_id=record.person_id, occurred_at__date=day)
        .exclude(training_class_id=record.training_class_id)
        .select_related("training_class")
    )
    if not others:
        return []
    mine = _sessions_at(list(record.training_class.sessions.filter(date=day)), record.occurred_at)
    created = []
    for other in others:
        theirs = _sessions_at(list(other.training_class.sessions.filter(date=day)), other.occurred_at)
        overlap = any(
            a_start < b_end and b_start < a_end for a_start, a_end in mine for b_start, b_end in theirs
        )
        close = abs(record.occurred_at - other.occurred_at) <= SIMULTANEOUS_WINDOW
        if not (overlap or close):
            continue
        detail = {
            "times": sorted([_local(record.occurred_at).isoformat(), _local(other.occurred_at).isoformat()]),
            "classes": sorted([record.training_class.code, other.training_class.code]),
        }
        for here, there in ((record, other), (other, record)):
            flag = _flag(
                here.training_class,
                AnomalyKind.OVERLAPPING_CLASSES,
                f"person:{record.person_id}:{day}:class:{there.training_class_id}",
                day,
                actor,
                person_id=record.person_id,
                detail=detail,
            )
            if flag:
                created.append(flag)
    return created


def _burst(record: AttendanceRecord, actor: Any) -> list[AnomalyFlag]:
    if record.device_id is None:
        return []
    near = list(
        AttendanceRecord.objects.filter(
            device_id=record.device_id,
            occurred_at__gte=record.occurred_at - BURST_WINDOW,
            occurred_at__lte=record.occurred_at + BURST_WINDOW,
        )
        .order_by("occurred_at", "id")
        .values_list("occurred_at", "person_id")
    )
    for i, (start, _person) in enumerate(near):
        window = [(at, p) for at, p in near[i:] if at - start <= BURST_WINDOW]
        people = {p for _at, p in window}
        if len(people) >= BURST_MIN_PEOPLE:
            day = _local(start).date()
            flag = _flag(
                record.training_class,
                AnomalyKind.DEVICE_BURST,
                f"device:{record.device_id}:{day}",
                day,
                actor,
                device_id=record.device_id,
                detail={
                    "from": _local(start).isoformat(),
                    "to": _local(window[-1][0]).isoformat(),
                    "people": len(people),
                    "window_seconds": int(BURST_WINDOW.total_seconds()),
                },
            )
            return [flag] if flag else []
    return []


def _outside(
    record: AttendanceRecord, actor: Any, sessions: list[ClassSession] | None = None
) -> list[AnomalyFlag]:
    day = _local(record.occurred_at).date()
    if sessions is None:
        sessions = list(record.training_class.sessions.filter(date=day))
    if _sessions_at([s for s in sessions if s.date == day], record.occurred_at):
        return []
    flag = _flag(
        record.training_class,
        AnomalyKind.OUTSIDE_TIMETABLE,
        f"record:{record.pk}",
        day,
        actor,
        person_id=record.person_id,
        device_id=record.device_id,
        detail={"time": _local(record.occurred_at).isoformat(), "method": record.method},
    )
    return [flag] if flag else []


def _no_evidence_days(training_class: TrainingClass, actor: Any, today: dt.date) -> list[AnomalyFlag]:
    days = {_local(at).date() for at in training_class.attendance.values_list("occurred_at", flat=True)}
    covered = set(
        training_class.evidence.filter(kind__in=DAY_EVIDENCE, taken_on__isnull=False).values_list(
            "taken_on", flat=True
        )
    )
    created = []
    for day in sorted(days - covered):
        if day >= today:
            continue  # the day is not over: its photos and video may still be uploaded tonight
        flag = _flag(
            training_class,
            AnomalyKind.NO_EVIDENCE_DAY,
            f"day:{day}",
            day,
            actor,
            detail={"check_ins": training_class.attendance.filter(occurred_at__date=day).count()},
        )
        if flag:
            created.append(flag)
    return created


def detect_after_check_in(record: AttendanceRecord, actor: Any = None) -> list[AnomalyFlag]:
    """The check-in patterns around one new record; the attendance services call it inside their
    transaction. Each flag it creates is audited."""
    return _overlapping(record, actor) + _burst(record, actor) + _outside(record, actor)


def detect_class(training_class: TrainingClass, actor: Any, today: dt.date) -> list[AnomalyFlag]:
    """Every pattern over the whole class; `no_evidence_day` only for days before `today`."""
    sessions = list(training_class.sessions.all())
    created: list[AnomalyFlag] = []
    records = training_class.attendance.select_related("training_class").order_by("occurred_at", "id")
    for record in records:
        created += _overlapping(record, actor) + _burst(record, actor) + _outside(record, actor, sessions)
    return created + _no_evidence_days(training_class, actor, today)
