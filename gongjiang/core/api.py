"""Core endpoints (mounted at /api/core): who am I, the audit trail for auditors, background
reports, and a health check for the reverse proxy / load balancer."""

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from . import services
from .choices import ReportKind
from .errors import PermissionDenied
from .permissions import has_capability
from .selectors import audit_event_list, report_run_get

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


class ReportIn(Schema):
    kind: ReportKind


class ReportOut(Schema):
    id: int
    kind: str
    status: str
    requested_at: dt.datetime
    requested_pid: int
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    worker_pid: int | None
    result: Any = None
    error: str


class HealthOut(Schema):
    status: str
    database: bool
    cache: bool


@router.post("/reports", response={202: ReportOut})
def request_report(request: HttpRequest, payload: ReportIn) -> Any:
    """Queue a report for the background worker; poll `GET /api/core/reports/{id}`."""
    return Status(202, services.report_request(actor=request.user, kind=payload.kind))


@router.get("/reports/{report_id}", response=ReportOut)
def get_report(request: HttpRequest, report_id: int) -> Any:
    if not has_capability(request.user, "reports.run"):
        raise PermissionDenied()
    return report_run_get(request.user, report_id)


@router.get("/health", response={200: HealthOut, 503: HealthOut}, auth=None)
def health(request: HttpRequest) -> Any:
    """For the reverse proxy: 200 when the database and the cache answer, else 503. Says nothing else."""
    database = cache_ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        database = False
    try:
        cache.set("gongjiang:health", "1", 5)
        cache_ok = cache.get("gongjiang:health") == "1"
    except Exception:
        cache_ok = False
    ok = database and cache_ok
    return Status(
        200 if ok else 503, {"status": "ok" if ok else "degraded", "database": database, "cache": cache_ok}
    )
