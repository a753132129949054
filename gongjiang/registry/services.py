"""Writes of the registry. Every function is atomic, checks the actor's role and jurisdiction,
validates, and writes its audit event in the same transaction.

Identifiers are validated before anything is stored (GB 11643 resident ID, GB 32100 credit code);
a person's ID, phone and bank account are stored encrypted, hashed and masked (`set_identifiers`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.core.audit import audit_record, record_create, record_update, snapshot
from gongjiang.core.choices import AuditAction, Role
from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import require, require_jurisdiction, role_of
from gongjiang.core.pii import (
    decrypt,
    encrypt,
    keyed_hash,
    mask_bank_account,
    mask_phone,
    reveal_purpose_text,
)
from gongjiang.core.validation import validated

from .choices import ListState
from .identifiers import set_identifiers
from .models import (
    Enterprise,
    Institution,
    InstitutionListChange,
    InstitutionScope,
    InstitutionTrainee,
    Person,
    ServiceUnit,
    Teacher,
)
from .validators import bank_account_clean, credit_code_clean, phone_clean, resident_id_parse

PERSON_EDITABLE = frozenset(
    {
        "name",
        "household_type",
        "bank_name",
        "is_graduate_of_year",
        "is_poverty_monitoring",
        "is_unenrolled_graduate",
        "is_rural_migrant_worker",
        "is_registered_unemployed",
        "is_employment_difficulty",
        "is_urban_rural_dibao",
        "is_veteran",
        "is_disabled",
        "employer",
        "contract_start",
        "contract_term_months",
        "insured_since",
    }
)
ENTERPRISE_EDITABLE = frozenset({"name", "ownership", "size", "business_field", "insured_headcount"})
INSTITUTION_EDITABLE = frozenset(
    {
        "name",
        "service_unit",
        "filing_status",
        "filed_on",
        "evaluation_qualification",
        "contact_name",
        "address",
    }
)
TEACHER_EDITABLE = frozenset({"name", "qualification", "filed_on"})


def _apply(instance: Any, changes: dict[str, Any], editable: frozenset[str]) -> None:
    unknown = set(changes) - editable
    if unknown:
        raise DomainError("field_not_editable", "以下字段不可修改：" + "、".join(sorted(unknown)))
    for field, value in changes.items():
        setattr(instance, field, value)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise DomainError("reason_required", "必须填写原因")


def _update(
    record: Any, *, actor: Any, changes: dict[str, Any], editable: frozenset[str], reason: str
) -> Any:
    """The shared body of the `<entity>_update` services: scope, whitelist, validate, save, audit."""
    require(actor, "registry.manage")
    require_jurisdiction(actor, record.jurisdiction_id)
    before = snapshot(record)
    _apply(record, changes, editable)
    validated(record)
    record.save()
    record_update(record, before, actor=actor, event_type=f"{record._meta.model_name}_updated", reason=reason)
    return record


def _soft_delete(record: Any, *, actor: Any, reason: str, event_type: str) -> None:
    _require_reason(reason)
    if record.is_deleted:
        raise DomainError("already_deleted", "该记录已删除")
    before = snapshot(record, ["is_deleted", "deleted_at", "deletion_reason"])
    record.is_deleted = True
    record.deleted_at = timezone.now()
    record.deletion_reason = reason
    record.save(update_fields=["is_deleted", "deleted_at", "deletion_reason"])
    record_update(record, before, actor=actor, event_type=event_type, reason=reason, action="soft_delete")


# People ------------------------------------------------------------------------------------------


def person_check_new(*, jurisdiction: Jurisdiction, id_number: str) -> str:
    """Validate an ID for a new person; returns the normalised number. Used by create and import."""
    parsed = resident_id_parse(id_number)
    if Person.objects.filter(id_number_hash=keyed_hash(parsed.number)).exists():
        raise DomainError("duplicate_person", "该身份证号已登记")
    return parsed.number


@transaction.atomic
def person_create(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    name: str,
    id_number: str,
    household_type: str,
    phone: str = "",
    bank_name: str = "",
    bank_account: str = "",
    employer: Enterprise | None = None,
    **attributes: Any,
) -> Person:
    """Register a person. An institution clerk's new person becomes a trainee of their institution."""
    require(actor, "registry.manage_person")
    require_jurisdiction(actor, jurisdiction.pk)
    person_check_new(jurisdiction=jurisdiction, id_number=id_number)
    person = Person(
        jurisdiction=jurisdiction, name=name.strip(), household_type=household_type, employer=employer
    )
    _apply(person, attributes, PERSON_EDITABLE)
    set_identifiers(person, id_number=id_number, phone=phone)
    account = bank_account_clean(bank_account)
    person.bank_name = bank_name
    person.bank_account_encrypted = encrypt(account)
    person.bank_account_masked = mask_bank_account(account)
    if employer is not None and employer.jurisdiction_id != jurisdiction.pk:
        raise DomainError("wrong_jurisdiction", "工作单位不在同一辖区")
    validated(person)
    person.save()
    record_create(person, actor=actor, event_type="person_created")
    if role_of(actor) == Role.INSTITUTION_CLERK:
        institution_trainee_register(actor=actor, institution=actor.institution, person=person)
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, reason: str = "", **changes: Any) -> Person:
    return _update(person, actor=actor, changes=changes, editable=PERSON_EDITABLE, reason=reason)


