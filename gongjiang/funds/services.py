"""The funds workflow's writes (新民社发〔2025〕13号 附件2 第四章 补贴资金管理).

    application_create / application_create_for_class → application_line_add (engine quote)
      → application_submit (review clock: 15 working days)
      → line_review per line (amount inside the engine's bounds, with a reason) → application_review_complete
      → notice_publish (5 working days) → objection_file / objection_resolve → notice_close
        (payment clock: 5 working days; instalments of the month fall due)
      → batch_create (per fund source) → batch_approve (someone who reviewed none of its lines;
        within the fund's annual budget) → batch_export (bank file) → batch_result_import
        (paid → ledger; failed → reversed, the instalment falls due again for a later batch)
    schedule_stop ends an instalment schedule (the rest cancelled, keys released).

"Never twice": every instalment holds its payment keys (unique in the database while held), and a
batch item holds its instalment (one holding item per instalment, unique in the database).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongjiang.core.audit import audit_record, record_create, record_update, snapshot
from gongjiang.core.calendar import add_working_days
from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError, ImportRejected, PermissionDenied
from gongjiang.core.permissions import require, require_jurisdiction, role_of
from gongjiang.core.spreadsheets import read_table, require_columns
from gongjiang.core.validation import validated

from . import config, engine, ledger
from .choices import (
    ApplicantKind,
    ApplicationStatus,
    BatchStatus,
    InstalmentStatus,
    ItemStatus,
    LedgerAccount,
    LineStatus,
    NoticeStatus,
    ObjectionStatus,
    Payee,
    PostingKind,
    ScheduleStatus,
)
from .models import (
    Application,
    ApplicationLine,
    BatchItem,
    BenefitFunding,
    FundBudget,
    FundSource,
    Instalment,
    InstalmentSchedule,
    Objection,
    PaymentBatch,
    PaymentKey,
    PublicNotice,
)

REVIEW_WORKING_DAYS = 15  # 附件2 4.2 审核（15 个工作日内）
NOTICE_WORKING_DAYS = 5  # 附件2 4.2 通过公示（5 个工作日）
PAYMENT_WORKING_DAYS = 5  # 附件2 4.2 资金直达培训机构/个人账户（5个工作日）
BANK_RESULT_COLUMNS = ("明细号", "状态", "失败原因", "银行流水号")
PAID_WORDS = {"成功", "支付成功", "success", "paid"}
FAILED_WORDS = {"失败", "支付失败", "failed", "fail"}


def _reason(text: str, what: str) -> str:
    if not text or not text.strip():
        raise DomainError("reason_required", f"{what}必须填写理由")
    return text.strip()


def _transition(obj: Any, *, actor: Any, event_type: str, reason: str = "", **fields: Any) -> None:
    before = snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    validated(obj)
    obj.save()
    record_update(obj, before, actor=actor, event_type=event_type, reason=reason, action="transition")


# ---------------------------------------------------------------------------------------------
# Configuration: fund sources, which fund pays which benefit, budgets


@transaction.atomic
def funds_config_load(*, actor: Any, jurisdiction: Any) -> list[BenefitFunding]:
    """Create or update the jurisdiction's fund sources and benefit → fund mapping from its data file.
    `actor=None` is bootstrap (the `funds_load` command and the demo); every change is still audited."""
    if actor is not None:
        require(actor, "funds.manage")
        require_jurisdiction(actor, jurisdiction.pk)
    data = config.jurisdiction_config(jurisdiction.code)
    funds: dict[str, FundSource] = {}
    for row in data.get("fund_sources", []):
        fund, created = FundSource.objects.update_or_create(
            jurisdiction=jurisdiction, code=row["code"], defaults={"name": row["name"]}
        )
        if created:
            record_create(fund, actor=actor, event_type="fund_source_created")
        funds[fund.code] = fund
    mappings = []
    for policy, benefits in (data.get("benefits") or {}).items():
        for benefit, fund_code in benefits.items():
            if fund_code not in funds:
                raise DomainError("unknown_fund", f"资金配置：{policy}/{benefit} 指向未知资金 {fund_code}")
            mapping, _created = BenefitFunding.objects.update_or_create(
                jurisdiction=jurisdiction,
                policy=policy,
                benefit=benefit,
                defaults={"fund_source": funds[fund_code]},
            )
            mappings.append(mapping)
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="update",
        event_type="funds_config_loaded",
        after={"funds": sorted(funds), "benefits": [f"{m.policy}/{m.benefit}" for m in mappings]},
        jurisdiction_id=jurisdiction.pk,
    )
    return mappings


@transaction.atomic
def fund_budget_set(
    *, actor: Any, fund_source: FundSource, year: int, amount: Decimal, note: str = ""
) -> FundBudget:
    require(actor, "funds.manage")
    require_jurisdiction(actor, fund_source.jurisdiction_id)
    budget = FundBudget.objects.select_for_update().filter(fund_source=fund_source, year=year).first()
    if budget is None:
        budget = FundBudget(fund_source=fund_source, year=year, amount=amount, note=note)
        validated(budget)
        budget.save()
        record_create(budget, actor=actor, event_type="fund_budget_set")
        return budget
    used = ledger.balances(fund_source, year)[LedgerAccount.EXPENSE]
    if Decimal(amount) < used:
        raise DomainError("budget_below_used", f"预算不能低于已使用额度 {used} 元")
    _transition(budget, actor=actor, event_type="fund_budget_changed", reason=note, amount=amount, note=note)
    return budget


# ---------------------------------------------------------------------------------------------
# Applications (4.1)


def _applicant_check(actor: Any, kind: str, subject: Any) -> bool:
    """May the actor file for this applicant? Returns whether it is on the applicant's behalf."""
    role = role_of(actor)
    if role in {Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER}:
        return True
    own = {
        ApplicantKind.INSTITUTION: (Role.INSTITUTION_CLERK, "institution_id"),
        ApplicantKind.ENTERPRISE: (Role.ENTERPRISE_CLERK, "enterprise_id"),
        ApplicantKind.PERSON: (Role.PERSON, "person_id"),
    }[ApplicantKind(kind)]
    if role != own[0] or getattr(actor, own[1], None) != subject.pk:
        raise PermissionDenied("只能为本单位或本人申请资金")
    return False


