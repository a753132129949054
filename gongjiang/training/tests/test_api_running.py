"""The running-class API: `POST /api/attendance` for devices (key in `X-Device-Key`, no session,
no CSRF), and the session operations for check-ins, hours, spot checks, anomalies and devices."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjiang.core.models import AuditEvent
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.training.models import AnomalyFlag, AttendanceDevice, AttendanceRecord, SpotCheck

from .factories import RUN_START, at, device, running_class

pytestmark = pytest.mark.django_db


def _body(training_class, terminal, **kw):
    body = {
        "serial": terminal.serial,
        "id_number": training_class.id_numbers[0],
        "class_code": training_class.code,
        "occurred_at": "2025-06-02T07:55:03+08:00",
        "method": "face",
        "match_score": "91.20",
    }
    body.update(kw)
    return body


def _post(client, body, key):
    headers = {"HTTP_X_DEVICE_KEY": key} if key is not None else {}
    return client.post("/api/attendance", body, content_type="application/json", **headers)


def test_a_device_posts_a_check_in_and_a_replay_returns_the_same_record(tw):
    # given a running class, a terminal and a client that enforces CSRF (a device has no session)
    training_class = running_class(tw, trainees=1)
    terminal, key = device(tw)
    client = Client(enforce_csrf_checks=True)
    # when it posts a check-in, then the same again
    first = _post(client, _body(training_class, terminal), key)
    again = _post(client, _body(training_class, terminal), key)
    # then 201 then 200, same record, one row
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert (first.json()["replay"], again.json()["replay"]) == (False, True)
    assert first.json()["match_score"] == "91.20" and first.json()["class_code"] == training_class.code
    record = AttendanceRecord.objects.get()
    assert record.occurred_at == at(RUN_START, "07:55:03") and record.device == terminal
    # and the clear ID number is neither in the answer nor in the audit trail
    assert training_class.id_numbers[0] not in first.content.decode()
    assert not AuditEvent.objects.filter(after__icontains=training_class.id_numbers[0]).exists()


@pytest.mark.parametrize(
    ("key_case", "status", "message"),
    [
        ("missing", 401, "设备密钥缺失或无效"),
        ("wrong", 401, "设备密钥缺失或无效"),
        ("other_device", 403, "设备编号与设备密钥不符"),
    ],
)
def test_a_missing_or_wrong_key_is_refused(tw, key_case, status, message):
    # given
    training_class = running_class(tw, trainees=1)
    terminal, key = device(tw)
    _other, other_key = device(tw)
    key = {"missing": None, "wrong": "x" * 43, "other_device": other_key}[key_case]
    # when
    response = _post(Client(), _body(training_class, terminal), key)
    # then
    assert response.status_code == status
    assert response.json()["message"] == message
    assert not AttendanceRecord.objects.exists()


def test_an_inactive_device_is_refused_with_403(tw):
    training_class = running_class(tw, trainees=1)
    terminal, key = device(tw)
    AttendanceDevice.objects.filter(pk=terminal.pk).update(is_active=False)
    response = _post(Client(), _body(training_class, terminal), key)
    assert response.status_code == 403 and response.json()["message"] == "该考勤设备已停用"
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"image": "data:image/jpeg;base64,/9j/4AAQ"}, 422),  # no raw biometric image is accepted
        ({"match_score": "abc"}, 422),
        ({"occurred_at": "yesterday"}, 422),
        ({"match_score": "60.00"}, 400),
        ({"class_code": "PX2025-999999"}, 400),
        ({"method": "iris"}, 400),
    ],
)
def test_a_bad_body_writes_nothing(tw, change, status):
    # given
    training_class = running_class(tw, trainees=1)
    terminal, key = device(tw)
    before = AuditEvent.objects.count()
    # when
    response = _post(Client(), _body(training_class, terminal, **change), key)
    # then
    assert response.status_code == status, response.content
    assert not AttendanceRecord.objects.exists()
    assert AuditEvent.objects.count() == before
    if status == 400:
        assert response.json()["message"]


def test_a_missing_field_is_refused(tw):
    training_class = running_class(tw, trainees=1)
    terminal, key = device(tw)
    body = _body(training_class, terminal)
    del body["id_number"]
    assert _post(Client(), body, key).status_code == 422
    assert not AttendanceRecord.objects.exists()


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_session_operations_of_a_running_class(client, tw):
    # given a running class and the clerk logged in
    training_class = running_class(tw, trainees=2)
    api = _login(client, tw.clerk)
    enrolment = training_class.enrolments.order_by("id").first()
    # when the clerk registers a device: the key is in the answer once, not in the list
    created = api.post(
        "/api/training/devices",
        {"institution_id": tw.institution_a.pk, "serial": "FP-01", "name": "指纹机", "method": "fingerprint"},
        content_type="application/json",
    )
    assert created.status_code == 201
    key = created.json()["key"]
    listed = api.get("/api/training/devices").json()
    assert [d["serial"] for d in listed] == ["FP-01"] and key not in str(listed)
    # and records a manual check-in at 12:00 (outside the timetable)
    manual = api.post(
        f"/api/training/classes/{training_class.pk}/manual-check-ins",
        {"enrolment_id": enrolment.pk, "occurred_at": "2025-06-02T12:00:00+08:00", "reason": "考勤机故障"},
        content_type="application/json",
    )
    assert manual.status_code == 201 and manual.json()["method"] == "manual"
    # then attended hours: 0 of 120 (12:00 is in no session window)
    hours = api.get(f"/api/training/classes/{training_class.pk}/attended-hours").json()
    assert [(h["attended_hours"], h["required_hours"], h["meets_minimum"]) for h in hours] == [
        (0, 120, False)
    ] * 2
    # and the device is deactivated with a reason
    deactivated = api.post(
        f"/api/training/devices/{created.json()['id']}/deactivate",
        {"reason": "更换设备"},
        content_type="application/json",
    )
    assert deactivated.json()["is_active"] is False
    # when the reviewer records a spot check and resolves the flag
    api.logout()
    api = _login(client, tw.reviewer)
    check = api.post(
        f"/api/training/classes/{training_class.pk}/spot-checks",
        {
            "checked_on": "2025-06-03",
            "mode": "online",
            "present_count": 2,
            "findings": "视频巡查正常",
            "outcome": "compliant",
        },
        content_type="application/json",
    )
    assert check.status_code == 201, check.content
    checks = api.get(f"/api/training/classes/{training_class.pk}/spot-checks").json()
    assert (checks["count"], checks["minimum"], checks["enough"]) == (1, 3, False)
    queue = api.get("/api/training/anomalies").json()
    assert [f["kind"] for f in queue] == ["outside_timetable"]
    resolved = api.post(
        f"/api/training/anomalies/{queue[0]['id']}/resolve",
        {"status": "confirmed", "note": "补签时间不在课时内"},
        content_type="application/json",
    )
    assert resolved.json()["status"] == "confirmed"
    assert api.get("/api/training/anomalies").json() == []
    scan = api.post(f"/api/training/classes/{training_class.pk}/anomaly-scan")
    assert scan.status_code == 200
    assert SpotCheck.objects.count() == 1 and AnomalyFlag.objects.count() >= 1
