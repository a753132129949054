"""Writes of the core app: jurisdictions, users, working-day overrides. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import audit_record, record_create, record_update, snapshot
from .authn import end_user_sessions
from .choices import ReportKind, ReportStatus, Role
from .errors import DomainError
from .models import Jurisdiction, ReportRun, TotpDevice, User, WorkingDayOverride
from .permissions import require
from .tasks import report_run_task
from .validation import validated

# Which registry link each role needs: a clerk without an institution would see nothing, or worse.
ROLE_LINK = {
    Role.INSTITUTION_CLERK: "institution",
    Role.ENTERPRISE_CLERK: "enterprise",
    Role.PERSON: "person",
}


@transaction.atomic
def jurisdiction_create(*, actor: Any, code: str, name: str, region_code: str = "") -> Jurisdiction:
    if actor is not None:
        require(actor, "users.manage")
    jurisdiction = Jurisdiction(code=code, name=name, region_code=region_code)
    jurisdiction.full_clean()
    jurisdiction.save()
    record_create(jurisdiction, actor=actor, event_type="jurisdiction_created")
    return jurisdiction


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    jurisdictions: Iterable[Jurisdiction],
    display_name: str = "",
    service_unit: Any = None,
    institution: Any = None,
    enterprise: Any = None,
    person: Any = None,
) -> User:
    """Create a log-in. `actor=None` only for bootstrap (demo loader, createsuperuser-like commands)."""
    if actor is not None:
        require(actor, "users.manage")
    if role not in Role.values:
        raise DomainError("invalid_role", f"未知角色：{role}")
    links = {"institution": institution, "enterprise": enterprise, "person": person}
    needed = ROLE_LINK.get(Role(role))
    if needed and links[needed] is None:
        label = {"institution": "培训机构", "enterprise": "企业", "person": "本人档案"}[needed]
        raise DomainError("missing_link", f"角色“{Role(role).label}”必须关联{label}")
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        service_unit=service_unit,
        institution=institution,
        enterprise=enterprise,
        person=person,
        is_staff=role == Role.BUREAU_ADMIN,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", "密码不符合要求：" + "；".join(exc.messages)) from exc
    user.set_password(password)
    user.full_clean()
    user.save()
    user.jurisdictions.set(list(jurisdictions))
    event_after = {k: v for k, v in snapshot(user).items() if k != "password"}
    event_after["jurisdictions"] = sorted(j.pk for j in user.jurisdictions.all())

    first = user.jurisdictions.first()
    audit_record(
        actor=actor,
        obj=user,
        action="create",
        event_type="user_created",
        after=event_after,
        jurisdiction_id=first.pk if first else None,
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: Any, user: User, reason: str) -> User:
    """Disable a log-in and end every session it holds (OWASP ASVS 7.4.2)."""
    require(actor, "users.manage")
    if not reason.strip():
        raise DomainError("reason_required", "停用账号必须填写原因")
    before = snapshot(user, ["is_active"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_user_sessions(user)
    audit_record(
        actor=actor,
        obj=user,
        action="update",
        event_type="user_deactivated",
        before=before,
        after={"is_active": False, "sessions_ended": ended},
        reason=reason,
        jurisdiction_id=user.jurisdictions.order_by("id").values_list("id", flat=True).first(),
    )
    return user


@transaction.atomic
def user_otp_reset(*, actor: Any, user: User, reason: str) -> User:
    """Remove a user's authenticator (lost phone): they enrol a new one at their next log-in, and
    every session they hold ends."""
    require(actor, "users.manage")
    if not reason.strip():
        raise DomainError("reason_required", "重置动态口令必须填写原因")
    deleted, _rows = TotpDevice.objects.filter(user=user).delete()
    ended = end_user_sessions(user)
    audit_record(
        actor=actor,
        obj=user,
        action="update",
        event_type="user_otp_reset",
        after={"device_removed": bool(deleted), "sessions_ended": ended},
        reason=reason,
        jurisdiction_id=user.jurisdictions.order_by("id").values_list("id", flat=True).first(),
    )
    return user


@transaction.atomic
def working_day_override_set(
    *, actor: Any, date: dt.date, is_working_day: bool, reason: str
) -> WorkingDayOverride:
    require(actor, "calendar.manage")
    if not reason.strip():
        raise DomainError("reason_required", "调整工作日必须填写说明")
    override = WorkingDayOverride.objects.filter(date=date).first()
    if override is None:
        override = WorkingDayOverride(date=date, is_working_day=is_working_day, reason=reason)
        override.full_clean()
        override.save()
        record_create(override, actor=actor, event_type="working_day_override_set", reason=reason)
        return override
    before = snapshot(override)
    override.is_working_day = is_working_day
    override.reason = reason
    override.full_clean()
    override.save()
    record_update(override, before, actor=actor, event_type="working_day_override_set", reason=reason)
    return override


@transaction.atomic
def report_request(*, actor: Any, kind: str) -> ReportRun:
    """Queue a background report. The app process that took the request records its process id;
    the worker that runs it records its own (`report_run_execute`)."""
    require(actor, "reports.run")
    if kind not in ReportKind.values:
        raise DomainError("invalid_report", f"未知报表：{kind}")
    run = ReportRun(
        kind=kind,
        requested_by=actor,
        jurisdiction_id=actor.jurisdictions.order_by("id").values_list("id", flat=True).first(),
        requested_pid=os.getpid(),
    )
    validated(run)
    run.save()
    record_create(run, actor=actor, event_type="report_requested")
    run_id = run.pk
    transaction.on_commit(lambda: report_run_task.enqueue(run_id))
    return run


def report_run_execute(*, run_id: int) -> ReportRun:
    """Run a queued report in this process (the worker). Not for request handlers: they queue."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status != ReportStatus.QUEUED:
            return run  # already taken (a retried task): run once
        run.status = ReportStatus.RUNNING
        run.started_at = timezone.now()
        run.worker_pid = os.getpid()
        run.worker_host = socket.gethostname()[:100]
        run.save(update_fields=["status", "started_at", "worker_pid", "worker_host"])
    try:
        result = REPORTS[run.kind](run)
    except Exception as exc:  # the row must say it failed; the error goes to the worker's log too
        with transaction.atomic():
            run.status = ReportStatus.FAILED
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error", "finished_at"])
            audit_record(
                actor=None,
                obj=run,
                action="transition",
                event_type="report_failed",
                after={"status": "failed"},
            )
        raise
    with transaction.atomic():
        run.status = ReportStatus.DONE
        run.result = result
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "result", "finished_at"])
        audit_record(
            actor=None,
            obj=run,
            action="transition",
            event_type="report_completed",
            after={"status": "done", "worker_pid": run.worker_pid},
        )
    return run


def _audit_summary(run: ReportRun) -> dict[str, Any]:
    """The audit chain verified end to end, and events by action in the requester's jurisdictions."""
    from django.db.models import Count, Q

    from .integrity import audit_chain
    from .models import AuditEvent
    from .permissions import jurisdiction_ids

    check = audit_chain()
    scoped = AuditEvent.objects.filter(
        Q(jurisdiction_id__in=jurisdiction_ids(run.requested_by)) | Q(jurisdiction_id__isnull=True)
    )
    by_action = dict(scoped.values_list("action").annotate(n=Count("id")).order_by("action"))
    return {"chain_ok": check.ok, "chain": check.data, "events_by_action": by_action}


REPORTS: dict[str, Callable[[ReportRun], dict[str, Any]]] = {ReportKind.AUDIT_SUMMARY: _audit_summary}
