"""Filing a class and its review (新民社发〔2025〕13号 附件2 3.1 申报流程 / 审核备案).

An institution clerk (or a bureau admin on the institution's behalf) creates a draft, imports its
timetable and roster and uploads its materials, then submits. The unit's reviewer approves,
returns it for correction, or rejects it, "原则上5个工作日内" — the deadline is counted on
statutory working days from the day after submission.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.catalog.selectors import occupation_class_of
from gongjiang.core.audit import record_create, record_update, snapshot
from gongjiang.core.calendar import add_working_days
from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.permissions import require, require_jurisdiction, role_of
from gongjiang.core.validation import validated
from gongjiang.registry.choices import FilingStatus, ListState
from gongjiang.registry.models import Institution, InstitutionScope

from .. import events, policy_link
from ..access import require_editable, require_institution_side, require_reviewer_of
from ..checklist import filing_checklist, filing_warnings
from ..choices import ClassLevel, ClassStatus, TrainingType
from ..models import TrainingClass

REVIEW_WORKING_DAYS = 5  # 附件2 3.1 "审核原则上5个工作日内通过"
CLASS_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "training_type",
        "project_base",
        "occupation",
        "level",
        "startup_course",
        "enterprise",
        "is_school_enterprise",
        "labour_brand",
        "planned_size",
        "start_date",
        "end_date",
        "venue_address",
        "textbook_name",
        "textbook_publisher",
        "plan_summary",
    }
)
# Which levels each training type may aim at: the 附件3 columns, or the apprenticeship levels (备注4).
LEVELS_FOR_TYPE: dict[str, frozenset[str]] = {
    TrainingType.EMPLOYMENT: frozenset(
        {ClassLevel.CERT, ClassLevel.SENIOR, ClassLevel.TECHNICIAN, ClassLevel.SENIOR_TECHNICIAN}
    ),
    TrainingType.ENTERPRISE_POST: frozenset(
        {ClassLevel.CERT, ClassLevel.SENIOR, ClassLevel.TECHNICIAN, ClassLevel.SENIOR_TECHNICIAN}
    ),
    TrainingType.PROJECT: frozenset(
        {ClassLevel.CERT, ClassLevel.SENIOR, ClassLevel.TECHNICIAN, ClassLevel.SENIOR_TECHNICIAN}
    ),
    TrainingType.APPRENTICESHIP: frozenset({ClassLevel.JUNIOR, ClassLevel.INTERMEDIATE, ClassLevel.SENIOR}),
    TrainingType.STARTUP: frozenset(),
}


def _require_reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise DomainError("reason_required", f"{what}必须填写理由")
    return reason.strip()


def _check_institution(institution: Institution) -> None:
    if institution.is_deleted or institution.filing_status != FilingStatus.FILED:
        raise DomainError("institution_not_filed", f"{institution.name}未经备案，不能申报开班（附件2 2.2）")
    if institution.list_state == ListState.BLACK:
        raise DomainError("institution_blacklisted", f"{institution.name}已列入黑名单，不能申报开班")


def _derive(training_class: TrainingClass) -> None:
    """Check the type/occupation/level combination and fill the occupation class and minimum hours."""
    problems = []
    kind = training_class.training_type
    if kind not in TrainingType.values:
        raise DomainError("invalid", "培训类型无效")
    if kind == TrainingType.PROJECT and not training_class.project_base:
        problems.append("项目化培训须选择其类别（就业技能培训或岗位技能培训）")
    if kind != TrainingType.PROJECT:
        training_class.project_base = ""
    if kind == TrainingType.STARTUP:
        if training_class.startup_course is None:
            problems.append("创业培训须选择课程（GYB、SYB、IYB、EYB、网创培训、创业培训+实训）")
        training_class.occupation = None
        training_class.level = ""
    else:
        training_class.startup_course = None
        if training_class.occupation is None:
            problems.append("须选择职业(工种)")
        if training_class.level not in LEVELS_FOR_TYPE[kind]:
            allowed = "、".join(str(level.label) for level in ClassLevel if level in LEVELS_FOR_TYPE[kind])
            problems.append(f"{TrainingType(kind).label}的培训等级须为：{allowed}")
    if (
        kind in {TrainingType.ENTERPRISE_POST, TrainingType.APPRENTICESHIP}
        and training_class.enterprise is None
    ):
        problems.append(f"{TrainingType(kind).label}须填写企业")
    if problems:
        raise DomainError("invalid_class", "；".join(problems))
    training_class.subsidy_class = ""
    if training_class.occupation is not None:
        training_class.subsidy_class = (
            occupation_class_of(training_class.jurisdiction, training_class.occupation.name) or ""
        )
        in_scope = InstitutionScope.objects.filter(
            institution=training_class.institution, occupation=training_class.occupation, may_train=True
        ).exists()
        if not in_scope:
            raise DomainError(
                "occupation_out_of_scope",
                f"{training_class.institution.name}的备案培训范围不含“{training_class.occupation.name}”",
            )
    training_class.required_hours = policy_link.required_hours(training_class)[0]


@transaction.atomic
def class_create(
    *,
    actor: Any,
    institution: Institution,
    name: str,
    training_type: str,
    start_date: dt.date,
    end_date: dt.date,
    venue_address: str,
    textbook_name: str,
    textbook_publisher: str,
    **optional: Any,
) -> TrainingClass:
    """A draft filing. `optional`: the other fields of CLASS_EDITABLE_FIELDS, and `service_unit`
    (defaults to the institution's supervising centre)."""
    require(actor, "training.file")
    require_jurisdiction(actor, institution.jurisdiction_id)
    if role_of(actor) == Role.INSTITUTION_CLERK and actor.institution_id != institution.pk:
        raise PermissionDenied("只能为本机构申报开班")
    _check_institution(institution)
    unknown = set(optional) - CLASS_EDITABLE_FIELDS - {"service_unit"}
    if unknown:
        raise DomainError("unknown_fields", "未知字段：" + "、".join(sorted(unknown)))
    service_unit = optional.pop("service_unit", None) or institution.service_unit
    if service_unit is None:
        raise DomainError("no_service_unit", f"{institution.name}未指定主管服务中心，请先由管理员设置")
    training_class = TrainingClass(
        jurisdiction_id=institution.jurisdiction_id,
        institution=institution,
        service_unit=service_unit,
        name=name.strip(),
        training_type=training_type,
        start_date=start_date,
        end_date=end_date,
        venue_address=venue_address.strip(),
        textbook_name=textbook_name.strip(),
        textbook_publisher=textbook_publisher.strip(),
        created_by=actor,
        code=f"tmp-{timezone.now().timestamp()}"[:20],
        **optional,
    )
    _derive(training_class)
    validated(training_class)
    training_class.save()
    training_class.code = f"PX{start_date.year}-{training_class.pk:06d}"
    training_class.save(update_fields=["code"])
    record_create(training_class, actor=actor, event_type="class_created")
    events.class_created(training_class, actor)
    return training_class


@transaction.atomic
def class_update(*, actor: Any, training_class: TrainingClass, **changes: Any) -> TrainingClass:
    require_institution_side(actor, training_class)
    require_editable(training_class)
    unknown = set(changes) - CLASS_EDITABLE_FIELDS
    if unknown:
        raise DomainError("field_not_editable", "以下字段不可修改：" + "、".join(sorted(unknown)))
    before = snapshot(training_class)
    for field, value in changes.items():
        setattr(training_class, field, value)
    _derive(training_class)
    validated(training_class)
    training_class.save()
    record_update(training_class, before, actor=actor, event_type="class_updated")
    events.class_updated(training_class, actor, sorted(changes))
    return training_class


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
def class_submit(*, actor: Any, training_class: TrainingClass, today: dt.date | None = None) -> TrainingClass:
    """Submit for review when every checklist item holds; the clock starts the next working day."""
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    require_institution_side(actor, training_class)
    require_editable(training_class)
    _check_institution(training_class.institution)
    missing = [
        f"{item.label}（{item.detail}）" if item.detail else item.label
        for item in filing_checklist(training_class)
        if not item.ok
    ]
    if missing:
        raise DomainError("filing_incomplete", "备案材料不完整：" + "；".join(missing), details=missing)
    from ..prechecks import store_prechecks

    store_prechecks(training_class, actor=actor)
    today = today or timezone.localdate()
    if training_class.start_date < today:
        raise DomainError("too_late", f"开班日期 {training_class.start_date} 已过：开班备案须在开班前提交")
    due = add_working_days(today, REVIEW_WORKING_DAYS)
    _transition(
        training_class,
        actor=actor,
        to=ClassStatus.SUBMITTED,
        event_type="class_submitted",
        submitted_on=today,
        review_due_on=due,
    )
    events.submitted(training_class, actor, due.isoformat(), filing_warnings(training_class))
    return training_class


def _reviewable(actor: Any, training_class: TrainingClass) -> TrainingClass:
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    require_reviewer_of(actor, locked)
    if locked.status != ClassStatus.SUBMITTED:
        raise DomainError("not_submitted", f"培训班当前状态为“{locked.get_status_display()}”，不在待审核状态")
    return locked


@transaction.atomic
def class_approve(*, actor: Any, training_class: TrainingClass, note: str = "") -> TrainingClass:
    locked = _reviewable(actor, training_class)
    _check_institution(locked.institution)
    _transition(
        locked,
        actor=actor,
        to=ClassStatus.APPROVED,
        event_type="class_approved",
        reason=note,
        reviewed_at=timezone.now(),
        reviewed_by=actor,
        review_note=note.strip(),
    )
    events.approved(locked, actor, note.strip())
    return locked


@transaction.atomic
def class_return(*, actor: Any, training_class: TrainingClass, reason: str) -> TrainingClass:
    """Back to the institution for correction; a resubmission starts a new 5-day clock."""
    reason = _require_reason(reason, "退回修改")
    locked = _reviewable(actor, training_class)
    _transition(
        locked,
        actor=actor,
        to=ClassStatus.RETURNED,
        event_type="class_returned",
        reason=reason,
        reviewed_at=timezone.now(),
        reviewed_by=actor,
        review_note=reason,
    )
    events.returned(locked, actor, reason)
    return locked


@transaction.atomic
def class_reject(*, actor: Any, training_class: TrainingClass, reason: str) -> TrainingClass:
    reason = _require_reason(reason, "不予备案")
    locked = _reviewable(actor, training_class)
    _transition(
        locked,
        actor=actor,
        to=ClassStatus.REJECTED,
        event_type="class_rejected",
        reason=reason,
        reviewed_at=timezone.now(),
        reviewed_by=actor,
        review_note=reason,
    )
    events.rejected(locked, actor, reason)
    return locked


@transaction.atomic
def class_cancel(*, actor: Any, training_class: TrainingClass, reason: str) -> TrainingClass:
    """The institution withdraws a filing that has not been approved yet."""
    reason = _require_reason(reason, "撤销")
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    require_institution_side(actor, locked)
    if locked.status not in {ClassStatus.DRAFT, ClassStatus.RETURNED, ClassStatus.SUBMITTED}:
        raise DomainError("not_cancellable", f"“{locked.get_status_display()}”的培训班不能撤销")
    _transition(locked, actor=actor, to=ClassStatus.CANCELLED, event_type="class_cancelled", reason=reason)
    events.cancelled(locked, actor, reason)
    return locked
