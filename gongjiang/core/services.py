"""Writes of the core app: jurisdictions, users, working-day overrides. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .audit import audit_record, record_create, record_update, snapshot
from .choices import Role
from .errors import DomainError
from .models import Jurisdiction, User, WorkingDayOverride
from .permissions import require

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
    require(actor, "users.manage")
    if not reason.strip():
        raise DomainError("reason_required", "停用账号必须填写原因")
    before = snapshot(user, ["is_active"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_update(user, before, actor=actor, event_type="user_deactivated", reason=reason)
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
