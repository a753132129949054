"""Log-in controls: second factor, lock-out, session time-outs, ending a user's sessions.

Requirements: OWASP ASVS 5.0 level 2, chapters 6 (authentication) and 7 (session management);
GB/T 22239-2019 (等保2.0) 第三级 安全计算环境 身份鉴别 a)–d).

    password ──ok──> role needs a second factor? ──no──> logged in
        │                     │yes
        │            device confirmed? ──no──> enrol: QR code + first code ──ok──> logged in
        │                     │yes
        │                  TOTP code ──ok──> logged in
        └─fail / code fail: one failure for the account name and one for the client address;
          `GONGJIANG_LOGIN_MAX_FAILURES` within `GONGJIANG_LOGIN_FAILURE_WINDOW` seconds locks the
          account name for `GONGJIANG_LOGIN_LOCK_SECONDS` (the address after
          `GONGJIANG_LOGIN_IP_MAX_FAILURES`); while locked even the right password is refused.

- The second factor is TOTP (RFC 6238, 30-second steps, 6 digits, one step of clock drift either
  way). A code is accepted once: the device remembers the last step used (no replay).
- Unknown account names are counted and locked like real ones, so the answers do not tell which
  names exist.
- Sessions carry the log-in time and the last activity; `SessionSecurityMiddleware` ends a session
  idle longer than `GONGJIANG_SESSION_IDLE_SECONDS` or older than
  `GONGJIANG_SESSION_ABSOLUTE_SECONDS`. Every session is listed in `UserSession`, so disabling a
  user ends all of theirs (`end_user_sessions`).
- Every log-in, failure, lock-out, refusal, log-out, time-out and enrolment is an audit event
  (action `login`; `event_type` says which). Client addresses are kept in the event; the log-in
  name of an unknown account is kept only as a keyed hash (it may be a mistyped password).
"""

from __future__ import annotations

import datetime as dt
import hmac
from importlib import import_module
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from .audit import audit_append, audit_record
from .choices import AuditAction, Role
from .models import LoginThrottle, TotpDevice, User, UserSession
from .pii import decrypt, encrypt, keyed_hash

OTP_ISSUER = "工匠技能人才平台"
SESSION_AUTH_AT = "gj_auth_at"
SESSION_SEEN_AT = "gj_seen_at"
SESSION_OTP = "gj_otp"
SESSION_PENDING = "gj_pending"
# The pending state between password and second factor lasts this long.
PENDING_SECONDS = 300
# Last-activity time is written back at most this often (each write is a session save).
SEEN_RESOLUTION_SECONDS = 30

