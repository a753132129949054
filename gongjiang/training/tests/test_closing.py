"""Assessment, closing and certificate numbers (新民社发〔2025〕13号 附件2 3.2 结班, 附件4).

The classes are 焊工 (A类) employment-skill classes of institution A (supervised by 兰州新区社会保障
第一服务中心) that ran 2025-06-02 … 2025-06-16: 15 days × 8 课时 = 120 课时, the A类 minimum
(四(一)). Their certificates draw on 第一服务中心's 2025 就业技能 range of 附件4, 202251——206250.
"""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.training.choices import ClassStatus, EnrolmentStatus, TrainingType
from gongjiang.training.models import CertificateNumberRange, TrainingCertificate, TrainingClass
from gongjiang.training.numbering import allocate, range_category
from gongjiang.training.services import certificates, closing
from gongjiang.training.services.closing import AssessmentResult

from .closing_factories import (
    CLOSING_DAY,
    attend,
    ceremony,
    closable_class,
    closing_class,
    running_class,
    spot_check,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranges(tw):
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    return tw


def _range(w, unit, category, year=2025):
    return CertificateNumberRange.objects.get(service_unit=unit, category=category, year=year)


# Assessment ---------------------------------------------------------------------------------------


def test_a_trainee_below_the_minimum_hours_cannot_be_qualified_and_nothing_is_written(tw):
    # given a 120-hour class where one trainee missed the last session (4 课时): 116 < 120
    training_class = running_class(tw, trainees=2)
    full, short = list(training_class.enrolments.order_by("id"))
    sessions = list(training_class.sessions.order_by("date", "starts_at"))
    attend(tw, training_class, enrolments=[full])
    attend(tw, training_class, enrolments=[short], sessions=sessions[:-1])
    # when both are marked qualified
    with pytest.raises(DomainError) as refused:
        closing.assessment_record(
            actor=tw.clerk,
            training_class=training_class,
            results=[AssessmentResult(full.pk, "qualified"), AssessmentResult(short.pk, "qualified")],
        )
    # then the short one is named with the hours, and neither result is written
    assert refused.value.code == "assessment_invalid"
    assert (
        f"{short.person.name} 出勤 116 课时，低于本班最低课时 120，不能评定为培训合格"
        in refused.value.message
    )
    full.refresh_from_db()
    assert full.status == EnrolmentStatus.ENROLLED and full.assessed_at is None


def test_assessment_records_result_score_and_hours(tw):
    # given
    training_class = running_class(tw, trainees=2)
    first, second = list(training_class.enrolments.order_by("id"))
    attend(tw, training_class, enrolments=[first])
    # when one is qualified with 88.5, the other (no attendance) unqualified
    closing.assessment_record(
        actor=tw.clerk,
        training_class=training_class,
        results=[
            AssessmentResult(first.pk, "qualified", decimal.Decimal("88.5")),
            AssessmentResult(second.pk, "unqualified", decimal.Decimal("40")),
        ],
    )
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.assessment_score, first.attended_hours) == (
        "qualified",
        decimal.Decimal("88.5"),
        120,
    )
    assert (second.status, second.attended_hours) == ("unqualified", 0)
    assert training_class.events.filter(event_type="assessment_recorded").get().message == (
        "登记考核结果：合格 1 人 / 共 2 人"
    )


@pytest.mark.parametrize(
    ("result", "score", "expected"),
    [("passed", None, "考核结果须为"), ("qualified", "100.5", "0—100"), ("unqualified", "-1", "0—100")],
)
def test_assessment_rejects_bad_rows(tw, result, score, expected):
    # given
    training_class = closable_class(tw, trainees=1, assess=False)
    enrolment = training_class.enrolments.get()
    # when / then
    with pytest.raises(DomainError, match=expected):
        closing.assessment_record(
            actor=tw.clerk,
            training_class=training_class,
            results=[AssessmentResult(enrolment.pk, result, decimal.Decimal(score) if score else None)],
        )