@transaction.atomic
def person_set_contact(
    *, actor: Any, person: Person, phone: str, bank_name: str, bank_account: str, reason: str
) -> Person:
    """Change phone and bank account. The audit event records only masked values."""
    require(actor, "registry.manage")
    require_jurisdiction(actor, person.jurisdiction_id)
    _require_reason(reason)
    fields = ["phone_masked", "bank_name", "bank_account_masked"]
    before = snapshot(person, fields)
    clean_phone, account = phone_clean(phone), bank_account_clean(bank_account)
    person.phone_encrypted, person.phone_masked = encrypt(clean_phone), mask_phone(clean_phone)
    person.bank_name = bank_name
    person.bank_account_encrypted, person.bank_account_masked = encrypt(account), mask_bank_account(account)
    person.save()
    audit_record(
        actor=actor,
        obj=person,
        action="update",
        event_type="person_contact_changed",
        before=before,
        after=snapshot(person, fields),
        reason=reason,
    )
    return person


@transaction.atomic
def person_soft_delete(*, actor: Any, person: Person, reason: str) -> Person:
    require(actor, "registry.manage")
    require_jurisdiction(actor, person.jurisdiction_id)
    _soft_delete(person, actor=actor, reason=reason, event_type="person_deleted")
    return person


# Enterprises -------------------------------------------------------------------------------------


@transaction.atomic
def enterprise_create(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    name: str,
    credit_code: str,
    ownership: str,
    size: str,
    **attributes: Any,
) -> Enterprise:
    require(actor, "registry.manage")
    require_jurisdiction(actor, jurisdiction.pk)
    code = credit_code_clean(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise DomainError("duplicate_enterprise", "该统一社会信用代码已登记")
    enterprise = Enterprise(
        jurisdiction=jurisdiction, name=name.strip(), credit_code=code, ownership=ownership, size=size
    )
    _apply(enterprise, attributes, ENTERPRISE_EDITABLE)
    validated(enterprise)
    enterprise.save()
    record_create(enterprise, actor=actor, event_type="enterprise_created")
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, reason: str = "", **changes: Any) -> Enterprise:
    return _update(enterprise, actor=actor, changes=changes, editable=ENTERPRISE_EDITABLE, reason=reason)


@transaction.atomic
def enterprise_soft_delete(*, actor: Any, enterprise: Enterprise, reason: str) -> Enterprise:
    require(actor, "registry.manage")
    require_jurisdiction(actor, enterprise.jurisdiction_id)
    _soft_delete(enterprise, actor=actor, reason=reason, event_type="enterprise_deleted")
    return enterprise


# Service units, institutions ---------------------------------------------------------------------


