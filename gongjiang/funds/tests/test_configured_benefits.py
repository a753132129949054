"""Benefits configured for every installed pack walk the funds workflow: an organisation's reward
claimed once a year (上虞 人力资源服务机构招引奖励) and a person's award from a competition result
(湖州 中国技能大赛奖励), from application to the bank's result, then "the same thing" refused a second
time. Amounts worked by hand from 虞人社〔2023〕19号 and the 湖州 实施意见."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from gongjiang.core.errors import DomainError
from gongjiang.core.pii import decrypt
from gongjiang.core.spreadsheets import read_table
from gongjiang.talent import services as talent
from gongjiang.talent.tests.factories import competition, talent_world

from .. import ledger, services
from ..choices import LedgerAccount, LineStatus, Payee
from ..models import FundSource, PaymentKey
from .factories import YEAR, all_materials, bank_result, place_world

pytestmark = pytest.mark.django_db

ACCOUNT = "1211012345678901234"


def _noticed_and_paid(place, application, *, fund_code: str, title: str, published: dt.date):
    """The reviewed application noticed for 5 working days, batched by one finance officer, approved
    by the other, exported and paid by the bank; returns the bank file's rows and the fund."""
    services.application_review_complete(actor=place.reviewer, application=application, today=published)
    notice = services.notice_publish(
        actor=place.reviewer,
        applications=[application],
        title=title,
        issuing_unit="人力资源和社会保障局",
        today=published,
    )
    services.notice_close(actor=place.reviewer, notice=notice, today=notice.ends_on + dt.timedelta(days=1))
    fund = FundSource.objects.get(jurisdiction=place.jurisdiction, code=fund_code)
    batch = services.batch_create(actor=place.finance, fund_source=fund, year=YEAR)
    services.batch_approve(actor=place.finance2, batch=batch)
    name, data = services.batch_export(actor=place.finance, batch=batch, file_format="csv")
    _header, rows = read_table(name, data)
    items = list(batch.items.order_by("id"))
    services.batch_result_import(
        actor=place.finance,
        batch=batch,
        filename="回盘.csv",
        data=bank_result([(item.detail_number, "成功", "", f"B{item.pk}") for item in items]),
    )
    return rows, fund


def _submitted(
    actor, applicant_kind, applicant, benefit, facts, *, person=None, claim_date=dt.date(2025, 11, 14)
):
    """A 上虞 application of one line, its materials present (and the unit's account for a unit's
    benefit), submitted on its claim date; returns the line."""
    application = services.application_create(
        actor=actor,
        applicant_kind=applicant_kind,
        applicant=applicant,
        policy="shangyu-2023",
        benefit=benefit,
        claim_date=claim_date,
    )
    line = services.application_line_add(actor=actor, application=application, person=person, facts=facts)
    services.application_checklist_set(actor=actor, application=application, items=all_materials(benefit))
    if person is None:
        services.application_payee_account_set(
            actor=actor, application=application, bank_name="工商银行上虞支行", bank_account=ACCOUNT
        )
    services.application_submit(actor=actor, application=application, today=claim_date)
    line.refresh_from_db()
    return line


def _agency_line(sy, referrals: int):
    return _submitted(
        sy.clerk, "enterprise", sy.enterprise, "agency_referral_reward", {"referrals": referrals}
    )


def test_an_agencys_referral_reward_is_paid_into_its_account_once_a_year():
    # given a 上虞 human-resources service agency (an enterprise of the registry) that brought 30
    # workers from outside the district to the district's enterprises in 2025
    sy = place_world("shangyu", "上虞区", "330604")
    line = _agency_line(sy, 30)
    application = line.application
    # then 虞人社〔2023〕19号 三、（一）1 "对为企业招引5人及以上区外职工的服务机构…给予每人次500-800元的
    # 奖励": 30 ≥ 5, a range of 30 × 500 = 15000 to 30 × 800 = 24000, quoted at its top, the agency's
    # own line paid into its account from 就业补助资金 (data/shangyu.yaml)
    assert (line.person, line.payee, application.fund_source.name) == (
        None,
        Payee.ORGANISATION,
        "就业补助资金",
    )
    assert (line.engine_amount, line.bound_min, line.bound_max) == (
        Decimal("24000.00"),
        Decimal("15000.00"),
        Decimal("24000.00"),
    )
    # when the reviewer fixes 600 元 per referral inside the range: 30 × 600 = 18000
    services.line_review(
        actor=sy.reviewer, line=line, approve=True, amount="18000", reason="按每人次600元核定"
    )
    rows, fund = _noticed_and_paid(
        sy,
        application,
        fund_code="employment_subsidy",
        title="2025年人力资源服务机构招引奖励公示",
        published=dt.date(2025, 11, 17),
    )
    # then the bank pays the agency, by its name and credit code, 18000.00
    assert [(r.values["姓名"], r.values["证件号"], r.values["账号"], r.values["金额"]) for r in rows] == [
        (sy.enterprise.name, sy.enterprise.credit_code, ACCOUNT, "18000.00")
    ]
    line.refresh_from_db()
    assert line.status == LineStatus.PAID
    balances = ledger.balances(fund, YEAR)
    assert balances[LedgerAccount.EXPENSE] == Decimal("18000.00")
    assert sum(balances.values(), Decimal(0)) == 0
    # and "the same thing" is the agency's year
    assert PaymentKey.objects.get(instalment__schedule__line=line).key == (
        f"agency_referral_reward|enterprise:{sy.enterprise.pk}|year=2025"
    )
    # when it claims 10 more referrals in 2025: the engine still has room under the 10万 yearly cap
    # (10 × 800 = 8000 ≤ 100000 − 18000) ...
    again = _agency_line(sy, 10)
    assert (again.status, again.engine_amount) == (LineStatus.PENDING, Decimal("8000.00"))
    # ... but the year's reward was paid: the payment key refuses it
    with pytest.raises(DomainError, match="同一事项已申请或已拨付"):
        services.line_review(actor=sy.reviewer, line=again, approve=True)
    again.refresh_from_db()
    assert again.status == LineStatus.PENDING


