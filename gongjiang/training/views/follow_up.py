"""Pages of the follow-up and KPIs (附件2 3.3, 四(三)): a class's follow-up tab, the KPI page with its
Excel export, and the bureau's black/white list proposals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongjiang.core.errors import DomainError
from gongjiang.core.errors import PermissionDenied as DomainPermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import jurisdiction_ids
from gongjiang.registry.choices import ListState
from gongjiang.registry.models import PersonCertificate

from .. import kpis
from ..choices import ClassStatus, EnrolmentStatus, ProposalStatus
from ..exports import kpi_workbook
from ..forms import CertificateRecordForm, EmploymentRecordForm, ListDecisionForm, PromotionRecordForm
from ..list_rules import load_rules
from ..models import EmploymentRecord, ListChangeProposal
from ..services import follow_up, listing
from ..services.follow_up import PROMOTION_STATUSES
from .common import render_class_page, require_capability, scoped_class
from .filing import _is_institution_side, _xlsx


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _run(request: HttpRequest, action: Any, success: str) -> bool:
    try:
        action()
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@login_required
def class_follow_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    institution_side = _is_institution_side(request, training_class)
    closed = training_class.status == ClassStatus.CLOSED
    qualified = training_class.enrolments.filter(status=EnrolmentStatus.QUALIFIED).select_related("person")
    employment_class = training_class.category in kpis.EMPLOYMENT_CATEGORIES
    can_record = institution_side and closed
    can_promote = institution_side and employment_class and training_class.status in PROMOTION_STATUSES
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    action = request.POST.get("action", "") if data else ""
    cert_form = CertificateRecordForm(data if action == "certificate" else None, enrolments=qualified)
    promo_form = PromotionRecordForm(
        data if action == "promotion" else None, files if action == "promotion" else None
    )
    job_form = EmploymentRecordForm(
        data if action == "employment" else None,
        files if action == "employment" else None,
        enrolments=qualified,
    )
    if request.method == "POST":
        allowed = {
            "certificate": can_record,
            "promotion": can_promote,
            "employment": can_record and employment_class,
        }
        if not allowed.get(action):
            raise PermissionDenied
        form = {"certificate": cert_form, "promotion": promo_form, "employment": job_form}[action]
        if form.is_valid():
            c = form.cleaned_data
            calls = {
                "certificate": (
                    lambda: follow_up.certificate_record(
                        actor=request.user,
                        enrolment=c["enrolment"],
                        certificate_type=c["certificate_type"],
                        number=c["number"],
                        issued_on=c["issued_on"],
                        issuer=c["issuer"],
                    ),
                    "已登记取证",
                ),
                "promotion": (
                    lambda: follow_up.promotion_record(
                        actor=request.user,
                        training_class=training_class,
                        held_on=c["held_on"],
                        title=c["title"],
                        employers=c["employers"],
                        attendee_count=c["attendee_count"],
                        file_name=c["file"].name,
                        stream=c["file"],
                    ),
                    "已登记就业推介",
                ),
                "employment": (
                    lambda: follow_up.employment_record(
                        actor=request.user,
                        enrolment=c["enrolment"],
                        kind=c["kind"],
                        employer_name=c["employer_name"],
                        started_on=c["started_on"],
                        file_name=c["file"].name,
                        stream=c["file"],
                    ),
                    "已登记就业",
                ),
            }
            call, success = calls[action]
            if _run(request, call, success):
                return redirect(request.path)
    listed = qualified.prefetch_related(
        Prefetch(
            "obtained_certificates",
            queryset=PersonCertificate.objects.select_related("certificate_type").order_by("issued_on", "id"),
        ),
        Prefetch("employment", queryset=EmploymentRecord.objects.order_by("started_on", "id")),
    )
    rows = [
        {"enrolment": e, "certificates": e.obtained_certificates.all(), "jobs": e.employment.all()}
        for e in listed
    ]
    return render_class_page(
        request,
        training_class,
        "follow_up",
        "training/class_follow_up.html",
        {
            "kpi": kpis.class_kpi(training_class),
            "rows": rows,
            "promotions": training_class.promotions.all(),
            "employment_class": employment_class,
            "can_record": can_record,
            "can_promote": can_promote,
            "cert_form": cert_form,
            "promo_form": promo_form,
            "job_form": job_form,
        },
    )


@login_required
def kpi_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.kpi")
    year = _year(request)
    today = timezone.localdate()
    class_kpis = kpis.class_kpi_list(request.user, today=today, year=year)
    return render(
        request,
        "training/kpi.html",
        {
            "institutions": kpis.institution_kpis(class_kpis),
            "classes": class_kpis,
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "today": today,
            "own": kpis.is_own_institution_view(request.user),
            "goals": {"certification": "40%", "employment": "50%", "promotions": kpis.MIN_PROMOTIONS},
        },
    )


@login_required
def kpi_export_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.kpi")
    year = _year(request)
    today = timezone.localdate()
    data = kpi_workbook(kpis.class_kpi_list(request.user, today=today, year=year), today=today)
    return _xlsx(data, f"培训机构取证就业指标{year or ''}.xlsx")


def _jurisdiction_for(request: HttpRequest) -> Jurisdiction:
    ids = jurisdiction_ids(request.user)
    posted = request.POST.get("jurisdiction", "")
    chosen = int(posted) if posted.isdigit() else (ids[0] if ids else None)
    return get_object_or_404(Jurisdiction, pk=chosen, pk__in=ids)


def _labelled(proposal: ListChangeProposal) -> dict[str, Any]:
    labels = dict(ListState.choices)
    return {
        "proposal": proposal,
        "from_label": labels.get(proposal.current_state, proposal.current_state),
        "to_label": labels.get(proposal.proposed_state, proposal.proposed_state),
    }


@login_required
def list_proposals_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.list_decide")
    decision_form = ListDecisionForm(request.POST if request.POST.get("action") == "decide" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "generate":
            jurisdiction = _jurisdiction_for(request)
            found: list[Any] = []
            if _run(
                request,
                lambda: found.extend(
                    listing.list_proposals_generate(actor=request.user, jurisdiction=jurisdiction)
                ),
                "已按规则评估",
            ):
                messages.info(request, f"新增名单调整建议 {len(found)} 条")
            return redirect(request.path)
        if action == "decide" and decision_form.is_valid():
            c = decision_form.cleaned_data
            proposal = get_object_or_404(
                ListChangeProposal,
                pk=c["proposal"],
                institution__jurisdiction_id__in=jurisdiction_ids(request.user),
            )
            service = (
                listing.list_proposal_accept if c["decision"] == "accept" else listing.list_proposal_decline
            )
            _run(
                request,
                lambda: service(actor=request.user, proposal=proposal, reason=c["reason"]),
                "已采纳，机构名单状态已调整" if c["decision"] == "accept" else "已记录不采纳",
            )
            return redirect(request.path)
        if action != "decide":
            raise PermissionDenied
        messages.error(request, "请选择决定并填写理由")
    proposals = (
        ListChangeProposal.objects.filter(institution__jurisdiction_id__in=jurisdiction_ids(request.user))
        .select_related("institution", "decided_by")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "training/list_proposals.html",
        {
            "pending": [_labelled(p) for p in proposals if p.status == ProposalStatus.PENDING],
            "decided": [_labelled(p) for p in proposals if p.status != ProposalStatus.PENDING][:100],
            "rules": load_rules(),
            "decision_form": decision_form,
        },
    )