DEFAULT_OTP_ROLES = (Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.FINANCE_OFFICER, Role.AUDITOR)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies put in X-Forwarded-For.

    `GONGJIANG_TRUSTED_PROXIES` is how many proxies stand in front of the app (0: none). Each
    appends the address it received from, so the client is that many entries from the right."""
    proxies = int(_setting("GONGJIANG_TRUSTED_PROXIES", 0))
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) >= proxies:
        return forwarded[-proxies][:45]
    return remote


def otp_required_for(user: Any) -> bool:
    if not _setting("GONGJIANG_OTP_REQUIRED", False):
        return False
    return getattr(user, "role", None) in set(_setting("GONGJIANG_OTP_ROLES", DEFAULT_OTP_ROLES))


# Audit ----------------------------------------------------------------------------------------


def _first_jurisdiction(user: User | None) -> int | None:
    if user is None:
        return None
    return user.jurisdictions.order_by("id").values_list("id", flat=True).first()


def audit_auth_event(
    request: HttpRequest | None,
    *,
    event_type: str,
    user: User | None,
    username: str = "",
    reason: str = "",
    extra: dict[str, Any] | None = None,
    actor: Any = None,
) -> None:
    after: dict[str, Any] = {"ip": client_ip(request) if request is not None else ""}
    after.update(extra or {})
    if user is not None:
        audit_record(
            actor=actor if actor is not None else (user if event_type == "login_succeeded" else None),
            obj=user,
            action=AuditAction.LOGIN,
            event_type=event_type,
            after=after,
            reason=reason,
            jurisdiction_id=_first_jurisdiction(user),
        )
        return
    after["username_hash"] = keyed_hash(f"username:{username}")[:16]
    audit_append(
        actor=None,
        object_type="core.user",
        object_id="",
        object_repr="未知账号",
        action=AuditAction.LOGIN,
        event_type=event_type,
        after=after,
        reason=reason,
    )


# Lock-out -------------------------------------------------------------------------------------


def _throttle_key(kind: str, value: str) -> str:
    return keyed_hash(f"login-throttle:{kind}:{value}")


def locked_until(*, username: str, ip: str) -> dt.datetime | None:
    """When the account name or the address becomes free again, or None if neither is locked."""
    keys = [_throttle_key("user", username)] + ([_throttle_key("ip", ip)] if ip else [])
    row = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=timezone.now())
        .order_by("-locked_until")
        .first()
    )
    return row.locked_until if row else None


def _bump(kind: str, value: str, limit: int) -> bool:
    """Count one failure; True when this failure locked the key."""
    key = _throttle_key(kind, value)
    window = dt.timedelta(seconds=int(_setting("GONGJIANG_LOGIN_FAILURE_WINDOW", 900)))
    lock = dt.timedelta(seconds=int(_setting("GONGJIANG_LOGIN_LOCK_SECONDS", 900)))
    with transaction.atomic():
        try:
            with transaction.atomic():
                row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                    key=key, defaults={"kind": kind}
                )
        except IntegrityError:  # created by a concurrent failure between our read and insert
            row = LoginThrottle.objects.select_for_update().get(key=key)
        now = timezone.now()
        if row.locked_until and row.locked_until > now:
            return False
        if now - row.window_started_at > window:
            row.failures = 0
            row.window_started_at = now
        row.failures += 1
        locked = row.failures >= limit
        if locked:
            row.locked_until = now + lock
            row.failures = 0
            row.window_started_at = now
        row.save()
    return locked


def record_failure(request: HttpRequest, *, username: str, user: User | None, event_type: str) -> bool:
    """Audit one failed password or code and count it; True when it locked the account or address."""
    ip = client_ip(request)
    audit_auth_event(request, event_type=event_type, user=user, username=username)
    account_locked = _bump("user", username, int(_setting("GONGJIANG_LOGIN_MAX_FAILURES", 5)))
    ip_locked = bool(ip) and _bump("ip", ip, int(_setting("GONGJIANG_LOGIN_IP_MAX_FAILURES", 30)))
    if account_locked or ip_locked:
        audit_auth_event(
            request,
            event_type="login_locked",
            user=user,
            username=username,
            extra={"account_locked": account_locked, "address_locked": ip_locked},
        )
    return account_locked or ip_locked


def clear_failures(username: str) -> None:
    LoginThrottle.objects.filter(key=_throttle_key("user", username), locked_until__isnull=True).update(
        failures=0
    )


# Second factor ----------------------------------------------------------------------------------


def otp_device_for_enrolment(user: User) -> TotpDevice:
    """The user's unconfirmed device, with a fresh secret when it is older than the pending window."""
    device = TotpDevice.objects.filter(user=user).first()
    fresh_after = timezone.now() - dt.timedelta(seconds=PENDING_SECONDS)
    if device is None:
        return TotpDevice.objects.create(user=user, secret_encrypted=encrypt(pyotp.random_base32()))
    if device.confirmed_at is None and device.created_at < fresh_after:
        device.secret_encrypted = encrypt(pyotp.random_base32())
        device.created_at = timezone.now()
        device.save(update_fields=["secret_encrypted", "created_at"])
    return device


