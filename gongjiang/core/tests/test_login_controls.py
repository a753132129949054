"""Log-in and session controls (issue 8; OWASP ASVS 5.0 L2 §6–7; 等保2.0 第三级 身份鉴别).

Second factor for staff roles (enrolment with a QR code, codes once only), lock-out per account
name and per address, idle and absolute session time-outs, disabling a user ends their sessions,
password rules, and an audit event for every log-in, failure, lock-out and refusal.
Codes are derived from seeded secrets (`otp.py`), never typed in.
"""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gongjiang.core import authn
from gongjiang.core.choices import AuditAction, Role
from gongjiang.core.errors import DomainError
from gongjiang.core.models import AuditEvent, LoginThrottle, TotpDevice, UserSession
from gongjiang.core.services import user_create, user_deactivate, user_otp_reset
from gongjiang.core.tests import otp
from gongjiang.registry.tests.factories import PASSWORD

OTP_ON = override_settings(GONGJIANG_OTP_REQUIRED=True)
STAFF = [Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.FINANCE_OFFICER, Role.AUDITOR]
LOGIN = "/login/"


def login_events(event_type: str | None = None):
    qs = AuditEvent.objects.filter(action=AuditAction.LOGIN)
    return qs.filter(event_type=event_type) if event_type else qs


def post_password(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def is_logged_in(client: Client) -> bool:
    return client.get("/api/core/me").status_code == 200


# Second factor ------------------------------------------------------------------------------------


@OTP_ON
@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF)
def test_staff_enrol_with_a_qr_code_then_log_in_with_the_code(world, role):
    # given a staff user without a device
    client = Client()
    user = world.users[role]

    # when the password is right
    response = post_password(client, user.username)

    # then not yet logged in: the enrolment page with an inline SVG QR code and the secret
    assert response.status_code == 302 and response["Location"] == reverse("account:otp_enrol")
    assert not is_logged_in(client)
    page = client.get(reverse("account:otp_enrol")).content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    secret = re.search(r"data-otp-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")

    # when the first code from the authenticator is entered
    done = client.post(reverse("account:otp_enrol"), {"code": pyotp.TOTP(secret).now()})

    # then logged in, the device confirmed, both in the audit trail
    assert done.status_code == 302 and done["Location"] == "/"
    assert is_logged_in(client)
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    assert login_events("otp_enrolled").filter(object_id=str(user.pk)).count() == 1
    succeeded = login_events("login_succeeded").get(object_id=str(user.pk))
    assert succeeded.after["second_factor"] is True and succeeded.actor_id == user.pk


@OTP_ON
@pytest.mark.django_db
def test_enrolled_staff_need_the_current_code_and_a_code_works_once(world, centre_reviewer):
    # given a device with a known secret
    otp.seed_device(centre_reviewer)
    first, second = Client(), Client()

    # when logging in with the code, then replaying the same code in another browser
    assert post_password(first, centre_reviewer.username)["Location"] == reverse("account:otp_verify")
    code = otp.code()
    ok = first.post(reverse("account:otp_verify"), {"code": code})
    post_password(second, centre_reviewer.username)
    replay = second.post(reverse("account:otp_verify"), {"code": code})

    # then the first works, the replay is refused and counted as a failure
    assert ok.status_code == 302 and is_logged_in(first)
    assert replay.status_code == 400 and "动态口令错误或已使用" in replay.content.decode()
    assert not is_logged_in(second)
    assert login_events("otp_failed").filter(object_id=str(centre_reviewer.pk)).count() == 1


@OTP_ON
@pytest.mark.django_db
def test_clerks_and_people_log_in_with_the_password_alone(world, institution_clerk, person_user):
    for user in (institution_clerk, person_user):
        client = Client()
        response = post_password(client, user.username)
        assert response.status_code == 302 and response["Location"] == "/"
        assert is_logged_in(client)


@OTP_ON
@pytest.mark.django_db
def test_the_code_page_needs_the_password_first(world):
    # given a fresh browser
    client = Client()

    # when it goes straight to the code step
    response = client.post(reverse("account:otp_verify"), {"code": "123456"})

    # then back to the password
    assert response.status_code == 302 and response["Location"] == LOGIN


@OTP_ON
@pytest.mark.django_db
def test_a_session_made_without_the_second_factor_is_ended(world, bureau_admin):
    # given a staff session opened around the log-in page (e.g. another authentication path)
    client = Client()
    assert client.login(username=bureau_admin.username, password=PASSWORD)

    # when it makes a request
    response = client.get("/")

    # then it is logged out and the refusal is audited
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert login_events("session_refused_without_second_factor").count() == 1