@transaction.atomic
def service_unit_create(
    *, actor: Any, jurisdiction: Jurisdiction, code: str, name: str, kind: str
) -> ServiceUnit:
    if actor is not None:
        require(actor, "users.manage")
        require_jurisdiction(actor, jurisdiction.pk)
    unit = ServiceUnit(jurisdiction=jurisdiction, code=code, name=name, kind=kind)
    validated(unit)
    unit.save()
    record_create(unit, actor=actor, event_type="service_unit_created")
    return unit


@transaction.atomic
def institution_create(
    *, actor: Any, jurisdiction: Jurisdiction, name: str, credit_code: str, **attributes: Any
) -> Institution:
    require(actor, "registry.manage")
    require_jurisdiction(actor, jurisdiction.pk)
    code = credit_code_clean(credit_code)
    if Institution.objects.filter(credit_code=code).exists():
        raise DomainError("duplicate_institution", "该统一社会信用代码已登记为培训机构")
    institution = Institution(jurisdiction=jurisdiction, name=name.strip(), credit_code=code)
    _apply(institution, attributes, INSTITUTION_EDITABLE)
    validated(institution)
    institution.save()
    record_create(institution, actor=actor, event_type="institution_created")
    return institution


@transaction.atomic
def institution_update(
    *, actor: Any, institution: Institution, reason: str = "", **changes: Any
) -> Institution:
    return _update(institution, actor=actor, changes=changes, editable=INSTITUTION_EDITABLE, reason=reason)


@transaction.atomic
def institution_set_list_state(
    *, actor: Any, institution: Institution, state: str, reason: str
) -> Institution:
    """Move an institution on or off the white/black list, keeping the history (四(三) 黑白名单)."""
    require(actor, "registry.set_list_state")
    require_jurisdiction(actor, institution.jurisdiction_id)
    _require_reason(reason)
    if state not in ListState.values:
        raise DomainError("invalid_list_state", f"未知名单状态：{state}")
    if state == institution.list_state:
        raise DomainError("list_state_unchanged", "名单状态未变化")
    before = snapshot(institution, ["list_state"])
    InstitutionListChange.objects.create(
        institution=institution,
        from_state=institution.list_state,
        to_state=state,
        reason=reason,
        changed_by=actor,
    )
    institution.list_state = state
    institution.save(update_fields=["list_state"])
    record_update(
        institution,
        before,
        actor=actor,
        event_type="institution_list_state_changed",
        reason=reason,
        action="transition",
    )
    return institution


@transaction.atomic
def institution_scope_set(
    *, actor: Any, institution: Institution, occupation: Any, level: Any, may_train: bool, may_evaluate: bool
) -> InstitutionScope:
    require(actor, "registry.manage")
    require_jurisdiction(actor, institution.jurisdiction_id)
    scope, created = InstitutionScope.objects.get_or_create(
        institution=institution,
        occupation=occupation,
        level=level,
        defaults={"may_train": may_train, "may_evaluate": may_evaluate},
    )
    if created:
        record_create(scope, actor=actor, event_type="institution_scope_added")
        return scope
    before = snapshot(scope)
    scope.may_train, scope.may_evaluate = may_train, may_evaluate
    scope.save()
    record_update(scope, before, actor=actor, event_type="institution_scope_changed")
    return scope


@transaction.atomic
def institution_soft_delete(*, actor: Any, institution: Institution, reason: str) -> Institution:
    require(actor, "registry.manage")
    require_jurisdiction(actor, institution.jurisdiction_id)
    _soft_delete(institution, actor=actor, reason=reason, event_type="institution_deleted")
    return institution


@transaction.atomic
def institution_trainee_register(
    *, actor: Any, institution: Institution, person: Person
) -> InstitutionTrainee:
    """Make a person visible to an institution's clerks (later: done by roster import)."""
    require(actor, "registry.manage_person")
    if role_of(actor) == Role.INSTITUTION_CLERK and actor.institution_id != institution.pk:
        raise DomainError("permission_denied", "只能登记本机构的学员")
    require_jurisdiction(actor, institution.jurisdiction_id)
    if person.jurisdiction_id != institution.jurisdiction_id:
        raise DomainError("wrong_jurisdiction", "学员与机构不在同一辖区")
    link, created = InstitutionTrainee.objects.get_or_create(institution=institution, person=person)
    if created:
        record_create(link, actor=actor, event_type="institution_trainee_registered")
    return link


