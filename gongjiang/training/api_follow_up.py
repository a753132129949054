"""REST operations of the follow-up, the KPIs and the black/white list (附件2 3.3, 四(三)), under
/api/training/. Reads through `kpis` (scoped like the class list), writes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Schema, Status
from ninja.files import UploadedFile

from gongjiang.catalog.models import CertificateType
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import has_capability, jurisdiction_ids
from gongjiang.registry.models import Enterprise

from . import kpis
from .api import router
from .models import Enrolment, ListChangeProposal
from .selectors import class_get, class_list
from .services import follow_up, listing


class ClassKpiOut(Schema):
    class_id: int
    code: str
    name: str
    institution_id: int
    training_type: str
    closed_on: dt.date | None
    due: dt.date
    state: str
    qualified: int
    certified: int
    certification_rate: Decimal | None
    employment_applies: bool
    employed: int
    employment_rate: Decimal | None
    promotions: int
    anomalies: int
    missing: list[str]


class InstitutionKpiOut(Schema):
    institution_id: int
    name: str
    list_state: str
    classes_closed: int
    classes_final: int
    qualified: int
    certified: int
    certification_rate: Decimal | None
    employment_qualified: int
    employed: int
    employment_rate: Decimal | None
    anomalies: int
    anomalies_confirmed: int
    serious_findings: int
    overdue_follow_ups: int


class FollowUpOut(Schema):
    closed: bool
    kpi: ClassKpiOut | None


class CertificateIn(Schema):
    certificate_type: str
    number: str
    issued_on: dt.date
    issuer: str


class CertificateOut(Schema):
    id: int
    person_id: int
    certificate_type: str
    number: str
    issued_on: dt.date


class RecordOut(Schema):
    id: int
    evidence_id: int


class ProposalOut(Schema):
    id: int
    institution_id: int
    institution: str
    current_state: str
    proposed_state: str
    status: str
    rules: list[dict[str, Any]]
    metrics: dict[str, Any]
    decision_reason: str
    created_at: dt.datetime


class DecisionIn(Schema):
    decision: str
    reason: str


class GenerateIn(Schema):
    jurisdiction_id: int


def _kpi_reader(request: HttpRequest) -> Any:
    if not has_capability(request.user, "training.kpi"):
        raise PermissionDenied()
    return request.user


def _year(year: int | None) -> int | None:
    if year is not None and not 2000 <= year <= 2100:
        raise DomainError("invalid_year", "年度须在 2000 至 2100 之间")
    return year


def _class_kpi_out(k: kpis.ClassKpi) -> dict[str, Any]:
    c = k.training_class
    return {
        "class_id": c.pk,
        "code": c.code,
        "name": c.name,
        "institution_id": c.institution_id,
        "training_type": c.training_type,
        "closed_on": c.closed_on,
        "due": k.due,
        "state": k.state,
        "qualified": k.qualified,
        "certified": k.certified,
        "certification_rate": k.certification_rate,
        "employment_applies": k.employment_applies,
        "employed": k.employed,
        "employment_rate": k.employment_rate,
        "promotions": k.promotions,
        "anomalies": k.anomalies,
        "missing": list(k.missing),
    }


def _enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    found = (
        Enrolment.objects.filter(pk=enrolment_id, training_class__in=class_list(_kpi_reader(request)))
        .select_related("training_class", "person")
        .first()
    )
    if found is None:
        raise Http404("学员不存在或无权查看")
    return found


@router.get("/training/kpi/classes", response=list[ClassKpiOut])
def list_class_kpis(request: HttpRequest, year: int | None = None) -> Any:
    """Each closed class's follow-up figures (附件2 3.3), computed now."""
    return [_class_kpi_out(k) for k in kpis.class_kpi_list(_kpi_reader(request), year=_year(year))]


@router.get("/training/kpi/institutions", response=list[InstitutionKpiOut])
def list_institution_kpis(request: HttpRequest, year: int | None = None) -> Any:
    """Each institution's pooled rates (over classes whose follow-up period has ended)."""
    return [
        {
            "institution_id": k.institution.pk,
            "name": k.institution.name,
            "list_state": k.institution.list_state,
            "certification_rate": k.certification_rate,
            "employment_rate": k.employment_rate,
            **{
                name: getattr(k, name)
                for name in (
                    "classes_closed",
                    "classes_final",
                    "qualified",
                    "certified",
                    "employment_qualified",
                    "employed",
                    "anomalies",
                    "anomalies_confirmed",
                    "serious_findings",
                    "overdue_follow_ups",
                )
            },
        }
        for k in kpis.institution_kpi_list(_kpi_reader(request), year=_year(year))
    ]


@router.get("/training/classes/{class_id}/follow-up", response=FollowUpOut)
def get_class_follow_up(request: HttpRequest, class_id: int) -> Any:
    """The class's follow-up figures once it is closed (kpi null before)."""
    training_class = class_get(_kpi_reader(request), class_id)
    found = kpis.class_kpi(training_class)
    return {"closed": found is not None, "kpi": _class_kpi_out(found) if found else None}


