"""Log-in forms: the password step counts failures and refuses locked accounts; the code step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import authn
from .models import User

INVALID_LOGIN = "用户名或密码错误。多次输错后账号将被暂时锁定。"
INACTIVE = "该账号已停用，请联系人社局管理员。"


def locked_message(until: Any) -> str:
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return f"登录失败次数过多，账号或来源地址已被暂时锁定，请约 {minutes} 分钟后再试。"


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {"invalid_login": INVALID_LOGIN, "inactive": INACTIVE}

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password") or ""
        if not username or not password:
            return self.cleaned_data
        request = self.request
        assert request is not None  # noqa: S101  (the log-in view always passes it)
        known = User.objects.filter(username=username).first()
        until = authn.locked_until(username=username, ip=authn.client_ip(request))
        if until is not None:
            authn.audit_auth_event(request, event_type="login_refused_locked", user=known, username=username)
            raise ValidationError(locked_message(until), code="locked")
        self.user_cache = authenticate(request, username=username, password=password)
        if self.user_cache is None:
            if known is not None and not known.is_active and known.check_password(password):
                authn.audit_auth_event(request, event_type="login_refused_inactive", user=known)
                raise ValidationError(INACTIVE, code="inactive")
            authn.record_failure(request, username=username, user=known, event_type="login_failed")
            raise self.get_invalid_login_error()
        return self.cleaned_data


class OtpForm(forms.Form):
    code = forms.CharField(
        label="动态口令",
        min_length=6,
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
