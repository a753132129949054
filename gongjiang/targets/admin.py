from django.contrib import admin

from gongjiang.core.admin import ReadOnlyAdmin

from .models import RecipientImport, SkillUpgradeRecipient, TargetCell, TargetGoal, TargetTable


@admin.register(TargetTable)
class TargetTableAdmin(ReadOnlyAdmin):
    list_display = ("title", "year", "document", "source", "counts_skill_upgrade_recipients")


@admin.register(TargetCell)
class TargetCellAdmin(ReadOnlyAdmin):
    list_display = ("table", "service_unit", "column", "value")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from gongjiang.core.permissions import jurisdiction_ids

        return super().get_queryset(request).filter(table__jurisdiction_id__in=jurisdiction_ids(request.user))


@admin.register(TargetGoal)
class TargetGoalAdmin(ReadOnlyAdmin):
    list_display = ("title", "document", "clause", "value", "unit", "year_from", "year_to", "measure")


@admin.register(RecipientImport)
class RecipientImportAdmin(ReadOnlyAdmin):
    list_display = ("year", "filename", "row_count", "imported_by", "imported_at")


@admin.register(SkillUpgradeRecipient)
class SkillUpgradeRecipientAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "year", "service_unit", "level", "paid_on", "amount")
    secret_fields = ("id_number_hash", "id_number_encrypted")
