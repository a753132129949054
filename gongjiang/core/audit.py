"""The append-only, hash-chained audit trail.

    hash(n) = sha256(prev_hash(n) + canonical_json(event n without its hash))

Every service writes its event with `audit_record` inside the same transaction as the change. The
chain head row is locked (`select_for_update`) while appending, so concurrent transactions extend
the chain one after the other. `audit_verify` recomputes the chain and names the first broken link.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def to_jsonable(value: Any) -> Any:
    """Decimals, dates and model references as strings, so the JSON round-trips exactly."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance (foreign keys as ids). Ciphertexts and keyed
    hashes are left out: the masked copies beside them record the change without the secret."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if not f.attname.endswith(("_encrypted", "_hash")) and f.attname != "password"
    ]
    return {name: to_jsonable(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _event_payload(event: AuditEvent) -> str:
    occurred_at = event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    body = {
        "occurred_at": occurred_at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "jurisdiction_id": event.jurisdiction_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "action": event.action,
        "event_type": event.event_type,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _event_payload(event)).encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    event_type: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    jurisdiction_id: int | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction (services are atomic)."""
    if jurisdiction_id is None:
        jurisdiction_id = getattr(obj, "jurisdiction_id", None)
    return audit_append(
        actor=actor,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj),
        action=action,
        event_type=event_type,
        before=before,
        after=after,
        reason=reason,
        jurisdiction_id=jurisdiction_id,
    )


def audit_append(
    *,
    actor: Any,
    object_type: str,
    object_id: str,
    object_repr: str,
    action: str,
    event_type: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    jurisdiction_id: int | None = None,
) -> AuditEvent:
    """Append one event about a subject that need not be a row (a log-in with an unknown account
    name). `audit_record` is this for a model instance."""
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            # Truncate to microseconds explicitly: the hash must survive the database round-trip.
            occurred_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_username=getattr(actor, "username", "") or "",
            jurisdiction_id=jurisdiction_id,
            object_type=object_type,
            object_id=object_id[:64],
            object_repr=object_repr[:200],
            action=action,
            event_type=event_type or action,
            before=to_jsonable(before) if before is not None else None,
            after=to_jsonable(after) if after is not None else None,
            reason=reason,
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(head.last_hash, event)
        event.save(force_insert=True)
        head.last_event_id = event.pk
        head.last_hash = event.hash
        head.save(update_fields=["last_event_id", "last_hash"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head_hash: str
    broken_event_id: int | None = None
    problem: str = ""


def audit_verify() -> VerifyResult:
    prev = GENESIS
    checked = 0
    last_id = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return VerifyResult(False, checked, prev, event.pk, "上一条链接不一致：此前的事件被删除或篡改")
        if compute_hash(prev, event) != event.hash:
            return VerifyResult(False, checked, prev, event.pk, "事件内容与哈希不符：该事件被篡改")
        prev = event.hash
        last_id = event.pk
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.last_event_id != last_id):
        return VerifyResult(
            False, checked, prev, head.last_event_id, "链头与最后一条事件不符：末尾事件被删除"
        )
    return VerifyResult(True, checked, prev)


def audit_head() -> str:
    head = AuditChainHead.objects.filter(pk=1).first()
    return head.last_hash if head else GENESIS


def record_create(
    instance: models.Model,
    *,
    actor: Any,
    event_type: str = "",
    reason: str = "",
    jurisdiction_id: int | None = None,
) -> AuditEvent:
    """Audit a new row; `jurisdiction_id` for rows that reach their jurisdiction through a parent."""
    return audit_record(
        actor=actor,
        obj=instance,
        action="create",
        event_type=event_type,
        after=snapshot(instance),
        reason=reason,
        jurisdiction_id=jurisdiction_id,
    )


def record_update(
    instance: models.Model,
    before: dict[str, Any],
    *,
    actor: Any,
    event_type: str = "",
    reason: str = "",
    action: str = "update",
) -> AuditEvent | None:
    """Audit the fields that changed since `before` (a `snapshot`); nothing changed → no event."""
    old, new = diff(before, snapshot(instance))
    if not old and not new and action == "update":
        return None
    return audit_record(
        actor=actor, obj=instance, action=action, event_type=event_type, before=old, after=new, reason=reason
    )
