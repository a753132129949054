"""Pages of the closing (附件2 3.2 结班) and the certificates (附件4): the class's 结班与发证 tab
(assessment, closing request, the unit's review, the certificates with their PDFs), the number
ranges, and the public verification page under /public/."""

from __future__ import annotations

import decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongjiang.core.errors import DomainError
from gongjiang.core.permissions import has_capability, jurisdiction_ids
from gongjiang.registry.models import ServiceUnit

from ..attendance_hours import attended_hours
from ..certificate_pdf import render_certificate_pdf
from ..choices import ClassStatus, EnrolmentStatus, NumberRangeStatus
from ..closing_checks import active_enrolments, closing_problems
from ..models import CertificateNumberRange
from ..numbering import RANGE_CATEGORIES, category_label
from ..selectors import certificate_get, certificate_list, certificate_verify, number_range_list
from ..services import certificates, closing
from ..services.closing import AssessmentResult
from .common import render_class_page, require_capability, run_action, scoped_class
from .filing import _is_institution_side


def verify_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(
        reverse("training_public:certificate_verify") + "?" + urlencode({"code": code})
    )


@login_required
def class_closing_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    institution_side = _is_institution_side(request, training_class)
    hours = attended_hours(training_class)
    rows = [{"enrolment": e, "hours": hours.get(e.pk, 0)} for e in active_enrolments(training_class)]
    running = training_class.status == ClassStatus.APPROVED
    return render_class_page(
        request,
        training_class,
        "closing",
        "training/class_closing.html",
        {
            "rows": rows,
            "problems": closing_problems(training_class, timezone.localdate()) if running else [],
            "can_assess": institution_side and running,
            "can_request": institution_side and running,
            "can_review": has_capability(request.user, "training.review")
            and training_class.status == ClassStatus.CLOSING,
            "certificates": certificate_list(training_class).order_by("number"),
            "results": [(EnrolmentStatus.QUALIFIED, "培训合格"), (EnrolmentStatus.UNQUALIFIED, "不合格")],
        },
    )


def _results_from(request: HttpRequest, training_class: Any) -> list[AssessmentResult]:
    results = []
    for enrolment in active_enrolments(training_class):
        result = request.POST.get(f"result_{enrolment.pk}", "").strip()
        if not result:
            continue
        raw = request.POST.get(f"score_{enrolment.pk}", "").strip()
        try:
            score = decimal.Decimal(raw) if raw else None
        except decimal.InvalidOperation as exc:
            raise DomainError(
                "invalid_score", f"{enrolment.person.name} 的考核成绩“{raw[:10]}”不是数字"
            ) from exc
        results.append(AssessmentResult(enrolment.pk, result, score))
    return results


@login_required
@require_POST
def class_assess_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    return run_action(
        request,
        lambda: closing.assessment_record(
            actor=request.user, training_class=training_class, results=_results_from(request, training_class)
        ),
        "考核结果已登记",
        reverse("training:class_closing", args=[pk]),
    )


@login_required
@require_POST
def class_closing_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    return run_action(
        request,
        lambda: closing.class_closing_request(actor=request.user, training_class=training_class),
        "已申请结班，等待服务中心审核合格学员",
        reverse("training:class_closing", args=[pk]),
    )


@login_required
@require_POST
def class_closing_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    decision, note = request.POST.get("decision", ""), request.POST.get("note", "")
    back = reverse("training:class_closing", args=[pk])
    if decision == "approve":
        return run_action(
            request,
            lambda: closing.class_close(actor=request.user, training_class=training_class, note=note),
            "结班审核通过，培训合格证已编号发放",
            back,
        )
    if decision == "return":
        return run_action(
            request,
            lambda: closing.class_closing_return(
                actor=request.user, training_class=training_class, reason=note
            ),
            "已退回机构修改",
            back,
        )
    messages.error(request, "请选择审核结论：通过或退回")
    return redirect(back)


