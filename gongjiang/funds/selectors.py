"""Reads of the funds app, scoped to the user.

Who sees what:
- bureau admins, centre reviewers, finance officers and auditors: the whole jurisdiction;
- an institution or enterprise clerk: their own unit's applications; a person: their own
  applications and the lines paying them;
- the public notice page (`/public/funds/notices/…`) is open to everyone: name, masked ID,
  occupation, level and amount, nothing else.
Lists and exports show masked identifiers only; the bank file (a POST, audited) is the one place
full ID and account numbers leave the system.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from gongjiang.core.choices import Role
from gongjiang.core.permissions import JURISDICTION_READERS, jurisdiction_ids, require, role_of

from . import ledger
from .choices import (
    ApplicationStatus,
    InstalmentStatus,
    ItemStatus,
    LedgerAccount,
    LineStatus,
    NoticeStatus,
    PostingKind,
    ScheduleStatus,
)
from .clocks import Clock, clock
from .models import (
    Application,
    ApplicationLine,
    BatchItem,
    FundBudget,
    FundSource,
    Instalment,
    LedgerEntry,
    Objection,
    PaymentBatch,
    PublicNotice,
)


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        obj = qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise Http404("记录不存在或无权查看")
    return obj


def application_list(user: Any) -> QuerySet[Application]:
    require(user, "funds.read")
    qs = Application.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).select_related(
        "institution", "enterprise", "person", "fund_source"
    )
    role = role_of(user)
    if role in JURISDICTION_READERS:
        return qs
    if role == Role.INSTITUTION_CLERK:
        return qs.filter(institution_id=user.institution_id or -1)
    if role == Role.ENTERPRISE_CLERK:
        return qs.filter(enterprise_id=user.enterprise_id or -1)
    return qs.filter(Q(person_id=user.person_id or -1) | Q(lines__person_id=user.person_id or -1)).distinct()


def application_get(user: Any, pk: Any) -> Application:
    return _get(application_list(user), pk)


def application_lines(application: Application) -> QuerySet[ApplicationLine]:
    return application.lines.select_related(
        "person", "reviewed_by", "application__enterprise", "application__institution"
    ).order_by("id")


@dataclass
class QueueRow:
    application: Application
    clock: Clock | None


def review_queue(user: Any, today: dt.date) -> list[QueueRow]:
    require(user, "funds.review")
    qs = application_list(user).filter(status=ApplicationStatus.SUBMITTED).order_by("review_due_on", "id")
    return [QueueRow(a, clock(a.review_due_on, today)) for a in qs]


@dataclass
class PaymentRow:
    line: ApplicationLine
    clock: Clock | None
    due_instalments: int


def payment_queue(user: Any, today: dt.date) -> list[PaymentRow]:
    require(user, "funds.pay")
    lines = (
        ApplicationLine.objects.filter(
            application__jurisdiction_id__in=jurisdiction_ids(user), status=LineStatus.PAYABLE
        )
        .select_related(
            "person", "application__fund_source", "application__enterprise", "application__institution"
        )
        .order_by("payment_due_on", "id")
    )
    rows = []
    for line in lines:
        due = Instalment.objects.filter(schedule__line=line, status=InstalmentStatus.DUE).count()
        rows.append(PaymentRow(line, clock(line.payment_due_on, today), due))
    return rows


def notice_list(user: Any) -> QuerySet[PublicNotice]:
    """Notices with their objections (objectors' contacts): bureau staff and auditors."""
    if role_of(user) not in JURISDICTION_READERS:
        require(user, "funds.review")
    return PublicNotice.objects.filter(jurisdiction_id__in=jurisdiction_ids(user))


def objection_get(user: Any, pk: Any) -> Objection:
    return _get(Objection.objects.filter(notice__in=notice_list(user)), pk)


def notice_get(user: Any, pk: Any) -> PublicNotice:
    return _get(notice_list(user), pk)


def public_notice_list() -> QuerySet[PublicNotice]:
    return PublicNotice.objects.select_related("jurisdiction").order_by("-published_on", "-id")


def public_notice_get(pk: Any) -> PublicNotice:
    return _get(public_notice_list(), pk)


def public_notice_rows(notice: PublicNotice) -> list[dict[str, Any]]:
    """What the public sees of each line: name, masked ID, occupation, level, amount."""
    lines = notice.lines.select_related(
        "person", "application__enterprise", "application__institution"
    ).order_by("id")
    return [
        {
            "line_id": line.pk,
            "name": line.beneficiary_name,
            "id_number": line.beneficiary_id_masked,
            "occupation": line.occupation,
            "level": line.level,
            "amount": line.amount,
            "withdrawn": line.status == LineStatus.WITHDRAWN,
        }
        for line in lines
    ]


def batch_list(user: Any) -> QuerySet[PaymentBatch]:
    if role_of(user) not in JURISDICTION_READERS:
        require(user, "funds.pay")
    return PaymentBatch.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).select_related(
        "fund_source"
    )


