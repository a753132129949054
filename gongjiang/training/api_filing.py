"""REST operations of the filing and its review (附件2 3.1), under /api/training/. Session
authentication; reads through the scoped selectors, writes through the services. Identifiers in
rosters are masked (the masked copy stored with each person)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.permissions import has_capability
from gongjiang.registry.models import Enterprise, Institution

from .api import router
from .checklist import filing_checklist, filing_warnings
from .prechecks import roster_prechecks
from .selectors import class_get, class_list, enrolment_list, review_queue
from .services import evidence, filing, roster, timetable


class ClassOut(Schema):
    id: int
    code: str
    name: str
    status: str
    training_type: str
    project_base: str
    occupation: str | None
    level: str
    subsidy_class: str
    startup_course: str | None
    institution_id: int
    service_unit_id: int
    enterprise_id: int | None
    start_date: dt.date
    end_date: dt.date
    theory_hours: int
    practice_hours: int
    required_hours: int
    submitted_on: dt.date | None
    review_due_on: dt.date | None
    review_note: str


class ClassIn(Schema):
    institution_id: int
    name: str
    training_type: str
    start_date: dt.date
    end_date: dt.date
    venue_address: str
    textbook_name: str
    textbook_publisher: str
    project_base: str = ""
    occupation: str | None = None
    level: str = ""
    startup_course: str | None = None
    enterprise_id: int | None = None
    is_school_enterprise: bool = False
    labour_brand: str = ""
    planned_size: int = 0
    plan_summary: str = ""


class CheckItemOut(Schema):
    label: str
    ok: bool
    detail: str


class ChecklistOut(Schema):
    items: list[CheckItemOut]
    warnings: list[str]


class EnrolmentOut(Schema):
    id: int
    person_id: int
    name: str
    id_number: str
    status: str
    eligibility: str
    precheck: dict[str, Any] | None


class ImportResult(Schema):
    created: int


class ReviewIn(Schema):
    decision: str
    note: str = ""


class QueueItemOut(Schema):
    class_id: int
    code: str
    name: str
    institution: str
    submitted_on: dt.date | None
    due: dt.date
    days_left: int
    overdue: bool


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    taken_on: dt.date | None


def _class_out(training_class: Any) -> dict[str, Any]:
    data = {
        name: getattr(training_class, name) for name in ClassOut.model_fields if hasattr(training_class, name)
    }
    data["occupation"] = training_class.occupation.name if training_class.occupation else None
    data["startup_course"] = training_class.startup_course.code if training_class.startup_course else None
    return data


def _readable(request: HttpRequest) -> Any:
    if not has_capability(request.user, "training.read"):
        raise PermissionDenied()
    return request.user


def _reference(payload: ClassIn, user: Any) -> dict[str, Any]:
    from gongjiang.catalog.models import Occupation, StartupCourse

    fields = payload.dict(exclude={"institution_id", "occupation", "startup_course", "enterprise_id"})
    if payload.occupation:
        fields["occupation"] = Occupation.objects.filter(name=payload.occupation).first()
        if fields["occupation"] is None:
            raise DomainError("unknown_occupation", f"职业目录中没有“{payload.occupation}”")
    if payload.startup_course:
        fields["startup_course"] = StartupCourse.objects.filter(code=payload.startup_course).first()
        if fields["startup_course"] is None:
            raise DomainError("unknown_course", f"没有创业培训课程“{payload.startup_course}”")
    if payload.enterprise_id is not None:
        fields["enterprise"] = Enterprise.objects.filter(pk=payload.enterprise_id).first()
        if fields["enterprise"] is None:
            raise DomainError("unknown_enterprise", "企业不存在")
    return fields


@router.get("/training/classes", response=list[ClassOut])
@paginate(LimitOffsetPagination)
def list_classes(request: HttpRequest, status: str = "") -> Any:
    classes = class_list(_readable(request))
    if status:
        classes = classes.filter(status=status)
    return [_class_out(c) for c in classes.order_by("-id")]


@router.get("/training/classes/{class_id}", response=ClassOut)
def get_class(request: HttpRequest, class_id: int) -> Any:
    return _class_out(class_get(_readable(request), class_id))


@router.post("/training/classes", response={201: ClassOut})
def create_class(request: HttpRequest, payload: ClassIn) -> Any:
    institution = Institution.objects.filter(pk=payload.institution_id).first()
    if institution is None:
        raise DomainError("unknown_institution", "培训机构不存在")
    training_class = filing.class_create(
        actor=request.user, institution=institution, **_reference(payload, request.user)
    )
    return Status(201, _class_out(training_class))


@router.get("/training/classes/{class_id}/checklist", response=ChecklistOut)
def get_checklist(request: HttpRequest, class_id: int) -> Any:
    training_class = class_get(_readable(request), class_id)
    return {
        "items": [vars(item) for item in filing_checklist(training_class)],
        "warnings": filing_warnings(training_class),
    }


@router.get("/training/classes/{class_id}/roster", response=list[EnrolmentOut])
def get_roster(request: HttpRequest, class_id: int) -> Any:
    """The roster with each trainee's pre-check: live while the filing is editable, else as frozen
    at submission."""
    training_class = class_get(_readable(request), class_id)
    from .access import EDITABLE

    live = roster_prechecks(training_class) if training_class.status in EDITABLE else None
    return [
        {
            "id": e.pk,
            "person_id": e.person_id,
            "name": e.person.name,
            "id_number": e.person.id_number_masked,
            "status": e.status,
            "eligibility": e.eligibility,
            "precheck": live.get(e.pk) if live is not None else e.precheck,
        }
        for e in enrolment_list(training_class)
    ]


@router.post("/training/classes/{class_id}/roster", response={201: ImportResult})
def import_roster(request: HttpRequest, class_id: int, file: File[UploadedFile]) -> Any:
    training_class = class_get(_readable(request), class_id)
    created = roster.roster_import(
        actor=request.user, training_class=training_class, filename=file.name or "", data=file.read()
    )
    return Status(201, {"created": len(created)})


@router.post("/training/classes/{class_id}/timetable", response={201: ImportResult})
def import_timetable(request: HttpRequest, class_id: int, file: File[UploadedFile]) -> Any:
    training_class = class_get(_readable(request), class_id)
    sessions = timetable.timetable_import(
        actor=request.user, training_class=training_class, filename=file.name or "", data=file.read()
    )
    return Status(201, {"created": len(sessions)})


@router.post("/training/classes/{class_id}/evidence", response={201: EvidenceOut})
def upload_evidence(
    request: HttpRequest,
    class_id: int,
    file: File[UploadedFile],
    kind: Form[str],
    taken_on: Form[dt.date | None] = None,
    note: Form[str] = "",
) -> Any:
    training_class = class_get(_readable(request), class_id)
    item = evidence.evidence_add(
        actor=request.user,
        training_class=training_class,
        kind=kind,
        name=file.name or "",
        stream=file,
        taken_on=taken_on,
        note=note,
    )
    return Status(201, item)


@router.post("/training/classes/{class_id}/submit", response=ClassOut)
def submit_class(request: HttpRequest, class_id: int) -> Any:
    training_class = class_get(_readable(request), class_id)
    return _class_out(filing.class_submit(actor=request.user, training_class=training_class))


@router.post("/training/classes/{class_id}/review", response=ClassOut)
def review_class(request: HttpRequest, class_id: int, payload: ReviewIn) -> Any:
    training_class = class_get(_readable(request), class_id)
    if payload.decision == "approve":
        result = filing.class_approve(actor=request.user, training_class=training_class, note=payload.note)
    elif payload.decision == "return":
        result = filing.class_return(actor=request.user, training_class=training_class, reason=payload.note)
    elif payload.decision == "reject":
        result = filing.class_reject(actor=request.user, training_class=training_class, reason=payload.note)
    else:
        raise DomainError(
            "invalid_decision", "审核结论须为 approve（通过）、return（退回修改）或 reject（不予备案）"
        )
    return _class_out(result)


@router.get("/training/review-queue", response=list[QueueItemOut])
def get_review_queue(request: HttpRequest) -> Any:
    if not has_capability(request.user, "training.review"):
        raise PermissionDenied()
    return [
        {
            "class_id": item.training_class.pk,
            "code": item.training_class.code,
            "name": item.training_class.name,
            "institution": item.training_class.institution.name,
            "submitted_on": item.training_class.submitted_on,
            "due": item.due,
            "days_left": item.days_left,
            "overdue": item.overdue,
        }
        for item in review_queue(request.user)
    ]
