"""Django admin for the catalog. Every write goes through a service, so it is checked and audited.

Occupations, classes and shortage entries can be added and changed here (by a bureau admin);
nothing can be deleted (an occupation is deactivated, an entry ended). Startup courses,
certificate types and skill levels come from the reference file and are read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import has_capability, jurisdiction_ids

from . import services
from .importing import periods_overlap
from .models import (
    CertificateType,
    Occupation,
    OccupationClass,
    ShortageOccupationEntry,
    SkillLevel,
    StartupCourse,
)


class ServiceAdmin(admin.ModelAdmin):
    """Only a bureau admin may write, and never delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, services.MANAGE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, services.MANAGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, "catalog.read")


class JurisdictionScopedAdmin(ServiceAdmin):
    """Rows of one jurisdiction: listed and offered only within the user's jurisdictions."""

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(jurisdiction_id__in=jurisdiction_ids(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "jurisdiction":
            kwargs["queryset"] = Jurisdiction.objects.filter(pk__in=jurisdiction_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(ServiceAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Occupation)
class OccupationAdmin(ServiceAdmin):
    list_display = ("name", "is_digital", "is_green", "is_special_ability_item", "is_active")
    list_filter = ("is_digital", "is_green", "is_special_ability_item", "is_active")
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: Occupation, form: Any, change: bool) -> None:
        if change:
            services.occupation_update(
                actor=request.user,
                occupation=obj,
                name=obj.name,
                is_digital=obj.is_digital,
                is_green=obj.is_green,
                is_special_ability_item=obj.is_special_ability_item,
                is_active=obj.is_active,
                reason="管理后台修改",
            )
            return
        saved = services.occupation_create(
            actor=request.user,
            name=obj.name,
            is_digital=obj.is_digital,
            is_green=obj.is_green,
            is_special_ability_item=obj.is_special_ability_item,
        )
        obj.pk = saved.pk


class OccupationClassForm(forms.ModelForm):
    class Meta:
        model = OccupationClass
        fields = ("jurisdiction", "occupation", "subsidy_class", "citation")


@admin.register(OccupationClass)
class OccupationClassAdmin(JurisdictionScopedAdmin):
    form = OccupationClassForm
    list_display = ("occupation", "jurisdiction", "subsidy_class", "citation")
    list_filter = ("jurisdiction", "subsidy_class")
    search_fields = ("occupation__name",)
    autocomplete_fields = ("occupation",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("jurisdiction", "occupation") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: OccupationClass, form: Any, change: bool) -> None:
        saved = services.occupation_class_set(
            actor=request.user,
            jurisdiction=obj.jurisdiction,
            occupation=obj.occupation,
            subsidy_class=obj.subsidy_class,
            citation=obj.citation,
        )
        obj.pk = saved.pk


class ShortageEntryForm(forms.ModelForm):
    """Catches an overlapping period before saving, so the admin shows it on the form."""

    class Meta:
        model = ShortageOccupationEntry
        fields = ("jurisdiction", "occupation", "valid_from", "valid_to", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instance = self.instance
        jurisdiction = data.get("jurisdiction", getattr(instance, "jurisdiction", None))
        occupation = data.get("occupation", getattr(instance, "occupation", None))
        valid_from = data.get("valid_from", instance.valid_from)
        valid_to = data.get("valid_to")
        if instance.pk and valid_to is None:
            raise ValidationError("已有条目只能设置截止日期；若要延长，请填写新的截止日期")
        if jurisdiction is None or occupation is None or valid_from is None:
            return data
        others = ShortageOccupationEntry.objects.filter(jurisdiction=jurisdiction, occupation=occupation)
        if instance.pk:
            others = others.exclude(pk=instance.pk)
        for other in others:
            if periods_overlap(valid_from, valid_to, other.valid_from, other.valid_to):
                raise ValidationError(f"与已有条目 {other.valid_from}~{other.valid_to or '长期'} 的期间重叠")
        return data


@admin.register(ShortageOccupationEntry)
class ShortageOccupationEntryAdmin(JurisdictionScopedAdmin):
    form = ShortageEntryForm
    list_display = ("occupation", "jurisdiction", "valid_from", "valid_to", "source")
    list_filter = ("jurisdiction",)
    search_fields = ("occupation__name", "source")
    autocomplete_fields = ("occupation",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Once added, an entry is only ended: its end date is the one thing that changes.
        return ("jurisdiction", "occupation", "valid_from", "source") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: ShortageOccupationEntry, form: Any, change: bool) -> None:
        if change:
            if obj.valid_to is None:
                raise DomainError("valid_to_required", "已有条目只能设置截止日期")
            services.shortage_entry_end(
                actor=request.user, entry=obj, valid_to=obj.valid_to, reason="管理后台修改"
            )
            return
        saved = services.shortage_entry_add(
            actor=request.user,
            jurisdiction=obj.jurisdiction,
            occupation=obj.occupation,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            source=obj.source,
        )
        obj.pk = saved.pk


@admin.register(StartupCourse)
class StartupCourseAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "min_class_hours", "min_days")


@admin.register(CertificateType)
class CertificateTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")


@admin.register(SkillLevel)
class SkillLevelAdmin(ReadOnlyAdmin):
    list_display = ("rank", "code", "name", "alias")
