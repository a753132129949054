"""Log-in pages: password, then the second factor (code, or enrolment with a QR code) for staff.

The flow and its controls are described in `gongjiang.core.authn`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from . import authn
from .forms import OtpForm, ThrottledAuthenticationForm, locked_message

CODE_WRONG = "动态口令错误或已使用，请输入验证器上的最新口令。"


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not authn.otp_required_for(user):
            authn.complete_login(self.request, user, otp=False)
            return HttpResponseRedirect(self.get_success_url())
        authn.pending_set(self.request, user, self.get_redirect_url())
        if authn.otp_has_confirmed_device(user):
            return redirect("account:otp_verify")
        return redirect("account:otp_enrol")


def _safe_next(request: HttpRequest, state: dict[str, Any]) -> str:
    target = state.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return str(target)
    return reverse("web:home")


def _code_step(request: HttpRequest, *, enrol: bool) -> HttpResponse:
    user, state = authn.pending_user(request)
    if user is None:
        messages.info(request, "请先输入用户名和密码。")
        return redirect("web:login")
    if enrol and authn.otp_has_confirmed_device(user):
        return redirect("account:otp_verify")
    if not enrol and not authn.otp_has_confirmed_device(user):
        return redirect("account:otp_enrol")
    device = authn.otp_device_for_enrolment(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        until = authn.locked_until(username=user.username, ip=authn.client_ip(request))
        if until is not None:
            authn.audit_auth_event(request, event_type="login_refused_locked", user=user)
            request.session.pop(authn.SESSION_PENDING, None)
            messages.error(request, locked_message(until))
            return redirect("web:login")
        if authn.otp_verify(device, form.cleaned_data["code"]):
            if enrol:
                authn.audit_auth_event(request, event_type="otp_enrolled", user=user)
            authn.complete_login(request, user, otp=True)
            return HttpResponseRedirect(_safe_next(request, state))
        if authn.record_failure(request, username=user.username, user=user, event_type="otp_failed"):
            request.session.pop(authn.SESSION_PENDING, None)
            until = authn.locked_until(username=user.username, ip=authn.client_ip(request))
            messages.error(request, locked_message(until))
            return redirect("web:login")
        form.add_error("code", CODE_WRONG)
    context: dict[str, Any] = {"form": form, "pending_username": user.username, "enrol": enrol}
    if enrol:
        uri = authn.otp_provisioning_uri(device)
        secret = authn.otp_secret(device)
        context["qr_svg"] = authn.otp_qr_svg(uri)
        context["secret_groups"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    status = 400 if request.method == "POST" else 200
    return render(request, "core/otp.html", context, status=status)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    return _code_step(request, enrol=False)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def otp_enrol(request: HttpRequest) -> HttpResponse:
    return _code_step(request, enrol=True)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin site signs in through the same page (and second factor) as everyone else."""
    if request.user.is_authenticated:
        raise PermissionDenied
    next_url = request.GET.get("next", reverse("admin:index"))
    return redirect(f"{reverse('web:login')}?{urlencode({'next': next_url})}")
