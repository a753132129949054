"""Running the class (新民社发〔2025〕13号 附件2 3.2 过程管理): devices, device and manual check-ins,
attended hours. The class of `factories.running_class` runs 2–16 June 2025, each day 08:00–11:00
(4 课时) and 13:00–16:00 (4 课时): 30 sessions, 120 课时 = the A类 minimum (四(一))."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent
from gongjiang.training.attendance_hours import attended_hours, enrolment_attended_hours, meets_minimum_hours
from gongjiang.training.choices import ClassEventType
from gongjiang.training.models import AttendanceDevice, AttendanceRecord
from gongjiang.training.selectors import daily_sheet, device_for_key, device_key_hash, hours_table
from gongjiang.training.services import attendance

from .factories import RUN_START, at, check_in, device, running_class

pytestmark = pytest.mark.django_db

DAY1, DAY2 = RUN_START, RUN_START + dt.timedelta(days=1)


def test_a_device_key_is_shown_once_and_stored_only_as_its_hash(tw):
    # given / when the clerk registers a face terminal
    terminal, key = device(tw, serial="FACE-0001")
    # then the key is long and random, and only its SHA-256 is stored
    stored = AttendanceDevice.objects.get(pk=terminal.pk)
    assert len(key) >= 43
    assert stored.key_hash == device_key_hash(key) != key
    assert key not in str(
        AuditEvent.objects.filter(object_id=str(terminal.pk)).values_list("after", flat=True)
    )
    assert device_for_key(key) == stored
    assert device_for_key("wrong") is None


def test_a_clerk_registers_and_deactivates_devices_of_their_own_institution_only(tw):
    # given the clerk of institution A
    # when they try to register one for institution B
    with pytest.raises(PermissionDenied):
        attendance.device_register(
            actor=tw.clerk, institution=tw.institution_b, serial="B-1", name="考勤机", method="face"
        )
    # then nothing is written; their own is registered, a serial only once
    assert not AttendanceDevice.objects.exists()
    terminal, _key = device(tw, serial="A-1")
    with pytest.raises(DomainError, match="已登记"):
        device(tw, serial="A-1")
    # and a deactivation needs a reason
    with pytest.raises(DomainError, match="停用原因"):
        attendance.device_deactivate(actor=tw.clerk, device=terminal, reason="")
    attendance.device_deactivate(actor=tw.clerk, device=terminal, reason="设备遗失")
    terminal.refresh_from_db()
    assert terminal.is_active is False


def test_a_device_check_in_is_recorded_once_and_a_replay_returns_the_first_record(tw):
    # given a running class and a terminal of its institution
    training_class = running_class(tw)
    terminal, _key = device(tw)
    when = at(DAY1, "07:52:10")
    # when the same check-in arrives twice
    first, created = check_in(training_class, terminal, training_class.id_numbers[0], when)
    again, created_again = check_in(
        training_class, terminal, training_class.id_numbers[0], when, score="99.00"
    )
    # then one record, the first one, is kept
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.match_score == Decimal("92.50")
    assert AttendanceRecord.objects.count() == 1
    assert first.enrolment.training_class_id == training_class.pk and first.method == "face"


def test_a_naive_device_time_is_taken_as_beijing_time(tw):
    # given a terminal clock without a zone
    training_class = running_class(tw, trainees=1)
    terminal, _key = device(tw)
    # when
    naive = dt.datetime(2025, 6, 2, 7, 55)  # noqa: DTZ001 - what a terminal without a zone sends
    record, _ = check_in(training_class, terminal, training_class.id_numbers[0], naive)
    # then it is 07:55 in Asia/Shanghai (23:55 UTC the day before)
    assert record.occurred_at == at(DAY1, "07:55")
    assert record.occurred_at.astimezone(dt.UTC).hour == 23


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("inactive", PermissionDenied, "已停用"),
        ("other_institution", PermissionDenied, "不属于本班的培训机构"),
        ("wrong_serial", PermissionDenied, "设备编号与设备密钥不符"),
        ("not_enrolled", DomainError, "不是本班在训学员"),
        ("withdrawn", DomainError, "不是本班在训学员"),
        ("low_score", DomainError, "低于阈值 80.00"),
        ("wrong_method", DomainError, "识别方式与设备不符"),
        ("outside_dates", DomainError, "不在培训期间"),
        ("future", DomainError, "晚于当前时间"),
        ("not_running", DomainError, "不能签到"),
        ("bad_id", DomainError, "身份证号"),
    ],
)
def test_a_refused_check_in_writes_nothing(tw, case, error, message):
    # given a running class, a trainee and a terminal
    from gongjiang.registry.tests.factories import new_id_number

    from .factories import draft_class

    training_class = running_class(tw, trainees=2)
    terminal, _key = device(tw)
    id_number, when, kw = training_class.id_numbers[0], at(DAY1, "08:05"), {}
    if case == "inactive":
        attendance.device_deactivate(actor=tw.clerk, device=terminal, reason="设备遗失")
        terminal.refresh_from_db()
    elif case == "other_institution":
        terminal, _key = device(tw, institution=tw.institution_b)
    elif case == "wrong_serial":
        kw["serial"] = "FACE-OTHER"
    elif case == "not_enrolled":
        id_number = new_id_number(birth="19900101")
    elif case == "withdrawn":
        from gongjiang.training.services.roster import enrolment_withdraw

        enrolment_withdraw(enrolment=training_class.enrolments.first(), actor=tw.clerk, reason="外出务工")
    elif case == "low_score":
        kw["score"] = "79.99"  # MIN_MATCH_SCORE 80.00
    elif case == "wrong_method":
        kw["method"] = "fingerprint"
    elif case == "outside_dates":
        when = at(RUN_START + dt.timedelta(days=15), "08:05")  # 17 June: the day after the last day
    elif case == "future":
        kw["now"] = at(DAY1, "07:00")  # the terminal's 08:05 is an hour ahead of the server
    elif case == "not_running":
        training_class = draft_class(tw, start=RUN_START)
    elif case == "bad_id":
        id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
    before = AuditEvent.objects.count()
    # when
    with pytest.raises(error, match=message):
        check_in(training_class, terminal, id_number, when, **kw)
    # then nothing is written
    assert AttendanceRecord.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_a_manual_check_in_needs_a_reason_and_is_on_the_timeline(tw):
    # given a running class
    training_class = running_class(tw, trainees=1)
    enrolment = training_class.enrolments.get()
    # when the clerk records one without a reason, then with one
    with pytest.raises(DomainError, match="补签原因"):
        attendance.attendance_record_manual(
            actor=tw.clerk, enrolment=enrolment, occurred_at=at(DAY1, "08:10"), reason=""
        )
    record = attendance.attendance_record_manual(
        actor=tw.clerk, enrolment=enrolment, occurred_at=at(DAY1, "08:10"), reason="考勤机断电"
    )
    # then the record is manual, on the timeline and in the audit trail
    assert (record.method, record.device, record.manual_reason) == ("manual", None, "考勤机断电")
    event = training_class.events.get(event_type=ClassEventType.MANUAL_CHECK_IN)
    assert "2025-06-02 08:10" in event.message and "考勤机断电" in event.message
    assert AuditEvent.objects.filter(event_type="attendance_manual", object_id=str(record.pk)).exists()


def test_only_the_institution_side_records_a_manual_check_in(tw):
    # given a running class of institution A
    training_class = running_class(tw, trainees=1)
    enrolment = training_class.enrolments.get()
    # when the reviewer tries
    with pytest.raises(PermissionDenied):
        attendance.attendance_record_manual(
            actor=tw.reviewer, enrolment=enrolment, occurred_at=at(DAY1, "08:10"), reason="代为补签"
        )
    # then nothing is written
    assert not AttendanceRecord.objects.exists()


def test_attended_hours_count_the_sessions_with_a_check_in_in_their_window(tw):
    # given trainee 1 checked in for both sessions of day 1 and the morning of day 2, trainee 2
    # only 31 minutes before the day-1 morning session (too early), trainee 3 never
    training_class = running_class(tw)
    terminal, _key = device(tw)
    first, second, _third = training_class.id_numbers
    check_in(training_class, terminal, first, at(DAY1, "07:50"))  # 08:00 session: window 07:30–11:00
    check_in(training_class, terminal, first, at(DAY1, "12:45"))  # 13:00 session: window 12:30–16:00
    check_in(training_class, terminal, first, at(DAY2, "08:20"))
    check_in(training_class, terminal, second, at(DAY1, "07:29"))
    enrolments = list(training_class.enrolments.order_by("id"))
    # when
    hours = attended_hours(training_class)
    # then 4 + 4 + 4 = 12 课时, 0, 0 (each session 4 课时 of 45 minutes, 四(一))
    assert [hours[e.pk] for e in enrolments] == [12, 0, 0]
    assert enrolment_attended_hours(enrolments[0]) == 12
    # and 12 < 120 (A类 minimum): not enough to be qualified
    assert meets_minimum_hours(enrolments[0]) is False
    assert [row.meets_minimum for row in hours_table(training_class)] == [False, False, False]


def test_a_trainee_at_every_session_meets_the_minimum(tw):
    # given one trainee checked in at each of the 30 sessions (2 a day for 15 days)
    training_class = running_class(tw, trainees=1)
    terminal, _key = device(tw)
    for offset in range(15):
        day = RUN_START + dt.timedelta(days=offset)
        check_in(training_class, terminal, training_class.id_numbers[0], at(day, "07:45"))
        check_in(training_class, terminal, training_class.id_numbers[0], at(day, "12:50"))
    enrolment = training_class.enrolments.get()
    # then 30 × 4 = 120 课时 = the class minimum (附件3 A类 不少于120课时)
    assert enrolment_attended_hours(enrolment) == 120 == training_class.required_hours
    assert meets_minimum_hours(enrolment) is True


def test_the_daily_sheet_shows_each_trainee_by_session(tw):
    # given one device check-in and one manual check-in on day 1
    training_class = running_class(tw, trainees=2)
    terminal, _key = device(tw)
    check_in(training_class, terminal, training_class.id_numbers[0], at(DAY1, "07:58:30"))
    second = training_class.enrolments.order_by("id")[1]
    attendance.attendance_record_manual(
        actor=tw.clerk, enrolment=second, occurred_at=at(DAY1, "13:05"), reason="指纹无法识别"
    )
    # when
    sessions, rows = daily_sheet(training_class, DAY1)
    # then two sessions; trainee 1 in the morning by face, trainee 2 in the afternoon, manual
    assert [s.starts_at.strftime("%H:%M") for s in sessions] == ["08:00", "13:00"]
    marks = [[(c.record.method if c.record else None) for c in row.cells] for row in rows]
    assert marks == [["face", None], [None, "manual"]]


def test_a_class_still_in_review_refuses_manual_check_ins(tw):
    # given a class still in review (submitted, not approved)
    from .factories import submitted_class

    training_class = submitted_class(tw, trainees=1)
    enrolment = training_class.enrolments.get()
    # when / then
    with pytest.raises(DomainError, match="不能签到"):
        attendance.attendance_record_manual(
            actor=tw.clerk,
            enrolment=enrolment,
            occurred_at=at(training_class.start_date, "08:00"),
            reason="提前签到",
        )
    assert not AttendanceRecord.objects.exists()
