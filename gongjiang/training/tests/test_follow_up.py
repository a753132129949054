"""Follow-up after closing and the KPIs (新民社发〔2025〕13号 附件2 3.3 取证与就业服务, 四(三)).
Every rate below is worked by hand from the records the test makes, with the clause it checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.catalog.models import CertificateType
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.registry.models import PersonCertificate
from gongjiang.training import kpis
from gongjiang.training.choices import (
    AnomalyKind,
    AnomalyStatus,
    ClassEventType,
    EnrolmentStatus,
    SpotCheckMode,
    SpotCheckOutcome,
)
from gongjiang.training.models import AnomalyFlag, SpotCheck
from gongjiang.training.services import follow_up

from .factories import IN_PERIOD, LATE, approved_class, certify, closed_class, employ, pdf, promote

pytestmark = pytest.mark.django_db

CLOSED_ON = dt.date(2025, 6, 30)
DUE = dt.date(2025, 9, 30)  # 3.3 一季度内: 3 calendar months after 2025-06-30


def _move_to_institution_b(tw, training_class):
    """A closed class of institution B (made for A, then moved: the factories file as A's clerk)."""
    type(training_class).objects.filter(pk=training_class.pk).update(
        institution=tw.institution_b,
        service_unit=tw.institution_b.service_unit or training_class.service_unit,
    )
    training_class.refresh_from_db()
    return training_class


def _as_post_skill(tw, training_class):
    """The same closed class as a 岗位技能培训 class of enterprise A (made directly: the roster rules
    of 二(二) are tested with the roster import)."""
    type(training_class).objects.filter(pk=training_class.pk).update(
        training_type="enterprise_post", enterprise=tw.enterprise_a
    )
    training_class.refresh_from_db()
    return training_class


@pytest.mark.parametrize(
    ("closed_on", "due"),
    [
        (dt.date(2025, 1, 15), dt.date(2025, 4, 15)),
        (dt.date(2025, 3, 31), dt.date(2025, 6, 30)),  # June has no 31st: its last day
        (dt.date(2025, 11, 30), dt.date(2026, 2, 28)),  # across the year end
        (dt.date(2023, 11, 30), dt.date(2024, 2, 29)),  # a leap February
        (dt.date(2025, 6, 30), dt.date(2025, 9, 30)),
    ],
)
def test_one_quarter_is_three_calendar_months_after_closing(closed_on, due):
    # 附件2 3.3 "机构须在一季度内": the platform reads 一季度 as 3 calendar months from the closing date
    assert kpis.follow_up_due_date(closed_on) == due


def test_a_certificate_is_stored_once_on_the_person_and_linked(tw):
    # given a closed class with 2 qualified trainees
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=2)
    enrolment = training_class.enrolments.first()
    before = AuditEvent.objects.count()
    # when the clerk records a 职业技能等级证书 obtained in August
    certificate = certify(tw, enrolment)
    # then it is on the person's record (the talent database), linked to the enrolment, audited and
    # on the timeline
    assert certificate.person_id == enrolment.person_id
    assert certificate.source == "training_follow_up"
    assert list(enrolment.obtained_certificates.all()) == [certificate]
    assert AuditEvent.objects.count() - before == 2  # the certificate, and its link to the enrolment
    assert training_class.events.filter(event_type=ClassEventType.CERTIFICATE_RECORDED).exists()
    # and recording it again is refused, nothing written
    with pytest.raises(DomainError) as exc:
        certify(tw, enrolment)
    assert exc.value.code == "certificate_already_recorded"
    assert PersonCertificate.objects.count() == 1


def test_certificate_checks(tw):
    # given a closed class: one qualified, one not
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=1, unqualified=1)
    good, failed = training_class.enrolments.order_by("id")
    # then an unqualified trainee, a certificate from before the class, a future date, another
    # person's certificate number, and another institution's clerk are all refused
    with pytest.raises(DomainError) as exc:
        certify(tw, failed)
    assert exc.value.code == "not_qualified"
    with pytest.raises(DomainError) as exc:
        certify(tw, good, issued_on=training_class.start_date - dt.timedelta(days=1))
    assert exc.value.code == "before_class"
    with pytest.raises(DomainError) as exc:
        certify(tw, good, issued_on=LATE + dt.timedelta(days=1))
    assert exc.value.code == "future_date"
    other = closed_class(tw, closed_on=CLOSED_ON, qualified=1).enrolments.get()
    taken = certify(tw, other)
    with pytest.raises(DomainError) as exc:
        follow_up.certificate_record(
            actor=tw.clerk,
            enrolment=good,
            certificate_type=taken.certificate_type,
            number=taken.number,
            issued_on=IN_PERIOD,
            issuer="某机构",
            today=LATE,
        )
    assert exc.value.code == "certificate_taken"
    theirs = _move_to_institution_b(tw, closed_class(tw, closed_on=CLOSED_ON, qualified=1)).enrolments.get()
    with pytest.raises(PermissionDenied):
        certify(tw, theirs)
    assert good.obtained_certificates.count() == 0
    assert theirs.obtained_certificates.count() == 0


