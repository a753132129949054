"""REST operations of the funds app under /api/funds/ (session authentication).

Reads go through the scoped selectors; writes through the services. Every write that changes money
(a line's review, a batch's creation and approval, the bank's results, a recovery, stopping a
schedule) requires an `Idempotency-Key` header: a replay returns the first answer, the same key with
another body is refused (`gongjiang.funds.idempotency`)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Header, Router, Schema, Status
from ninja.files import UploadedFile

from gongjiang.core.errors import DomainError

from . import selectors, services
from .idempotency import run_once
from .models import ApplicationLine, BatchItem, Instalment, InstalmentSchedule
from .reports import fund_report_xlsx

router = Router(tags=["资金申请与拨付"])
IdemKey = Header[str | None]
MAX_ID = 2**63 - 1  # a primary key (bigint); larger numbers are refused before they reach the database
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _ids(*values: int) -> None:
    if any(not 1 <= v <= MAX_ID for v in values):
        raise DomainError("not_found", "记录不存在")


class LineOut(Schema):
    id: int
    person_id: int | None
    person_name: str
    id_number_masked: str
    payee: str
    benefit: str
    status: str
    eligible: bool
    engine_amount: decimal.Decimal
    bound_min: decimal.Decimal | None
    bound_max: decimal.Decimal | None
    amount: decimal.Decimal
    amount_reason: str
    reasons: list[dict[str, Any]]
    trace: list[dict[str, Any]]
    policy_version: str | None
    reviewed_by_id: int | None


class ApplicationOut(Schema):
    id: int
    number: str
    applicant_kind: str
    applicant_name: str
    policy: str
    benefit: str
    fund_source: str
    claim_date: dt.date
    status: str
    on_behalf: bool
    submitted_on: dt.date | None
    review_due_on: dt.date | None
    working_days_left: int | None
    overdue: bool
    checklist: dict[str, bool]


class ApplicationDetailOut(ApplicationOut):
    lines: list[LineOut]


class BatchOut(Schema):
    id: int
    number: str
    fund_source: str
    year: int
    status: str
    items: int
    total: decimal.Decimal
    created_by_id: int
    approved_by_id: int | None


class LineReviewIn(Schema):
    approve: bool
    amount: decimal.Decimal | None = None
    reason: str = ""
    note: str = ""


class BatchIn(Schema):
    fund_source_id: Id
    year: int = Field(ge=2000, le=2100)
    instalment_ids: list[Id] | None = None


class ReasonIn(Schema):
    reason: str


class ResultOut(Schema):
    paid: int
    failed: int


class FundRowOut(Schema):
    fund_source: str
    year: int
    month: int | None
    budget: decimal.Decimal
    committed: decimal.Decimal
    paid: decimal.Decimal
    remaining: decimal.Decimal


def _line_out(line: ApplicationLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "person_id": line.person_id,
        "person_name": line.beneficiary_name,
        "id_number_masked": line.beneficiary_id_masked,
        "payee": line.payee,
        "benefit": line.benefit,
        "status": line.status,
        "eligible": line.eligible,
        "engine_amount": line.engine_amount,
        "bound_min": line.bound_min,
        "bound_max": line.bound_max,
        "amount": line.amount,
        "amount_reason": line.amount_reason,
        "reasons": line.quote.get("reasons", []),
        "trace": line.quote.get("trace", []),
        "policy_version": line.quote.get("policy_version"),
        "reviewed_by_id": line.reviewed_by_id,
    }


def _application_out(application: Any, today: dt.date) -> dict[str, Any]:
    from .clocks import clock

    running = clock(application.review_due_on, today) if application.status == "submitted" else None
    return {
        "id": application.pk,
        "number": application.number,
        "applicant_kind": application.applicant_kind,
        "applicant_name": application.applicant_name,
        "policy": application.policy,
        "benefit": application.benefit,
        "fund_source": application.fund_source.name,
        "claim_date": application.claim_date,
        "status": application.status,
        "on_behalf": application.on_behalf,
        "submitted_on": application.submitted_on,
        "review_due_on": application.review_due_on,
        "working_days_left": running.left if running else None,
        "overdue": bool(running and running.overdue),
        "checklist": application.checklist,
    }


def _batch_out(batch: Any) -> dict[str, Any]:
    items = list(batch.items.exclude(status="removed"))
    return {
        "id": batch.pk,
        "number": batch.number,
        "fund_source": batch.fund_source.name,
        "year": batch.year,
        "status": batch.status,
        "items": len(items),
        "total": sum((i.amount for i in items), decimal.Decimal(0)),
        "created_by_id": batch.created_by_id,
        "approved_by_id": batch.approved_by_id,
    }


@router.get("/funds/applications", response=list[ApplicationOut])
def list_applications(request: HttpRequest) -> Any:
    today = timezone.localdate()
    return [_application_out(a, today) for a in selectors.application_list(request.user)[:500]]


@router.get("/funds/applications/{int:application_id}", response=ApplicationDetailOut)
def get_application(request: HttpRequest, application_id: int) -> Any:
    _ids(application_id)
    application = selectors.application_get(request.user, application_id)
    out = _application_out(application, timezone.localdate())
    out["lines"] = [_line_out(line) for line in selectors.application_lines(application)]
    return out


@router.get("/funds/review-queue", response=list[ApplicationOut])
def review_queue(request: HttpRequest) -> Any:
    today = timezone.localdate()
    return [_application_out(row.application, today) for row in selectors.review_queue(request.user, today)]


@router.get("/funds/batches", response=list[BatchOut])
def list_batches(request: HttpRequest) -> Any:
    return [_batch_out(b) for b in selectors.batch_list(request.user)[:200]]


@router.get("/funds/report", response=list[FundRowOut])
def fund_report(request: HttpRequest, year: int | None = None, month: int | None = None) -> Any:
    year, month = _period(year, month)
    return [
        {
            "fund_source": row.fund_source.name,
            "year": row.year,
            "month": row.month,
            "budget": row.budget,
            "committed": row.committed,
            "paid": row.paid,
            "remaining": row.remaining,
        }
        for row in selectors.fund_report(request.user, year, month)
    ]


@router.get("/funds/report.xlsx")
def fund_report_export(
    request: HttpRequest, year: int | None = None, month: int | None = None
) -> HttpResponse:
    year, month = _period(year, month)
    data = fund_report_xlsx(selectors.fund_report(request.user, year, month), year, month)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="funds-{year}.xlsx"'
    return response


def _period(year: int | None, month: int | None) -> tuple[int, int | None]:
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise DomainError("invalid_period", "年度或月份无效")
    return year, month


def _line_for_review(request: HttpRequest, line_id: int) -> ApplicationLine:
    line = ApplicationLine.objects.filter(pk=line_id).select_related("application").first()
    if line is None:
        raise DomainError("not_found", "明细不存在")
    selectors.application_get(request.user, line.application_id)
    return line


@router.post("/funds/lines/{line_id}/review", response={200: LineOut})
def review_line(
    request: HttpRequest, line_id: int, payload: LineReviewIn, idempotency_key: IdemKey = None
) -> Any:
    _ids(line_id)

    def run() -> tuple[int, Any]:
        line = services.line_review(
            actor=request.user,
            line=_line_for_review(request, line_id),
            approve=payload.approve,
            amount=payload.amount,
            reason=payload.reason,
            note=payload.note,
        )
        return 200, _line_out(line)

    status, answer = run_once(
        user=request.user,
        key=idempotency_key,
        operation=f"line_review:{line_id}",
        body=payload.dict(),
        run=run,
    )
    return Status(status, answer)


@router.post("/funds/batches", response={201: BatchOut})
def create_batch(request: HttpRequest, payload: BatchIn, idempotency_key: IdemKey = None) -> Any:
    def run() -> tuple[int, Any]:
        fund = selectors.fund_source_list(request.user).filter(pk=payload.fund_source_id).first()
        if fund is None:
            raise DomainError("unknown_fund", "资金来源不存在")
        chosen = None
        if payload.instalment_ids is not None:
            chosen = list(Instalment.objects.filter(pk__in=payload.instalment_ids))
            if len(chosen) != len(set(payload.instalment_ids)):
                raise DomainError("unknown_instalment", "期次不存在")
        batch = services.batch_create(
            actor=request.user, fund_source=fund, year=payload.year, instalments=chosen
        )
        return 201, _batch_out(batch)

    status, answer = run_once(
        user=request.user, key=idempotency_key, operation="batch_create", body=payload.dict(), run=run
    )
    return Status(status, answer)


@router.post("/funds/batches/{batch_id}/approve", response={200: BatchOut})
def approve_batch(request: HttpRequest, batch_id: int, idempotency_key: IdemKey = None) -> Any:
    _ids(batch_id)
    _ids(batch_id)

    def run() -> tuple[int, Any]:
        batch = services.batch_approve(actor=request.user, batch=selectors.batch_get(request.user, batch_id))
        return 200, _batch_out(batch)

    status, answer = run_once(
        user=request.user, key=idempotency_key, operation=f"batch_approve:{batch_id}", body={}, run=run
    )
    return Status(status, answer)


@router.post("/funds/batches/{batch_id}/bank-result", response={200: ResultOut})
def import_bank_result(
    request: HttpRequest, batch_id: int, file: File[UploadedFile], idempotency_key: IdemKey = None
) -> Any:
    _ids(batch_id)
    data = file.read()
    import hashlib

    def run() -> tuple[int, Any]:
        counts = services.batch_result_import(
            actor=request.user,
            batch=selectors.batch_get(request.user, batch_id),
            filename=file.name or "",
            data=data,
        )
        return 200, counts

    status, answer = run_once(
        user=request.user,
        key=idempotency_key,
        operation=f"bank_result:{batch_id}",
        body={"sha256": hashlib.sha256(data).hexdigest()},
        run=run,
    )
    return Status(status, answer)


@router.post("/funds/batch-items/{item_id}/recover", response={200: dict[str, str]})
def recover_item(
    request: HttpRequest, item_id: int, payload: ReasonIn, idempotency_key: IdemKey = None
) -> Any:
    _ids(item_id)

    def run() -> tuple[int, Any]:
        item = BatchItem.objects.filter(pk=item_id).first()
        if item is None:
            raise DomainError("not_found", "明细不存在")
        selectors.batch_get(request.user, item.batch_id)
        item = services.item_recover(actor=request.user, item=item, reason=payload.reason)
        return 200, {"detail_number": item.detail_number, "status": "recovered"}

    status, answer = run_once(
        user=request.user, key=idempotency_key, operation=f"recover:{item_id}", body=payload.dict(), run=run
    )
    return Status(status, answer)


@router.post("/funds/schedules/{schedule_id}/stop", response={200: dict[str, str]})
def stop_schedule(
    request: HttpRequest, schedule_id: int, payload: ReasonIn, idempotency_key: IdemKey = None
) -> Any:
    _ids(schedule_id)

    def run() -> tuple[int, Any]:
        schedule = InstalmentSchedule.objects.filter(pk=schedule_id).select_related("line").first()
        if schedule is None:
            raise DomainError("not_found", "分期计划不存在")
        selectors.application_get(request.user, schedule.line.application_id)
        schedule = services.schedule_stop(actor=request.user, schedule=schedule, reason=payload.reason)
        return 200, {"status": schedule.status, "stop_reason": schedule.stop_reason}

    status, answer = run_once(
        user=request.user,
        key=idempotency_key,
        operation=f"schedule_stop:{schedule_id}",
        body=payload.dict(),
        run=run,
    )
    return Status(status, answer)


# The workflow's other steps (no money moves in them; no idempotency key needed).


class ApplicationIn(Schema):
    applicant_kind: str
    applicant_id: Id
    policy: str
    benefit: str
    claim_date: dt.date


class ForClassIn(Schema):
    class_id: Id


class LineIn(Schema):
    # None: the applying unit's own line (a benefit paid into its account, data/benefits.yaml)
    person_id: Id | None = None
    facts: dict[str, Any]


class FromRecordIn(Schema):
    kind: Literal["competition_result", "studio", "title", "platform"]
    record_id: Id
    index: int = Field(ge=0, le=99)  # which of the record's quote requests (its facts_for_policy())


class PayeeAccountIn(Schema):
    bank_name: str
    bank_account: str


class ChecklistIn(Schema):
    items: dict[str, bool]


class NoteIn(Schema):
    note: str = ""


class NoticeIn(Schema):
    application_ids: list[Id]
    title: str
    issuing_unit: str


class NoticeOut(Schema):
    id: int
    number: str
    title: str
    issuing_unit: str
    published_on: dt.date
    ends_on: dt.date
    status: str


class ResolveIn(Schema):
    upheld: bool
    resolution: str


def _notice_out(notice: Any) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "number": notice.number,
        "title": notice.title,
        "issuing_unit": notice.issuing_unit,
        "published_on": notice.published_on,
        "ends_on": notice.ends_on,
        "status": notice.status,
    }


def _detail(application: Any) -> dict[str, Any]:
    out = _application_out(application, timezone.localdate())
    out["lines"] = [_line_out(line) for line in selectors.application_lines(application)]
    return out


@router.post("/funds/applications", response={201: ApplicationDetailOut})
def create_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    from gongjiang.registry.models import Enterprise, Institution, Person

    models: dict[str, Any] = {"institution": Institution, "enterprise": Enterprise, "person": Person}
    model = models.get(payload.applicant_kind)
    applicant = model._default_manager.filter(pk=payload.applicant_id).first() if model else None
    if applicant is None:
        raise DomainError("unknown_applicant", "申请主体不存在")
    application = services.application_create(
        actor=request.user,
        applicant_kind=payload.applicant_kind,
        applicant=applicant,
        policy=payload.policy,
        benefit=payload.benefit,
        claim_date=payload.claim_date,
    )
    return Status(201, _detail(application))


@router.post("/funds/applications/for-class", response={201: ApplicationDetailOut})
def create_application_for_class(request: HttpRequest, payload: ForClassIn) -> Any:
    from gongjiang.training.selectors import class_get

    application = services.application_create_for_class(
        actor=request.user, training_class=class_get(request.user, payload.class_id)
    )
    return Status(201, _detail(application))


@router.post("/funds/applications/{application_id}/lines", response={201: LineOut})
def add_line(request: HttpRequest, application_id: int, payload: LineIn) -> Any:
    _ids(application_id)
    from gongjiang.registry.models import Person

    application = selectors.application_get(request.user, application_id)
    person = None
    if payload.person_id is not None:
        person = Person.objects.filter(
            pk=payload.person_id, jurisdiction_id=application.jurisdiction_id
        ).first()
        if person is None:
            raise DomainError("unknown_person", "受益人不存在")
    line = services.application_line_add(
        actor=request.user, application=application, person=person, facts=payload.facts
    )
    return Status(201, _line_out(line))


@router.post("/funds/applications/from-record", response={201: ApplicationDetailOut})
def create_application_from_record(request: HttpRequest, payload: FromRecordIn) -> Any:
    """The draft application of a talent record's benefit (as the page /funds/apply-from-record/…)."""
    record = selectors.talent_record_get(request.user, payload.kind, payload.record_id)
    application = services.application_create_from_record(
        actor=request.user, kind=payload.kind, record=record, index=payload.index
    )
    return Status(201, _detail(application))


