"""Attended class hours from check-ins (附件2 3.2 "每日组织学员签到").

A trainee attends a timetable session when they have at least one check-in — from a device or a
manual one — on the session's date between 30 minutes before it starts and its end, in local time
(Asia/Shanghai). Attended hours are the sum of the class hours of the sessions attended. Qualifying
a trainee needs at least the class's minimum hours (`TrainingClass.required_hours`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from .models import AttendanceRecord, ClassSession, Enrolment, TrainingClass

EARLY_CHECK_IN = dt.timedelta(minutes=30)


def attendance_window(session: ClassSession) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(session.date, session.starts_at, tzinfo=zone) - EARLY_CHECK_IN
    end = dt.datetime.combine(session.date, session.ends_at, tzinfo=zone)
    return start, end


def attended_sessions(training_class: TrainingClass) -> dict[int, set[int]]:
    """enrolment id → ids of the sessions attended."""
    sessions = list(training_class.sessions.all())
    windows = [(s.pk, *attendance_window(s)) for s in sessions]
    attended: dict[int, set[int]] = defaultdict(set)
    check_ins = AttendanceRecord.objects.filter(training_class=training_class).values_list(
        "enrolment_id", "occurred_at"
    )
    for enrolment_id, at in check_ins:
        for session_id, start, end in windows:
            if start <= at <= end:
                attended[enrolment_id].add(session_id)
    return attended


def attended_hours(training_class: TrainingClass) -> dict[int, int]:
    """enrolment id → attended class hours (every enrolment of the class, 0 when none)."""
    hours_of = dict(training_class.sessions.values_list("pk", "class_hours"))
    attended = attended_sessions(training_class)
    return {
        enrolment_id: sum(hours_of[s] for s in attended.get(enrolment_id, set()))
        for enrolment_id in training_class.enrolments.values_list("pk", flat=True)
    }


def enrolment_attended_hours(enrolment: Enrolment) -> int:
    """One trainee's attended class hours (the closing step reads this)."""
    return attended_hours(enrolment.training_class).get(enrolment.pk, 0)


def meets_minimum_hours(enrolment: Enrolment) -> bool:
    """May this trainee be marked qualified as far as attendance goes? Attended hours at least the
    class's minimum (`TrainingClass.required_hours`, 新民社发〔2025〕13号 四(一): A类不少于120课时 …).
    The closing step must refuse `qualified` when this is False."""
    return enrolment_attended_hours(enrolment) >= enrolment.training_class.required_hours
