"""Read-only admin views of the funds app (changes go through the services)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongjiang.core.admin import ReadOnlyAdmin
from gongjiang.core.permissions import jurisdiction_ids

from .models import (
    Application,
    ApplicationLine,
    BatchItem,
    BenefitFunding,
    FundBudget,
    FundSource,
    Instalment,
    LedgerEntry,
    LedgerPosting,
    Objection,
    PaymentBatch,
    PaymentKey,
    PublicNotice,
)


class ScopedThrough(ReadOnlyAdmin):
    """Rows without their own jurisdiction, scoped through a relation (`scope` → jurisdiction id)."""

    scope = ""

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(**{f"{self.scope}__in": jurisdiction_ids(request.user)})


@admin.register(FundSource)
class FundSourceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "jurisdiction")


@admin.register(FundBudget)
class FundBudgetAdmin(ScopedThrough):
    scope = "fund_source__jurisdiction_id"
    list_display = ("fund_source", "year", "amount", "note")


@admin.register(BenefitFunding)
class BenefitFundingAdmin(ReadOnlyAdmin):
    list_display = ("policy", "benefit", "fund_source")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "applicant_kind",
        "benefit",
        "fund_source",
        "status",
        "submitted_on",
        "review_due_on",
    )
    list_filter = ("status", "benefit")


@admin.register(ApplicationLine)
class ApplicationLineAdmin(ScopedThrough):
    scope = "application__jurisdiction_id"
    list_display = ("application", "person", "benefit", "engine_amount", "amount", "status")
    list_filter = ("status",)


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "published_on", "ends_on", "status")


@admin.register(Objection)
class ObjectionAdmin(ScopedThrough):
    scope = "notice__jurisdiction_id"
    list_display = ("notice", "line", "objector_name", "filed_on", "status")
    secret_fields = ("objector_contact",)


@admin.register(Instalment)
class InstalmentAdmin(ScopedThrough):
    scope = "schedule__line__application__jurisdiction_id"
    list_display = ("schedule", "seq", "due_month", "amount", "status")


@admin.register(PaymentKey)
class PaymentKeyAdmin(ReadOnlyAdmin):
    list_display = ("key", "instalment", "created_at", "released_at")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "fund_source", "year", "status", "created_by", "approved_by")


@admin.register(BatchItem)
class BatchItemAdmin(ScopedThrough):
    scope = "batch__jurisdiction_id"
    list_display = ("detail_number", "person", "amount", "status", "bank_reference")


@admin.register(LedgerPosting)
class LedgerPostingAdmin(ScopedThrough):
    scope = "fund_source__jurisdiction_id"
    list_display = ("id", "fund_source", "year", "kind", "memo", "posted_at")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ScopedThrough):
    scope = "fund_source__jurisdiction_id"
    list_display = ("posting", "account", "amount")
