"""发起资金申请 from a talent record (issue 7): each benefit the record's document pays, quoted by the
engine from the record's facts, becomes a draft application of the record's person or unit that
continues through the normal workflow; a benefit without a fund or configuration is shown as such.
Amounts worked by hand from 虞人社〔2023〕19号, 台人社发〔2021〕17号 and the 湖州 实施意见."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError
from gongjiang.core.services import user_create
from gongjiang.registry import services as registry
from gongjiang.registry.tests.factories import PASSWORD, new_credit_code
from gongjiang.talent import services as talent
from gongjiang.talent.tests.factories import competition, studio, talent_world

from .. import config, selectors, services
from ..choices import LineStatus, Payee
from ..models import BenefitFunding, PaymentKey
from .factories import all_materials, place_world

pytestmark = pytest.mark.django_db


def _studio(place, level: str = "city"):
    return studio(
        talent_world(SimpleNamespace()),
        jurisdiction=place.jurisdiction,
        actor=place.admin,
        enterprise=place.enterprise,
        master=place.person,
        level=level,
    )


def _base(place, name: str, recognised_on: dt.date, *, kind: str = "training_base", level: str = "national"):
    return talent.platform_create(
        actor=place.admin,
        jurisdiction=place.jurisdiction,
        kind=kind,
        level=level,
        name=name,
        recognised_on=recognised_on,
        enterprise=place.enterprise,
    )


def _another_enterprise(place, name: str):
    place.enterprise = registry.enterprise_create(
        actor=place.admin,
        jurisdiction=place.jurisdiction,
        name=name,
        credit_code=new_credit_code(),
        ownership="private_corp",
        size="medium",
    )
    return place.enterprise


@pytest.fixture
def sy():
    return place_world("shangyu", "上虞区", "330604")


def test_a_shangyu_studio_gives_its_grants_and_says_which_cannot_be_applied_for(sy):
    # given a 市级 studio of the enterprise, assessed excellent in 2025
    record = _studio(sy)
    talent.studio_assess(
        actor=sy.admin, studio=record, year=2025, result="excellent", assessed_on=dt.date(2025, 12, 20)
    )
    # when its clerk looks at what it may apply for
    rows = selectors.record_requests(sy.clerk, "studio", record)
    # then 虞人社〔2023〕19号 三、（四）22: 一次性3万元开办经费 (the unit's), of which 20% may go to the
    # master (30000 × 20% = 6000, the master's own, applied for by the master or the bureau, not by
    # the enterprise's clerk), and 考核优秀的奖励2万元, all from the talent fund
    assert [(r.benefit, r.quote["amount"] if r.quote else None, r.problem) for r in rows] == [
        ("master_studio_opening_grant", "30000.00", ""),
        ("master_studio_master_share", "6000.00", ""),
        ("master_studio_excellence_reward", "20000.00", ""),
    ]
    assert [r.fund_source.name if r.fund_source else None for r in rows] == ["上虞区人才发展专项资金"] * 3
    assert [r.may_apply for r in rows] == [True, False, True]
    assert [r.may_apply for r in selectors.record_requests(sy.admin, "studio", record)] == [True] * 3
    # when the clerk starts the opening grant's application
    application = services.application_create_from_record(
        actor=sy.clerk, kind="studio", record=record, index=0
    )
    # then it is the enterprise's, with one line of its own quoted at 30000 and paid to its account
    line = application.lines.get()
    assert (application.applicant_kind, application.enterprise, application.on_behalf) == (
        "enterprise",
        sy.enterprise,
        False,
    )
    assert (line.person, line.payee, line.record, line.engine_amount) == (
        None,
        Payee.ORGANISATION,
        f"studio:{record.pk}",
        Decimal("30000.00"),
    )
    # and a second start from the record is refused
    with pytest.raises(DomainError, match="已发起过"):
        services.application_create_from_record(actor=sy.clerk, kind="studio", record=record, index=0)
    # when the bureau starts the master's share on the master's behalf
    share = services.application_create_from_record(actor=sy.admin, kind="studio", record=record, index=1)
    share_line = share.lines.get()
    # then it is the master's, 6000 into the master's card, and "the same thing" is the studio
    assert (share.applicant_kind, share.person, share.on_behalf) == ("person", sy.person, True)
    assert (share_line.person, share_line.payee, share_line.engine_amount) == (
        sy.person,
        Payee.PERSON,
        Decimal("6000.00"),
    )
    services.application_checklist_set(
        actor=sy.admin, application=share, items=all_materials("master_studio_master_share")
    )
    services.application_submit(actor=sy.admin, application=share, today=dt.date(2025, 12, 22))
    services.line_review(actor=sy.reviewer, line=share_line, approve=True)
    assert PaymentKey.objects.get(instalment__schedule__line=share_line).key == (
        f"master_studio_master_share|studio:{record.pk}"
    )
    # when it continues through the normal workflow
    services.application_checklist_set(
        actor=sy.clerk, application=application, items=all_materials("master_studio_opening_grant")
    )
    services.application_payee_account_set(
        actor=sy.clerk, application=application, bank_name="农业银行上虞支行", bank_account="6228481234567890"
    )
    services.application_submit(actor=sy.clerk, application=application, today=dt.date(2025, 12, 22))
    # then the grant, quoted again at submission, is the rest of the one sum (三、（四）22 "一次性3万元
    # 开办经费（其中20%可奖励给领办的技能大师个人）"): 30000 − the master's 6000 = 24000
    line.refresh_from_db()
    assert line.engine_amount == Decimal("24000.00")
    services.line_review(actor=sy.reviewer, line=line, approve=True)
    # then "the same thing" is the studio
    assert PaymentKey.objects.get(instalment__schedule__line=line).key == (
        f"master_studio_opening_grant|studio:{record.pk}"
    )
    # and the excellence reward is started by the reviewer on the enterprise's behalf, dated at the
    # assessment
    reward = services.application_create_from_record(actor=sy.reviewer, kind="studio", record=record, index=2)
    assert (reward.on_behalf, reward.claim_date, reward.lines.get().engine_amount) == (
        True,
        dt.date(2025, 12, 20),
        Decimal("20000.00"),
    )


def test_a_taierzhuang_prize_is_the_winners_and_a_huzhou_base_is_paid_once_per_kind():
    # given a 台儿庄 district competition won by the enterprise's welder
    tz = place_world("taierzhuang", "台儿庄区", "370405")
    contest = competition(
        talent_world(SimpleNamespace()), jurisdiction=tz.jurisdiction, actor=tz.admin, level="district"
    )
    result = talent.competition_result_record(actor=tz.admin, competition=contest, person=tz.person, rank=1)
    # when the bureau starts the prize's application
    application = services.application_create_from_record(
        actor=tz.admin, kind="competition_result", record=result, index=0
    )
    # then 台人社发〔2021〕17号 三(二)6 一等奖 2000 元, the winner's own, from 台儿庄区高技能人才工作经费
    line = application.lines.get()
    assert (application.applicant_kind, line.person, line.payee) == ("person", tz.person, Payee.PERSON)
    assert line.engine_amount == Decimal("2000.00")
    assert application.fund_source.name == "台儿庄区高技能人才工作经费"
    # and the enterprise's clerk may not start it (the prize is the person's)
    assert selectors.record_requests(tz.clerk, "competition_result", result)[0].may_apply is False
    with pytest.raises(Http404):
        selectors.talent_record_get(tz.clerk, "competition_result", result.pk)

    # given a 湖州 enterprise recognised as a national high-skill training base, and its provincial studio
    hz = place_world("huzhou", "湖州市", "330500")
    base = _base(hz, "国家级高技能人才培训基地", dt.date(2025, 6, 1))
    provincial = _studio(hz, level="provincial")
    # when the bureau starts both
    base_application = services.application_create_from_record(
        actor=hz.admin, kind="platform", record=base, index=0
    )
    studio_application = services.application_create_from_record(
        actor=hz.admin, kind="studio", record=provincial, index=0
    )
    # then 湖州 实施意见 二(三)5 国家级高技能人才培训基地 200万元 and 二(三)6 省级工作室 每家 5万元
    assert base_application.lines.get().engine_amount == Decimal("2000000.00")
    assert studio_application.lines.get().engine_amount == Decimal("50000.00")
    # and once the base award is approved, the same unit's second national base is refused
    # (interpretation training_base_once: 每个单位每类基地只享受一次)
    services.application_checklist_set(
        actor=hz.admin, application=base_application, items=all_materials("training_base_award")
    )
    services.application_payee_account_set(
        actor=hz.admin, application=base_application, bank_name="湖州银行", bank_account="6228480099887766"
    )
    services.application_submit(actor=hz.admin, application=base_application, today=dt.date(2025, 6, 2))
    services.line_review(actor=hz.reviewer, line=base_application.lines.get(), approve=True)
    second_base = _base(hz, "国家级高技能人才培训基地（二期）", dt.date(2025, 9, 1))
    again = services.application_create_from_record(
        actor=hz.admin, kind="platform", record=second_base, index=0
    ).lines.get()
    assert again.status == LineStatus.BLOCKED
    assert [r["code"] for r in again.quote["reasons"]] == ["already_received"]


def test_a_benefit_without_a_fund_or_configuration_is_shown_as_such(sy, monkeypatch):
    # given the welder's 浙江工匠 title: 三、（四）22 pays 1万元, from the talent fund (data/shangyu.yaml)
    title = talent.title_award(
        actor=sy.admin,
        person=sy.person,
        kind="浙江工匠",
        title_name="浙江工匠",
        awarded_by="浙江省总工会",
        awarded_on=dt.date(2025, 4, 1),
    )
    (row,) = selectors.record_requests(sy.admin, "title", title)
    assert (row.benefit, row.quote["amount"], row.fund_source.name, row.problem, row.may_apply) == (
        "craftsman_award",
        "10000.00",
        "上虞区人才发展专项资金",
        "",
        True,
    )
    # when the bureau's loaded configuration names no fund for it (loaded before it was mapped)
    BenefitFunding.objects.filter(jurisdiction=sy.jurisdiction, benefit="craftsman_award").delete()
    (row,) = selectors.record_requests(sy.admin, "title", title)
    assert (row.benefit, row.quote["amount"], row.fund_source) == ("craftsman_award", "10000.00", None)
    assert row.problem == "尚未配置资金来源（由哪项资金支付），暂不能申请" and not row.may_apply
    with pytest.raises(DomainError, match="尚未配置由哪项资金支付"):
        services.application_create_from_record(actor=sy.admin, kind="title", record=title, index=0)
    # given a municipal public training base: 三、（二）14 "给予一次性50万元经费支持", configured
    _another_enterprise(sy, "上虞区公共实训中心")
    base = _base(sy, "市级公共实训基地", dt.date(2025, 5, 1), kind="public_training_base", level="municipal")
    (row,) = selectors.record_requests(sy.admin, "platform", base)
    assert (row.benefit, row.quote["amount"], row.problem, row.may_apply) == (
        "municipal_public_base_grant",
        "500000.00",
        "",
        True,
    )
    # when its materials were missing from data/benefits.yaml (as for a benefit a new pack adds)
    materials = {k: v for k, v in config.benefit_config().items() if k != "municipal_public_base_grant"}
    monkeypatch.setattr(config, "benefit_config", lambda: materials)
    (row,) = selectors.record_requests(sy.admin, "platform", base)
    assert row.problem == "尚未配置支付键和申请材料，暂不能申请" and not row.may_apply
    with pytest.raises(DomainError, match="尚未配置"):
        services.application_create_from_record(actor=sy.admin, kind="platform", record=base, index=0)


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_record_page_starts_the_application_and_the_records_page_links_to_it(sy):
    # given a 市级 studio of the enterprise
    record = _studio(sy)
    admin = _client(sy.admin)
    # when the bureau admin opens the records page
    page = admin.get(reverse("talent:record_list")).content.decode()
    url = reverse("funds:apply_from_studio", kwargs={"pk": record.pk})
    # then the studio links to 发起资金申请
    assert url in page and "发起资金申请" in page
    # and that page shows the engine's amounts and the benefit nobody configured
    page = admin.get(url).content.decode()
    assert "市、区级技能大师工作室一次性开办经费" in page and "30000.00" in page
    assert "开办经费中奖励领办技能大师个人部分" in page and "6000.00" in page and "尚未配置" not in page
    # when the admin starts the opening grant
    response = admin.post(url, {"index": "0"})
    # then the draft application opens with its line of 30000 paid to the enterprise's account
    application = sy.enterprise.application_set.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("funds:application_detail", kwargs={"pk": application.pk})
    detail = admin.get(response["Location"]).content.decode()
    assert "30000.00" in detail and "拨付至单位账户" in detail and "单位收款账户" in detail
    # and the page then shows it as applied for
    assert application.number in admin.get(url).content.decode()
    # and the enterprise's clerk sets the account through the page (shown masked)
    clerk = _client(sy.clerk)
    clerk.post(
        reverse("funds:application_action", kwargs={"pk": application.pk, "action": "payee_account"}),
        {"bank_name": "农业银行上虞支行", "bank_account": "6228481234567890"},
    )
    detail = clerk.get(reverse("funds:application_detail", kwargs={"pk": application.pk})).content.decode()
    assert "****7890" in detail and "6228481234567890" not in detail
    # and a clerk of another enterprise gets nothing
    other = _another_enterprise(sy, "上虞区另一家企业")
    stranger = user_create(
        actor=sy.admin,
        username="sy-other-clerk",
        password=PASSWORD,
        role=Role.ENTERPRISE_CLERK,
        jurisdictions=[sy.jurisdiction],
        enterprise=other,
    )
    assert _client(stranger).get(url).status_code == 404


def test_the_api_starts_the_application_and_sets_the_units_account(sy):
    # given the enterprise's 市级 studio
    record = _studio(sy)
    clerk = _client(sy.clerk)
    # when its clerk starts the opening grant through the API
    created = clerk.post(
        "/api/funds/applications/from-record",
        {"kind": "studio", "record_id": record.pk, "index": 0},
        content_type="application/json",
    )
    # then 虞人社〔2023〕19号 三、（四）22 一次性3万元开办经费, the enterprise's own line
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["applicant_name"], body["lines"][0]["person_id"], body["lines"][0]["payee"]) == (
        sy.enterprise.name,
        None,
        "organisation",
    )
    assert body["lines"][0]["engine_amount"] == "30000.00"
    # and it sets the enterprise's account (answered masked), while a repeat start is refused
    account = clerk.post(
        f"/api/funds/applications/{body['id']}/payee-account",
        {"bank_name": "农业银行上虞支行", "bank_account": "6228481234567890"},
        content_type="application/json",
    )
    assert account.status_code == 200 and "6228481234567890" not in account.content.decode()
    again = clerk.post(
        "/api/funds/applications/from-record",
        {"kind": "studio", "record_id": record.pk, "index": 0},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["code"] == "already_applied"
    # (found on the way: these fixed paths were taken by GET /funds/applications/{application_id} and
    # answered 405; the id is now an int converter)
    missing = clerk.post(
        "/api/funds/applications/for-class", {"class_id": 999999}, content_type="application/json"
    )
    assert missing.status_code == 403  # the operation answers: an enterprise clerk reads no classes


def test_each_studio_of_an_enterprise_gets_its_own_opening_grant(sy):
    # given the enterprise's first 市级 studio, whose 30000 opening grant (虞人社〔2023〕19号 三、（四）22
    # "一次性3万元开办经费") is approved
    first = _studio(sy)
    application = services.application_create_from_record(
        actor=sy.clerk, kind="studio", record=first, index=0
    )
    services.application_checklist_set(
        actor=sy.clerk, application=application, items=all_materials("master_studio_opening_grant")
    )
    services.application_payee_account_set(
        actor=sy.clerk, application=application, bank_name="农业银行上虞支行", bank_account="6228481234567890"
    )
    services.application_submit(actor=sy.clerk, application=application, today=dt.date(2025, 12, 22))
    services.line_review(actor=sy.reviewer, line=application.lines.get(), approve=True)
    # when the same enterprise's second studio is looked at
    first_studio = first
    second = talent.studio_create(
        actor=sy.admin,
        jurisdiction=sy.jurisdiction,
        name="数控加工技能大师工作室",
        level="city",
        enterprise=sy.enterprise,
        master=sy.person,
        occupation=first_studio.occupation,
        recognised_on=dt.date(2025, 9, 1),
    )
    rows = selectors.record_requests(sy.clerk, "studio", second)
    # then its own opening grant is quoted in full: "once" is per studio, the record being paid,
    # not per enterprise
    opening = next(r for r in rows if r.benefit == "master_studio_opening_grant")
    assert opening.quote["amount"] == "30000.00"
    assert "already_received" not in [reason["code"] for reason in opening.quote["reasons"]]
    # while the first studio, asked again, is quoted as already received
    again = next(
        r
        for r in selectors.record_requests(sy.clerk, "studio", first)
        if r.benefit == "master_studio_opening_grant"
    )
    assert again.quote["amount"] == "0.00"
    # and the first studio, having had the whole 3万元, gets no separate master's share (its 20% was in it)
    share = next(
        r
        for r in selectors.record_requests(sy.clerk, "studio", first)
        if r.benefit == "master_studio_master_share"
    )
    assert share.quote["amount"] == "0.00"
    assert [reason["code"] for reason in share.quote["reasons"]] == ["already_received"]