def _funding(jurisdiction: Any, policy: str, benefit: str) -> FundSource:
    mapping = (
        BenefitFunding.objects.filter(jurisdiction=jurisdiction, policy=policy, benefit=benefit)
        .select_related("fund_source")
        .first()
    )
    if mapping is None:
        raise DomainError("no_fund_for_benefit", f"尚未配置由哪项资金支付 {policy}/{benefit}")
    return mapping.fund_source


def _number(prefix: str, obj: Any, field: str = "number") -> None:
    setattr(obj, field, f"{prefix}{timezone.localdate():%Y}{obj.pk:06d}")
    obj.save(update_fields=[field])


@transaction.atomic
def application_create(
    *,
    actor: Any,
    applicant_kind: str,
    applicant: Any,
    policy: str,
    benefit: str,
    claim_date: dt.date,
    training_class: Any = None,
) -> Application:
    """A draft application by an institution, an enterprise or a person (or a bureau user for them)."""
    require(actor, "funds.apply")
    if applicant_kind not in ApplicantKind.values:
        raise DomainError("invalid", "申请主体无效")
    require_jurisdiction(actor, applicant.jurisdiction_id)
    on_behalf = _applicant_check(actor, applicant_kind, applicant)
    config.checklist_for(benefit)  # the benefit must be configured: materials here,
    config.payment_key_templates(policy, benefit)  # what is paid once in its pack
    fund_source = _funding(applicant.jurisdiction, policy, benefit)
    application = Application(
        jurisdiction_id=applicant.jurisdiction_id,
        number=uuid.uuid4().hex[:24],
        applicant_kind=applicant_kind,
        policy=policy,
        benefit=benefit,
        fund_source=fund_source,
        claim_date=claim_date,
        training_class=training_class,
        filed_by=actor,
        on_behalf=on_behalf,
        checklist={item["code"]: False for item in config.checklist_for(benefit)},
    )
    setattr(application, applicant_kind, applicant)
    validated(application)
    application.save()
    _number("SQ", application)
    record_create(application, actor=actor, event_type="application_created")
    return application


def _editable(actor: Any, application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, "funds.apply")
    require_jurisdiction(actor, locked.jurisdiction_id)
    subject = getattr(locked, locked.applicant_kind)
    _applicant_check(actor, locked.applicant_kind, subject)
    if locked.status not in {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}:
        raise DomainError("not_editable", f"申请当前状态为“{locked.get_status_display()}”，不能修改")
    return locked


def _line_from_quote(line: ApplicationLine, quote: dict[str, Any]) -> None:
    line.quote = quote
    line.eligible = bool(quote["eligible"])
    line.engine_amount = Decimal(quote["amount"])
    bounds = quote.get("bounds") or {}
    line.bound_min = Decimal(bounds["min"]) if bounds.get("min") is not None else None
    line.bound_max = Decimal(bounds["max"]) if bounds.get("max") is not None else None
    line.amount = line.engine_amount
    # A cap or condition that refuses the line: shown as blocked with its reasons, never dropped.
    line.status = LineStatus.PENDING if line.eligible else LineStatus.BLOCKED


def _organisation_key(application: Application) -> str:
    """The applying unit in a payment key: "enterprise:12", "institution:3" ("" for a person)."""
    organisation = application.organisation
    return f"{application.applicant_kind}:{organisation.pk}" if organisation is not None else ""


@transaction.atomic
def application_line_add(
    *,
    actor: Any,
    application: Application,
    person: Any,
    facts: dict[str, Any],
    enrolment: Any = None,
    record: str = "",
) -> ApplicationLine:
    """Add a beneficiary: the engine quotes the line with the beneficiary's history on record.

    `person=None` is the applying unit's own line (a studio's award, an enterprise's reward), for a
    benefit paid into the unit's account (`beneficiary: organisation` in its pack). `record`
    names the talent record the line comes from, when "the same thing" of the benefit is a record."""
    locked = _editable(actor, application)
    payee = config.payee_for(locked.policy, locked.benefit)
    if person is None:
        if payee != Payee.ORGANISATION or locked.organisation is None:
            raise DomainError("person_required", "该补贴项目按人申请，须指定受益人")
    elif person.jurisdiction_id != locked.jurisdiction_id:
        raise DomainError("wrong_jurisdiction", "受益人不在本辖区")
    # The keys are checked now, so a line that could never be paid is refused at once.
    config.payment_keys(
        locked.policy,
        locked.benefit,
        person_id=person.pk if person is not None else None,
        facts=facts,
        claim_date=locked.claim_date,
        due=f"{locked.claim_date:%Y-%m}",
        seq=1,
        organisation=_organisation_key(locked),
        record=record,
    )
    try:
        quote = engine.quote_line(
            policy=locked.policy,
            benefit=locked.benefit,
            claim_date=locked.claim_date,
            facts=facts,
            person_id=person.pk if person is not None else None,
            organisation=locked.organisation,
            record=record,
        )
    except engine.QuoteInputError as exc:
        raise DomainError("invalid_facts", "；".join(exc.problems), details=exc.problems) from exc
    line = ApplicationLine(
        application=locked,
        person=person,
        payee=payee,
        record=record,
        enrolment=enrolment,
        benefit=locked.benefit,
        facts=facts,
        occupation=str(facts.get("occupation") or facts.get("course") or facts.get("title") or ""),
        level=_level_label(locked, facts),
        engine_amount=Decimal(0),
        amount=Decimal(0),
    )
    _line_from_quote(line, quote)
    validated(line)
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError as exc:
        raise DomainError("duplicate_line", f"{line.beneficiary_name} 已在本申请中") from exc
    record_create(line, actor=actor, event_type="application_line_added")
    return line


