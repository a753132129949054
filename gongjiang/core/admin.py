"""Admin pages. They read; they never write around the services.

Every model is shown read-only to bureau admins (and auditors for the audit trail). Changes are made
through the app's pages, the API and the management commands, which all go through services and
so through the audit trail. An admin action that changes state must call a service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .choices import Role
from .models import AuditEvent, Jurisdiction, User, WorkingDayOverride
from .permissions import jurisdiction_ids


class ReadOnlyAdmin(admin.ModelAdmin):
    view_roles: frozenset[str] = frozenset({Role.BUREAU_ADMIN})
    secret_fields: tuple[str, ...] = ()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "role", None) in self.view_roles or request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        field_names = {f.name for f in self.model._meta.get_fields()}
        if "jurisdiction" in field_names:
            return qs.filter(jurisdiction_id__in=jurisdiction_ids(request.user))
        if "jurisdiction_id" in field_names:
            return qs.filter(jurisdiction_id__in=jurisdiction_ids(request.user))
        return qs

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*(super().get_exclude(request, obj) or ()), *self.secret_fields)


@admin.register(Jurisdiction)
class JurisdictionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "region_code")


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    secret_fields = ("password",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    view_roles = frozenset({Role.BUREAU_ADMIN, Role.AUDITOR})
    list_display = ("id", "occurred_at", "actor_username", "action", "event_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_username", "reason")


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(ReadOnlyAdmin):
    list_display = ("date", "is_working_day", "reason")
