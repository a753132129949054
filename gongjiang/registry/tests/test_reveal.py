"""Unmasking identifiers with a stated purpose (issue 8, log-in and sessions: "a role allowed to see
full ID numbers states a purpose each time, and the unmasking is audited").

Pages and the API show identifiers masked to every role; PII roles state a purpose per record and
per time; every unmasking is an audit event naming who, whom and why; lists and exports stay masked.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.core.choices import AuditAction, Role
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.core.permissions import PII_ROLES
from gongjiang.core.pii import decrypt
from gongjiang.registry import services
from gongjiang.registry.tests.factories import PASSWORD

NON_PII_ROLES = sorted(set(Role) - PII_ROLES)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def reveal_events():
    return AuditEvent.objects.filter(action=AuditAction.REVEAL)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PII_ROLES))
def test_pii_role_unmasks_a_person_on_the_page_with_a_purpose_and_it_is_audited(client, world, role):
    # given
    user = world.users[role]
    login(client, user)
    person = world.trainee_a
    url = reverse("registry:person_reveal", args=[person.pk])

    # when: the htmx form posts the purpose
    response = client.post(url, {"purpose": "verify_identity", "note": "来访核实"}, HTTP_HX_REQUEST="true")

    # then: this record's numbers, once, with the event in the trail
    content = response.content.decode()
    assert response.status_code == 200
    assert decrypt(person.id_number_encrypted) in content
    assert decrypt(person.bank_account_encrypted) in content
    event = reveal_events().get()
    assert (event.actor_id, event.object_id) == (user.pk, str(person.pk))
    assert event.reason == "核实本人身份：来访核实"
    assert event.after == {"purpose": "verify_identity", "fields": ["bank_account", "id_number", "phone"]}
    # and the next page view is masked again: a purpose is stated each time
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert decrypt(person.id_number_encrypted) not in page


@pytest.mark.django_db
def test_page_refuses_without_a_purpose_and_writes_nothing(client, world, centre_reviewer):
    # given
    login(client, centre_reviewer)
    url = reverse("registry:person_reveal", args=[world.trainee_a.pk])

    # when
    missing = client.post(url, {"purpose": ""})
    other_without_note = client.post(url, {"purpose": "other", "note": ""}, HTTP_HX_REQUEST="true")

    # then
    assert missing.status_code == 400
    assert "必须选择查看目的" in missing.content.decode()
    assert other_without_note.status_code == 200  # htmx swaps only 2xx: the form shows the error
    assert "须写明具体目的" in other_without_note.content.decode()
    for response in (missing, other_without_note):
        assert decrypt(world.trainee_a.id_number_encrypted) not in response.content.decode()
    assert not reveal_events().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_PII_ROLES)
def test_other_roles_cannot_unmask_by_page_or_api(client, world, role):
    # given a person this role can read
    login(client, world.users[role])
    person = world.employee_a if role == Role.ENTERPRISE_CLERK else world.trainee_a

    # when
    page = client.post(reverse("registry:person_reveal", args=[person.pk]), {"purpose": "payment"})
    api = client.post(
        f"/api/registry/people/{person.pk}/reveal", {"purpose": "payment"}, content_type="application/json"
    )

    # then
    assert page.status_code == 403
    assert api.status_code in (403, 404)
    assert decrypt(person.id_number_encrypted) not in page.content.decode() + api.content.decode()
    assert not reveal_events().exists()


@pytest.mark.django_db
def test_reveal_outside_the_users_scope_is_not_found(client, world, bureau_admin):
    # given a person in another jurisdiction
    login(client, bureau_admin)

    # when
    page = client.post(
        reverse("registry:person_reveal", args=[world.person_other.pk]), {"purpose": "payment"}
    )
    api = client.post(
        f"/api/registry/people/{world.person_other.pk}/reveal",
        {"purpose": "payment"},
        content_type="application/json",
    )

    # then
    assert page.status_code == 404 and api.status_code == 404
    assert not reveal_events().exists()


@pytest.mark.django_db
def test_api_reveals_a_teacher_with_a_purpose(client, world, finance_officer):
    # given
    login(client, finance_officer)

    # when
    response = client.post(
        f"/api/registry/teachers/{world.teacher_a.pk}/reveal",
        {"purpose": "inspection", "note": "2025年师资抽查"},
        content_type="application/json",
    )
    refused = client.post(
        f"/api/registry/teachers/{world.teacher_a.pk}/reveal", {"note": "x"}, content_type="application/json"
    )

    # then
    assert response.status_code == 200
    assert response.json()["id_number"] == decrypt(world.teacher_a.id_number_encrypted)
    assert refused.status_code == 422
    event = reveal_events().get()
    assert event.object_type == "registry.teacher"
    assert event.reason == "监督检查或审计取证：2025年师资抽查"


@pytest.mark.django_db
def test_teacher_page_offers_the_purpose_form_only_to_pii_roles(client, world, bureau_admin, auditor):
    # given
    url = reverse("registry:teacher_detail", args=[world.teacher_a.pk])

    # when
    admin_page = login(client, bureau_admin).get(url).content.decode()
    client.logout()
    auditor_page = login(client, auditor).get(url).content.decode()

    # then
    assert "查看完整信息" in admin_page and "查看目的" in admin_page
    assert "查看完整信息" not in auditor_page
    for page in (admin_page, auditor_page):
        assert world.teacher_a.id_number_masked in page
        assert decrypt(world.teacher_a.id_number_encrypted) not in page


@pytest.mark.django_db
def test_service_checks_role_purpose_and_jurisdiction(world, bureau_admin, auditor):
    # when / then
    with pytest.raises(PermissionDenied):
        services.person_reveal_identifiers(actor=auditor, person=world.trainee_a, purpose="payment")
    with pytest.raises(PermissionDenied):
        services.person_reveal_identifiers(actor=bureau_admin, person=world.person_other, purpose="payment")
    with pytest.raises(DomainError) as caught:
        services.person_reveal_identifiers(actor=bureau_admin, person=world.trainee_a, purpose="curiosity")
    assert caught.value.code == "purpose_required"
    assert not reveal_events().exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PII_ROLES))
def test_lists_and_exports_stay_masked_for_pii_roles(client, world, role):
    import io

    import openpyxl

    # given
    login(client, world.users[role])
    clear = decrypt(world.trainee_a.id_number_encrypted)

    # when
    page = client.get(reverse("registry:person_list")).content.decode()
    api = client.get("/api/registry/people").content.decode()
    export = client.get("/api/registry/people/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)

    # then
    for text in (page, api, cells):
        assert clear not in text
        assert world.trainee_a.id_number_masked in text
