"""Benefits paid to a unit's own account: 上虞's new-hire subsidy (paid through the enterprise to its
new employees) and self-training reward, from application to the bank file and the bank's result,
payable once per enterprise and year; amounts worked by hand from 虞人社〔2023〕19号."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.spreadsheets import read_table

from .. import ledger, services
from ..choices import LedgerAccount, LineStatus, Payee
from ..models import ApplicationLine, BatchItem, FundSource, PaymentKey
from .factories import YEAR, all_materials, bank_result, place_world

pytestmark = pytest.mark.django_db

CLAIM = dt.date(2025, 11, 14)  # a Friday
ACCOUNT = "1211012345678901234"
# 虞人社〔2023〕19号 三、（一）1: 12 qualifying new hires (≥ 10), 3 from outside the district in the
# province, 2 from outside the province: 12 × 500 一次性就业补贴 + 3 × 200 + 2 × 500 一次性交通补贴
# = 6000 + 600 + 1000 = 7600 元.
NEW_HIRES = {"qualifying_new_hires": 12, "in_province_outside_district": 3, "out_of_province": 2}
NEW_HIRE_AMOUNT = Decimal("7600.00")


@pytest.fixture
def sy():
    return place_world("shangyu", "上虞区", "330604")


def _application(sy, benefit: str, facts: dict, actor=None):
    actor = actor or sy.clerk
    application = services.application_create(
        actor=actor,
        applicant_kind="enterprise",
        applicant=sy.enterprise,
        policy="shangyu-2023",
        benefit=benefit,
        claim_date=CLAIM,
    )
    services.application_line_add(actor=actor, application=application, person=None, facts=facts)
    return application


def _submitted(sy, benefit: str, facts: dict):
    application = _application(sy, benefit, facts)
    services.application_checklist_set(actor=sy.clerk, application=application, items=all_materials(benefit))
    services.application_payee_account_set(
        actor=sy.clerk, application=application, bank_name="工商银行上虞支行", bank_account=ACCOUNT
    )
    return services.application_submit(actor=sy.clerk, application=application, today=CLAIM)


def test_the_new_hire_subsidy_walks_from_application_to_the_banks_result(sy):
    # given the enterprise clerk applies for its 2025 new hires: one line for the enterprise itself
    application = _application(sy, "new_hire_subsidy", NEW_HIRES)
    line = application.lines.get()
    assert line.person is None and line.payee == Payee.ORGANISATION
    assert line.engine_amount == NEW_HIRE_AMOUNT
    assert application.fund_source.name == "就业补助资金"  # data/shangyu.yaml
    # the trace cites the clause for each part
    assert all("虞人社〔2023〕19号 三、（一）1" in step["citation"] for step in line.quote["trace"])
    # when it submits without its account: refused, the money goes to the enterprise's account
    services.application_checklist_set(
        actor=sy.clerk, application=application, items=all_materials("new_hire_subsidy")
    )
    with pytest.raises(DomainError, match="单位开户行"):
        services.application_submit(actor=sy.clerk, application=application, today=CLAIM)
    with pytest.raises(DomainError, match="12至30位"):
        services.application_payee_account_set(
            actor=sy.clerk, application=application, bank_name="工商银行上虞支行", bank_account="123"
        )
    services.application_payee_account_set(
        actor=sy.clerk, application=application, bank_name="工商银行上虞支行", bank_account=ACCOUNT
    )
    application.refresh_from_db()
    assert application.payee_account_masked == "****1234"
    services.application_submit(actor=sy.clerk, application=application, today=CLAIM)
    # and the reviewer approves, publishes for 5 working days and closes the notice
    services.line_review(actor=sy.reviewer, line=line, approve=True)
    services.application_review_complete(actor=sy.reviewer, application=application, today=CLAIM)
    notice = services.notice_publish(
        actor=sy.reviewer,
        applications=[application],
        title="2025年企业招工一次性就业补贴公示",
        issuing_unit="上虞区人力资源和社会保障局",
        today=dt.date(2025, 11, 17),
    )
    from ..selectors import public_notice_rows

    row = public_notice_rows(notice)[0]
    assert (row["name"], row["id_number"], row["amount"]) == (
        sy.enterprise.name,
        sy.enterprise.credit_code,
        NEW_HIRE_AMOUNT,
    )
    services.notice_close(actor=sy.reviewer, notice=notice, today=dt.date(2025, 11, 25))
    # then a batch of 就业补助资金 pays it into the enterprise's account
    fund = FundSource.objects.get(jurisdiction=sy.jurisdiction, code="employment_subsidy")
    batch = services.batch_create(actor=sy.finance, fund_source=fund, year=YEAR)
    item = batch.items.get()
    assert (item.person_id, item.payee, item.payee_name) == (None, Payee.ORGANISATION, sy.enterprise.name)
    services.batch_approve(actor=sy.finance2, batch=batch)
    name, data = services.batch_export(actor=sy.finance, batch=batch, file_format="csv")
    _header, rows = read_table(name, data)
    assert [
        (r.values["姓名"], r.values["证件号"], r.values["开户行"], r.values["账号"], r.values["金额"])
        for r in rows
    ] == [(sy.enterprise.name, sy.enterprise.credit_code, "工商银行上虞支行", ACCOUNT, "7600.00")]
    assert rows[0].values["用途"] == "企业招工一次性就业补贴和交通补贴 2025-11"
    services.batch_result_import(
        actor=sy.finance,
        batch=batch,
        filename="回盘.csv",
        data=bank_result([(item.detail_number, "成功", "", "SY0001")]),
    )
    line.refresh_from_db()
    assert line.status == LineStatus.PAID
    balances = ledger.balances(fund, YEAR)
    assert balances[LedgerAccount.EXPENSE] == NEW_HIRE_AMOUNT
    assert sum(balances.values(), Decimal(0)) == 0


def test_a_second_application_for_the_same_enterprise_and_year_is_refused(sy):
    # given the enterprise's 2025 self-training reward approved: 三、（二）13 初级工、中级工 120 人 →
    # 2 组 × 1万 = 2万, 高级工及以上 500 人 → 10 组 × 2万 = 20万; 22万 over the yearly cap of 20万 → 200000
    facts = {"junior_intermediate_certified": 120, "senior_plus_certified": 500}
    first = _submitted(sy, "enterprise_self_training_reward", facts)
    line = first.lines.get()
    assert line.engine_amount == Decimal("200000.00")
    services.line_review(actor=sy.reviewer, line=line, approve=True)
    assert PaymentKey.objects.get(instalment__schedule__line=line).key == (
        f"enterprise_self_training_reward|enterprise:{sy.enterprise.pk}|year=2025"
    )
    # when the same enterprise applies again for 2025 (another count of certificates)
    fewer = {"junior_intermediate_certified": 50, "senior_plus_certified": 0}
    second = _submitted(sy, "enterprise_self_training_reward", fewer)
    again = second.lines.get()
    # then the engine already sees the cap reached this year (what was approved counts) ...
    assert again.status == LineStatus.BLOCKED
    assert [r["code"] for r in again.quote["reasons"]] == ["annual_cap_reached"]
    # ... and the payment key refuses a second one even on a quote that passes: enterprise + year
    third = _submitted(sy, "new_hire_subsidy", NEW_HIRES)
    services.line_review(actor=sy.reviewer, line=third.lines.get(), approve=True)
    fourth = _submitted(sy, "new_hire_subsidy", NEW_HIRES)
    assert fourth.lines.get().engine_amount == NEW_HIRE_AMOUNT  # the engine has no yearly limit here
    with pytest.raises(DomainError, match="同一事项已申请或已拨付"):
        services.line_review(actor=sy.reviewer, line=fourth.lines.get(), approve=True)
    assert fourth.lines.get().status == LineStatus.PENDING


def test_a_unit_line_needs_a_unit_benefit_and_the_database_holds_the_payee(sy):
    # a person's benefit cannot be applied for without a person
    application = services.application_create(
        actor=sy.admin,
        applicant_kind="enterprise",
        applicant=sy.enterprise,
        policy="shangyu-2023",
        benefit="post_allowance",
        claim_date=CLAIM,
    )
    with pytest.raises(DomainError, match="须指定受益人"):
        services.application_line_add(actor=sy.admin, application=application, person=None, facts={})
    # the studio awards can only be applied for from their studio (the record is "the same thing")
    studio_application = services.application_create(
        actor=sy.admin,
        applicant_kind="enterprise",
        applicant=sy.enterprise,
        policy="shangyu-2023",
        benefit="master_studio_opening_grant",
        claim_date=CLAIM,
    )
    with pytest.raises(DomainError, match="须从人才记录"):
        services.application_line_add(actor=sy.admin, application=studio_application, person=None, facts={})
    # a clerk of the enterprise cannot apply for another one
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=sy.clerk,
            applicant_kind="person",
            applicant=sy.person,
            policy="shangyu-2023",
            benefit="new_hire_subsidy",
            claim_date=CLAIM,
        )
    # and the database refuses a line without a person paid to a person, and a second unit line
    line = _application(sy, "new_hire_subsidy", NEW_HIRES).lines.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationLine.objects.filter(pk=line.pk).update(payee=Payee.PERSON)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationLine.objects.create(
            application=line.application,
            person=None,
            payee=Payee.ORGANISATION,
            benefit=line.benefit,
            engine_amount=Decimal(1),
            amount=Decimal(1),
        )
    assert BatchItem._meta.get_field("person").null  # a unit's payment has no person


def test_a_training_base_is_paid_per_trainee_into_its_own_account():
    # given a 台儿庄 enterprise running a training base, applying for a trainee it trained
    tz = place_world("taierzhuang", "台儿庄区", "370405")
    application = services.application_create(
        actor=tz.clerk,
        applicant_kind="enterprise",
        applicant=tz.enterprise,
        policy="taierzhuang-2021",
        benefit="base_training_subsidy",
        claim_date=dt.date(2025, 6, 30),
    )
    line = services.application_line_add(actor=tz.clerk, application=application, person=tz.person, facts={})
    # then 台人社发〔2021〕17号 三(一)2 "按照培训等级给予培训基地2000-5000元/人": a range, quoted at its
    # top, the line is the trainee's but paid to the base
    assert (line.engine_amount, line.bound_min, line.bound_max) == (
        Decimal("5000.00"),
        Decimal("2000.00"),
        Decimal("5000.00"),
    )
    assert (line.person, line.payee) == (tz.person, Payee.ORGANISATION)
    services.application_checklist_set(
        actor=tz.clerk, application=application, items=all_materials("base_training_subsidy")
    )
    services.application_payee_account_set(
        actor=tz.clerk, application=application, bank_name="枣庄银行台儿庄支行", bank_account=ACCOUNT
    )
    services.application_submit(actor=tz.clerk, application=application, today=dt.date(2025, 6, 30))
    # when the reviewer sets 3000 for an intermediate-level course, inside the range, with the reason
    services.line_review(actor=tz.reviewer, line=line, approve=True, amount="3000", reason="中级工培训")
    services.application_review_complete(actor=tz.reviewer, application=application)
    notice = services.notice_publish(
        actor=tz.reviewer,
        applications=[application],
        title="培训基地培训补贴公示",
        issuing_unit="台儿庄区人力资源和社会保障局",
        today=dt.date(2025, 7, 1),
    )
    services.notice_close(actor=tz.reviewer, notice=notice, today=notice.ends_on + dt.timedelta(days=1))
    fund = FundSource.objects.get(jurisdiction=tz.jurisdiction, code="employment_subsidy")
    batch = services.batch_create(actor=tz.finance, fund_source=fund, year=YEAR)
    services.batch_approve(actor=tz.finance2, batch=batch)
    name, data = services.batch_export(actor=tz.finance, batch=batch, file_format="xlsx")
    # then the bank pays the base, not the trainee
    _header, rows = read_table(name, data)
    assert [(r.values["姓名"], r.values["证件号"], r.values["账号"], r.values["金额"]) for r in rows] == [
        (tz.enterprise.name, tz.enterprise.credit_code, ACCOUNT, "3000.00")
    ]
    # and the trainee's year is taken: "the same thing" is the person and the year
    assert PaymentKey.objects.get(instalment__schedule__line=line).key == (
        f"base_training_subsidy|person={tz.person.pk}|year=2025"
    )