@pytest.mark.django_db
def test_demo_and_test_settings_switch_the_second_factor_off(world, bureau_admin):
    client = Client()
    response = post_password(client, bureau_admin.username)
    assert response.status_code == 302 and response["Location"] == "/"
    assert login_events("login_succeeded").get().after["second_factor"] is False


@OTP_ON
@pytest.mark.django_db
def test_an_admin_resets_a_lost_authenticator(world, bureau_admin, auditor):
    # given an auditor with a device and a session
    otp.seed_device(auditor)
    client = Client()
    post_password(client, auditor.username)
    client.post(reverse("account:otp_verify"), {"code": otp.code()})
    assert is_logged_in(client)

    # when the admin resets it
    user_otp_reset(actor=bureau_admin, user=auditor, reason="手机遗失")

    # then the device is gone, the session ended, and the next log-in enrols again
    assert not TotpDevice.objects.filter(user=auditor).exists()
    assert not is_logged_in(client)
    assert post_password(Client(), auditor.username)["Location"] == reverse("account:otp_enrol")


# Lock-out -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(world, enterprise_clerk):
    # given
    client = Client()

    # when five wrong passwords, then the right one
    for _ in range(5):
        assert post_password(client, enterprise_clerk.username, "wrong-password-x").status_code == 200
    refused = post_password(client, enterprise_clerk.username)

    # then refused with the lock message, and every step audited
    assert refused.status_code == 200 and "已被暂时锁定" in refused.content.decode()
    assert not is_logged_in(client)
    assert login_events("login_failed").filter(object_id=str(enterprise_clerk.pk)).count() == 5
    locked = login_events("login_locked").get()
    assert locked.after["account_locked"] is True and locked.after["ip"] == "127.0.0.1"
    assert login_events("login_refused_locked").count() == 1

    # when the lock has run out (moved into the past)
    LoginThrottle.objects.filter(locked_until__isnull=False).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )

    # then the right password works again
    assert post_password(client, enterprise_clerk.username)["Location"] == "/"


@pytest.mark.django_db
def test_unknown_account_names_lock_the_same_way_and_are_kept_only_as_a_hash(world):
    # given
    client = Client()

    # when
    answers = [post_password(client, "no-such-user", "wrong-password-x").content.decode() for _ in range(6)]

    # then the same answers as for a real account, and the name itself is not in the trail
    assert "用户名或密码错误" in answers[0]
    assert "已被暂时锁定" in answers[-1]
    failed = login_events("login_failed").first()
    assert failed.object_repr == "未知账号" and len(failed.after["username_hash"]) == 16
    assert not AuditEvent.objects.filter(after__icontains="no-such-user").exists()


@override_settings(GONGJIANG_LOGIN_IP_MAX_FAILURES=3)
@pytest.mark.django_db
def test_failures_from_one_address_lock_the_address(world, auditor):
    # given failures against three different names from one address
    client = Client()
    for name in ("a-user", "b-user", "c-user"):
        post_password(client, name, "wrong-password-x")

    # when a fourth, real user logs in from the same address, and from another
    same = post_password(client, auditor.username)
    other = post_password(Client(), auditor.username, REMOTE_ADDR="10.1.2.3")

    # then only the locked address is refused
    assert "已被暂时锁定" in same.content.decode()
    assert other.status_code == 302
    assert login_events("login_locked").get().after["address_locked"] is True


@OTP_ON
@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lock(world, finance_officer):
    # given a device and the password accepted
    otp.seed_device(finance_officer)
    client = Client()
    post_password(client, finance_officer.username)

    # when five wrong codes
    answers = [client.post(reverse("account:otp_verify"), {"code": "000000"}) for _ in range(5)]

    # then the fifth locks and sends the user back to the password page, where they are refused
    assert answers[-1].status_code == 302 and answers[-1]["Location"] == LOGIN
    assert login_events("otp_failed").count() == 5
    assert login_events("login_locked").count() == 1
    assert "已被暂时锁定" in post_password(client, finance_officer.username).content.decode()