def test_a_certificate_already_on_the_persons_record_is_linked_not_copied(tw):
    # given a trainee whose 特种作业操作证 is already in the register (imported by the bureau)
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=1)
    enrolment = training_class.enrolments.get()
    existing = PersonCertificate.objects.create(
        person=enrolment.person,
        certificate_type=CertificateType.objects.get(code="special_operation"),
        number="T2025-0011",
        issued_on=IN_PERIOD,
        issuer="甘肃省应急管理厅",
        source="import",
    )

    def record(issued_on):
        return follow_up.certificate_record(
            actor=tw.clerk,
            enrolment=enrolment,
            certificate_type=existing.certificate_type,
            number=existing.number,
            issued_on=issued_on,
            issuer="甘肃省应急管理厅",
            today=LATE,
        )

    # when recorded with another issue date, then refused (the register and the entry disagree)
    with pytest.raises(DomainError) as exc:
        record(IN_PERIOD - dt.timedelta(days=1))
    assert exc.value.code == "certificate_date_differs"
    # when recorded with the same date, then the existing certificate is linked, not copied
    assert record(IN_PERIOD) == existing
    assert PersonCertificate.objects.count() == 1
    assert list(enrolment.obtained_certificates.all()) == [existing]


def test_follow_up_is_refused_before_closing(tw):
    # given a class that is still running
    training_class = approved_class(tw, trainees=1)
    enrolment = training_class.enrolments.get()
    # when a certificate is recorded, then it is refused: follow-up starts at closing (3.3)
    with pytest.raises(DomainError) as exc:
        certify(tw, enrolment, issued_on=training_class.start_date, today=training_class.end_date)
    assert exc.value.code == "class_not_closed"


def test_promotions_are_for_employment_skill_classes(tw):
    # given a closed 就业技能培训 class
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=2)
    # when a 就业推介 is recorded with its record as evidence
    promotion = promote(tw, training_class)
    # then the evidence is stored as a 就业推介记录 and the session is on the timeline
    assert promotion.evidence.kind == "promotion"
    assert training_class.events.filter(event_type=ClassEventType.PROMOTION_RECORDED).count() == 1
    # and more attendees than trainees is refused
    name, stream = pdf()
    with pytest.raises(DomainError) as exc:
        follow_up.promotion_record(
            actor=tw.clerk,
            training_class=training_class,
            held_on=IN_PERIOD,
            title="第二场",
            employers="丙公司",
            attendee_count=3,
            file_name=name,
            stream=stream,
            today=LATE,
        )
    assert exc.value.code == "invalid_attendees"


def test_no_promotions_for_a_post_skill_class(tw):
    # given a closed 岗位技能培训 class (3.3 asks 就业推介 of employment-skill training only)
    training_class = _as_post_skill(tw, closed_class(tw, closed_on=CLOSED_ON, qualified=1))
    with pytest.raises(DomainError) as exc:
        promote(tw, training_class)
    assert exc.value.code == "not_employment_class"


def test_employment_needs_evidence_and_a_date_after_the_class_began(tw):
    # given a closed class
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=1)
    enrolment = training_class.enrolments.get()
    # when a labour contract is recorded
    record = employ(tw, enrolment)
    # then its evidence is filed against the trainee (附件2 4.1 创业就业凭证)
    assert record.evidence.kind == "employment"
    assert record.evidence.enrolment_id == enrolment.pk
    # and a job that began before the class, or the same record twice, is refused
    with pytest.raises(DomainError) as exc:
        employ(tw, enrolment, started_on=training_class.start_date - dt.timedelta(days=1))
    assert exc.value.code == "before_class"
    with pytest.raises(DomainError) as exc:
        employ(tw, enrolment)
    assert exc.value.code == "employment_already_recorded"