def batch_get(user: Any, pk: Any) -> PaymentBatch:
    return _get(batch_list(user), pk)


def fund_source_list(user: Any) -> QuerySet[FundSource]:
    require(user, "funds.read")
    return FundSource.objects.filter(jurisdiction_id__in=jurisdiction_ids(user))


@dataclass
class BatchChoice:
    """What a finance officer may put in a new batch of one fund: the instalments due now, and how
    many scheduled ones have reached their month (they fall due when a batch takes "all")."""

    fund_source: FundSource
    due: list[Instalment]
    come_due: int


def batch_choice(user: Any, fund_source_id: Any, month: str) -> BatchChoice:
    require(user, "funds.pay")
    fund = _get(fund_source_list(user), fund_source_id)
    instalments = Instalment.objects.filter(schedule__line__application__fund_source=fund)
    due = list(
        instalments.filter(status=InstalmentStatus.DUE)
        .select_related("schedule__line__person", "schedule__line__application")
        .order_by("due_month", "pk")
    )
    come_due = instalments.filter(
        status=InstalmentStatus.SCHEDULED,
        due_month__lte=month,
        schedule__status=ScheduleStatus.ACTIVE,
        schedule__line__status=LineStatus.PAYABLE,
    ).count()
    return BatchChoice(fund, due, come_due)


@dataclass
class FundMonth:
    fund_source: FundSource
    year: int
    month: int | None
    budget: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal
    by_benefit: dict[str, Decimal] = field(default_factory=dict)
    by_unit: dict[str, Decimal] = field(default_factory=dict)


def _paid_in(fund: FundSource, year: int, month: int | None) -> Decimal:
    rows = LedgerEntry.objects.filter(fund_source=fund, posting__year=year, account=LedgerAccount.BANK)
    if month is not None:
        rows = rows.filter(posting__posted_at__month=month)
    return -(rows.aggregate(t=Sum("amount"))["t"] or Decimal(0)).quantize(ledger.CENT)