@router.post("/training/enrolments/{enrolment_id}/certificates", response={201: CertificateOut})
def record_certificate(request: HttpRequest, enrolment_id: int, payload: CertificateIn) -> Any:
    certificate_type = CertificateType.objects.filter(code=payload.certificate_type).first()
    if certificate_type is None:
        raise DomainError("unknown_certificate_type", f"没有证书类型“{payload.certificate_type}”")
    certificate = follow_up.certificate_record(
        actor=request.user,
        enrolment=_enrolment(request, enrolment_id),
        certificate_type=certificate_type,
        number=payload.number,
        issued_on=payload.issued_on,
        issuer=payload.issuer,
    )
    return Status(
        201,
        {
            "id": certificate.pk,
            "person_id": certificate.person_id,
            "certificate_type": certificate_type.code,
            "number": certificate.number,
            "issued_on": certificate.issued_on,
        },
    )


@router.post("/training/classes/{class_id}/promotions", response={201: RecordOut})
def record_promotion(
    request: HttpRequest,
    class_id: int,
    file: File[UploadedFile],
    held_on: Form[dt.date],
    title: Form[str],
    employers: Form[str],
    attendee_count: Form[int],
) -> Any:
    promotion = follow_up.promotion_record(
        actor=request.user,
        training_class=class_get(_kpi_reader(request), class_id),
        held_on=held_on,
        title=title,
        employers=employers,
        attendee_count=attendee_count,
        file_name=file.name or "",
        stream=file,
    )
    return Status(201, {"id": promotion.pk, "evidence_id": promotion.evidence_id})


@router.post("/training/enrolments/{enrolment_id}/employment", response={201: RecordOut})
def record_employment(
    request: HttpRequest,
    enrolment_id: int,
    file: File[UploadedFile],
    kind: Form[str],
    employer_name: Form[str],
    started_on: Form[dt.date],
    enterprise_id: Form[int | None] = None,
) -> Any:
    enterprise = None
    if enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=enterprise_id, is_deleted=False).first()
        if enterprise is None:
            raise DomainError("unknown_enterprise", "企业不存在")
    record = follow_up.employment_record(
        actor=request.user,
        enrolment=_enrolment(request, enrolment_id),
        kind=kind,
        employer_name=employer_name,
        started_on=started_on,
        file_name=file.name or "",
        stream=file,
        enterprise=enterprise,
    )
    return Status(201, {"id": record.pk, "evidence_id": record.evidence_id})


def _list_decider(request: HttpRequest) -> Any:
    if not has_capability(request.user, "training.list_decide"):
        raise PermissionDenied()
    return request.user


def _proposal_out(p: ListChangeProposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "institution_id": p.institution_id,
        "institution": p.institution.name,
        "current_state": p.current_state,
        "proposed_state": p.proposed_state,
        "status": p.status,
        "rules": p.rules,
        "metrics": p.metrics,
        "decision_reason": p.decision_reason,
        "created_at": p.created_at,
    }


@router.get("/training/list-proposals", response=list[ProposalOut])
def list_proposals(request: HttpRequest, status: str = "") -> Any:
    """The black/white list proposals of the admin's jurisdictions (四(三) 黑白名单)."""
    user = _list_decider(request)
    proposals = ListChangeProposal.objects.filter(
        institution__jurisdiction_id__in=jurisdiction_ids(user)
    ).select_related("institution")
    if status:
        proposals = proposals.filter(status=status)
    return [_proposal_out(p) for p in proposals.order_by("-created_at", "-id")[:500]]


@router.post("/training/list-proposals/generate", response={201: list[ProposalOut]})
def generate_proposals(request: HttpRequest, payload: GenerateIn) -> Any:
    user = _list_decider(request)
    jurisdiction = Jurisdiction.objects.filter(
        pk=payload.jurisdiction_id, pk__in=jurisdiction_ids(user)
    ).first()
    if jurisdiction is None:
        raise Http404("辖区不存在或无权操作")
    created = listing.list_proposals_generate(actor=user, jurisdiction=jurisdiction)
    return Status(201, [_proposal_out(p) for p in created])


@router.post("/training/list-proposals/{proposal_id}/decide", response=ProposalOut)
def decide_proposal(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> Any:
    user = _list_decider(request)
    proposal = ListChangeProposal.objects.filter(
        pk=proposal_id, institution__jurisdiction_id__in=jurisdiction_ids(user)
    ).first()
    if proposal is None:
        raise Http404("建议不存在或无权查看")
    if payload.decision == "accept":
        decided = listing.list_proposal_accept(actor=user, proposal=proposal, reason=payload.reason)
    elif payload.decision == "decline":
        decided = listing.list_proposal_decline(actor=user, proposal=proposal, reason=payload.reason)
    else:
        raise DomainError("invalid_decision", "决定须为 accept（采纳）或 decline（不采纳）")
    return _proposal_out(decided)
