from django.contrib import admin

from gongjiang.core.admin import ReadOnlyAdmin

from .models import Enterprise, Institution, InstitutionListChange, Person, ServiceUnit, Teacher

ENCRYPTED = ("id_number_hash", "id_number_encrypted", "phone_encrypted", "bank_account_encrypted")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "sex", "household_type", "employer", "is_deleted")
    list_filter = ("household_type", "is_deleted", "is_registered_unemployed", "is_rural_migrant_worker")
    search_fields = ("name",)
    secret_fields = ENCRYPTED


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "ownership", "size", "insured_headcount", "is_deleted")
    list_filter = ("ownership", "size", "is_deleted")
    search_fields = ("name", "credit_code")


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "filing_status", "list_state", "evaluation_qualification")
    list_filter = ("filing_status", "list_state")
    search_fields = ("name",)


@admin.register(InstitutionListChange)
class InstitutionListChangeAdmin(ReadOnlyAdmin):
    list_display = ("institution", "from_state", "to_state", "reason", "changed_by", "changed_at")


@admin.register(Teacher)
class TeacherAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "filing_number", "filed_on", "is_deleted")
    search_fields = ("name", "filing_number")
    secret_fields = ("id_number_hash", "id_number_encrypted", "phone_encrypted")


@admin.register(ServiceUnit)
class ServiceUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "jurisdiction")
