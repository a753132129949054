"""Classes ready to close, on top of `factories`.

`running_class` files and approves a 焊工 (A类, 120 课时) employment-skill class that ran in June 2025
(2025-06-02 … 2025-06-16, filed ten days before), so its certificates draw on the 2025 ranges of
新民社发〔2025〕13号 附件4. `closable_class` adds what a closing needs: every trainee checked in at
every session (120 hours each), three spot checks by the unit's reviewer (附件2 3.2), the closing
ceremony photo, and every trainee assessed 合格.

Check-ins and spot checks are written as rows: the attendance and spot-check services belong to
another part of issue 5; the closing reads only these models.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.utils import timezone

from ..choices import AttendanceMethod, EvidenceKind, SpotCheckMode, SpotCheckOutcome
from ..models import AttendanceRecord, SpotCheck
from ..services import evidence, filing
from ..services.closing import AssessmentResult, assessment_record
from . import factories

JUNE_START = dt.date(2025, 6, 2)
CLOSING_DAY = dt.date(2025, 6, 20)  # after the class's last day, 2025-06-16


def running_class(w: Any, *, start: dt.date = JUNE_START, trainees: int = 3, **overrides: Any) -> Any:
    training_class = factories.ready_class(w, trainees=trainees, start=start, **overrides)
    filing.class_submit(actor=w.clerk, training_class=training_class, today=start - dt.timedelta(days=10))
    return filing.class_approve(actor=w.reviewer, training_class=training_class, note="材料齐全")


def attend(w: Any, training_class: Any, *, enrolments: Any = None, sessions: Any = None) -> None:
    """A manual check-in at the start of each session for each trainee (default: all of both)."""
    zone = timezone.get_default_timezone()
    enrolments = list(enrolments if enrolments is not None else training_class.enrolments.all())
    sessions = list(sessions if sessions is not None else training_class.sessions.all())
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            training_class=training_class,
            enrolment=e,
            person_id=e.person_id,
            occurred_at=dt.datetime.combine(s.date, s.starts_at, tzinfo=zone),
            method=AttendanceMethod.MANUAL,
            manual_reason="测试签到",
            recorded_by=w.clerk,
        )
        for e in enrolments
        for s in sessions
    )


def spot_check(w: Any, training_class: Any, count: int = 3) -> None:
    for i in range(count):
        SpotCheck.objects.create(
            training_class=training_class,
            checked_on=training_class.start_date + dt.timedelta(days=2 + 3 * i),
            mode=SpotCheckMode.ON_SITE if i % 2 else SpotCheckMode.ONLINE,
            present_count=training_class.enrolments.count(),
            findings="学员在训，签到与课程表一致",
            outcome=SpotCheckOutcome.COMPLIANT,
            reviewer=w.reviewer,
        )


def ceremony(w: Any, training_class: Any) -> Any:
    name, stream = factories.jpeg()
    return evidence.evidence_add(
        actor=w.clerk,
        training_class=training_class,
        kind=EvidenceKind.CLOSING_CEREMONY,
        name=name,
        stream=stream,
        taken_on=training_class.end_date,
    )


def assess_all(w: Any, training_class: Any, result: str = "qualified", score: str = "85") -> None:
    assessment_record(
        actor=w.clerk,
        training_class=training_class,
        results=[
            AssessmentResult(e.pk, result, decimal.Decimal(score)) for e in training_class.enrolments.all()
        ],
    )


def closable_class(w: Any, *, trainees: int = 3, assess: bool = True, **overrides: Any) -> Any:
    training_class = running_class(w, trainees=trainees, **overrides)
    attend(w, training_class)
    spot_check(w, training_class)
    ceremony(w, training_class)
    if assess:
        assess_all(w, training_class)
    training_class.refresh_from_db()
    return training_class


def closing_class(w: Any, **kwargs: Any) -> Any:
    """A class whose closing has been requested (status CLOSING)."""
    from ..services.closing import class_closing_request

    return class_closing_request(actor=w.clerk, training_class=closable_class(w, **kwargs), today=CLOSING_DAY)


def certificate_row(w: Any, training_class: Any, person: Any, number: str) -> Any:
    """A certificate written straight to the tables, for access and privacy tests that need one on
    any class (the closing itself is tested through the services)."""
    from ..models import CertificateNumberRange, Enrolment, TrainingCertificate

    number_range, _ = CertificateNumberRange.objects.get_or_create(
        jurisdiction=training_class.jurisdiction,
        service_unit=training_class.service_unit,
        category="employment",
        year=2025,
        defaults={
            "width": 6,
            "first_value": 900000,
            "last_value": 900999,
            "next_value": 900000,
            "status": "approved",
            "citation": "测试号段",
        },
    )
    enrolment = Enrolment.objects.create(
        training_class=training_class, person=person, status="qualified", eligibility="测试"
    )
    return TrainingCertificate.objects.create(
        jurisdiction=training_class.jurisdiction,
        enrolment=enrolment,
        number_range=number_range,
        number=number,
        issued_on=CLOSING_DAY,
        verification_code=f"TEST{number}",
    )