@transaction.atomic
def application_payee_account_set(
    *, actor: Any, application: Application, bank_name: str, bank_account: str
) -> Application:
    """The applying unit's bank account (资金申请表 开户行、账号) for benefits paid to the unit."""
    from gongjiang.core.pii import encrypt, mask_bank_account
    from gongjiang.registry.validators import bank_account_clean

    locked = _editable(actor, application)
    if locked.organisation is None:
        raise DomainError("not_a_unit", "个人申请使用本人登记的银行账户，无需填写单位账户")
    account = bank_account_clean(bank_account)
    if not account or not (bank_name or "").strip():
        raise DomainError("bank_account_required", "请填写单位开户行和银行账号")
    _transition(
        locked,
        actor=actor,
        event_type="application_payee_account_set",
        payee_bank_name=bank_name.strip(),
        payee_account_encrypted=encrypt(account),
        payee_account_masked=mask_bank_account(account),
    )
    return locked


def _level_label(application: Application, facts: dict[str, Any]) -> str:
    benefit = config.pack_benefit(application.policy, application.benefit)
    for name in ("level", "certificate", "rank"):
        if name in facts and benefit is not None and name in benefit.facts:
            spec = benefit.facts[name]
            return str(spec.choice_labels.get(str(facts[name]), facts[name]))
    return ""


@transaction.atomic
def application_create_for_class(*, actor: Any, training_class: Any) -> Application:
    """The institution's application for a closed class: a line per qualified trainee (4.1)."""
    from gongjiang.catalog.selectors import shortage_occupations_on
    from gongjiang.training import policy_link
    from gongjiang.training.choices import ClassStatus, EnrolmentStatus

    if training_class.status != ClassStatus.CLOSED:
        raise DomainError("class_not_closed", "培训班尚未结班，不能申请培训补贴")
    if (
        Application.objects.filter(training_class=training_class)
        .exclude(status=ApplicationStatus.RETURNED)
        .exists()
    ):
        raise DomainError("already_applied", "该培训班已提交过资金申请")
    benefit = policy_link.benefit_for(training_class)
    claim_date = training_class.closed_on or training_class.end_date
    pack = policy_link.pack_for(training_class.jurisdiction.code, benefit, claim_date)
    if pack is None:
        raise DomainError("no_policy", "本辖区在该日期没有适用的政策包")
    application = application_create(
        actor=actor,
        applicant_kind=ApplicantKind.INSTITUTION,
        applicant=training_class.institution,
        policy=pack.id,
        benefit=benefit,
        claim_date=claim_date,
        training_class=training_class,
    )
    shortage = (
        training_class.occupation is not None
        and training_class.occupation.name
        in shortage_occupations_on(training_class.jurisdiction, training_class.start_date)
    )
    qualified = training_class.enrolments.filter(status=EnrolmentStatus.QUALIFIED).select_related("person")
    for enrolment in qualified.order_by("id"):
        person = enrolment.person
        facts = policy_link.claim_facts(
            training_class,
            rural_or_lowincome=person.household_type == "rural" or person.is_urban_rural_dibao,
            shortage=shortage,
        )
        application_line_add(
            actor=actor, application=application, person=person, facts=facts, enrolment=enrolment
        )
    return application


@transaction.atomic
def application_create_from_record(*, actor: Any, kind: str, record: Any, index: int) -> Application:
    """A draft application from a talent record's quote request (`facts_for_policy()`): the record's
    person or unit applies (or a bureau user for them), one line quoted by the engine from the
    record's facts and remembering the record, whose payment keys make it payable once."""
    from . import selectors

    rows = selectors.record_requests(actor, kind, record)
    if not 0 <= index < len(rows):
        raise DomainError("no_such_request", "该记录没有这项可申请的补贴")
    row = rows[index]
    if row.existing is not None:
        raise DomainError(
            "already_applied", f"该记录已发起过{row.label}的资金申请（{row.existing.number}），不能重复申请"
        )
    if row.applicant is None:
        raise DomainError("no_applicant", row.problem)
    application = application_create(
        actor=actor,
        applicant_kind=row.applicant_kind,
        applicant=row.applicant,
        policy=row.policy,
        benefit=row.benefit,
        claim_date=row.date,
    )
    application_line_add(
        actor=actor,
        application=application,
        person=row.person,
        facts=row.facts,
        record=selectors.record_key(kind, record),
    )
    return application


@transaction.atomic
def application_checklist_set(*, actor: Any, application: Application, items: dict[str, bool]) -> Application:
    locked = _editable(actor, application)
    known = {item["code"] for item in config.checklist_for(locked.benefit)}
    unknown = sorted(set(items) - known)
    if unknown:
        raise DomainError("unknown_material", "未知申请材料：" + "、".join(unknown))
    checklist = dict(locked.checklist)
    checklist.update({code: bool(value) for code, value in items.items()})
    _transition(locked, actor=actor, event_type="application_checklist_set", checklist=checklist)
    return locked


@transaction.atomic
def application_submit(*, actor: Any, application: Application, today: dt.date | None = None) -> Application:
    """Submit for review: every 4.1 material present and at least one line; the 15-day clock starts."""
    locked = _editable(actor, application)
    missing = [
        item["label"]
        for item in config.checklist_for(locked.benefit)
        if not locked.checklist.get(item["code"])
    ]
    if missing:
        raise DomainError("materials_missing", "申请材料不全：" + "、".join(missing), details=missing)
    if not locked.lines.exists():
        raise DomainError("no_lines", "申请没有任何受益人明细")
    if (
        config.payee_for(locked.policy, locked.benefit) == Payee.ORGANISATION
        and not locked.payee_account_encrypted
    ):
        raise DomainError("payee_account_missing", "该补贴拨付至单位账户：请先填写单位开户行和银行账号")
    # A returned application is quoted again: the history may have changed meanwhile.
    for line in locked.lines.select_for_update():
        quote = engine.quote_line(
            policy=locked.policy,
            benefit=locked.benefit,
            claim_date=locked.claim_date,
            facts=line.facts,
            person_id=line.person_id,
            organisation=locked.organisation,
            record=line.record,
            exclude_line_id=line.pk,
        )
        _line_from_quote(line, quote)
        line.reviewed_by = None
        line.reviewed_at = None
        line.save()
    today = today or timezone.localdate()
    _transition(
        locked,
        actor=actor,
        event_type="application_submitted",
        status=ApplicationStatus.SUBMITTED,
        submitted_on=today,
        review_due_on=add_working_days(today, REVIEW_WORKING_DAYS),
    )
    return locked


