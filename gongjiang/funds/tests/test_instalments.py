"""Instalment schedules: monthly post allowances (虞人社〔2023〕19号) fall due month by month and
can be stopped; a two-year award (湖州大工匠) is paid in two yearly halves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError
from gongjiang.core.services import jurisdiction_create, user_create
from gongjiang.registry.tests.factories import PASSWORD, make_admin, make_person, new_id_number

from .. import services
from ..choices import InstalmentStatus, LineStatus, ScheduleStatus
from ..models import FundSource, Instalment, PaymentKey


@pytest.fixture
def shangyu(db):
    jurisdiction = jurisdiction_create(actor=None, code="shangyu", name="上虞区", region_code="330604")
    admin = make_admin(jurisdiction, "shangyu-admin")
    services.funds_config_load(actor=admin, jurisdiction=jurisdiction)
    fund = FundSource.objects.get(jurisdiction=jurisdiction, code="talent_fund")
    services.fund_budget_set(actor=admin, fund_source=fund, year=2025, amount=Decimal("50000"))
    reviewer = user_create(
        actor=admin,
        username="sy-reviewer",
        password=PASSWORD,
        role=Role.CENTRE_REVIEWER,
        jurisdictions=[jurisdiction],
    )
    person = make_person(admin, jurisdiction, "技师甲", id_number=new_id_number(region="330604"))
    return jurisdiction, admin, reviewer, person


def _post_allowance(shangyu, months: int = 3):
    _jurisdiction, admin, reviewer, person = shangyu
    application = services.application_create(
        actor=admin,
        applicant_kind="person",
        applicant=person,
        policy="shangyu-2023",
        benefit="post_allowance",
        claim_date=dt.date(2025, 11, 14),
    )
    services.application_line_add(
        actor=admin,
        application=application,
        person=person,
        facts={
            "certificate": "technician",
            "newly_obtained": True,
            "shortage_occupation": True,
            "insured_employee": True,
            "months": months,
        },
    )
    services.application_checklist_set(
        actor=admin,
        application=application,
        items={"application_form": True, "certificate": True, "bank_card": True},
    )
    services.application_submit(actor=admin, application=application, today=dt.date(2025, 11, 14))
    services.line_review(actor=reviewer, line=application.lines.get(), approve=True)
    services.application_review_complete(actor=reviewer, application=application)
    notice = services.notice_publish(
        actor=reviewer,
        applications=[application],
        title="公示",
        issuing_unit="上虞区人社局",
        today=dt.date(2025, 11, 17),
    )
    services.notice_close(actor=reviewer, notice=notice, today=dt.date(2025, 11, 25))
    return application.lines.get()


def test_a_monthly_allowance_falls_due_month_by_month_and_stopping_cancels_the_rest(shangyu):
    # given a newly obtained shortage-occupation 技师 for 3 months: 300 元 a month
    # (虞人社〔2023〕19号 三、（四）21 每人每月300元), claimed in November 2025, on bureau filing
    line = _post_allowance(shangyu)
    jurisdiction, admin, reviewer, _person = shangyu
    rows = list(Instalment.objects.filter(schedule__line=line).order_by("seq"))
    assert [(i.due_month, i.amount) for i in rows] == [
        ("2025-11", Decimal("300.00")),
        ("2025-12", Decimal("300.00")),
        ("2026-01", Decimal("300.00")),
    ]
    # each month is its own payment key (person + month)
    assert PaymentKey.objects.filter(instalment__schedule__line=line).count() == 3
    # then November is due at the close of the notice; December only once December comes
    assert [i.status for i in rows] == [
        InstalmentStatus.DUE,
        InstalmentStatus.SCHEDULED,
        InstalmentStatus.SCHEDULED,
    ]
    assert (
        services.instalments_fall_due(actor=admin, jurisdiction=jurisdiction, today=dt.date(2025, 12, 1)) == 1
    )
    # when the person leaves the job
    with pytest.raises(DomainError, match="理由"):
        services.schedule_stop(actor=reviewer, schedule=line.schedule, reason=" ")
    services.schedule_stop(actor=reviewer, schedule=line.schedule, reason="本人已离职")
    # then what has not been paid is cancelled with the reason and its keys released
    statuses = list(
        Instalment.objects.filter(schedule__line=line).order_by("seq").values_list("status", "cancel_reason")
    )
    assert statuses == [("cancelled", "停发：本人已离职")] * 3
    assert not PaymentKey.objects.filter(instalment__schedule__line=line, released_at__isnull=True).exists()
    line.refresh_from_db()
    assert line.schedule.status == ScheduleStatus.STOPPED
    assert line.status == LineStatus.STOPPED


def test_a_two_year_award_is_two_instalments_a_year_apart(db):
    # given 湖州大工匠: 20万元 分两年拨付到位 (《关于新时代湖州工匠培育工程的实施意见》 二(二)3)
    jurisdiction = jurisdiction_create(actor=None, code="huzhou", name="湖州市", region_code="330500")
    admin = make_admin(jurisdiction, "hz-admin")
    reviewer = user_create(
        actor=admin,
        username="hz-reviewer",
        password=PASSWORD,
        role=Role.CENTRE_REVIEWER,
        jurisdictions=[jurisdiction],
    )
    services.funds_config_load(actor=admin, jurisdiction=jurisdiction)
    person = make_person(admin, jurisdiction, "工匠甲", id_number=new_id_number(region="330502"))
    application = services.application_create(
        actor=admin,
        applicant_kind="person",
        applicant=person,
        policy="huzhou-2021",
        benefit="craftsman_award",
        claim_date=dt.date(2025, 11, 14),
    )
    line = services.application_line_add(
        actor=admin, application=application, person=person, facts={"title": "湖州大工匠"}
    )
    services.application_checklist_set(
        actor=admin,
        application=application,
        items={"application_form": True, "certificate": True, "bank_card": True},
    )
    services.application_submit(actor=admin, application=application)
    # when it is approved
    services.line_review(actor=reviewer, line=line, approve=True)
    # then 100000 + 100000, in November 2025 and November 2026
    rows = Instalment.objects.filter(schedule__line=line).order_by("seq").values_list("due_month", "amount")
    assert list(rows) == [("2025-11", Decimal("100000.00")), ("2026-11", Decimal("100000.00"))]


def test_a_payment_failing_after_the_stop_is_not_reissued(shangyu):
    # given November's 300 元 (虞人社〔2023〕19号 三、（四）21) at the bank when the person leaves the job
    line = _post_allowance(shangyu)
    jurisdiction, admin, reviewer, _person = shangyu
    finance = user_create(
        actor=admin,
        username="sy-finance",
        password=PASSWORD,
        role=Role.FINANCE_OFFICER,
        jurisdictions=[jurisdiction],
    )
    november = Instalment.objects.get(schedule__line=line, seq=1)
    batch = services.batch_create(
        actor=admin, fund_source=line.application.fund_source, year=2025, instalments=[november]
    )
    services.batch_approve(actor=finance, batch=batch)
    services.batch_export(actor=admin, batch=batch)
    services.schedule_stop(actor=reviewer, schedule=line.schedule, reason="本人已离职")
    # when the bank reports the payment failed
    from .factories import bank_result

    number = batch.items.get().detail_number
    services.batch_result_import(
        actor=admin, batch=batch, filename="r.csv", data=bank_result([(number, "失败", "账户冻结", "")])
    )
    # then November is cancelled, not due again: nothing left to pay on the stopped schedule
    november.refresh_from_db()
    assert november.status == InstalmentStatus.CANCELLED
    assert not Instalment.objects.filter(schedule__line=line, status=InstalmentStatus.DUE).exists()


def test_the_daily_command_lets_december_fall_due(shangyu):
    # given a 3-month allowance approved in November 2025 (November due at the close of the notice)
    from django.core.management import call_command
    from django.core.management.base import CommandError

    line = _post_allowance(shangyu)
    # when the daily command runs on 1 December 2025 (tasks run inline in tests)
    call_command("funds_daily", date="2025-12-01")
    # then December is due too, January not yet
    statuses = list(
        Instalment.objects.filter(schedule__line=line).order_by("seq").values_list("status", flat=True)
    )
    assert statuses == [InstalmentStatus.DUE, InstalmentStatus.DUE, InstalmentStatus.SCHEDULED]
    # and a malformed date exits with code 2
    with pytest.raises(CommandError) as caught:
        call_command("funds_daily", date="2025-13-01")
    assert caught.value.returncode == 2
