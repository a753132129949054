"""What a filing must hold before it can be submitted (附件2 3.1 材料) and what a reviewer is warned
about. One list, shown on the class page and enforced by `class_submit`."""

from __future__ import annotations

from dataclasses import dataclass

from gongjiang.registry.choices import FilingStatus, ListState

from . import policy_link
from .choices import EnrolmentStatus, EvidenceKind
from .models import TrainingClass
from .selectors import evidence_counts, practice_share, practice_share_low


@dataclass(frozen=True)
class CheckItem:
    label: str
    ok: bool
    detail: str = ""


def filing_checklist(training_class: TrainingClass) -> list[CheckItem]:
    institution = training_class.institution
    counts = evidence_counts(training_class)
    sessions = list(training_class.sessions.select_related("teacher"))
    minimum, citation = policy_link.required_hours(training_class)
    hours = training_class.class_hours
    outside = [s for s in sessions if not training_class.start_date <= s.date <= training_class.end_date]
    unfiled = sorted(
        {
            s.teacher.name
            for s in sessions
            if s.teacher.is_deleted or s.teacher.filed_on > s.date or not s.teacher.filing_number
        }
    )
    roster = training_class.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
    items = [
        CheckItem(
            "机构已备案且未列入黑名单",
            institution.filing_status == FilingStatus.FILED and institution.list_state != ListState.BLACK,
            f"{institution.get_filing_status_display()}，{institution.get_list_state_display()}",
        ),
        CheckItem("已导入课程表", bool(sessions), f"{len(sessions)} 节"),
        CheckItem(
            "总课时不少于最低课时",
            bool(sessions) and hours >= minimum,
            f"{hours} 课时，最低 {minimum} 课时" + (f"（{citation}）" if citation else ""),
        ),
        CheckItem(
            "课程均在开班、结班日期之内",
            not outside,
            "、".join(str(s.date) for s in outside[:5]),
        ),
        CheckItem("授课教师均为已备案师资", not unfiled, "、".join(unfiled)),
        CheckItem(
            "场地证明（照片或租赁协议）",
            counts[EvidenceKind.VENUE_PHOTO] + counts[EvidenceKind.VENUE_LEASE] > 0,
        ),
        CheckItem("培训方案", counts[EvidenceKind.TRAINING_PLAN] > 0),
        CheckItem("培训应急预案", counts[EvidenceKind.EMERGENCY_PLAN] > 0),
    ]
    if training_class.is_school_enterprise:
        items.append(CheckItem("校企合作协议", counts[EvidenceKind.COOPERATION_AGREEMENT] > 0))
    items.append(CheckItem("花名册至少一名学员", roster > 0, f"{roster} 人"))
    return items


def filing_warnings(training_class: TrainingClass) -> list[str]:
    """Not blocking, but shown to the reviewer and recorded on submission."""
    warnings = []
    if practice_share_low(training_class):
        share = practice_share(training_class) or 0
        warnings.append(
            f"实操课时占比 {share:.0%}，低于“理论:实操=3:7”要求的 70%（新民社发〔2025〕13号 三(二)）"
        )
    return warnings