def _reviewable(actor: Any, application_id: int) -> Application:
    require(actor, "funds.review")
    locked = Application.objects.select_for_update().get(pk=application_id)
    require_jurisdiction(actor, locked.jurisdiction_id)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise DomainError("not_submitted", f"申请当前状态为“{locked.get_status_display()}”，不在待审核状态")
    return locked


def _schedule_and_keys(line: ApplicationLine, application: Application) -> None:
    """The line's instalments (the engine's schedule, or one) and each instalment's payment keys."""
    schedule = InstalmentSchedule.objects.create(line=line)
    parts = line.quote.get("schedule") or [
        {"due": f"{application.claim_date:%Y-%m}", "amount": str(line.amount)}
    ]
    if len(parts) > 1 and line.amount != line.engine_amount:
        # The engine split its own figure; a reviewer's figure (inside the bounds) is split pro rata.
        shares = [Decimal(p["amount"]) * line.amount / line.engine_amount for p in parts]
        rounded = [share.quantize(Decimal("0.01")) for share in shares[:-1]]
        rounded.append(line.amount - sum(rounded, Decimal(0)))
        parts = [{"due": p["due"], "amount": str(a)} for p, a in zip(parts, rounded, strict=True)]
    for seq, part in enumerate(parts, start=1):
        instalment = Instalment.objects.create(
            schedule=schedule, seq=seq, due_month=part["due"], amount=Decimal(part["amount"])
        )
        keys = config.payment_keys(
            application.policy,
            line.benefit,
            person_id=line.person_id,
            facts=line.facts,
            claim_date=application.claim_date,
            due=part["due"],
            seq=seq,
            organisation=_organisation_key(application),
            record=line.record,
        )
        for key in keys:
            try:
                with transaction.atomic():
                    PaymentKey.objects.create(
                        key=key, jurisdiction_id=application.jurisdiction_id, instalment=instalment
                    )
            except IntegrityError as exc:
                raise DomainError(
                    "already_paid_key",
                    f"{line.beneficiary_name}：同一事项已申请或已拨付（{key}），不能重复享受",
                ) from exc


@transaction.atomic
def line_review(
    *,
    actor: Any,
    line: ApplicationLine,
    approve: bool,
    amount: Decimal | str | None = None,
    reason: str = "",
    note: str = "",
) -> ApplicationLine:
    """Approve (at the engine's amount, or another inside its bounds with a reason) or reject a line."""
    application = _reviewable(actor, line.application_id)
    locked = ApplicationLine.objects.select_for_update().get(pk=line.pk)
    if locked.status != LineStatus.PENDING:
        raise DomainError("line_not_pending", f"该明细当前状态为“{locked.get_status_display()}”，不能审核")
    if not approve:
        _transition(
            locked,
            actor=actor,
            event_type="line_rejected",
            reason=_reason(note, "审核不通过"),
            status=LineStatus.REJECTED,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
            review_note=note.strip(),
            amount=Decimal(0),
        )
        return locked
    chosen = locked.engine_amount
    amount_reason = ""
    if amount is not None and str(amount).strip() != "":
        try:
            chosen = Decimal(str(amount)).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise DomainError("invalid_amount", "金额格式不正确") from exc
    if chosen != locked.engine_amount:
        amount_reason = _reason(reason, "调整核定金额")
        low, high = locked.bound_min, locked.bound_max
        if low is None and high is None:
            raise DomainError(
                "amount_fixed", f"该项补贴标准为定额 {locked.engine_amount} 元，不能调整（{locked.benefit}）"
            )
        if (low is not None and chosen < low) or (high is not None and chosen > high):
            raise DomainError(
                "amount_out_of_bounds",
                f"核定金额须在政策标准 {low or 0} 元至 {high if high is not None else '不限'} 元之间",
            )
    if chosen <= 0:
        raise DomainError("amount_zero", "核定金额须大于 0；不予补贴请选择审核不通过")
    _transition(
        locked,
        actor=actor,
        event_type="line_approved",
        reason=amount_reason or note.strip(),
        status=LineStatus.APPROVED,
        amount=chosen,
        amount_reason=amount_reason,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        review_note=note.strip(),
    )
    _schedule_and_keys(locked, application)
    return locked


@transaction.atomic
def application_review_complete(
    *, actor: Any, application: Application, note: str = "", today: dt.date | None = None
) -> Application:
    """Close the review when every eligible line is decided (blocked lines stay shown as blocked)."""
    locked = _reviewable(actor, application.pk)
    if locked.lines.filter(status=LineStatus.PENDING).exists():
        raise DomainError("lines_pending", "还有明细未审核")
    _transition(
        locked,
        actor=actor,
        event_type="application_reviewed",
        reason=note,
        status=ApplicationStatus.REVIEWED,
        reviewed_by=actor,
        reviewed_on=today or timezone.localdate(),
        review_note=note.strip(),
    )
    return locked


@transaction.atomic
def application_return(*, actor: Any, application: Application, reason: str) -> Application:
    """Send back for correction before any line is approved; lines are quoted again on resubmission."""
    locked = _reviewable(actor, application.pk)
    text = _reason(reason, "退回")
    if locked.lines.filter(status=LineStatus.APPROVED).exists():
        raise DomainError(
            "lines_approved", "已有明细审核通过的申请不能整体退回；请对有问题的明细作审核不通过"
        )
    _transition(
        locked, actor=actor, event_type="application_returned", reason=text, status=ApplicationStatus.RETURNED
    )
    return locked