@pytest.mark.django_db
def test_client_address_behind_a_trusted_proxy(rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    with override_settings(GONGJIANG_TRUSTED_PROXIES=0):
        assert authn.client_ip(request) == "127.0.0.1"
    with override_settings(GONGJIANG_TRUSTED_PROXIES=1):
        assert authn.client_ip(request) == "198.51.100.7"
    with override_settings(GONGJIANG_TRUSTED_PROXIES=2):
        assert authn.client_ip(request) == "203.0.113.9"


# Sessions -----------------------------------------------------------------------------------------


def _age_session(client: Client, **seconds_ago: int) -> None:
    session = client.session
    now = timezone.now().timestamp()
    if "auth" in seconds_ago:
        session[authn.SESSION_AUTH_AT] = now - seconds_ago["auth"]
    if "seen" in seconds_ago:
        session[authn.SESSION_SEEN_AT] = now - seconds_ago["seen"]
    session.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("aged", "event_type"),
    [
        ({"seen": 30 * 60 + 5}, "session_timeout_idle"),
        ({"auth": 10 * 3600 + 5, "seen": 10}, "session_timeout_absolute"),
    ],
)
def test_idle_and_absolute_time_outs_end_the_session(world, centre_reviewer, aged, event_type):
    # given a logged-in reviewer
    client = Client()
    post_password(client, centre_reviewer.username)
    assert client.get("/").status_code == 200

    # when idle too long / logged in too long
    _age_session(client, **aged)
    page = client.get("/registry/people/")
    api = client.get("/api/core/me")

    # then the page goes to the log-in page, the API answers 401, the end is audited
    assert page.status_code == 302 and page["Location"].startswith(LOGIN)
    assert api.status_code == 401
    assert login_events(event_type).filter(object_id=str(centre_reviewer.pk)).count() == 1


@pytest.mark.django_db
def test_activity_within_the_idle_limit_keeps_the_session(world, centre_reviewer):
    client = Client()
    post_password(client, centre_reviewer.username)
    _age_session(client, seen=29 * 60)
    assert client.get("/").status_code == 200
    # the request moved the last-activity time forward
    assert timezone.now().timestamp() - client.session[authn.SESSION_SEEN_AT] < 5


@pytest.mark.django_db
def test_disabling_a_user_ends_all_their_sessions(world, bureau_admin, finance_officer):
    # given the finance officer logged in twice
    browsers = [Client(), Client()]
    for client in browsers:
        post_password(client, finance_officer.username)
        assert is_logged_in(client)
    keys = [c.session.session_key for c in browsers]
    assert UserSession.objects.filter(user=finance_officer).count() == 2

    # when the admin disables the account
    user_deactivate(actor=bureau_admin, user=finance_officer, reason="调离")

    # then both sessions are gone from the store, and the event says so
    store = authn.session_store_class()
    assert all(not store().exists(key) for key in keys)
    assert not any(is_logged_in(c) for c in browsers)
    event = AuditEvent.objects.get(event_type="user_deactivated")
    assert event.after == {"is_active": False, "sessions_ended": 2}
    # and the right password is refused, audited as a refusal
    refused = post_password(Client(), finance_officer.username)
    assert "已停用" in refused.content.decode()
    assert login_events("login_refused_inactive").count() == 1


@pytest.mark.django_db
def test_log_in_and_log_out_are_audited_and_the_session_key_changes(world, auditor):
    # given a session before log-in
    client = Client()
    client.get(LOGIN)
    before = client.cookies.get("sessionid")

    # when
    post_password(client, auditor.username)
    during = client.cookies["sessionid"].value
    client.post("/logout/")

    # then a new session id after log-in (no fixation), both events recorded
    assert before is None or before.value != during
    assert login_events("login_succeeded").filter(object_id=str(auditor.pk)).count() == 1
    assert login_events("logout").filter(object_id=str(auditor.pk)).count() == 1
    assert not UserSession.objects.filter(user=auditor).exists()


@pytest.mark.django_db
def test_the_admin_site_signs_in_through_the_same_page(world):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2F"


# Passwords ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short-pw-11", False),  # 11 characters: below the minimum of 12
        ("password1234", False),  # in the list of passwords common in breaches
        ("gongjiang2025", False),  # this system's name plus a year
        ("482915736041", True),  # digits only is fine: no composition rules
        ("我们的工匠平台在兰州新区的第三个春天里上线了", True),  # a long Chinese passphrase
        ("correct horse battery staple " * 4, True),  # 116 characters with spaces
        ("x" * 60 + "-passphrase-" + "y" * 57, False),  # 129 characters: above the maximum
    ],
)
def test_password_rules(world, jurisdiction, password, accepted):
    def create():
        return user_create(
            actor=world.root,
            username="new-reviewer",
            password=password,
            role=Role.CENTRE_REVIEWER,
            jurisdictions=[jurisdiction],
        )

    if accepted:
        assert create().check_password(password)
    else:
        with pytest.raises(DomainError) as caught:
            create()
        assert caught.value.code == "weak_password"