@router.post("/funds/applications/{application_id}/payee-account", response=ApplicationDetailOut)
def set_payee_account(request: HttpRequest, application_id: int, payload: PayeeAccountIn) -> Any:
    """The applying unit's bank (开户行、账号) for a benefit paid into its account; shown masked."""
    _ids(application_id)
    application = selectors.application_get(request.user, application_id)
    services.application_payee_account_set(
        actor=request.user,
        application=application,
        bank_name=payload.bank_name,
        bank_account=payload.bank_account,
    )
    application.refresh_from_db()
    return _detail(application)


@router.post("/funds/applications/{application_id}/checklist", response=ApplicationDetailOut)
def set_checklist(request: HttpRequest, application_id: int, payload: ChecklistIn) -> Any:
    _ids(application_id)
    application = services.application_checklist_set(
        actor=request.user,
        application=selectors.application_get(request.user, application_id),
        items=payload.items,
    )
    return _detail(application)


@router.post("/funds/applications/{application_id}/submit", response=ApplicationDetailOut)
def submit_application(request: HttpRequest, application_id: int) -> Any:
    _ids(application_id)
    application = services.application_submit(
        actor=request.user, application=selectors.application_get(request.user, application_id)
    )
    return _detail(application)


@router.post("/funds/applications/{application_id}/review-complete", response=ApplicationDetailOut)
def complete_review(request: HttpRequest, application_id: int, payload: NoteIn) -> Any:
    _ids(application_id)
    application = services.application_review_complete(
        actor=request.user,
        application=selectors.application_get(request.user, application_id),
        note=payload.note,
    )
    return _detail(application)


@router.post("/funds/notices", response={201: NoticeOut})
def publish_notice(request: HttpRequest, payload: NoticeIn) -> Any:
    applications = list(selectors.application_list(request.user).filter(pk__in=payload.application_ids))
    if len(applications) != len(set(payload.application_ids)):
        raise DomainError("unknown_application", "申请不存在")
    notice = services.notice_publish(
        actor=request.user, applications=applications, title=payload.title, issuing_unit=payload.issuing_unit
    )
    return Status(201, _notice_out(notice))


@router.post("/funds/objections/{objection_id}/resolve", response=dict[str, str])
def resolve_objection(request: HttpRequest, objection_id: int, payload: ResolveIn) -> Any:
    _ids(objection_id)
    objection = selectors.objection_get(request.user, objection_id)
    objection = services.objection_resolve(
        actor=request.user, objection=objection, upheld=payload.upheld, resolution=payload.resolution
    )
    return {"status": objection.status}


@router.post("/funds/notices/{notice_id}/close", response=NoticeOut)
def close_notice(request: HttpRequest, notice_id: int) -> Any:
    _ids(notice_id)
    notice = services.notice_close(actor=request.user, notice=selectors.notice_get(request.user, notice_id))
    return _notice_out(notice)
