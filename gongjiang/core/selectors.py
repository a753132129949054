"""Reads of the core app, scoped to the user's jurisdictions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import AuditEvent
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
