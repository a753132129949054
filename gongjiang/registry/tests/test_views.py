"""Registry pages: who may open which list, whose rows they see, and how ID numbers are shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.core.choices import Role
from gongjiang.core.pii import decrypt
from gongjiang.registry import services
from gongjiang.registry.tests.factories import PASSWORD

ALL_ROLES = [role.value for role in Role]
READERS = {Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.FINANCE_OFFICER, Role.AUDITOR}

LIST_ACCESS = {
    "registry:person_list": set(Role),
    "registry:enterprise_list": READERS | {Role.ENTERPRISE_CLERK},
    "registry:institution_list": READERS | {Role.INSTITUTION_CLERK},
    "registry:teacher_list": READERS | {Role.INSTITUTION_CLERK},
}
LIST_CASES = [(url_name, role) for url_name in LIST_ACCESS for role in ALL_ROLES]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def clear_id(person) -> str:
    return decrypt(person.id_number_encrypted)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), LIST_CASES)
def test_list_pages_render_for_allowed_roles_and_refuse_others(client, world, url_name, role):
    # given
    login(client, world.users[role])

    # when
    response = client.get(reverse(url_name))

    # then
    expected = 200 if role in LIST_ACCESS[url_name] else 403
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(LIST_ACCESS))
def test_list_pages_redirect_anonymous_users_to_login(client, url_name):
    # when
    response = client.get(reverse(url_name))

    # then
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.django_db
def test_detail_pages_redirect_anonymous_users_to_login(client, world):
    # when
    response = client.get(reverse("registry:person_detail", args=[world.trainee_a.pk]))

    # then
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.django_db
def test_institution_clerk_gets_404_on_a_trainee_of_another_institution(client, world, institution_clerk):
    # given
    login(client, institution_clerk)

    # when
    own = client.get(reverse("registry:person_detail", args=[world.trainee_a.pk]))
    other = client.get(reverse("registry:person_detail", args=[world.trainee_b.pk]))

    # then
    assert own.status_code == 200
    assert other.status_code == 404


@pytest.mark.django_db
def test_institution_clerk_lists_only_their_trainees(client, world, institution_clerk):
    # given
    login(client, institution_clerk)

    # when
    response = client.get(reverse("registry:person_list"))

    # then
    content = response.content.decode()
    assert world.trainee_a.name in content
    assert world.trainee_b.name not in content
    assert world.employee_a.name not in content


@pytest.mark.django_db
def test_enterprise_clerk_gets_404_on_another_enterprise(client, world, enterprise_clerk):
    # given
    login(client, enterprise_clerk)

    # when
    own = client.get(reverse("registry:enterprise_detail", args=[world.enterprise_a.pk]))
    other = client.get(reverse("registry:enterprise_detail", args=[world.enterprise_b.pk]))

    # then
    assert own.status_code == 200
    assert world.employee_a.name in own.content.decode()
    assert other.status_code == 404


@pytest.mark.django_db
def test_bureau_staff_do_not_see_other_jurisdictions(client, world, bureau_admin):
    # given
    login(client, bureau_admin)

    # when
    people = client.get(reverse("registry:person_list")).content.decode()
    institutions = client.get(reverse("registry:institution_list")).content.decode()
    detail = client.get(reverse("registry:person_detail", args=[world.person_other.pk]))

    # then
    assert world.trainee_a.name in people
    assert world.person_other.name not in people
    assert world.institution_other.name not in institutions
    assert detail.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_person_list_always_shows_masked_id_numbers(client, world, role):
    # given
    login(client, world.users[role])
    visible = world.employee_a if role == Role.ENTERPRISE_CLERK else world.trainee_a

    # when
    content = client.get(reverse("registry:person_list")).content.decode()

    # then
    assert visible.name in content
    assert visible.id_number_masked in content
    assert clear_id(visible) not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_clear"),
    [
        # PII roles too see the masked number until they state a purpose (test_reveal.py)
        (Role.BUREAU_ADMIN, False),
        (Role.CENTRE_REVIEWER, False),
        (Role.FINANCE_OFFICER, False),
        (Role.AUDITOR, False),
        (Role.INSTITUTION_CLERK, False),
        (Role.PERSON, True),  # the person looking at their own record
    ],
)
def test_person_detail_shows_clear_or_masked_id_by_role(client, world, role, sees_clear):
    # given
    login(client, world.users[role])
    person = world.trainee_a

    # when
    response = client.get(reverse("registry:person_detail", args=[person.pk]))

    # then
    content = response.content.decode()
    assert response.status_code == 200
    assert (clear_id(person) in content) is sees_clear
    assert (person.id_number_masked in content) is not sees_clear


@pytest.mark.django_db
def test_person_list_search_by_name(client, world, bureau_admin):
    # given
    login(client, bureau_admin)

    # when
    content = client.get(reverse("registry:person_list"), {"q": "张"}).content.decode()

    # then
    assert world.trainee_a.name in content
    assert world.trainee_b.name not in content


@pytest.mark.django_db
def test_person_list_search_by_full_id_number_uses_exact_hash_match(client, world, bureau_admin):
    # given
    login(client, bureau_admin)
    id_number = clear_id(world.employee_a)

    # when
    exact = client.get(reverse("registry:person_list"), {"q": id_number}).content.decode()
    lower_x = client.get(reverse("registry:person_list"), {"q": id_number.lower()}).content.decode()
    partial = client.get(reverse("registry:person_list"), {"q": id_number[:10]}).content.decode()

    # then
    assert world.employee_a.name in exact
    assert world.trainee_a.name not in exact
    assert world.employee_a.name in lower_x
    assert world.employee_a.name not in partial


@pytest.mark.django_db
def test_person_list_shows_priority_group_tags_and_employer(client, world, bureau_admin):
    # given
    login(client, bureau_admin)

    # when
    content = client.get(reverse("registry:person_list")).content.decode()

    # then
    assert "农村转移就业" in content
    assert "登记失业" in content
    assert world.enterprise_a.name in content


@pytest.mark.django_db
def test_person_list_query_count_does_not_grow_with_rows(
    client, world, bureau_admin, django_assert_max_num_queries
):
    # given
    login(client, bureau_admin)

    # when / then
    with django_assert_max_num_queries(10):
        response = client.get(reverse("registry:person_list"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_institution_detail_shows_list_state_history(client, world, bureau_admin):
    # given
    services.institution_set_list_state(
        actor=bureau_admin, institution=world.institution_a, state="black", reason="虚报培训人数"
    )
    login(client, bureau_admin)

    # when
    response = client.get(reverse("registry:institution_detail", args=[world.institution_a.pk]))

    # then
    content = response.content.decode()
    assert response.status_code == 200
    assert "黑名单" in content
    assert "虚报培训人数" in content
    assert world.teacher_a.name in content


@pytest.mark.django_db
def test_institution_clerk_sees_only_their_institution_and_teachers(client, world, institution_clerk):
    # given
    login(client, institution_clerk)

    # when
    institutions = client.get(reverse("registry:institution_list")).content.decode()
    teachers = client.get(reverse("registry:teacher_list")).content.decode()
    other = client.get(reverse("registry:institution_detail", args=[world.institution_b.pk]))
    other_teacher = client.get(reverse("registry:teacher_detail", args=[world.teacher_b.pk]))

    # then
    assert world.institution_a.name in institutions
    assert world.institution_b.name not in institutions
    assert world.teacher_a.name in teachers
    assert world.teacher_b.name not in teachers
    assert other.status_code == 404
    assert other_teacher.status_code == 404


@pytest.mark.django_db
def test_teacher_detail_shows_masked_id(client, world, bureau_admin):
    # given
    login(client, bureau_admin)

    # when
    response = client.get(reverse("registry:teacher_detail", args=[world.teacher_a.pk]))

    # then
    content = response.content.decode()
    assert response.status_code == 200
    assert world.teacher_a.id_number_masked in content
    assert decrypt(world.teacher_a.id_number_encrypted) not in content