def test_a_china_skills_gold_is_the_contestants_once():
    # given a 湖州 contestant who won gold (rank 1) at a national competition (中国技能大赛)
    hz = place_world("huzhou", "湖州市", "330500")
    contest = competition(
        talent_world(SimpleNamespace()), jurisdiction=hz.jurisdiction, actor=hz.admin, level="national"
    )
    result = talent.competition_result_record(actor=hz.admin, competition=contest, person=hz.person, rank=1)
    # when the bureau starts the award from the result
    application = services.application_create_from_record(
        actor=hz.admin, kind="competition_result", record=result, index=0
    )
    line = application.lines.get()
    # then 湖州 实施意见 二(二)4 "对获得中国技能大赛金…牌…选手，分别按20万元…标准给予一次性奖励": 200000,
    # the contestant's own, from 湖州市人才发展专项资金 (data/huzhou.yaml)
    assert (application.applicant_kind, line.person, line.payee) == ("person", hz.person, Payee.PERSON)
    assert (line.benefit, line.engine_amount) == ("china_skills_award", Decimal("200000.00"))
    assert application.fund_source.name == "湖州市人才发展专项资金"
    services.application_checklist_set(
        actor=hz.admin, application=application, items=all_materials("china_skills_award")
    )
    services.application_submit(actor=hz.admin, application=application, today=dt.date(2025, 9, 22))
    services.line_review(actor=hz.reviewer, line=line, approve=True)
    rows, fund = _noticed_and_paid(
        hz,
        application,
        fund_code="talent_fund",
        title="2025年中国技能大赛获奖选手奖励公示",
        published=dt.date(2025, 9, 22),
    )
    # and the bank pays the contestant 200000.00 into the contestant's own card
    assert [(r.values["姓名"], r.values["证件号"], r.values["金额"]) for r in rows] == [
        (hz.person.name, decrypt(hz.person.id_number_encrypted), "200000.00")
    ]
    line.refresh_from_db()
    assert line.status == LineStatus.PAID
    assert sum(ledger.balances(fund, YEAR).values(), Decimal(0)) == 0
    # and "the same thing" is the contestant's result: a second start from it is refused, and the
    # award cannot be applied for without its result
    assert PaymentKey.objects.get(instalment__schedule__line=line).key == (
        f"china_skills_award|person={hz.person.pk}|competition_result:{result.pk}"
    )
    with pytest.raises(DomainError, match="已发起过"):
        services.application_create_from_record(
            actor=hz.admin, kind="competition_result", record=result, index=0
        )
    by_hand = services.application_create(
        actor=hz.admin,
        applicant_kind="person",
        applicant=hz.person,
        policy="huzhou-2021",
        benefit="china_skills_award",
        claim_date=dt.date(2025, 9, 20),
    )
    with pytest.raises(DomainError, match="须从人才记录"):
        services.application_line_add(
            actor=hz.admin, application=by_hand, person=hz.person, facts={"result": "gold"}
        )


def _teacher_line(sy, years: int, claim_date: dt.date):
    return _submitted(
        sy.admin,
        "person",
        sy.person,
        "teacher_allowance",
        {"years": years},
        person=sy.person,
        claim_date=claim_date,
    )


def test_a_teachers_living_allowance_is_three_yearly_instalments_at_most():
    # given a senior technician engaged by a 上虞 technical college as a practical-training teacher
    # for 5 years, applied for by the bureau on the teacher's behalf on 1 September 2025
    sy = place_world("shangyu", "上虞区", "330604")
    line = _teacher_line(sy, 5, dt.date(2025, 9, 1))
    # then 虞人社〔2023〕19号 三、（二）8 "给予每年4万元生活补贴，补助不超过3年": 5 years are counted as 3,
    # 3 × 40000 = 120000 in three yearly instalments of 40000 (2025-09, 2026-09, 2027-09), the
    # teacher's own, from 上虞区人才发展专项资金
    assert (line.engine_amount, line.payee, line.application.fund_source.name) == (
        Decimal("120000.00"),
        Payee.PERSON,
        "上虞区人才发展专项资金",
    )
    assert [(i["due"], i["amount"]) for i in line.quote["schedule"]] == [
        ("2025-09", "40000.00"),
        ("2026-09", "40000.00"),
        ("2027-09", "40000.00"),
    ]
    # when it is approved, each instalment holds its key: the teacher's instalments 1 to 3
    services.line_review(actor=sy.reviewer, line=line, approve=True)
    assert sorted(
        PaymentKey.objects.filter(instalment__schedule__line=line).values_list("key", flat=True)
    ) == [f"teacher_allowance|person={sy.person.pk}|instalment={n}" for n in (1, 2, 3)]
    # and a further year claimed in 2026 (another engagement) would be a fourth year: refused
    again = _teacher_line(sy, 1, dt.date(2026, 9, 1))
    assert again.engine_amount == Decimal("40000.00")
    with pytest.raises(DomainError, match="同一事项已申请或已拨付"):
        services.line_review(actor=sy.reviewer, line=again, approve=True)