def test_class_rates_worked_by_hand(tw):
    # given a 就业技能培训 class closed 2025-06-30 (due 2025-09-30) with 5 qualified trainees and
    # 1 unqualified (not in the base: 3.3 "培训合格学员取证率")
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=5, unqualified=1)
    e1, e2, e3, e4, e5, _failed = training_class.enrolments.order_by("id")
    # and certificates: e1 two of them (counted once), e2 one, e3 one issued after the deadline
    certify(tw, e1)
    certify(tw, e1, kind="special_operation")
    certify(tw, e2, issued_on=DUE)  # the deadline day itself counts
    certify(tw, e3, issued_on=LATE)
    # and jobs: e1, e2, e4 in the period, e5 after it; 3 推介 in the period and 1 after
    for enrolment in (e1, e2, e4):
        employ(tw, enrolment)
    employ(tw, e5, started_on=LATE)
    for day in (dt.date(2025, 6, 20), dt.date(2025, 7, 10), dt.date(2025, 9, 1), LATE):
        promote(tw, training_class, held_on=day)
    # when the KPIs are read on 2025-10-08
    kpi = kpis.class_kpi(training_class, today=LATE)
    # then 取证率 = 2 / 5 = 40% — exactly the 3.3 / 四(三) goal, so met
    assert (kpi.certified, kpi.qualified) == (2, 5)
    assert kpi.certification_rate == Decimal("0.4")
    assert kpi.certification_percent == "40.0%"
    # and 就业率 = 3 / 5 = 60% ≥ 50% (3.3); 3 推介 within the quarter (≥ 3)
    assert kpi.employed == 3
    assert kpi.employment_rate == Decimal("0.6")
    assert kpi.promotions == 3
    assert kpi.state == kpis.COMPLETE and kpi.missing == ()


def test_an_unmet_follow_up_is_open_then_overdue(tw):
    # given a class with 4 qualified trainees, 1 certified, 2 employed, 2 推介 (all in the period)
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=4)
    e1, e2, _e3, _e4 = training_class.enrolments.order_by("id")
    certify(tw, e1)
    employ(tw, e1)
    employ(tw, e2)
    promote(tw, training_class)
    promote(tw, training_class, held_on=dt.date(2025, 8, 2))
    # when read on the deadline day, then it is still open
    on_due = kpis.class_kpi(training_class, today=DUE)
    assert on_due.state == kpis.OPEN
    # and the day after it is overdue, listing what is missing:
    # 取证率 1/4 = 25% < 40%; 推介 2 < 3; 就业率 2/4 = 50% meets "不低于 50%"
    after = kpis.class_kpi(training_class, today=DUE + dt.timedelta(days=1))
    assert after.state == kpis.OVERDUE
    assert after.certification_percent == "25.0%"
    assert after.employment_percent == "50.0%"
    assert after.missing == ("取证率未达 40%（1/4）", "就业推介不足 3 次（2 次）")


def test_a_post_skill_class_has_no_employment_rate(tw):
    # given a 岗位技能培训 class with 3 qualified trainees, 2 certified
    training_class = _as_post_skill(tw, closed_class(tw, closed_on=CLOSED_ON, qualified=3))
    e1, e2, _ = training_class.enrolments.order_by("id")
    certify(tw, e1)
    certify(tw, e2)
    kpi = kpis.class_kpi(training_class, today=LATE)
    # then 取证率 2/3 = 66.7% (四(三) counts 岗位技能培训), and no employment rate (3.3: employment-skill only)
    assert kpi.certification_percent == "66.7%"
    assert kpi.employment_rate is None and kpi.employment_percent == "—"
    assert kpi.state == kpis.COMPLETE