# Teachers ----------------------------------------------------------------------------------------


@transaction.atomic
def teacher_create(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    name: str,
    id_number: str,
    filing_number: str,
    filed_on: dt.date,
    phone: str = "",
    qualification: str = "",
    institutions: list[Institution] | None = None,
    occupations: list[Any] | None = None,
) -> Teacher:
    require(actor, "registry.manage")
    require_jurisdiction(actor, jurisdiction.pk)
    number = resident_id_parse(id_number).number
    if Teacher.objects.filter(id_number_hash=keyed_hash(number)).exists():
        raise DomainError("duplicate_teacher", "该身份证号已备案为师资")
    teacher = Teacher(
        jurisdiction=jurisdiction,
        name=name.strip(),
        filing_number=filing_number,
        filed_on=filed_on,
        qualification=qualification,
    )
    set_identifiers(teacher, id_number=number, phone=phone)
    validated(teacher)
    teacher.save()
    for institution in institutions or []:
        if institution.jurisdiction_id != jurisdiction.pk:
            raise DomainError("wrong_jurisdiction", "师资与机构不在同一辖区")
    teacher.institutions.set(institutions or [])
    teacher.occupations.set(occupations or [])
    after = snapshot(teacher)
    after["institutions"] = sorted(i.pk for i in institutions or [])
    after["occupations"] = sorted(o.pk for o in occupations or [])
    audit_record(actor=actor, obj=teacher, action="create", event_type="teacher_filed", after=after)
    return teacher


@transaction.atomic
def teacher_update(*, actor: Any, teacher: Teacher, reason: str = "", **changes: Any) -> Teacher:
    return _update(teacher, actor=actor, changes=changes, editable=TEACHER_EDITABLE, reason=reason)


@transaction.atomic
def teacher_soft_delete(*, actor: Any, teacher: Teacher, reason: str) -> Teacher:
    require(actor, "registry.manage")
    require_jurisdiction(actor, teacher.jurisdiction_id)
    _soft_delete(teacher, actor=actor, reason=reason, event_type="teacher_deleted")
    return teacher


# Unmasking ------------------------------------------------------------------------------------


def _reveal(
    record: Person | Teacher, *, actor: Any, purpose: str, note: str, values: dict[str, str]
) -> dict[str, str]:
    require(actor, "pii.reveal")
    require_jurisdiction(actor, record.jurisdiction_id)
    reason = reveal_purpose_text(purpose, note)
    audit_record(
        actor=actor,
        obj=record,
        action=AuditAction.REVEAL,
        event_type=f"{record._meta.model_name}_identifiers_revealed",
        after={"purpose": purpose, "fields": sorted(k for k, v in values.items() if v)},
        reason=reason,
    )
    return values


@transaction.atomic
def person_reveal_identifiers(*, actor: Any, person: Person, purpose: str, note: str = "") -> dict[str, str]:
    """A person's full ID number, phone and bank account for a role allowed to see them, for the
    stated purpose; the unmasking is an audit event (who, whom, why, when)."""
    return _reveal(
        person,
        actor=actor,
        purpose=purpose,
        note=note,
        values={
            "id_number": decrypt(person.id_number_encrypted),
            "phone": decrypt(person.phone_encrypted),
            "bank_account": decrypt(person.bank_account_encrypted),
        },
    )


@transaction.atomic
def teacher_reveal_identifiers(
    *, actor: Any, teacher: Teacher, purpose: str, note: str = ""
) -> dict[str, str]:
    """A teacher's full ID number and phone, as `person_reveal_identifiers`."""
    return _reveal(
        teacher,
        actor=actor,
        purpose=purpose,
        note=note,
        values={
            "id_number": decrypt(teacher.id_number_encrypted),
            "phone": decrypt(teacher.phone_encrypted),
        },
    )