def test_only_the_institution_side_records_assessment(tw, world):
    # given
    training_class = closable_class(tw, trainees=1, assess=False)
    enrolment = training_class.enrolments.get()
    # when the reviewer tries / then refused
    with pytest.raises(PermissionDenied):
        closing.assessment_record(
            actor=tw.reviewer,
            training_class=training_class,
            results=[AssessmentResult(enrolment.pk, "qualified")],
        )


# Closing request ----------------------------------------------------------------------------------


def test_closing_request_lists_everything_missing(tw):
    # given a class that ran, with check-ins but no ceremony, one spot check and nobody assessed
    training_class = running_class(tw, trainees=2)
    attend(tw, training_class)
    spot_check(tw, training_class, count=1)
    # when the institution asks to close it before and after its end
    with pytest.raises(DomainError) as early:
        closing.class_closing_request(
            actor=tw.clerk, training_class=training_class, today=training_class.end_date
        )
    with pytest.raises(DomainError) as late:
        closing.class_closing_request(actor=tw.clerk, training_class=training_class, today=CLOSING_DAY)
    # then (附件2 3.2: ceremony images, at least 3 spot checks; every trainee assessed)
    assert "培训尚未结束" in early.value.message
    problems = late.value.details
    assert "未上传结班仪式影像（附件2 3.2 留存学员集体影像资料）" in problems
    assert "服务中心抽查 1 次，少于 3 次（附件2 3.2）" in problems
    assert any(p.startswith("尚未登记考核结果：") for p in problems)
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.APPROVED


def test_two_spot_checks_are_not_enough_three_are(tw):
    # given a class with everything but the third spot check
    training_class = running_class(tw, trainees=1)
    attend(tw, training_class)
    spot_check(tw, training_class, count=2)
    ceremony(tw, training_class)
    from .closing_factories import assess_all

    assess_all(tw, training_class)
    with pytest.raises(DomainError, match="抽查 2 次，少于 3 次"):
        closing.class_closing_request(actor=tw.clerk, training_class=training_class, today=CLOSING_DAY)
    # when the third is recorded
    spot_check(tw, training_class, count=1)
    result = closing.class_closing_request(actor=tw.clerk, training_class=training_class, today=CLOSING_DAY)
    # then
    assert result.status == ClassStatus.CLOSING and result.closing_requested_on == CLOSING_DAY


# Closing and numbers ------------------------------------------------------------------------------


