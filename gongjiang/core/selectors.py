"""Reads of the core app, scoped to the user's jurisdictions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AuditEvent, ReportRun
from .permissions import has_capability, jurisdiction_ids


def audit_event_list(user: Any, *, object_type: str = "", action: str = "") -> QuerySet[AuditEvent]:
    """Events of the user's jurisdictions, newest first. Events with no jurisdiction (system-wide
    reference data) are visible to every auditor."""
    if not has_capability(user, "audit.read"):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(
        Q(jurisdiction_id__in=jurisdiction_ids(user)) | Q(jurisdiction_id__isnull=True)
    )
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-id")


def report_run_get(user: Any, pk: int) -> ReportRun:
    """A report run the user asked for (bureau admins: any in their jurisdictions)."""
    qs = ReportRun.objects.filter(requested_by=user)
    if has_capability(user, "users.manage"):
        qs = ReportRun.objects.filter(jurisdiction_id__in=jurisdiction_ids(user))
    run = qs.filter(pk=pk).first()
    if run is None:
        raise Http404("记录不存在或无权查看")
    return run