def fund_report(user: Any, year: int, month: int | None = None) -> list[FundMonth]:
    """Per fund source: budget, committed (approved lines not yet paid), paid (in the month, or the
    year), remaining (budget − paid − committed)."""
    require(user, "funds.report")
    result = []
    for fund in FundSource.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).order_by("id"):
        budget = (
            FundBudget.objects.filter(fund_source=fund, year=year).values_list("amount", flat=True).first()
        )
        balances = ledger.balances(fund, year)
        paid_year = -balances[LedgerAccount.BANK]
        in_ledger_unpaid = -balances[LedgerAccount.PAYABLE]
        not_batched = Instalment.objects.filter(
            schedule__line__application__fund_source=fund,
            status__in=[InstalmentStatus.SCHEDULED, InstalmentStatus.DUE],
            due_month__startswith=str(year),
        ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
        committed = in_ledger_unpaid + not_batched
        by_benefit: dict[str, Decimal] = {}
        for row in (
            BatchItem.objects.filter(batch__fund_source=fund, batch__year=year, status=ItemStatus.PAID)
            .values("instalment__schedule__line__benefit")
            .annotate(t=Sum("amount"))
        ):
            by_benefit[row["instalment__schedule__line__benefit"]] = row["t"].quantize(ledger.CENT)
        by_unit: dict[str, Decimal] = {}
        paid_items = BatchItem.objects.filter(
            batch__fund_source=fund, batch__year=year, status=ItemStatus.PAID
        ).select_related(
            "instalment__schedule__line__application__institution",
            "instalment__schedule__line__application__enterprise",
            "instalment__schedule__line__application__person",
        )
        for item in paid_items:
            unit = item.instalment.schedule.line.application.applicant_name
            by_unit[unit] = by_unit.get(unit, Decimal(0)) + item.amount
        budget_amount = budget if budget is not None else Decimal(0)
        result.append(
            FundMonth(
                fund_source=fund,
                year=year,
                month=month,
                budget=budget_amount,
                committed=committed,
                paid=_paid_in(fund, year, month) if month else paid_year,
                remaining=budget_amount - paid_year - committed,
                by_benefit=by_benefit,
                by_unit=by_unit,
            )
        )
    return result


@dataclass
class Reconciliation:
    batch: PaymentBatch
    items: int
    paid_items: Decimal
    failed_items: Decimal
    ledger_paid: Decimal
    ledger_reversed: Decimal
    ledger_committed: Decimal
    balanced: bool
    problems: list[str]


def reconciliation(batch: PaymentBatch) -> Reconciliation:
    """Ties a batch's items, the bank's results and the ledger: every figure must agree."""
    items = list(batch.items.all())
    paid = sum((i.amount for i in items if i.status == ItemStatus.PAID), Decimal(0))
    failed = sum((i.amount for i in items if i.status == ItemStatus.FAILED), Decimal(0))
    held = sum((i.amount for i in items if i.status != ItemStatus.REMOVED), Decimal(0))

    def posted(kind: str) -> Decimal:
        total = LedgerEntry.objects.filter(
            posting__batch_item__batch=batch, posting__kind=kind, amount__gt=0
        ).aggregate(t=Sum("amount"))["t"]
        return (total or Decimal(0)).quantize(ledger.CENT)

    ledger_paid, ledger_reversed, committed = (
        posted(PostingKind.PAYMENT),
        posted(PostingKind.REVERSAL),
        posted(PostingKind.COMMITMENT),
    )
    problems = []
    if ledger_paid != paid:
        problems.append(f"银行成功 {paid} 元，账上支付 {ledger_paid} 元")
    if ledger_reversed != failed:
        problems.append(f"银行失败 {failed} 元，账上冲回 {ledger_reversed} 元")
    if batch.approved_at and committed != held:
        problems.append(f"批次金额 {held} 元，账上计提 {committed} 元")
    missing = [i.detail_number for i in items if i.status == ItemStatus.PAID and not i.bank_reference]
    if missing:
        problems.append("支付成功但无银行流水号：" + "、".join(missing))
    unbalanced = ledger.unbalanced_postings()
    if unbalanced:
        problems.append(f"借贷不平的记账凭证：{unbalanced}")
    return Reconciliation(
        batch, len(items), paid, failed, ledger_paid, ledger_reversed, committed, not problems, problems
    )


@dataclass
class FundReconciliation:
    fund_source: FundSource
    year: int
    bank_paid: Decimal  # items the bank reported paid, less recoveries
    ledger_paid: Decimal  # −balance(银行存款)
    batches: int
    unbalanced_batches: list[str]
    balanced: bool


def fund_reconciliation(user: Any, year: int) -> list[FundReconciliation]:
    """Per fund: the bank's results, the batches and the ledger agree (every batch reconciles, and
    what the bank paid equals what the ledger shows paid)."""
    require(user, "funds.report")
    result = []
    for fund in FundSource.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).order_by("id"):
        batches = list(PaymentBatch.objects.filter(fund_source=fund, year=year).order_by("id"))
        paid_items = BatchItem.objects.filter(batch__in=batches, status=ItemStatus.PAID).aggregate(
            t=Sum("amount")
        )["t"] or Decimal(0)
        recovered = LedgerEntry.objects.filter(
            fund_source=fund,
            posting__year=year,
            posting__kind=PostingKind.RECOVERY,
            account=LedgerAccount.BANK,
        ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
        bank_paid = (paid_items - recovered).quantize(ledger.CENT)  # SQLite sums decimals as floats
        ledger_paid = -ledger.balances(fund, year)[LedgerAccount.BANK]
        unbalanced = [b.number for b in batches if not reconciliation(b).balanced]
        result.append(
            FundReconciliation(
                fund,
                year,
                bank_paid,
                ledger_paid,
                len(batches),
                unbalanced,
                not unbalanced and bank_paid == ledger_paid,
            )
        )
    return result


@dataclass
class Overdue:
    reviews: list[Application]
    notices: list[PublicNotice]
    payments: list[ApplicationLine]

    @property
    def total(self) -> int:
        return len(self.reviews) + len(self.notices) + len(self.payments)


def overdue_items(today: dt.date, jurisdiction_id: int | None = None) -> Overdue:
    """Past their working-day deadline: reviews, notices not closed after the window, unpaid lines."""
    applications = Application.objects.filter(status=ApplicationStatus.SUBMITTED, review_due_on__lt=today)
    notices = PublicNotice.objects.filter(status=NoticeStatus.OPEN, ends_on__lt=today)
    lines = ApplicationLine.objects.filter(status=LineStatus.PAYABLE, payment_due_on__lt=today)
    if jurisdiction_id is not None:
        applications = applications.filter(jurisdiction_id=jurisdiction_id)
        notices = notices.filter(jurisdiction_id=jurisdiction_id)
        lines = lines.filter(application__jurisdiction_id=jurisdiction_id)
    return Overdue(list(applications), list(notices), list(lines.select_related("person")))


# ---------------------------------------------------------------------------------------------
# Applications started from a talent record (issue 7): a competition result, a master studio, a
# title or a platform gives the engine its quote requests (`facts_for_policy()`); each becomes an
# application of the record's person or unit, or says why it cannot (no fund, not configured).

RECORD_KINDS = {
    "competition_result": ("CompetitionResult", "competition__jurisdiction_id__in", "竞赛成绩"),
    "studio": ("MasterStudio", "jurisdiction_id__in", "技能大师工作室"),
    "title": ("TalentTitle", "jurisdiction_id__in", "技能人才称号"),
    "platform": ("TalentPlatform", "jurisdiction_id__in", "培训基地与示范企业"),
}


def record_parties(kind: str, record: Any) -> tuple[Any, Any]:
    """The record's person (a prize winner, a studio's master, a title holder) and its unit."""
    if kind == "competition_result":
        return record.person, None
    if kind == "studio":
        return record.master, record.enterprise
    if kind == "title":
        return record.person, record.enterprise
    return None, record.enterprise or record.institution


def talent_record_get(user: Any, kind: str, pk: Any) -> Any:
    """A talent record the user may apply from: bureau staff in their jurisdictions; a clerk or a
    person only for a record of their own unit or of themselves (otherwise 404)."""
    from django.apps import apps

    require(user, "funds.apply")
    if kind not in RECORD_KINDS:
        raise Http404("记录不存在")
    model_name, scope, _label = RECORD_KINDS[kind]
    model = apps.get_model("talent", model_name)
    record = _get(model.objects.filter(**{scope: jurisdiction_ids(user)}), pk)
    if role_of(user) in {Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER}:
        return record
    person, unit = record_parties(kind, record)
    role = role_of(user)
    unit_kind = unit._meta.model_name if unit is not None else ""
    own = (
        (role == Role.PERSON and person is not None and person.pk == user.person_id)
        or (role == Role.ENTERPRISE_CLERK and unit_kind == "enterprise" and unit.pk == user.enterprise_id)
        or (role == Role.INSTITUTION_CLERK and unit_kind == "institution" and unit.pk == user.institution_id)
    )
    if not own:
        raise Http404("记录不存在或无权申请")
    return record


@dataclass
class RecordRequest:
    """One quote request of a record, with what applying for it would take."""

    index: int
    policy: str
    benefit: str
    label: str
    citation: str
    date: dt.date
    facts: dict[str, Any]
    applicant_kind: str
    applicant: Any
    person: Any  # the line's person; None for the unit's own line
    quote: dict[str, Any] | None = None
    fund_source: FundSource | None = None
    problem: str = ""
    existing: Application | None = None
    may_apply: bool = False


def record_key(kind: str, record: Any) -> str:
    return f"{kind}:{record.pk}"


def record_requests(user: Any, kind: str, record: Any) -> list[RecordRequest]:
    """The record's quote requests, each quoted by the engine with the beneficiary's history, its
    fund (or why it has none) and any application already started from it."""

    from . import config, engine
    from .models import BenefitFunding

    person, unit = record_parties(kind, record)
    rows = []
    for index, request in enumerate(record.facts_for_policy()):
        spec = config.pack_benefit(request["policy"], request["benefit"])
        for_person = spec is None or spec.beneficiary == "person"
        applicant = person if for_person else unit
        applicant_kind = "person" if for_person else (unit._meta.model_name if unit is not None else "")
        row = RecordRequest(
            index=index,
            policy=request["policy"],
            benefit=request["benefit"],
            label=spec.label if spec else request["benefit"],
            citation=spec.citation if spec else "",
            date=dt.date.fromisoformat(request["date"]),
            facts=dict(request["facts"]),
            applicant_kind=str(applicant_kind),
            applicant=applicant,
            person=person if for_person else None,
        )
        if applicant is None:
            row.problem = "记录未登记申请单位，不能申请"
        else:
            row.quote = engine.quote_line(
                policy=row.policy,
                benefit=row.benefit,
                claim_date=row.date,
                facts=row.facts,
                person_id=person.pk if for_person else None,
                organisation=None if for_person else unit,
                record=record_key(kind, record),
            )
        jurisdiction_id = (
            record.competition.jurisdiction_id if kind == "competition_result" else record.jurisdiction_id
        )
        funding = BenefitFunding.objects.filter(
            jurisdiction_id=jurisdiction_id,
            policy=row.policy,
            benefit=row.benefit,
        ).select_related("fund_source")
        row.fund_source = funding[0].fund_source if funding else None
        if not row.problem:
            if row.benefit not in config.benefit_config() or not (spec and spec.payment_keys):
                row.problem = "尚未配置支付键和申请材料，暂不能申请"
            elif row.fund_source is None:
                row.problem = "尚未配置资金来源（由哪项资金支付），暂不能申请"
        line = (
            ApplicationLine.objects.filter(
                record=record_key(kind, record), benefit=row.benefit, application__claim_date=row.date
            )
            .exclude(status__in=[LineStatus.REJECTED, LineStatus.WITHDRAWN])
            .select_related("application")
            .first()
        )
        row.existing = line.application if line else None
        row.may_apply = (
            not row.problem
            and row.existing is None
            and applicant_allowed(user, row.applicant_kind, applicant)
        )
        rows.append(row)
    return rows


def applicant_allowed(user: Any, kind: str, subject: Any) -> bool:
    """Whether the user may file for this applicant (their own, or a bureau user on its behalf)."""
    from gongjiang.core.errors import PermissionDenied
    from gongjiang.core.permissions import require_jurisdiction

    from .services import _applicant_check

    try:
        require(user, "funds.apply")
        require_jurisdiction(user, subject.jurisdiction_id)
        _applicant_check(user, kind, subject)
    except PermissionDenied:
        return False
    return True
