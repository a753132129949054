"""The class timeline (Saleor's `giftcard/events.py` pattern): one function per event type, each
writing a `ClassEvent` with a sentence a clerk or reviewer reads. Services call these inside their
transaction, beside the audit record."""

from __future__ import annotations

from typing import Any

from .choices import ClassEventType
from .models import ClassEvent, TrainingClass


def _event(
    training_class: TrainingClass, event_type: ClassEventType, actor: Any, message: str, **data: Any
) -> ClassEvent:
    return ClassEvent.objects.create(
        training_class=training_class,
        event_type=event_type,
        actor=actor if getattr(actor, "pk", None) else None,
        message=message[:300],
        data=data,
    )


def class_created(training_class: TrainingClass, actor: Any) -> ClassEvent:
    return _event(training_class, ClassEventType.CREATED, actor, f"创建开班备案“{training_class.name}”")


def class_updated(training_class: TrainingClass, actor: Any, fields: list[str]) -> ClassEvent:
    return _event(training_class, ClassEventType.UPDATED, actor, "修改备案信息", fields=fields)


def timetable_set(training_class: TrainingClass, actor: Any, sessions: int, hours: int) -> ClassEvent:
    return _event(
        training_class,
        ClassEventType.TIMETABLE_SET,
        actor,
        f"导入课程表：{sessions} 节，共 {hours} 课时",
        sessions=sessions,
        hours=hours,
    )


def roster_imported(training_class: TrainingClass, actor: Any, added: int, file: str) -> ClassEvent:
    return _event(
        training_class, ClassEventType.ROSTER_IMPORTED, actor, f"导入花名册 {added} 人（{file}）", added=added
    )


def evidence_added(training_class: TrainingClass, actor: Any, kind_label: str, name: str) -> ClassEvent:
    return _event(training_class, ClassEventType.EVIDENCE_ADDED, actor, f"上传{kind_label}：{name}")


def submitted(training_class: TrainingClass, actor: Any, due: str, warnings: list[str]) -> ClassEvent:
    text = f"提交开班备案，审核期限 {due}"
    if warnings:
        text += "；提示：" + "；".join(warnings)
    return _event(training_class, ClassEventType.SUBMITTED, actor, text, due=due, warnings=warnings)


def returned(training_class: TrainingClass, actor: Any, reason: str) -> ClassEvent:
    return _event(training_class, ClassEventType.RETURNED, actor, f"退回修改：{reason}")


def rejected(training_class: TrainingClass, actor: Any, reason: str) -> ClassEvent:
    return _event(training_class, ClassEventType.REJECTED, actor, f"不予备案：{reason}")


def approved(training_class: TrainingClass, actor: Any, note: str) -> ClassEvent:
    return _event(training_class, ClassEventType.APPROVED, actor, "备案通过" + (f"：{note}" if note else ""))


def cancelled(training_class: TrainingClass, actor: Any, reason: str) -> ClassEvent:
    return _event(training_class, ClassEventType.CANCELLED, actor, f"撤销：{reason}")


def enrolment_withdrawn(training_class: TrainingClass, actor: Any, name: str, reason: str) -> ClassEvent:
    return _event(training_class, ClassEventType.ENROLMENT_WITHDRAWN, actor, f"{name} 退训：{reason}")


def manual_check_in(training_class: TrainingClass, actor: Any, name: str, at: str, reason: str) -> ClassEvent:
    return _event(training_class, ClassEventType.MANUAL_CHECK_IN, actor, f"为 {name} 补签 {at}：{reason}")


def spot_check(training_class: TrainingClass, actor: Any, mode_label: str, outcome_label: str) -> ClassEvent:
    return _event(training_class, ClassEventType.SPOT_CHECK, actor, f"{mode_label}：{outcome_label}")


def anomaly_resolved(
    training_class: TrainingClass, actor: Any, kind_label: str, status_label: str
) -> ClassEvent:
    return _event(
        training_class, ClassEventType.ANOMALY_RESOLVED, actor, f"核查“{kind_label}”：{status_label}"
    )


def assessment_recorded(training_class: TrainingClass, actor: Any, qualified: int, total: int) -> ClassEvent:
    return _event(
        training_class,
        ClassEventType.ASSESSMENT_RECORDED,
        actor,
        f"登记考核结果：合格 {qualified} 人 / 共 {total} 人",
        qualified=qualified,
        total=total,
    )


def closing_requested(training_class: TrainingClass, actor: Any) -> ClassEvent:
    return _event(training_class, ClassEventType.CLOSING_REQUESTED, actor, "申请结班")


def closing_returned(training_class: TrainingClass, actor: Any, reason: str) -> ClassEvent:
    return _event(training_class, ClassEventType.CLOSING_RETURNED, actor, f"结班退回：{reason}")


def closed(training_class: TrainingClass, actor: Any, first: str, last: str, count: int) -> ClassEvent:
    text = f"结班审核通过，发放培训合格证 {count} 本" + (f"（{first}—{last}）" if count else "")
    return _event(training_class, ClassEventType.CLOSED, actor, text, first=first, last=last, count=count)


def certificate_recorded(training_class: TrainingClass, actor: Any, name: str, what: str) -> ClassEvent:
    return _event(training_class, ClassEventType.CERTIFICATE_RECORDED, actor, f"{name} 取得{what}")


def promotion_recorded(training_class: TrainingClass, actor: Any, held_on: str, title: str) -> ClassEvent:
    return _event(training_class, ClassEventType.PROMOTION_RECORDED, actor, f"{held_on} 就业推介：{title}")


def employment_recorded(training_class: TrainingClass, actor: Any, name: str, employer: str) -> ClassEvent:
    return _event(training_class, ClassEventType.EMPLOYMENT_RECORDED, actor, f"{name} 就业/创业：{employer}")
