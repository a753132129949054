"""The shell: sign-in, dashboard, navigation per role, audit trail, public landing page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.core.audit import audit_record
from gongjiang.core.choices import Role
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.web.navigation import navigation_for

ALL_ROLES = [role.value for role in Role]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_login_page_is_in_chinese(client):
    # when
    response = client.get(reverse("web:login"))

    # then
    content = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in content
    for label in ("用户名", "密码", "登录"):
        assert label in content


@pytest.mark.django_db
def test_login_with_a_wrong_password_shows_an_error(client, world, auditor):
    # when
    response = client.post(reverse("web:login"), {"username": auditor.username, "password": "wrong-password"})

    # then
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()


@pytest.mark.django_db
def test_login_redirects_to_home(client, world, auditor):
    # when
    response = client.post(reverse("web:login"), {"username": auditor.username, "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert response.url == reverse("web:home")


@pytest.mark.django_db
def test_home_requires_login(client):
    # when
    response = client.get(reverse("web:home"))

    # then
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_shows_role_jurisdiction_and_navigation(client, world, role):
    # given
    user = world.users[role]
    login(client, user)

    # when
    response = client.get(reverse("web:home"))

    # then
    content = response.content.decode()
    assert response.status_code == 200
    assert "退出" in content
    assert str(user.get_role_display()) in content
    assert world.jurisdiction.name in content
    for item in navigation_for(user):
        assert f'href="{item.url}"' in content


@pytest.mark.django_db
def test_logout_is_a_post_and_returns_to_login(client, world, auditor):
    # given
    login(client, auditor)

    # when
    response = client.post(reverse("web:logout"))

    # then
    assert response.status_code == 302
    assert response.url == reverse("web:login")
    assert client.get(reverse("web:home")).status_code == 302


@pytest.mark.django_db
def test_public_home_needs_no_login(client):
    # when
    response = client.get(reverse("web:public_home"))

    # then
    content = response.content.decode()
    assert response.status_code == 200
    for section in ("政策公开", "公示", "证书查询"):
        assert section in content


@pytest.mark.django_db
def test_pages_load_htmx_from_our_own_static_files(client, world, auditor):
    # given
    login(client, auditor)

    # when
    content = client.get(reverse("web:home")).content.decode()

    # then
    assert "/static/django_htmx/htmx-2.min.js" in content
    assert "/static/web/app.css" in content
    assert "https://" not in content
    assert "http://" not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.AUDITOR, 200),
        (Role.BUREAU_ADMIN, 200),
        (Role.CENTRE_REVIEWER, 403),
        (Role.FINANCE_OFFICER, 403),
        (Role.INSTITUTION_CLERK, 403),
        (Role.ENTERPRISE_CLERK, 403),
        (Role.PERSON, 403),
    ],
)
def test_audit_list_is_for_auditors_and_bureau_admins(client, world, role, status):
    # given
    login(client, world.users[role])

    # when
    response = client.get(reverse("web:audit_list"))

    # then
    assert response.status_code == status


@pytest.mark.django_db
def test_audit_list_requires_login(client):
    # when
    response = client.get(reverse("web:audit_list"))

    # then
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.django_db
def test_audit_list_shows_only_the_users_jurisdictions(client, world, auditor):
    # given: build_world created the other jurisdiction's institution and person through services
    login(client, auditor)

    # when
    response = client.get(reverse("web:audit_list"), {"object_type": "registry.institution"})

    # then
    content = response.content.decode()
    assert world.institution_a.name in content
    assert world.institution_other.name not in content


@pytest.mark.django_db
def test_audit_list_filters_by_object_type_and_action(client, world, auditor):
    # given
    login(client, auditor)

    # when
    teachers = client.get(reverse("web:audit_list"), {"object_type": "registry.teacher"}).content.decode()
    updates = client.get(reverse("web:audit_list"), {"action": "update"}).content.decode()

    # then
    assert world.teacher_a.name in teachers
    assert world.enterprise_a.name not in teachers
    assert world.teacher_a.name not in updates


@pytest.mark.django_db
def test_audit_list_is_newest_first_with_compact_json(client, world, auditor, bureau_admin):
    # given
    audit_record(
        actor=bureau_admin,
        obj=world.enterprise_a,
        action="update",
        before={"insured_headcount": 120},
        after={"insured_headcount": 130},
        reason="年度核对",
    )
    login(client, auditor)

    # when
    response = client.get(reverse("web:audit_list"))

    # then
    content = response.content.decode()
    rows = response.context["rows"]
    assert rows[0]["event"].reason == "年度核对"
    assert [row["event"].pk for row in rows] == sorted((row["event"].pk for row in rows), reverse=True)
    assert "{&quot;insured_headcount&quot;:130}" in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            Role.INSTITUTION_CLERK,
            [
                "首页",
                "人员",
                "培训机构",
                "师资",
                "职业目录",
                "急需紧缺职业",
                "培训班",
                "考勤设备",
                "取证就业指标",
                "任务进度",
                "资金申请",
                "补贴试算",
            ],
        ),
        (
            Role.ENTERPRISE_CLERK,
            ["首页", "人员", "企业", "职业目录", "急需紧缺职业", "资金申请", "人才调查", "补贴试算"],
        ),
        (Role.PERSON, ["首页", "人员", "职业目录", "急需紧缺职业", "资金申请", "补贴试算"]),
        (
            Role.AUDITOR,
            [
                "首页",
                "人员",
                "企业",
                "培训机构",
                "师资",
                "职业目录",
                "急需紧缺职业",
                "培训班",
                "取证就业指标",
                "任务进度",
                "资金申请",
                "人才调查",
                "高技能人才库",
                "补贴试算",
                "审计日志",
            ],
        ),
    ],
)
def test_navigation_per_role(world, role, expected):
    # when
    labels = [item.label for item in navigation_for(world.users[role])]

    # then
    assert labels == expected


@pytest.mark.django_db
def test_navigation_marks_the_current_page(client, world, auditor):
    # given
    login(client, auditor)

    # when
    content = client.get(reverse("registry:person_detail", args=[world.trainee_a.pk])).content.decode()

    # then
    assert f'<a href="{reverse("registry:person_list")}" class="is-current" aria-current="page">' in content