def test_institution_rates_pool_the_classes_whose_period_has_ended(tw):
    # given institution A's three classes read on 2025-10-08:
    # class 1 (closed 2025-06-30, due 2025-09-30): 5 qualified, 2 certified, 3 employed
    first = closed_class(tw, closed_on=CLOSED_ON, qualified=5)
    e = list(first.enrolments.order_by("id"))
    certify(tw, e[0])
    certify(tw, e[1])
    for enrolment in e[:3]:
        employ(tw, enrolment)
    # class 2 (closed 2025-05-15, due 2025-08-15): 4 qualified, 1 certified, 1 employed → overdue
    second = closed_class(tw, closed_on=dt.date(2025, 5, 15), qualified=4)
    e = list(second.enrolments.order_by("id"))
    certify(tw, e[0], issued_on=dt.date(2025, 6, 1))
    employ(tw, e[0], started_on=dt.date(2025, 6, 1))
    # class 3 (closed 2025-09-20, due 2025-12-20): 3 qualified, none yet → still open, not pooled
    closed_class(tw, closed_on=dt.date(2025, 9, 20), qualified=3)
    # and one anomaly confirmed on class 2, one explained (not counted), one serious spot check
    for kind, status in (
        (AnomalyKind.DEVICE_BURST, AnomalyStatus.CONFIRMED),
        (AnomalyKind.NO_EVIDENCE_DAY, AnomalyStatus.EXPLAINED),
    ):
        AnomalyFlag.objects.create(
            training_class=second, kind=kind, day=second.start_date, fingerprint=kind, status=status
        )
    SpotCheck.objects.create(
        training_class=second,
        checked_on=second.start_date,
        mode=SpotCheckMode.ON_SITE,
        present_count=2,
        findings="在场人数与签到不符",
        outcome=SpotCheckOutcome.SERIOUS,
        reviewer=tw.reviewer,
    )
    # when
    [institution] = kpis.institution_kpis(
        kpis.kpis_for_classes(kpis.closed_classes(first.__class__.objects.all()), today=LATE)
    )
    # then the rates pool classes 1 and 2 only: 取证率 (2 + 1) / (5 + 4) = 3/9 = 33.3% (< 40%, 3.3),
    # 就业率 (3 + 1) / 9 = 4/9 = 44.4% (< 50%)
    assert (institution.classes_closed, institution.classes_final, institution.classes_open) == (3, 2, 1)
    assert (institution.certified, institution.qualified) == (3, 9)
    assert kpis.percent(institution.certification_rate) == "33.3%"
    assert (institution.employed, institution.employment_qualified) == (4, 9)
    assert kpis.percent(institution.employment_rate) == "44.4%"
    # and both pooled classes are overdue: class 1 meets 40% and 60% but had no 推介 (3.3 至少 3 次),
    # class 2 misses all three
    assert institution.overdue_follow_ups == 2
    assert (institution.anomalies, institution.anomalies_confirmed, institution.serious_findings) == (1, 1, 1)


def test_the_clerk_sees_only_their_institutions_kpis(tw):
    # given closed classes of institutions A and B
    closed_class(tw, closed_on=CLOSED_ON, qualified=1)
    _move_to_institution_b(tw, closed_class(tw, closed_on=CLOSED_ON, qualified=1))
    # then the clerk of A reads A's figures only; the bureau admin both
    assert [k.institution for k in kpis.institution_kpi_list(tw.clerk, today=LATE)] == [tw.institution_a]
    assert len(kpis.institution_kpi_list(tw.users["bureau_admin"], today=LATE)) == 2
    # and a person may not read KPIs at all
    with pytest.raises(PermissionDenied):
        kpis.class_kpi_list(tw.users["person"], today=LATE)


def test_withdrawn_and_enrolled_trainees_are_not_in_the_base(tw):
    # given a class with 2 qualified, and a third marked withdrawn
    training_class = closed_class(tw, closed_on=CLOSED_ON, qualified=2, unqualified=1)
    training_class.enrolments.filter(status=EnrolmentStatus.UNQUALIFIED).update(
        status=EnrolmentStatus.WITHDRAWN
    )
    certify(tw, training_class.enrolments.filter(status=EnrolmentStatus.QUALIFIED).first())
    # then 1 / 2 = 50%
    assert kpis.class_kpi(training_class, today=LATE).certification_percent == "50.0%"


def test_kpis_take_the_same_number_of_queries_for_one_class_or_many(tw):
    # given one closed class with follow-up records, then two more
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = closed_class(tw, closed_on=CLOSED_ON, qualified=2)
    certify(tw, first.enrolments.order_by("id").first())
    kpis.class_kpi_list(tw.users["bureau_admin"], today=LATE)  # the user's jurisdictions, cached once
    with CaptureQueriesContext(connection) as one:
        kpis.class_kpi_list(tw.users["bureau_admin"], today=LATE)
    for _ in range(2):
        other = closed_class(tw, closed_on=CLOSED_ON, qualified=2)
        employ(tw, other.enrolments.order_by("id").first())
        promote(tw, other)
    # when read again, then the query count does not grow with the classes (computed live, in bulk)
    with CaptureQueriesContext(connection) as three:
        result = kpis.class_kpi_list(tw.users["bureau_admin"], today=LATE)
    assert len(result) == 3
    assert len(three) == len(one)
