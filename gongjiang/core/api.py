"""Core endpoints (mounted at /api/core): who am I, and the audit trail for auditors."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from .errors import PermissionDenied
from .permissions import has_capability
from .selectors import audit_event_list

router = Router(tags=["基础"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    jurisdictions: list[str]


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor_username: str
    object_type: str
    object_id: str
    object_repr: str
    action: str
    event_type: str
    before: Any = None
    after: Any = None
    reason: str
    hash: str


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    user: Any = request.user
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "jurisdictions": [j.name for j in user.jurisdictions.all()],
    }


@router.get("/audit-events", response=list[AuditEventOut])
@paginate(LimitOffsetPagination)
def list_audit_events(request: HttpRequest, object_type: str = "", action: str = "") -> Any:
    if not has_capability(request.user, "audit.read"):
        raise PermissionDenied()
    return audit_event_list(request.user, object_type=object_type, action=action)
