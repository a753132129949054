"""Session time-outs and the second-factor guard, checked on every request (see `authn`)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from . import authn

MESSAGES = {
    "session_timeout_idle": "长时间未操作，会话已结束，请重新登录。",
    "session_timeout_absolute": "登录时间已达上限，请重新登录。",
    "session_refused_without_second_factor": "请使用动态口令重新登录。",
}


class SessionSecurityMiddleware:
    """After AuthenticationMiddleware: ends expired sessions (audited) before the view runs, so the
    view sees an anonymous user: pages redirect to the log-in page, the API answers 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = authn.session_expiry_reason(request)
            if reason:
                authn.audit_auth_event(request, event_type=reason, user=user)  # type: ignore[arg-type]
                logout(request)
                messages.info(request, MESSAGES[reason])
        return self.get_response(request)