@login_required
def certificate_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "training.read")
    certificate = certificate_get(request.user, pk)
    data = render_certificate_pdf(certificate, verify_url(request, certificate.verification_code))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Number ranges ------------------------------------------------------------------------------------


@login_required
def number_range_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.number_ranges")
    ranges = number_range_list(request.user).order_by(
        "-year", "service_unit__code", "category", "first_value"
    )
    units = ServiceUnit.objects.filter(jurisdiction_id__in=jurisdiction_ids(request.user)).order_by("code")
    own_unit = getattr(request.user, "service_unit_id", None)
    rows = [
        {
            "range": r,
            "first": r.format(r.first_value),
            "last": r.format(r.last_value),
            "total": r.last_value - r.first_value + 1,
            "used": r.next_value - r.first_value,
            "next": r.format(r.next_value) if r.remaining else "—",
        }
        for r in ranges
    ]
    return render(
        request,
        "training/number_ranges.html",
        {
            "rows": rows,
            "units": units,
            "request_units": [u for u in units if not own_unit or u.pk == own_unit],
            "categories": [(c.value, category_label(c)) for c in RANGE_CATEGORIES],
            "can_add": has_capability(request.user, "training.number_ranges_approve"),
            "pending": NumberRangeStatus.REQUESTED,
            "this_year": timezone.localdate().year,
        },
    )


def _unit(request: HttpRequest) -> ServiceUnit:
    unit = ServiceUnit.objects.filter(
        pk=request.POST.get("service_unit") or 0, jurisdiction_id__in=jurisdiction_ids(request.user)
    ).first()
    if unit is None:
        raise DomainError("unknown_unit", "请选择单位")
    return unit


def _year(request: HttpRequest) -> int:
    raw = request.POST.get("year", "")
    if not raw.isdigit() or len(raw) != 4:
        raise DomainError("invalid_year", "年度须为四位数字")
    return int(raw)


@login_required
@require_POST
def number_range_add_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.number_ranges_approve")

    def add() -> Any:
        unit = _unit(request)
        return certificates.number_range_add(
            actor=request.user,
            jurisdiction=unit.jurisdiction,
            service_unit=unit,
            category=request.POST.get("category", ""),
            year=_year(request),
            first=request.POST.get("first", ""),
            last=request.POST.get("last", ""),
            citation=request.POST.get("citation", ""),
        )

    return run_action(request, add, "号段已添加", reverse("training:number_ranges"))


@login_required
@require_POST
def number_range_request_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.number_ranges")

    def ask() -> Any:
        return certificates.number_range_request(
            actor=request.user,
            service_unit=_unit(request),
            category=request.POST.get("category", ""),
            year=_year(request),
            first=request.POST.get("first", ""),
            last=request.POST.get("last", ""),
            reason=request.POST.get("reason", ""),
        )

    return run_action(
        request, ask, "已提交增加号段的申请，等待局管理员批准", reverse("training:number_ranges")
    )


@login_required
@require_POST
def number_range_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "training.number_ranges_approve")
    number_range = get_object_or_404(
        CertificateNumberRange, pk=pk, jurisdiction_id__in=jurisdiction_ids(request.user)
    )
    approve = request.POST.get("decision") == "approve"
    return run_action(
        request,
        lambda: certificates.number_range_decide(
            actor=request.user, number_range=number_range, approve=approve, note=request.POST.get("note", "")
        ),
        "号段已批准" if approve else "已不予批准",
        reverse("training:number_ranges"),
    )


# Public verification (no log-in) -----------------------------------------------------------------


def certificate_verify_view(request: HttpRequest) -> HttpResponse:
    """/public/certificates/?code=…: the holder (masked), occupation, level, institution and date."""
    code = request.GET.get("code", "").strip()[:40]
    if not code:
        return render(request, "training/certificate_verify.html", {"code": ""})
    found = certificate_verify(code)
    return render(
        request,
        "training/certificate_verify.html",
        {"code": code, "certificate": found, "not_found": found is None},
        status=200 if found else 404,
    )
