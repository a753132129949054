"""Pages of a running class: the attendance sheet with manual check-in, spot checks, the anomaly
queue, and the devices page (key shown once)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.training.models import AttendanceDevice, AttendanceRecord, SpotCheck

from .factories import RUN_START, at, check_in, device, running_class

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_attendance_page_shows_the_day_and_takes_a_manual_check_in(client, tw):
    # given a running class with one device check-in on its first day
    training_class = running_class(tw, trainees=2)
    terminal, _key = device(tw)
    check_in(training_class, terminal, training_class.id_numbers[0], at(RUN_START, "07:58:30"))
    page = reverse("training:class_attendance", args=[training_class.pk])
    browser = _login(client, tw.clerk)
    # when the clerk opens the first day
    html = browser.get(page, {"day": "2025-06-02"}).content.decode()
    # then the sheet shows the time and method, masked ID numbers, and the hours table
    assert "07:58:30 人脸识别（92.50）" in html
    assert training_class.id_numbers[0] not in html
    assert "出勤课时" in html and "不足" in html
    # when they record a manual check-in for the second trainee
    second = training_class.enrolments.order_by("id")[1]
    response = browser.post(
        page,
        {"enrolment": second.pk, "occurred_at": "2025-06-02T13:02", "reason": "指纹无法识别"},
        follow=True,
    )
    # then it is saved and shown
    assert "已为" in response.content.decode()
    assert AttendanceRecord.objects.filter(enrolment=second, method="manual").count() == 1
    assert "指纹无法识别" in browser.get(page, {"day": "2025-06-02"}).content.decode()


def test_a_reviewer_cannot_post_a_manual_check_in(client, tw):
    training_class = running_class(tw, trainees=1)
    browser = _login(client, tw.reviewer)
    response = browser.post(
        reverse("training:class_attendance", args=[training_class.pk]),
        {
            "enrolment": training_class.enrolments.get().pk,
            "occurred_at": "2025-06-02T08:02",
            "reason": "代为补签",
        },
    )
    assert response.status_code == 403
    assert not AttendanceRecord.objects.exists()


def test_the_reviewer_records_a_spot_check_on_the_page(client, tw):
    training_class = running_class(tw, trainees=2)
    browser = _login(client, tw.reviewer)
    page = reverse("training:class_spot_checks", args=[training_class.pk])
    response = browser.post(
        page,
        {
            "checked_on": "2025-06-04",
            "mode": "on_site",
            "present_count": 2,
            "findings": "现场实操，人数一致",
            "outcome": "compliant",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "抽查记录已登记" in html and "现场实操，人数一致" in html and "1 / 至少 3 次" in html
    assert SpotCheck.objects.count() == 1
    # and the clerk sees it but has no form
    browser.logout()
    clerk_html = _login(client, tw.clerk).get(page).content.decode()
    assert "现场实操，人数一致" in clerk_html and "登记抽查" not in clerk_html


def test_the_anomaly_queue_lists_and_resolves_a_flag(client, tw):
    # given a check-in at 12:00, outside the timetable
    training_class = running_class(tw, trainees=1)
    terminal, _key = device(tw)
    check_in(training_class, terminal, training_class.id_numbers[0], at(RUN_START, "12:00"))
    flag = training_class.anomalies.get()
    browser = _login(client, tw.reviewer)
    # when the reviewer opens the queue and resolves the flag
    assert "签到时间不在课程表内" in browser.get(reverse("training:anomaly_queue")).content.decode()
    response = browser.post(
        reverse("training:anomaly_resolve", args=[flag.pk]),
        {"status": "explained", "note": "午间加课，已核实"},
        follow=True,
    )
    # then it leaves the open queue
    assert "核查结果已登记" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == "explained"
    assert "没有考勤异常" in browser.get(reverse("training:anomaly_queue")).content.decode()


def test_the_devices_page_shows_a_new_key_once(client, tw):
    browser = _login(client, tw.clerk)
    page = reverse("training:device_list")
    response = browser.post(
        page, {"institution": tw.institution_a.pk, "serial": "FACE-9", "name": "大厅人脸机", "method": "face"}
    )
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    terminal = AttendanceDevice.objects.get(serial="FACE-9")
    key = html.split('id="new-key"')[1].split('<p class="mono">')[1].split("</p>")[0]
    from gongjiang.training.selectors import device_key_hash

    assert device_key_hash(key) == terminal.key_hash
    assert key not in browser.get(page).content.decode()
    # and deactivating it needs a reason
    browser.post(reverse("training:device_deactivate", args=[terminal.pk]), {"reason": "设备更换"})
    terminal.refresh_from_db()
    assert terminal.is_active is False
