"""Pages of a running class (附件2 3.2): the daily attendance sheet with attended hours and manual
check-ins, spot checks, the reviewers' anomaly queue, and the institution's attendance devices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongjiang.core.errors import DomainError
from gongjiang.core.errors import PermissionDenied as DomainPermissionDenied
from gongjiang.core.permissions import has_capability

from ..choices import AnomalyStatus, ClassStatus, EnrolmentStatus
from ..forms import DeviceForm, ManualCheckInForm, ResolveForm, SpotCheckForm
from ..selectors import (
    SPOT_CHECKS_MIN,
    active_enrolments,
    anomaly_get,
    anomaly_queue,
    attendance_days,
    class_anomalies,
    daily_sheet,
    device_get,
    device_list,
    hours_table,
    spot_check_list,
)
from ..services import anomalies, attendance, spot_checks
from ..services.spot_checks import CHECKABLE
from .common import render_class_page, require_capability, run_action, scoped_class
from .filing import _is_institution_side


def _can_review(request: HttpRequest, training_class: Any) -> bool:
    user = request.user
    if not has_capability(user, "training.review"):
        return False
    unit = getattr(user, "service_unit_id", None)
    return not (
        getattr(user, "role", "") == "centre_reviewer" and unit and unit != training_class.service_unit_id
    )


def _pick_day(request: HttpRequest, days: list[dt.date]) -> dt.date | None:
    raw = request.GET.get("day", "")
    try:
        wanted = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        wanted = None
    if wanted in days:
        return wanted
    today = timezone.localdate()
    past = [d for d in days if d <= today]
    return past[-1] if past else (days[0] if days else None)


@login_required
def class_attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    """考勤: the day's sheet (trainees × sessions), attended hours, manual check-in, anomalies."""
    training_class = scoped_class(request, pk)
    can_check_in = (
        _is_institution_side(request, training_class) and training_class.status == ClassStatus.APPROVED
    )
    enrolments = active_enrolments(training_class).filter(status=EnrolmentStatus.ENROLLED)
    form = ManualCheckInForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST":
        if not can_check_in:
            raise PermissionDenied
        if form.is_valid():
            enrolment = enrolments.get(pk=form.cleaned_data["enrolment"])
            try:
                attendance.attendance_record_manual(
                    actor=request.user,
                    enrolment=enrolment,
                    occurred_at=form.cleaned_data["occurred_at"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainPermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已为 {enrolment.person.name} 补签")
                checked_on = timezone.localtime(form.cleaned_data["occurred_at"]).date()
                return redirect(f"{request.path}?day={checked_on}")
    days = attendance_days(training_class)
    day = _pick_day(request, days)
    sessions, rows = daily_sheet(training_class, day) if day else ([], [])
    return render_class_page(
        request,
        training_class,
        "attendance",
        "training/class_attendance.html",
        {
            "days": days,
            "day": day,
            "sessions": sessions,
            "rows": rows,
            "hours": hours_table(training_class),
            "anomalies": class_anomalies(training_class),
            "can_check_in": can_check_in,
            "can_review": _can_review(request, training_class),
            "form": form,
        },
    )


@login_required
def class_spot_checks_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    can_record = _can_review(request, training_class) and training_class.status in CHECKABLE
    form = SpotCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            upload = data.pop("file")
            try:
                spot_checks.spot_check_record(
                    actor=request.user,
                    training_class=training_class,
                    evidence_name=upload.name if upload else "",
                    evidence_stream=upload,
                    **data,
                )
            except DomainPermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "抽查记录已登记")
                return redirect(request.path)
    checks = list(spot_check_list(training_class))
    files = {
        e.spot_check_id: e for e in training_class.evidence.filter(spot_check__isnull=False).order_by("id")
    }
    return render_class_page(
        request,
        training_class,
        "spot_checks",
        "training/class_spot_checks.html",
        {
            "checks": [(c, files.get(c.pk)) for c in checks],
            "minimum": SPOT_CHECKS_MIN,
            "enough": len(checks) >= SPOT_CHECKS_MIN,
            "can_record": can_record,
            "form": form,
        },
    )


@login_required
@require_POST
def class_anomaly_scan_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    back = reverse("training:class_attendance", args=[pk])
    try:
        added = anomalies.anomaly_scan(actor=request.user, training_class=training_class)
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"检测完成，新增 {len(added)} 条异常")
    return redirect(back)


@login_required
def anomaly_queue_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.review")
    status = request.GET.get("status", AnomalyStatus.OPEN)
    if status not in AnomalyStatus.values:
        status = AnomalyStatus.OPEN
    flags = anomaly_queue(request.user, status=status)[:300]
    return render(
        request,
        "training/anomaly_queue.html",
        {"flags": flags, "status": status, "statuses": AnomalyStatus.choices, "form": ResolveForm()},
    )


@login_required
@require_POST
def anomaly_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "training.review")
    flag = anomaly_get(request.user, pk)
    form = ResolveForm(request.POST)
    back = request.POST.get("next") or reverse("training:anomaly_queue")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("training:anomaly_queue")
    if not form.is_valid():
        messages.error(request, "请选择核查结论并填写核查说明")
        return redirect(back)
    return run_action(
        request,
        lambda: anomalies.anomaly_resolve(
            actor=request.user, flag=flag, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        ),
        "核查结果已登记",
        back,
    )


@login_required
def device_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.devices")
    form = DeviceForm(request.POST or None, user=request.user)
    new_key = ""
    new_device = None
    if request.method == "POST" and form.is_valid():
        try:
            new_device, new_key = attendance.device_register(
                actor=request.user,
                institution=form.cleaned_data["institution"],
                serial=form.cleaned_data["serial"],
                name=form.cleaned_data["name"],
                method=form.cleaned_data["method"],
            )
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            form = DeviceForm(user=request.user)
    response = render(
        request,
        "training/device_list.html",
        {"devices": device_list(request.user), "form": form, "new_key": new_key, "new_device": new_device},
    )
    if new_key:
        response["Cache-Control"] = "no-store"  # the key is shown once: keep it out of caches
    return response


@login_required
@require_POST
def device_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "training.devices")
    device = device_get(request.user, pk)
    reason = request.POST.get("reason", "")
    return run_action(
        request,
        lambda: attendance.device_deactivate(actor=request.user, device=device, reason=reason),
        f"设备 {device.serial} 已停用",
        reverse("training:device_list"),
    )
