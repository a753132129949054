"""What must hold before a class's closing is requested and approved (新民社发〔2025〕13号 附件2 3.2):
the closing-ceremony photo, at least three spot checks by the unit, every active trainee assessed, and
no trainee qualified below the class's minimum attended hours. Read-only; the closing services and
the closing page both use it."""

from __future__ import annotations

import datetime as dt

from .attendance_hours import attended_hours
from .choices import EnrolmentStatus, EvidenceKind
from .models import Enrolment, TrainingClass

SPOT_CHECKS_MIN = 3  # 附件2 3.2 "通过线上线下至少开展3次抽查"
RESULTS = frozenset({EnrolmentStatus.QUALIFIED, EnrolmentStatus.UNQUALIFIED})


def active_enrolments(training_class: TrainingClass) -> list[Enrolment]:
    return list(
        training_class.enrolments.select_related("person")
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by("id")
    )


def hours_problem(enrolment: Enrolment, hours: int, required: int) -> str | None:
    if hours < required:
        return (
            f"{enrolment.person.name} 出勤 {hours} 课时，低于本班最低课时 {required}，"
            "不能评定为培训合格（附件2 3.2 考勤）"
        )
    return None


def closing_problems(training_class: TrainingClass, today: dt.date) -> list[str]:
    """What still stands in the way of requesting the closing (empty: it may be requested)."""
    problems = []
    if today <= training_class.end_date:
        problems.append(f"培训尚未结束（结班日期 {training_class.end_date}），结束后方可申请结班")
    if not training_class.evidence.filter(kind=EvidenceKind.CLOSING_CEREMONY).exists():
        problems.append("未上传结班仪式影像（附件2 3.2 留存学员集体影像资料）")
    checks = training_class.spot_checks.count()
    if checks < SPOT_CHECKS_MIN:
        problems.append(f"服务中心抽查 {checks} 次，少于 {SPOT_CHECKS_MIN} 次（附件2 3.2）")
    enrolments = active_enrolments(training_class)
    if not enrolments:
        problems.append("没有在训学员")
    pending = [e.person.name for e in enrolments if e.status not in RESULTS]
    if pending:
        problems.append("尚未登记考核结果：" + "、".join(pending))
    hours = attended_hours(training_class)
    for enrolment in enrolments:
        if enrolment.status == EnrolmentStatus.QUALIFIED:
            problem = hours_problem(enrolment, hours.get(enrolment.pk, 0), training_class.required_hours)
            if problem:
                problems.append(problem)
    return problems
