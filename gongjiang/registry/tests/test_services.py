"""Registry writes: validation, personal data at rest, scoping of writers, soft deletion."""

from __future__ import annotations

import pytest
from django.http import Http404

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.core.pii import decrypt, keyed_hash
from gongjiang.registry import selectors, services
from gongjiang.registry.models import InstitutionListChange, Person
from gongjiang.registry.tests.factories import new_id_number


def test_person_identifiers_are_encrypted_hashed_and_masked(world, bureau_admin):
    # given
    number = new_id_number(birth="19950607", sex="female")
    # when
    person = services.person_create(
        actor=bureau_admin,
        jurisdiction=world.jurisdiction,
        name="孙女士",
        id_number=number,
        household_type="urban",
        phone="13987654321",
        bank_account="6222021234567890123",
    )
    person.refresh_from_db()
    # then nothing is stored in clear, the hash finds her, and the masks follow the format
    assert number not in (person.id_number_encrypted, person.id_number_masked)
    assert decrypt(person.id_number_encrypted) == number
    assert Person.objects.get(id_number_hash=keyed_hash(number)) == person
    assert person.id_number_masked == number[:6] + "********" + number[-4:]
    assert person.phone_masked == "139****4321"
    assert person.bank_account_masked == "****0123"
    assert (person.birth_date.isoformat(), person.sex) == ("1995-06-07", "female")


def test_audit_event_never_contains_clear_identifiers(world, bureau_admin):
    number = new_id_number()
    services.person_create(
        actor=bureau_admin,
        jurisdiction=world.jurisdiction,
        name="周先生",
        id_number=number,
        household_type="urban",
        phone="13700001234",
    )
    event = AuditEvent.objects.order_by("-id").first()
    dumped = str(event.after)
    assert number not in dumped and "13700001234" not in dumped
    assert "id_number_encrypted" not in event.after and "id_number_hash" not in event.after


def test_duplicate_person_is_refused(world, bureau_admin):
    number = decrypt(world.trainee_a.id_number_encrypted)
    with pytest.raises(DomainError, match="已登记"):
        services.person_create(
            actor=bureau_admin,
            jurisdiction=world.jurisdiction,
            name="重复",
            id_number=number,
            household_type="rural",
        )


def test_institution_clerk_registers_own_trainee_only(world, institution_clerk):
    # when a clerk of institution A registers a person
    person = services.person_create(
        actor=institution_clerk,
        jurisdiction=world.jurisdiction,
        name="新学员",
        id_number=new_id_number(),
        household_type="rural",
        is_rural_migrant_worker=True,
    )
    # then that person is A's trainee and visible to the clerk
    assert selectors.person_get(institution_clerk, person.pk) == person
    # and the clerk cannot attach anyone to institution B
    with pytest.raises(DomainError):
        services.institution_trainee_register(
            actor=institution_clerk, institution=world.institution_b, person=person
        )


@pytest.mark.parametrize("role", ["enterprise_clerk", "person", "auditor", "finance_officer"])
def test_roles_without_the_capability_cannot_register_people(world, role):
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=world.users[role],
            jurisdiction=world.jurisdiction,
            name="x",
            id_number=new_id_number(),
            household_type="rural",
        )


def test_writes_outside_the_users_jurisdiction_are_refused(world, bureau_admin):
    with pytest.raises(PermissionDenied, match="辖区"):
        services.person_update(actor=bureau_admin, person=world.person_other, is_veteran=True)


def test_soft_delete_keeps_the_row_and_hides_it(world, bureau_admin, institution_clerk):
    # when
    services.person_soft_delete(actor=bureau_admin, person=world.trainee_a, reason="重复登记")
    # then it is kept with its reason, hidden from lists, shown to staff on request
    world.trainee_a.refresh_from_db()
    assert world.trainee_a.is_deleted and world.trainee_a.deletion_reason == "重复登记"
    assert world.trainee_a not in selectors.person_list(bureau_admin)
    assert world.trainee_a in selectors.person_list(bureau_admin, include_deleted=True)
    with pytest.raises(Http404):
        selectors.person_get(institution_clerk, world.trainee_a.pk)
    # and a reason is required
    with pytest.raises(DomainError, match="原因"):
        services.person_soft_delete(actor=bureau_admin, person=world.trainee_b, reason=" ")


def test_list_state_change_keeps_history_and_needs_admin(world, bureau_admin, centre_reviewer):
    # when the bureau black-lists institution B
    services.institution_set_list_state(
        actor=bureau_admin, institution=world.institution_b, state="black", reason="虚假培训"
    )
    # then its history has the change
    change = InstitutionListChange.objects.get(institution=world.institution_b)
    assert (change.from_state, change.to_state, change.reason) == ("normal", "black", "虚假培训")
    # and a reviewer may not change list states
    with pytest.raises(PermissionDenied):
        services.institution_set_list_state(
            actor=centre_reviewer, institution=world.institution_a, state="white", reason="优秀"
        )


def test_non_editable_fields_are_refused(world, bureau_admin):
    with pytest.raises(DomainError, match="不可修改"):
        services.enterprise_update(actor=bureau_admin, enterprise=world.enterprise_a, credit_code="X")