# ---------------------------------------------------------------------------------------------
# Public notice and objections (4.2)


@transaction.atomic
def notice_publish(
    *,
    actor: Any,
    applications: list[Application],
    title: str,
    issuing_unit: str,
    today: dt.date | None = None,
) -> PublicNotice:
    """Publish the approved lines of reviewed applications for 5 working days."""
    require(actor, "funds.review")
    if not applications:
        raise DomainError("nothing_to_notice", "没有可公示的申请")
    locked = list(
        Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications]).order_by("pk")
    )
    jurisdictions = {a.jurisdiction_id for a in locked}
    if len(jurisdictions) != 1:
        raise DomainError("mixed_jurisdictions", "一次公示只能包含同一辖区的申请")
    require_jurisdiction(actor, next(iter(jurisdictions)))
    not_reviewed = [a.number for a in locked if a.status != ApplicationStatus.REVIEWED]
    if not_reviewed:
        raise DomainError("not_reviewed", "以下申请尚未审核完毕：" + "、".join(not_reviewed))
    today = today or timezone.localdate()
    notice = PublicNotice(
        jurisdiction_id=next(iter(jurisdictions)),
        number=uuid.uuid4().hex[:24],
        title=(title or "").strip(),
        issuing_unit=(issuing_unit or "").strip(),
        published_on=today,
        ends_on=add_working_days(today, NOTICE_WORKING_DAYS),
        published_by=actor,
    )
    validated(notice)
    notice.save()
    _number("GS", notice)
    record_create(notice, actor=actor, event_type="notice_published")
    for application in locked:
        ApplicationLine.objects.filter(application=application, status=LineStatus.APPROVED).update(
            status=LineStatus.IN_NOTICE, notice=notice
        )
        _transition(
            application, actor=actor, event_type="application_in_notice", status=ApplicationStatus.IN_NOTICE
        )
    return notice


@transaction.atomic
def objection_file(
    *,
    actor: Any,
    notice: PublicNotice,
    line: ApplicationLine,
    objector_name: str,
    content: str,
    objector_contact: str = "",
    today: dt.date | None = None,
) -> Objection:
    """Anyone (no log-in needed: actor may be None) may object to a noticed line within the window."""
    today = today or timezone.localdate()
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if line.notice_id != locked.pk:
        raise DomainError("not_in_notice", "该明细不在本次公示中")
    if locked.status != NoticeStatus.OPEN or not (locked.published_on <= today <= locked.ends_on):
        raise DomainError(
            "notice_window_closed", f"公示期为 {locked.published_on} 至 {locked.ends_on}，已不在公示期内"
        )
    objection = Objection(
        notice=locked,
        line=line,
        objector_name=(objector_name or "").strip(),
        objector_contact=(objector_contact or "").strip(),
        content=(content or "").strip(),
        filed_on=today,
    )
    validated(objection)
    objection.save()
    record_create(objection, actor=actor, event_type="objection_filed")
    return objection


@transaction.atomic
def objection_resolve(*, actor: Any, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """Upheld → the line is withdrawn (its keys released); dismissed → the line continues."""
    require(actor, "funds.review")
    locked = Objection.objects.select_for_update().select_related("line").get(pk=objection.pk)
    require_jurisdiction(actor, locked.notice.jurisdiction_id)
    if locked.status != ObjectionStatus.OPEN:
        raise DomainError("objection_resolved", "该异议已处理")
    text = _reason(resolution, "处理异议")
    _transition(
        locked,
        actor=actor,
        event_type="objection_upheld" if upheld else "objection_dismissed",
        reason=text,
        status=ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED,
        resolution=text,
        resolved_by=actor,
        resolved_at=timezone.now(),
    )
    if upheld:
        line = ApplicationLine.objects.select_for_update().get(pk=locked.line_id)
        if line.status == LineStatus.IN_NOTICE:
            _cancel_line_instalments(line, reason=f"公示异议成立：{text}")
            InstalmentSchedule.objects.filter(line=line).update(
                status=ScheduleStatus.STOPPED, stop_reason=text
            )
            _transition(
                line, actor=actor, event_type="line_withdrawn", reason=text, status=LineStatus.WITHDRAWN
            )
    return locked


@transaction.atomic
def notice_close(*, actor: Any, notice: PublicNotice, today: dt.date | None = None) -> PublicNotice:
    """After the window, with every objection resolved: lines become payable (5-working-day clock)."""
    require(actor, "funds.review")
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    require_jurisdiction(actor, locked.jurisdiction_id)
    today = today or timezone.localdate()
    if locked.status != NoticeStatus.OPEN:
        raise DomainError("notice_closed", "公示已结束")
    if today <= locked.ends_on:
        raise DomainError("notice_running", f"公示期至 {locked.ends_on}，期满后才能结束公示")
    if locked.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise DomainError("objections_open", "还有未处理的异议，处理后才能结束公示")
    due = add_working_days(locked.ends_on, PAYMENT_WORKING_DAYS)
    lines = list(
        ApplicationLine.objects.select_for_update().filter(notice=locked, status=LineStatus.IN_NOTICE)
    )
    for line in lines:
        _transition(
            line, actor=actor, event_type="line_payable", status=LineStatus.PAYABLE, payment_due_on=due
        )
    _transition(locked, actor=actor, event_type="notice_closed", status=NoticeStatus.CLOSED)
    application_ids = ApplicationLine.objects.filter(notice=locked).values("application_id")
    for application in Application.objects.select_for_update().filter(pk__in=application_ids):
        if application.status == ApplicationStatus.IN_NOTICE:
            _transition(
                application, actor=actor, event_type="application_noticed", status=ApplicationStatus.NOTICED
            )
    _fall_due(today, line_ids=[line.pk for line in lines])
    return locked


def _fall_due(today: dt.date, line_ids: list[int] | None = None) -> int:
    month = f"{today:%Y-%m}"
    rows = Instalment.objects.filter(
        status=InstalmentStatus.SCHEDULED,
        due_month__lte=month,
        schedule__status=ScheduleStatus.ACTIVE,
        schedule__line__status=LineStatus.PAYABLE,
    )
    if line_ids is not None:
        rows = rows.filter(schedule__line_id__in=line_ids)
    return rows.update(status=InstalmentStatus.DUE)


@transaction.atomic
def instalments_fall_due(*, actor: Any, jurisdiction: Any, today: dt.date | None = None) -> int:
    """Monthly: scheduled instalments of payable lines whose month has come become due for a batch.
    `actor=None` is the scheduled run (`funds_daily` → `instalments_fall_due_task`); still audited."""
    if actor is not None:
        require(actor, "funds.pay")
        require_jurisdiction(actor, jurisdiction.pk)
    today = today or timezone.localdate()
    month = f"{today:%Y-%m}"
    ids = list(
        Instalment.objects.filter(
            status=InstalmentStatus.SCHEDULED,
            due_month__lte=month,
            schedule__status=ScheduleStatus.ACTIVE,
            schedule__line__status=LineStatus.PAYABLE,
            schedule__line__application__jurisdiction=jurisdiction,
        ).values_list("pk", flat=True)
    )
    count = Instalment.objects.filter(pk__in=ids).update(status=InstalmentStatus.DUE)
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="update",
        event_type="instalments_fell_due",
        after={"month": month, "instalments": ids},
        jurisdiction_id=jurisdiction.pk,
    )
    return count


