"""Importing a class's timetable (课程表, 附件2 3.1): the whole timetable is replaced at once.

Columns: 日期, 开始时间, 结束时间, 类型 (理论/实操), 课时, 教学内容, 教师备案编号. Each row must lie
within the class dates, last at least its hours × 45 minutes (四(一) "每课时为45分钟"), not overlap
another session, and be taught by a teacher filed with the bureau (四(二)) and belonging to the
institution. The class's theory and practice hours and its teachers follow from the timetable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongjiang.core.audit import audit_record
from gongjiang.core.errors import ImportRejected
from gongjiang.core.spreadsheets import read_table, require_columns
from gongjiang.registry.models import Teacher

from .. import events
from ..access import require_editable, require_institution_side
from ..choices import SessionKind
from ..imports import RowErrors, parse_date, parse_positive_int, parse_time
from ..models import ClassSession, TrainingClass

COLUMNS = ("日期", "开始时间", "结束时间", "类型", "课时", "教学内容", "教师备案编号")
KINDS = {"理论": SessionKind.THEORY, "实操": SessionKind.PRACTICE}
MINUTES_PER_CLASS_HOUR = 45


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _parse_rows(training_class: TrainingClass, rows: list[Any], errors: RowErrors) -> list[ClassSession]:
    teachers = {
        t.filing_number: t
        for t in Teacher.objects.filter(institutions=training_class.institution, is_deleted=False)
    }
    sessions: list[tuple[int, ClassSession]] = []
    for row in rows:
        values, n = row.values, row.number
        before = len(errors.errors)
        day = parse_date(values.get("日期", ""))
        if day is None:
            errors.add(n, "日期", "日期格式应为 YYYY-MM-DD")
        elif not training_class.start_date <= day <= training_class.end_date:
            errors.add(
                n, "日期", f"不在开班日期 {training_class.start_date} 至 {training_class.end_date} 之内"
            )
        start, end = parse_time(values.get("开始时间", "")), parse_time(values.get("结束时间", ""))
        if start is None:
            errors.add(n, "开始时间", "时间格式应为 HH:MM")
        if end is None:
            errors.add(n, "结束时间", "时间格式应为 HH:MM")
        elif start is not None and end <= start:
            errors.add(n, "结束时间", "结束时间须晚于开始时间")
        kind = KINDS.get(values.get("类型", "").strip())
        if kind is None:
            errors.add(n, "类型", "类型须为“理论”或“实操”")
        hours = parse_positive_int(values.get("课时", ""))
        if hours is None:
            errors.add(n, "课时", "课时须为正整数")
        elif start and end and end > start and hours * MINUTES_PER_CLASS_HOUR > _minutes(start, end):
            errors.add(n, "课时", f"{hours} 课时需 {hours * MINUTES_PER_CLASS_HOUR} 分钟，超过该时段长度")
        topic = values.get("教学内容", "").strip()
        if not topic:
            errors.add(n, "教学内容", "教学内容不能为空")
        number = values.get("教师备案编号", "").strip()
        teacher = teachers.get(number)
        if teacher is None:
            errors.add(n, "教师备案编号", f"“{number}”不是本机构的备案师资")
        elif day is not None and teacher.filed_on > day:
            errors.add(n, "教师备案编号", f"{teacher.name}于 {teacher.filed_on} 备案，授课日期早于备案日期")
        if len(errors.errors) == before:
            assert day and start and end and kind and hours and teacher  # noqa: S101 - narrowed above
            sessions.append(
                (
                    n,
                    ClassSession(
                        training_class=training_class,
                        date=day,
                        starts_at=start,
                        ends_at=end,
                        kind=kind,
                        class_hours=hours,
                        topic=topic[:120],
                        teacher=teacher,
                    ),
                )
            )
    by_day: dict[dt.date, list[tuple[int, ClassSession]]] = {}
    for n, session in sessions:
        for other_n, other in by_day.get(session.date, []):
            if session.starts_at < other.ends_at and other.starts_at < session.ends_at:
                errors.add(n, "开始时间", f"与第 {other_n} 行的时段重叠")
        by_day.setdefault(session.date, []).append((n, session))
    return [session for _, session in sessions]


@transaction.atomic
def timetable_import(
    *, actor: Any, training_class: TrainingClass, filename: str, data: bytes
) -> list[ClassSession]:
    require_institution_side(actor, training_class)
    require_editable(training_class)
    header, rows = read_table(filename, data)
    require_columns(header, COLUMNS)
    errors = RowErrors()
    sessions = _parse_rows(training_class, rows, errors)
    if errors:
        raise ImportRejected(errors.sorted(COLUMNS))
    if not sessions:
        raise ImportRejected([{"row": 1, "column": "日期", "message": "文件中没有课程"}])
    old = list(training_class.sessions.values_list("id", flat=True))
    training_class.sessions.all().delete()
    ClassSession.objects.bulk_create(sessions)
    theory = sum(s.class_hours for s in sessions if s.kind == SessionKind.THEORY)
    practice = sum(s.class_hours for s in sessions if s.kind == SessionKind.PRACTICE)
    before = {"theory_hours": training_class.theory_hours, "practice_hours": training_class.practice_hours}
    training_class.theory_hours, training_class.practice_hours = theory, practice
    training_class.save(update_fields=["theory_hours", "practice_hours"])
    training_class.teachers.set({s.teacher for s in sessions})
    audit_record(
        actor=actor,
        obj=training_class,
        action="import",
        event_type="timetable_imported",
        before={**before, "sessions": len(old)},
        after={
            "theory_hours": theory,
            "practice_hours": practice,
            "sessions": len(sessions),
            "file": filename,
        },
    )
    events.timetable_set(training_class, actor, len(sessions), theory + practice)
    return sessions
