"""The running class that prod-check and the load benchmark build on a bare jurisdiction
(`training/smoke.py`), and the check-in prod-check posts over HTTP."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjiang.training.models import AttendanceRecord, TrainingClass

pytestmark = pytest.mark.django_db


def test_the_check_seed_builds_a_running_class_a_device_can_post_to(world):
    from gongjiang.training.smoke import running_class_for_checks

    # given only the jurisdiction and its bureau admin
    seed = running_class_for_checks(actor=world.root, jurisdiction=world.jurisdiction, trainees=2, tag="07")
    # when the device posts one check-in at 07:55 on the first day, as prod-check does
    response = Client().post(
        "/api/attendance",
        {
            "serial": seed["serial"],
            "id_number": seed["id_numbers"][1],
            "class_code": seed["class_code"],
            "occurred_at": f"{seed['day']}T07:55:00+08:00",
            "method": "face",
            "match_score": "95.00",
        },
        content_type="application/json",
        HTTP_X_DEVICE_KEY=seed["key"],
    )
    # then the class is approved (64 课时 ≥ 附件3 D类 60) and the check-in is stored
    assert response.status_code == 201, response.content
    training_class = TrainingClass.objects.get(code=seed["class_code"])
    assert (training_class.status, training_class.required_hours, training_class.class_hours) == (
        "approved",
        60,
        64,
    )
    assert AttendanceRecord.objects.get().enrolment.person.name == "检查学员0001"