def test_closing_issues_numbers_from_the_start_of_the_annex_4_range(ranges):
    # given a closing with 3 qualified trainees; 第一服务中心 2025 就业技能 202251——206250 (附件4)
    training_class = closing_class(ranges, trainees=3)
    # when the unit's reviewer approves on 2025-06-20
    closed = closing.class_close(actor=ranges.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then the class is closed and the three numbers are the first three of the range
    assert closed.status == ClassStatus.CLOSED and closed.closed_on == CLOSING_DAY
    assert closed.follow_up_due_on == dt.date(2025, 9, 20)  # 附件2 3.3 一季度内
    issued = TrainingCertificate.objects.filter(enrolment__training_class=closed).order_by("number")
    assert [c.number for c in issued] == ["202251", "202252", "202253"]
    assert {c.issued_on for c in issued} == {CLOSING_DAY}
    codes = {c.verification_code for c in issued}
    assert len(codes) == 3 and all(len(code) == 12 for code in codes)
    # and the range has 4000 − 3 = 3997 left (206250 − 202251 + 1 = 4000)
    number_range = _range(ranges, ranges.centre_1, "employment")
    assert number_range.next_value == 202254 and number_range.remaining == 3997
    assert (
        closed.events.filter(event_type="closed").get().message
        == "结班审核通过，发放培训合格证 3 本（202251—202253）"
    )
    assert AuditEvent.objects.filter(event_type="certificate_issued").count() == 3


def test_the_next_class_continues_where_the_last_one_stopped(ranges):
    # given one class closed with 3 certificates (202251–202253)
    closing.class_close(
        actor=ranges.reviewer, training_class=closing_class(ranges, trainees=3), today=CLOSING_DAY
    )
    # when a second class with 2 qualified trainees closes
    second = closing.class_close(
        actor=ranges.reviewer, training_class=closing_class(ranges, trainees=2), today=CLOSING_DAY
    )
    # then it gets 202254 and 202255
    numbers = sorted(
        TrainingCertificate.objects.filter(enrolment__training_class=second).values_list("number", flat=True)
    )
    assert numbers == ["202254", "202255"]


@pytest.mark.parametrize(
    ("training_type", "project_base", "unit", "expected"),
    [
        # 附件4 第一服务中心 岗位技能 042701——045700: six digits, the leading zero kept
        ("enterprise_post", "", "centre_1", ["042701", "042702"]),
        # 企业新型学徒制 → 岗位技能 column (see numbering.py)
        ("apprenticeship", "", "centre_1", ["042701", "042702"]),
        # 项目化培训 based on 就业技能 → 就业技能 column: 第二服务中心 213551——214550
        ("project", "employment", "centre_2", ["213551", "213552"]),
        ("project", "enterprise_post", "centre_2", ["045701", "045702"]),
        # 创业培训: 第一服务中心 48701——50500, 第二服务中心 50501——50700 (five digits)
        ("startup", "", "centre_1", ["48701", "48702"]),
        ("startup", "", "centre_2", ["50501", "50502"]),
    ],
)
def test_each_training_type_draws_on_its_annex_4_column(ranges, training_type, project_base, unit, expected):
    # given a class of the type (only what allocation reads), inside a transaction
    training_class = TrainingClass(
        jurisdiction=ranges.jurisdiction,
        service_unit=getattr(ranges, unit),
        training_type=training_type,
        project_base=project_base,
    )
    # when two numbers are taken for 2025
    taken = allocate(training_class=training_class, year=2025, count=2)
    # then
    assert [a.number for a in taken] == expected
    assert range_category(training_class) in {
        TrainingType.EMPLOYMENT,
        TrainingType.ENTERPRISE_POST,
        TrainingType.STARTUP,
    }


def test_no_range_for_the_year_refuses_the_closing_and_issues_nothing(ranges):
    # given a closing requested; the 附件4 ranges are for 2025 only
    training_class = closing_class(ranges, trainees=2)
    # when the unit approves it in 2026
    with pytest.raises(DomainError) as refused:
        closing.class_close(actor=ranges.reviewer, training_class=training_class, today=dt.date(2026, 1, 5))
    # then
    assert refused.value.code == "no_number_range"
    assert (
        "兰州新区社会保障第一服务中心 2026 年就业技能培训没有已批准的培训合格证号段" in refused.value.message
    )
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.CLOSING
    assert not TrainingCertificate.objects.exists()


def test_too_few_numbers_refuse_the_closing_until_an_extension_is_approved(tw):
    # given a 2025 range of only 2 numbers for 第一服务中心 就业技能, and a class with 3 qualified
    certificates.number_range_add(
        actor=tw.root,
        jurisdiction=tw.jurisdiction,
        service_unit=tw.centre_1,
        category="employment",
        year=2025,
        first="900001",
        last="900002",
        citation="测试号段",
    )
    training_class = closing_class(tw, trainees=3)
    # when the unit approves
    with pytest.raises(DomainError) as refused:
        closing.class_close(actor=tw.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then refused, nothing issued, the counter untouched
    assert refused.value.code == "number_range_exhausted"
    assert "剩余 2 个，本班合格学员 3 人，号段不足" in refused.value.message
    assert not TrainingCertificate.objects.exists()
    assert CertificateNumberRange.objects.get(first_value=900001).next_value == 900001
    # when the unit asks for more (附件4 注) and the bureau approves, then closes again
    extension = certificates.number_range_request(
        actor=tw.reviewer,
        service_unit=tw.centre_1,
        category="employment",
        year=2025,
        first="900101",
        last="900110",
        reason="号段不足",
    )
    certificates.number_range_decide(actor=tw.root, number_range=extension, approve=True)
    closing.class_close(actor=tw.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then the first range is used up and the third number is the extension's first
    numbers = sorted(TrainingCertificate.objects.values_list("number", flat=True))
    assert numbers == ["900001", "900002", "900101"]


def test_a_closing_that_fails_after_taking_numbers_gives_them_back(ranges, monkeypatch):
    # given a closing that breaks after the numbers were taken (the timeline write fails)
    training_class = closing_class(ranges, trainees=2)

    def broken(*args, **kwargs):
        raise RuntimeError("写入失败")

    monkeypatch.setattr(closing.events, "closed", broken)
    with pytest.raises(RuntimeError):
        closing.class_close(actor=ranges.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then nothing was issued and the counter is back at the start
    assert not TrainingCertificate.objects.exists()
    assert _range(ranges, ranges.centre_1, "employment").next_value == 202251
    # when it is retried
    monkeypatch.undo()
    closing.class_close(actor=ranges.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then the same numbers are used: none skipped
    assert sorted(TrainingCertificate.objects.values_list("number", flat=True)) == ["202251", "202252"]


def test_return_with_reason_then_correct_and_close(ranges):
    # given a closing requested with 3 qualified
    training_class = closing_class(ranges, trainees=3)
    # when the reviewer returns it, the institution marks one unqualified and asks again
    with pytest.raises(DomainError, match="必须填写理由"):
        closing.class_closing_return(actor=ranges.reviewer, training_class=training_class, reason=" ")
    returned = closing.class_closing_return(
        actor=ranges.reviewer, training_class=training_class, reason="王某考核成绩单缺签字"
    )
    assert returned.status == ClassStatus.APPROVED and returned.review_note == "王某考核成绩单缺签字"
    last = training_class.enrolments.order_by("id").last()
    closing.assessment_record(
        actor=ranges.clerk, training_class=training_class, results=[AssessmentResult(last.pk, "unqualified")]
    )
    closing.class_closing_request(actor=ranges.clerk, training_class=training_class, today=CLOSING_DAY)
    closing.class_close(actor=ranges.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then only the two qualified get certificates
    assert TrainingCertificate.objects.count() == 2
    assert not hasattr(last, "certificate") or not TrainingCertificate.objects.filter(enrolment=last).exists()
    types = list(training_class.events.values_list("event_type", flat=True))
    assert types.count("closing_requested") == 2 and "closing_returned" in types and types[-1] == "closed"


def test_a_class_with_nobody_qualified_closes_without_a_range(tw):
    # given no range at all and every trainee unqualified
    training_class = closable_class(tw, trainees=2, assess=False)
    from .closing_factories import assess_all

    assess_all(tw, training_class, result="unqualified", score="50")
    closing.class_closing_request(actor=tw.clerk, training_class=training_class, today=CLOSING_DAY)
    # when
    closed = closing.class_close(actor=tw.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then
    assert closed.status == ClassStatus.CLOSED and not TrainingCertificate.objects.exists()
    assert closed.events.last().message == "结班审核通过，发放培训合格证 0 本"


def test_only_the_classs_unit_closes_it(ranges, world):
    from gongjiang.core.services import user_create
    from gongjiang.registry.tests.factories import PASSWORD

    # given a reviewer of the second centre, and the institution's clerk
    training_class = closing_class(ranges, trainees=1)
    other = user_create(
        actor=ranges.root,
        username="reviewer-centre-2",
        password=PASSWORD,
        role="centre_reviewer",
        jurisdictions=[ranges.jurisdiction],
        service_unit=ranges.centre_2,
    )
    # when / then
    for actor in (other, ranges.clerk):
        with pytest.raises(PermissionDenied):
            closing.class_close(actor=actor, training_class=training_class, today=CLOSING_DAY)
    assert TrainingClass.objects.get(pk=training_class.pk).status == ClassStatus.CLOSING


def test_closing_twice_is_refused(ranges):
    # given
    training_class = closing_class(ranges, trainees=1)
    closing.class_close(actor=ranges.reviewer, training_class=training_class, today=CLOSING_DAY)
    # when / then
    with pytest.raises(DomainError, match="不在结班审核中"):
        closing.class_close(actor=ranges.reviewer, training_class=training_class, today=CLOSING_DAY)
    assert TrainingCertificate.objects.count() == 1
