"""Attendance anomaly flags (附件2 3.2 过程管理; 四(三) 事中监管), each kind worked by hand against the
thresholds of `anomaly_detection`: SIMULTANEOUS_WINDOW 30 min, BURST 6 people in 10 s, the session
window from 30 minutes early to the end, and a day with check-ins but no dated photo or video."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.training.anomaly_detection import BURST_MIN_PEOPLE, BURST_WINDOW
from gongjiang.training.choices import AnomalyKind, AnomalyStatus, ClassEventType
from gongjiang.training.models import AnomalyFlag, Enrolment
from gongjiang.training.selectors import anomaly_queue
from gongjiang.training.services import anomalies, attendance, evidence

from .factories import RUN_START, at, check_in, device, png, running_class

pytestmark = pytest.mark.django_db

DAY1, DAY2, DAY3 = (RUN_START + dt.timedelta(days=n) for n in range(3))


def _kinds(training_class):
    return sorted(training_class.anomalies.values_list("kind", flat=True))


def test_the_thresholds_are_the_documented_ones():
    assert (BURST_MIN_PEOPLE, BURST_WINDOW) == (6, dt.timedelta(seconds=10))


def test_one_person_at_two_classes_at_overlapping_times_flags_both_classes(tw):
    # given two running classes of institution A on the same days, same timetable (08:00–11:00), and
    # one trainee on both rosters — the roster import refuses overlapping classes, so the second
    # enrolment is made directly: the flag is the safety net for data that got in another way
    first = running_class(tw, trainees=1)
    second = running_class(tw, trainees=1)
    enrolment = first.enrolments.get()
    Enrolment.objects.create(training_class=second, person=enrolment.person, eligibility="测试：重复参训")
    terminal, _key = device(tw)
    # when the trainee checks in at the first class at 07:55 and at the second at 09:40
    check_in(first, terminal, first.id_numbers[0], at(DAY1, "07:55"))
    check_in(second, terminal, first.id_numbers[0], at(DAY1, "09:40"))
    # then 1h45m apart, but both inside 08:00–11:00 sessions that overlap: one flag on each class
    assert _kinds(first) == _kinds(second) == [AnomalyKind.OVERLAPPING_CLASSES]
    flag = first.anomalies.get()
    assert flag.person_id == enrolment.person_id and flag.day == DAY1
    assert sorted(flag.detail["classes"]) == sorted([first.code, second.code])
    # and running the scan over both classes adds nothing (idempotent)
    assert anomalies.anomaly_scan(actor=tw.reviewer, training_class=first, today=DAY1) == []
    assert anomalies.anomaly_scan(actor=tw.reviewer, training_class=second, today=DAY1) == []


def test_the_same_person_at_two_classes_on_different_half_days_is_not_flagged(tw):
    # given the same two classes; morning at one, afternoon at the other
    first = running_class(tw, trainees=1)
    second = running_class(tw, trainees=1)
    Enrolment.objects.create(training_class=second, person=first.enrolments.get().person, eligibility="测试")
    terminal, _key = device(tw)
    # when 07:55 (08:00–11:00 at the first) and 12:50 (13:00–16:00 at the second): 4h55m apart
    check_in(first, terminal, first.id_numbers[0], at(DAY1, "07:55"))
    check_in(second, terminal, first.id_numbers[0], at(DAY1, "12:50"))
    # then no overlap
    assert _kinds(first) == _kinds(second) == []


def test_one_device_checking_in_six_people_within_ten_seconds_is_a_burst(tw):
    # given six trainees and one terminal
    training_class = running_class(tw, trainees=6)
    terminal, _key = device(tw)
    ids = training_class.id_numbers
    # when five check in one second apart (07:50:00–07:50:04)
    for n in range(5):
        check_in(training_class, terminal, ids[n], at(DAY1, f"07:50:0{n}"))
    # then five people in 5 s is below the threshold of 6
    assert _kinds(training_class) == []
    # when the sixth checks in at 07:50:09: six different people within 9 s ≤ 10 s
    check_in(training_class, terminal, ids[5], at(DAY1, "07:50:09"))
    # then one burst flag for the device and day
    flag = training_class.anomalies.get()
    assert (flag.kind, flag.device_id, flag.day) == (AnomalyKind.DEVICE_BURST, terminal.pk, DAY1)
    assert flag.detail["people"] == 6


def test_six_people_spread_over_more_than_ten_seconds_is_not_a_burst(tw):
    # given six check-ins 3 seconds apart, 07:50:00 to 07:50:15
    training_class = running_class(tw, trainees=6)
    terminal, _key = device(tw)
    for n, second in enumerate([0, 3, 6, 9, 12, 15]):
        check_in(training_class, terminal, training_class.id_numbers[n], at(DAY1, f"07:50:{second:02d}"))
    # then any 10-second window holds at most 4 of them (e.g. 0, 3, 6, 9)
    assert _kinds(training_class) == []


def test_a_check_in_outside_every_session_window_is_flagged(tw):
    # given the day's sessions 08:00–11:00 and 13:00–16:00 (check-in windows 07:30–11:00, 12:30–16:00)
    training_class = running_class(tw, trainees=2)
    terminal, _key = device(tw)
    first, second = training_class.id_numbers
    # when one checks in at 12:00 (lunch) and the other at 12:30 (window opens)
    check_in(training_class, terminal, first, at(DAY1, "12:00"))
    check_in(training_class, terminal, second, at(DAY1, "12:30"))
    # then only the 12:00 check-in is flagged
    flag = training_class.anomalies.get()
    assert flag.kind == AnomalyKind.OUTSIDE_TIMETABLE
    assert flag.person_id == training_class.enrolments.order_by("id")[0].person_id
    assert flag.detail["time"].startswith("2025-06-02T12:00:00")


def test_a_manual_check_in_outside_the_timetable_is_flagged_too(tw):
    training_class = running_class(tw, trainees=1)
    attendance.attendance_record_manual(
        actor=tw.clerk,
        enrolment=training_class.enrolments.get(),
        occurred_at=at(DAY1, "17:30"),
        reason="课后补签",
    )
    assert _kinds(training_class) == [AnomalyKind.OUTSIDE_TIMETABLE]


def test_a_day_with_check_ins_but_no_photo_or_video_is_flagged_by_the_scan(tw):
    # given check-ins on days 1, 2 and 3; a theory photo taken on day 1 and a video of day 3
    training_class = running_class(tw, trainees=1)
    terminal, _key = device(tw)
    for day in (DAY1, DAY2, DAY3):
        check_in(training_class, terminal, training_class.id_numbers[0], at(day, "07:55"))
    for kind, day in (("theory_photo", DAY1), ("video", DAY3)):
        from .factories import mp4

        name, stream = png() if kind == "theory_photo" else mp4()
        evidence.evidence_add(
            actor=tw.clerk, training_class=training_class, kind=kind, name=name, stream=stream, taken_on=day
        )
    # when the reviewer scans on day 2 (day 2 not over yet), then on day 4
    assert anomalies.anomaly_scan(actor=tw.reviewer, training_class=training_class, today=DAY2) == []
    added = anomalies.anomaly_scan(
        actor=tw.reviewer, training_class=training_class, today=DAY3 + dt.timedelta(days=1)
    )
    # then exactly day 2 is flagged, once
    assert [(f.kind, f.day) for f in added] == [(AnomalyKind.NO_EVIDENCE_DAY, DAY2)]
    assert added[0].detail == {"check_ins": 1}
    assert (
        anomalies.anomaly_scan(
            actor=tw.reviewer, training_class=training_class, today=DAY3 + dt.timedelta(days=5)
        )
        == []
    )
    assert training_class.anomalies.count() == 1


def test_a_reviewer_resolves_a_flag_with_a_note_audited_and_on_the_timeline(tw):
    # given an open flag
    training_class = running_class(tw, trainees=1)
    attendance.attendance_record_manual(
        actor=tw.clerk,
        enrolment=training_class.enrolments.get(),
        occurred_at=at(DAY1, "17:30"),
        reason="课后补签",
    )
    flag = training_class.anomalies.get()
    assert list(anomaly_queue(tw.reviewer)) == [flag]
    # when the reviewer resolves it without a note, then with one
    with pytest.raises(DomainError, match="核查说明"):
        anomalies.anomaly_resolve(actor=tw.reviewer, flag=flag, status="explained", note="")
    resolved = anomalies.anomaly_resolve(
        actor=tw.reviewer, flag=flag, status=AnomalyStatus.EXPLAINED, note="当天加课，已核实课程表调整记录"
    )
    # then it leaves the open queue, with the note, the audit row and the timeline line
    assert (resolved.status, resolved.resolved_by) == (AnomalyStatus.EXPLAINED, tw.reviewer)
    assert list(anomaly_queue(tw.reviewer)) == []
    assert AuditEvent.objects.filter(event_type="anomaly_resolved", object_id=str(flag.pk)).exists()
    assert training_class.events.filter(event_type=ClassEventType.ANOMALY_RESOLVED).count() == 1
    # and it cannot be resolved twice
    with pytest.raises(DomainError, match="已核查"):
        anomalies.anomaly_resolve(actor=tw.reviewer, flag=flag, status="confirmed", note="再次核查结论")


def test_only_a_reviewer_of_the_class_unit_resolves(tw):
    # given a flag on a class of centre 1, and a reviewer of centre 2
    from gongjiang.core.services import user_create
    from gongjiang.registry.tests.factories import PASSWORD

    training_class = running_class(tw, trainees=1)
    attendance.attendance_record_manual(
        actor=tw.clerk,
        enrolment=training_class.enrolments.get(),
        occurred_at=at(DAY1, "17:30"),
        reason="课后补签",
    )
    flag = training_class.anomalies.get()
    other = user_create(
        actor=tw.root,
        username="reviewer-2",
        password=PASSWORD,
        role="centre_reviewer",
        jurisdictions=[tw.jurisdiction],
        service_unit=tw.centre_2,
    )
    # when / then the other unit's reviewer and the clerk are refused, and do not see it
    for actor in (other, tw.clerk):
        with pytest.raises(PermissionDenied):
            anomalies.anomaly_resolve(actor=actor, flag=flag, status="confirmed", note="越权核查测试")
    assert list(anomaly_queue(other)) == []
    assert AnomalyFlag.objects.get().status == AnomalyStatus.OPEN