def otp_secret(device: TotpDevice) -> str:
    return decrypt(device.secret_encrypted)


def otp_provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(otp_secret(device)).provisioning_uri(name=device.user.username, issuer_name=OTP_ISSUER)


def otp_qr_svg(uri: str) -> str:
    """The QR code as inline SVG, drawn here (no image service, no CDN)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#1f2933", light="#ffffff")


def otp_verify(device: TotpDevice, code: str) -> bool:
    """Accept a 6-digit code of the current step or one step either side, once."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(otp_secret(device))
    now_step = int(totp.timecode(timezone.now()))
    with transaction.atomic():
        locked = TotpDevice.objects.select_for_update().get(pk=device.pk)
        for step in (now_step - 1, now_step, now_step + 1):
            if step > locked.last_step and hmac.compare_digest(totp.generate_otp(step), code):
                locked.last_step = step
                if locked.confirmed_at is None:
                    locked.confirmed_at = timezone.now()
                locked.save(update_fields=["last_step", "confirmed_at"])
                device.last_step, device.confirmed_at = locked.last_step, locked.confirmed_at
                return True
    return False


def otp_has_confirmed_device(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


# Pending (password accepted, second factor not yet) ---------------------------------------------


def pending_set(request: HttpRequest, user: User, next_url: str) -> None:
    request.session.cycle_key()
    request.session[SESSION_PENDING] = {
        "uid": user.pk,
        "at": timezone.now().timestamp(),
        "next": next_url,
        "username": user.username,
    }


def pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    state = request.session.get(SESSION_PENDING) or {}
    if not state or timezone.now().timestamp() - float(state.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(SESSION_PENDING, None)
        return None, {}
    uid = state.get("uid")
    user = User.objects.filter(pk=int(uid), is_active=True).first() if uid else None
    return user, state


# Completing a log-in, sessions -------------------------------------------------------------------


def complete_login(request: HttpRequest, user: User, *, otp: bool) -> None:
    request.session.pop(SESSION_PENDING, None)
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    now = timezone.now().timestamp()
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session[SESSION_OTP] = otp
    clear_failures(user.username)
    audit_auth_event(request, event_type="login_succeeded", user=user, extra={"second_factor": otp})


def session_store_class() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_user_sessions(user: User) -> int:
    """Delete every session the user holds (whatever the session engine). Returns how many."""
    store = session_store_class()
    rows = list(UserSession.objects.filter(user=user))
    for row in rows:
        store(session_key=row.session_key).delete()
    UserSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


@receiver(user_logged_in)
def _remember_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None or not isinstance(user, User):
        return
    if session.session_key is None:
        session.save()
    UserSession.objects.get_or_create(session_key=session.session_key, defaults={"user": user})


@receiver(user_logged_out)
def _forget_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()
    if isinstance(user, User) and request is not None:
        audit_auth_event(request, event_type="logout", user=user, actor=user)


def session_expiry_reason(request: HttpRequest) -> str:
    """'' while the session is valid; otherwise the event type that ends it."""
    session = request.session
    user = request.user
    now = timezone.now().timestamp()
    if otp_required_for(user) and not session.get(SESSION_OTP):
        return "session_refused_without_second_factor"
    auth_at = session.get(SESSION_AUTH_AT)
    seen_at = session.get(SESSION_SEEN_AT)
    if auth_at is None or seen_at is None:
        # A session made outside the log-in view (tests' client.login): start its clocks now.
        session[SESSION_AUTH_AT] = auth_at or now
        session[SESSION_SEEN_AT] = now
        return ""
    if now - float(auth_at) > int(_setting("GONGJIANG_SESSION_ABSOLUTE_SECONDS", 36000)):
        return "session_timeout_absolute"
    if now - float(seen_at) > int(_setting("GONGJIANG_SESSION_IDLE_SECONDS", 1800)):
        return "session_timeout_idle"
    if now - float(seen_at) > SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_AT] = now
    return ""
