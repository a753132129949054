"""REST operations of the closing (附件2 3.2 结班) and the certificate number ranges (附件4), under
/api/training/. Reads through the scoped selectors, writes through the services; ID numbers masked."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.permissions import has_capability, jurisdiction_ids
from gongjiang.registry.models import ServiceUnit

from .api import router
from .attendance_hours import attended_hours
from .choices import ClassStatus
from .closing_checks import active_enrolments, closing_problems
from .models import CertificateNumberRange
from .selectors import certificate_list, class_get, number_range_list
from .services import certificates, closing
from .services.closing import AssessmentResult


class TraineeResultOut(Schema):
    enrolment_id: int
    name: str
    id_number: str
    attended_hours: int
    status: str
    score: decimal.Decimal | None


class ClosingOut(Schema):
    class_id: int
    status: str
    required_hours: int
    problems: list[str]
    trainees: list[TraineeResultOut]
    closing_requested_on: dt.date | None
    closed_on: dt.date | None
    follow_up_due_on: dt.date | None


class CertificateOut(Schema):
    id: int
    number: str
    enrolment_id: int
    name: str
    id_number: str
    issued_on: dt.date
    verification_code: str


class ResultIn(Schema):
    enrolment_id: int
    result: str
    score: decimal.Decimal | None = None


class AssessmentIn(Schema):
    results: list[ResultIn]


class ClosingReviewIn(Schema):
    decision: str
    note: str = ""


class NumberRangeOut(Schema):
    id: int
    year: int
    service_unit_id: int
    service_unit: str
    category: str
    first: str
    last: str
    next: str | None
    remaining: int
    status: str
    citation: str
    reason: str


class NumberRangeIn(Schema):
    service_unit_id: int
    category: str
    year: int
    first: str
    last: str
    citation: str = ""
    reason: str = ""


class RangeDecisionIn(Schema):
    approve: bool
    note: str = ""


def _readable(request: HttpRequest) -> Any:
    if not has_capability(request.user, "training.read"):
        raise PermissionDenied()
    return request.user


def _closing_out(training_class: Any) -> dict[str, Any]:
    hours = attended_hours(training_class)
    running = training_class.status == ClassStatus.APPROVED
    return {
        "class_id": training_class.pk,
        "status": training_class.status,
        "required_hours": training_class.required_hours,
        "problems": closing_problems(training_class, timezone.localdate()) if running else [],
        "trainees": [
            {
                "enrolment_id": e.pk,
                "name": e.person.name,
                "id_number": e.person.id_number_masked,
                "attended_hours": hours.get(e.pk, 0),
                "status": e.status,
                "score": e.assessment_score,
            }
            for e in active_enrolments(training_class)
        ],
        "closing_requested_on": training_class.closing_requested_on,
        "closed_on": training_class.closed_on,
        "follow_up_due_on": training_class.follow_up_due_on,
    }


def _range_out(r: CertificateNumberRange) -> dict[str, Any]:
    return {
        "id": r.pk,
        "year": r.year,
        "service_unit_id": r.service_unit_id,
        "service_unit": r.service_unit.name,
        "category": r.category,
        "first": r.format(r.first_value),
        "last": r.format(r.last_value),
        "next": r.format(r.next_value) if r.remaining else None,
        "remaining": r.remaining,
        "status": r.status,
        "citation": r.citation,
        "reason": r.reason,
    }


@router.get("/training/classes/{class_id}/closing", response=ClosingOut)
def get_closing(request: HttpRequest, class_id: int) -> Any:
    """The class's closing: what is still missing, each trainee's hours and result."""
    return _closing_out(class_get(_readable(request), class_id))


@router.post("/training/classes/{class_id}/assessment", response=ClosingOut)
def record_assessment(request: HttpRequest, class_id: int, payload: AssessmentIn) -> Any:
    training_class = class_get(_readable(request), class_id)
    results = [AssessmentResult(r.enrolment_id, r.result, r.score) for r in payload.results]
    closing.assessment_record(actor=request.user, training_class=training_class, results=results)
    return _closing_out(class_get(request.user, class_id))


@router.post("/training/classes/{class_id}/closing/request", response=ClosingOut)
def request_closing(request: HttpRequest, class_id: int) -> Any:
    training_class = class_get(_readable(request), class_id)
    return _closing_out(closing.class_closing_request(actor=request.user, training_class=training_class))


@router.post("/training/classes/{class_id}/closing/review", response=ClosingOut)
def review_closing(request: HttpRequest, class_id: int, payload: ClosingReviewIn) -> Any:
    """approve: certificates numbered from the unit's 附件4 range, class closed; return: back to
    the institution with the reason."""
    training_class = class_get(_readable(request), class_id)
    if payload.decision == "approve":
        result = closing.class_close(actor=request.user, training_class=training_class, note=payload.note)
    elif payload.decision == "return":
        result = closing.class_closing_return(
            actor=request.user, training_class=training_class, reason=payload.note
        )
    else:
        raise DomainError("invalid_decision", "结班审核结论须为 approve（通过）或 return（退回修改）")
    return _closing_out(result)


@router.get("/training/classes/{class_id}/certificates", response=list[CertificateOut])
def list_certificates(request: HttpRequest, class_id: int) -> Any:
    training_class = class_get(_readable(request), class_id)
    return [
        {
            "id": c.pk,
            "number": c.number,
            "enrolment_id": c.enrolment_id,
            "name": c.enrolment.person.name,
            "id_number": c.enrolment.person.id_number_masked,
            "issued_on": c.issued_on,
            "verification_code": c.verification_code,
        }
        for c in certificate_list(training_class).order_by("number")
    ]


@router.get("/training/number-ranges", response=list[NumberRangeOut])
def list_number_ranges(request: HttpRequest, year: int | None = None) -> Any:
    if not has_capability(request.user, "training.number_ranges"):
        raise PermissionDenied()
    ranges = number_range_list(request.user)
    if year is not None:
        ranges = ranges.filter(year=_year(year))
    return [_range_out(r) for r in ranges.order_by("year", "service_unit__code", "category", "first_value")]


def _unit(request: HttpRequest, unit_id: int) -> ServiceUnit:
    unit = ServiceUnit.objects.filter(pk=unit_id, jurisdiction_id__in=jurisdiction_ids(request.user)).first()
    if unit is None:
        raise DomainError("unknown_unit", "单位不存在")
    return unit


def _year(value: int) -> int:
    if not 2000 <= value <= 2100:
        raise DomainError("invalid_year", "年度须在 2000—2100 之间")
    return value


@router.post("/training/number-ranges", response={201: NumberRangeOut})
def add_number_range(request: HttpRequest, payload: NumberRangeIn) -> Any:
    """A bureau admin adds an approved range (citation required)."""
    unit = _unit(request, payload.service_unit_id)
    created = certificates.number_range_add(
        actor=request.user,
        jurisdiction=unit.jurisdiction,
        service_unit=unit,
        category=payload.category,
        year=_year(payload.year),
        first=payload.first,
        last=payload.last,
        citation=payload.citation,
    )
    return Status(201, _range_out(created))


@router.post("/training/number-ranges/requests", response={201: NumberRangeOut})
def request_number_range(request: HttpRequest, payload: NumberRangeIn) -> Any:
    """附件4 注 号段不足时可申请增加: a unit asks for a further range (reason required)."""
    created = certificates.number_range_request(
        actor=request.user,
        service_unit=_unit(request, payload.service_unit_id),
        category=payload.category,
        year=_year(payload.year),
        first=payload.first,
        last=payload.last,
        reason=payload.reason,
    )
    return Status(201, _range_out(created))


@router.post("/training/number-ranges/{range_id}/decision", response=NumberRangeOut)
def decide_number_range(request: HttpRequest, range_id: int, payload: RangeDecisionIn) -> Any:
    if not has_capability(request.user, "training.number_ranges_approve"):
        raise PermissionDenied()
    number_range = CertificateNumberRange.objects.filter(
        pk=range_id, jurisdiction_id__in=jurisdiction_ids(request.user)
    ).first()
    if number_range is None:
        raise DomainError("unknown_range", "号段不存在")
    decided = certificates.number_range_decide(
        actor=request.user, number_range=number_range, approve=payload.approve, note=payload.note
    )
    return _range_out(decided)