def _cancel_line_instalments(line: ApplicationLine, *, reason: str) -> list[int]:
    """Cancel the instalments not yet paid or in a batch, releasing their payment keys."""
    open_rows = Instalment.objects.select_for_update(of=("self",)).filter(
        schedule__line=line, status__in=[InstalmentStatus.SCHEDULED, InstalmentStatus.DUE]
    )
    ids = list(open_rows.values_list("pk", flat=True))
    Instalment.objects.filter(pk__in=ids).update(
        status=InstalmentStatus.CANCELLED, cancel_reason=reason[:200]
    )
    PaymentKey.objects.filter(instalment_id__in=ids, released_at__isnull=True).update(
        released_at=timezone.now(), release_reason=reason[:200]
    )
    return ids


@transaction.atomic
def schedule_stop(
    *, actor: Any, schedule: InstalmentSchedule, reason: str, today: dt.date | None = None
) -> InstalmentSchedule:
    """Stop an instalment schedule (the person left the job): the rest is cancelled with the reason."""
    require(actor, "funds.review")
    locked = (
        InstalmentSchedule.objects.select_for_update().select_related("line__application").get(pk=schedule.pk)
    )
    require_jurisdiction(actor, locked.line.application.jurisdiction_id)
    if locked.status != ScheduleStatus.ACTIVE:
        raise DomainError("schedule_not_active", "该分期计划已停发或已发完")
    text = _reason(reason, "停发")
    cancelled = _cancel_line_instalments(locked.line, reason=f"停发：{text}")
    _transition(
        locked,
        actor=actor,
        event_type="schedule_stopped",
        reason=text,
        status=ScheduleStatus.STOPPED,
        stop_reason=text,
        stopped_by=actor,
        stopped_on=today or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        obj=locked.line,
        action="update",
        event_type="instalments_cancelled",
        after={"instalments": cancelled},
        reason=text,
        jurisdiction_id=locked.line.application.jurisdiction_id,
    )
    _settle_line(locked.line)
    return locked


def _settle_line(line: ApplicationLine) -> None:
    """A line is paid when each of its instalments is paid or cancelled and at least one was paid."""
    statuses = set(Instalment.objects.filter(schedule__line=line).values_list("status", flat=True))
    if (
        statuses
        and statuses <= {InstalmentStatus.PAID, InstalmentStatus.CANCELLED}
        and InstalmentStatus.PAID in statuses
    ):
        ApplicationLine.objects.filter(pk=line.pk).update(status=LineStatus.PAID)
        InstalmentSchedule.objects.filter(line=line, status=ScheduleStatus.ACTIVE).update(
            status=ScheduleStatus.COMPLETED
        )
    elif statuses and statuses <= {InstalmentStatus.CANCELLED}:
        ApplicationLine.objects.filter(pk=line.pk, status=LineStatus.PAYABLE).update(
            status=LineStatus.STOPPED
        )


# ---------------------------------------------------------------------------------------------
# Payment batches, bank files, the ledger


@transaction.atomic
def batch_create(
    *,
    actor: Any,
    fund_source: FundSource,
    year: int,
    instalments: list[Instalment] | None = None,
) -> PaymentBatch:
    """A batch of the fund's due instalments (all of them, or the given ones). Without a choice, the
    instalments whose month has come fall due first."""
    require(actor, "funds.pay")
    require_jurisdiction(actor, fund_source.jurisdiction_id)
    rows = Instalment.objects.select_for_update(of=("self",)).filter(
        schedule__line__application__fund_source=fund_source
    )
    if instalments is not None:
        rows = rows.filter(pk__in=[i.pk for i in instalments])
    else:
        # The months that have come since the last batch fall due now (monthly allowances, yearly awards).
        month = f"{timezone.localdate():%Y-%m}"
        Instalment.objects.filter(
            schedule__line__application__fund_source=fund_source,
            status=InstalmentStatus.SCHEDULED,
            due_month__lte=month,
            schedule__status=ScheduleStatus.ACTIVE,
            schedule__line__status=LineStatus.PAYABLE,
        ).update(status=InstalmentStatus.DUE)
        rows = rows.filter(status=InstalmentStatus.DUE)
    chosen = list(rows.order_by("pk"))
    if instalments is not None and len(chosen) != len({i.pk for i in instalments}):
        raise DomainError("wrong_fund", "所选期次不属于该资金来源")
    not_due = [i for i in chosen if i.status != InstalmentStatus.DUE]
    if not_due:
        raise DomainError(
            "not_due",
            "以下期次不是待拨付状态（可能已在其他批次中或已拨付）：" + "、".join(str(i.pk) for i in not_due),
        )
    if not chosen:
        raise DomainError("nothing_due", "该资金来源没有待拨付的期次")
    batch = PaymentBatch(
        jurisdiction_id=fund_source.jurisdiction_id,
        number=uuid.uuid4().hex[:24],
        fund_source=fund_source,
        year=year,
        created_by=actor,
    )
    validated(batch)
    batch.save()
    _number("PC", batch)
    record_create(batch, actor=actor, event_type="batch_created")
    for n, instalment in enumerate(chosen, start=1):
        line = instalment.schedule.line
        previous = (
            BatchItem.objects.filter(instalment=instalment, status=ItemStatus.FAILED).order_by("-pk").first()
        )
        item = BatchItem(
            batch=batch,
            detail_number=f"{batch.number}-{n:04d}",
            instalment=instalment,
            person_id=line.person_id,
            payee=line.payee,
            amount=instalment.amount,
            purpose=_purpose(line, instalment),
            reissue_of=previous,
        )
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError as exc:
            raise DomainError(
                "instalment_held", f"期次 {instalment.pk} 已在其他批次中，不能重复拨付"
            ) from exc
        instalment.status = InstalmentStatus.IN_BATCH
        instalment.save(update_fields=["status"])
    return batch


def _purpose(line: ApplicationLine, instalment: Instalment) -> str:
    benefit = config.pack_benefit(line.application.policy, line.benefit)
    label = benefit.label if benefit else line.benefit
    return f"{label} {instalment.due_month}"[:120]


def _batch_for_update(actor: Any, batch: PaymentBatch, capability: str = "funds.pay") -> PaymentBatch:
    require(actor, capability)
    locked = PaymentBatch.objects.select_for_update().select_related("fund_source").get(pk=batch.pk)
    require_jurisdiction(actor, locked.jurisdiction_id)
    return locked


@transaction.atomic
def batch_approve(*, actor: Any, batch: PaymentBatch) -> PaymentBatch:
    """Approve a batch: not by anyone who reviewed one of its lines, and within the annual budget."""
    locked = _batch_for_update(actor, batch)
    if locked.status != BatchStatus.DRAFT:
        raise DomainError("batch_not_draft", f"批次当前状态为“{locked.get_status_display()}”，不能审批")
    items = list(locked.items.filter(status=ItemStatus.PENDING).select_related("instalment__schedule__line"))
    reviewed = {item.instalment.schedule.line.reviewed_by_id for item in items}
    if actor.pk in reviewed:
        raise DomainError("two_person_rule", "双人原则：您审核过本批次中的明细，不能审批该批次")
    if actor.pk == locked.created_by_id:
        raise DomainError("two_person_rule", "双人原则：制单人不能审批本人制作的批次")
    budget = (
        FundBudget.objects.select_for_update()
        .filter(fund_source=locked.fund_source, year=locked.year)
        .first()
    )
    if budget is None:
        raise DomainError("no_budget", f"{locked.fund_source.name} 尚未设定 {locked.year} 年度预算")
    used = ledger.balances(locked.fund_source, locked.year)[LedgerAccount.EXPENSE]
    total = sum((item.amount for item in items), Decimal(0))
    if used + total > budget.amount:
        raise DomainError(
            "budget_exceeded",
            f"超出年度预算：预算 {budget.amount} 元，已使用 {used} 元，本批次 {total} 元，剩余 {budget.amount - used} 元",
        )
    for item in items:
        ledger.post_item(item=item, kind=PostingKind.COMMITMENT, actor=actor)
    _transition(
        locked,
        actor=actor,
        event_type="batch_approved",
        status=BatchStatus.APPROVED,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    return locked


BANK_FILE_COLUMNS = ("批次号", "明细号", "姓名", "证件号", "开户行", "账号", "金额", "用途")


def _payee_of(item: BatchItem) -> tuple[str, str, str, str]:
    """姓名, 证件号, 开户行, 账号 of the bank file: the person's, or the applying unit's (name,
    统一社会信用代码 and the account of its application, docs/formats/bank-files.md)."""
    from gongjiang.core import pii

    if item.payee == Payee.PERSON and item.person is not None:
        person = item.person
        return (
            person.name,
            pii.decrypt(person.id_number_encrypted),
            person.bank_name,
            pii.decrypt(person.bank_account_encrypted),
        )
    application = item.instalment.schedule.line.application
    organisation = application.organisation
    return (
        application.applicant_name,
        getattr(organisation, "credit_code", ""),
        application.payee_bank_name,
        pii.decrypt(application.payee_account_encrypted),
    )


@transaction.atomic
def batch_export(*, actor: Any, batch: PaymentBatch, file_format: str = "xlsx") -> tuple[str, bytes]:
    """The bank payment file (full ID and account numbers: it goes to the bank); items become sent."""
    from gongjiang.core.spreadsheets import write_csv, write_xlsx

    locked = _batch_for_update(actor, batch)
    if locked.status not in {BatchStatus.APPROVED, BatchStatus.EXPORTED}:
        raise DomainError("batch_not_approved", "批次审批后才能导出银行文件")
    if file_format not in {"xlsx", "csv"}:
        raise DomainError("invalid_format", "文件格式只能是 xlsx 或 csv")
    items = list(
        locked.items.filter(status__in=[ItemStatus.PENDING, ItemStatus.SENT])
        .select_related(
            "person",
            "instalment__schedule__line__application__enterprise",
            "instalment__schedule__line__application__institution",
        )
        .order_by("pk")
    )
    rows = []
    missing = []
    for item in items:
        name, id_number, bank_name, account = _payee_of(item)
        if not account:
            missing.append(name)
        rows.append(
            (
                locked.number,
                item.detail_number,
                name,
                id_number,
                bank_name,
                account,
                f"{item.amount:.2f}",
                item.purpose,
            )
        )
    if missing:
        raise DomainError("bank_account_missing", "以下收款人没有银行账号：" + "、".join(missing))
    locked.items.filter(pk__in=[i.pk for i in items]).update(status=ItemStatus.SENT)
    _transition(
        locked,
        actor=actor,
        event_type="batch_exported",
        reason=f"银行代发文件 {file_format}，{len(rows)} 笔",
        status=BatchStatus.EXPORTED,
        exported_at=timezone.now(),
    )
    name = f"{locked.number}.{file_format}"
    if file_format == "csv":
        return name, write_csv(BANK_FILE_COLUMNS, rows)
    return name, write_xlsx({"代发明细": (BANK_FILE_COLUMNS, rows)})


@transaction.atomic
def batch_result_import(*, actor: Any, batch: PaymentBatch, filename: str, data: bytes) -> dict[str, int]:
    """The bank's result file: every row checked first (nothing written on any error), then
    paid → payment posted, instalment paid; failed → commitment reversed, instalment due again."""
    locked = _batch_for_update(actor, batch)
    if locked.status != BatchStatus.EXPORTED:
        raise DomainError("batch_not_exported", "批次尚未导出银行文件，不能导入回盘结果")
    header, rows = read_table(filename, data)
    require_columns(header, BANK_RESULT_COLUMNS)
    items = {
        item.detail_number: item for item in locked.items.select_for_update().select_related("instalment")
    }
    errors: list[dict[str, Any]] = []
    decisions: list[tuple[BatchItem, bool, str, str]] = []
    seen: set[str] = set()
    for row in rows:
        number = row.values.get("明细号", "").strip()
        state = row.values.get("状态", "").strip().lower()
        reason = row.values.get("失败原因", "").strip()
        reference = row.values.get("银行流水号", "").strip()
        item = items.get(number)
        if item is None:
            errors.append(
                {
                    "row": row.number,
                    "column": "明细号",
                    "message": f"明细号 {number} 不属于批次 {locked.number}",
                }
            )
            continue
        if number in seen:
            errors.append({"row": row.number, "column": "明细号", "message": f"明细号 {number} 重复"})
            continue
        seen.add(number)
        if item.status != ItemStatus.SENT:
            errors.append(
                {
                    "row": row.number,
                    "column": "明细号",
                    "message": f"明细 {number} 已是“{item.get_status_display()}”，不能再次回盘",
                }
            )
            continue
        if state in PAID_WORDS:
            if not reference:
                errors.append(
                    {"row": row.number, "column": "银行流水号", "message": "支付成功须有银行流水号"}
                )
                continue
            decisions.append((item, True, "", reference))
        elif state in FAILED_WORDS:
            if not reason:
                errors.append({"row": row.number, "column": "失败原因", "message": "支付失败须填写失败原因"})
                continue
            decisions.append((item, False, reason, reference))
        else:
            errors.append({"row": row.number, "column": "状态", "message": "状态只能是“成功”或“失败”"})
    if errors:
        raise ImportRejected(errors)
    now = timezone.now()
    counts = {"paid": 0, "failed": 0}
    for item, paid, reason, reference in decisions:
        before = snapshot(item)
        item.settled_at = now
        item.bank_reference = reference[:64]
        instalment = Instalment.objects.select_for_update().get(pk=item.instalment_id)
        if paid:
            item.status = ItemStatus.PAID
            item.save()
            ledger.post_item(item=item, kind=PostingKind.PAYMENT, actor=actor)
            instalment.status = InstalmentStatus.PAID
            counts["paid"] += 1
        else:
            item.status = ItemStatus.FAILED
            item.failure_reason = reason[:200]
            item.save()
            ledger.post_item(item=item, kind=PostingKind.REVERSAL, actor=actor)
            counts["failed"] += 1
            schedule_active = InstalmentSchedule.objects.filter(
                pk=instalment.schedule_id, status=ScheduleStatus.ACTIVE
            ).exists()
            if schedule_active:
                # Due again, for a later batch; it keeps its payment keys, so nothing else can take them.
                instalment.status = InstalmentStatus.DUE
            else:
                # The schedule was stopped while this payment was at the bank: nothing is re-issued.
                instalment.status = InstalmentStatus.CANCELLED
                instalment.cancel_reason = "停发后支付失败，不再重发"
                PaymentKey.objects.filter(instalment=instalment, released_at__isnull=True).update(
                    released_at=now, release_reason="停发后支付失败"
                )
        instalment.save(update_fields=["status"])
        record_update(
            item, before, actor=actor, event_type="item_paid" if paid else "item_failed", reason=reason
        )
        _settle_line(instalment.schedule.line)
    if not locked.items.filter(status=ItemStatus.SENT).exists():
        _transition(
            locked, actor=actor, event_type="batch_settled", status=BatchStatus.SETTLED, settled_at=now
        )
    audit_record(
        actor=actor,
        obj=locked,
        action="import",
        event_type="bank_result_imported",
        after={"file": filename, **counts},
    )
    return counts


@transaction.atomic
def item_recover(*, actor: Any, item: BatchItem, reason: str) -> BatchItem:
    """追回: money paid in error came back; the recovery is posted (once). The payment keys stay held,
    so the same thing cannot be paid again."""
    require(actor, "funds.pay")
    locked = BatchItem.objects.select_for_update().select_related("batch__fund_source").get(pk=item.pk)
    require_jurisdiction(actor, locked.batch.jurisdiction_id)
    if locked.status != ItemStatus.PAID:
        raise DomainError("not_paid", "只有支付成功的明细才能追回")
    if locked.postings.filter(kind=PostingKind.RECOVERY).exists():
        raise DomainError("already_recovered", "该明细已追回")
    text = _reason(reason, "追回")
    ledger.post_item(
        item=locked, kind=PostingKind.RECOVERY, actor=actor, memo=f"追回 {locked.detail_number}：{text}"
    )
    audit_record(
        actor=actor,
        obj=locked,
        action="update",
        event_type="item_recovered",
        reason=text,
        jurisdiction_id=locked.batch.jurisdiction_id,
    )
    return locked
