"""The closing and number-range API (/api/training/…): the same services as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.training.models import TrainingCertificate
from gongjiang.training.services import certificates

from .closing_factories import closable_class

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_assess_request_and_close_through_the_api(tw):
    # given a range for this year (closing is dated today) and a class ready to assess
    from django.utils import timezone

    year = timezone.localdate().year
    certificates.number_range_add(
        actor=tw.root,
        jurisdiction=tw.jurisdiction,
        service_unit=tw.centre_1,
        category="employment",
        year=year,
        first="042001",
        last="042100",
        citation="测试号段",
    )
    training_class = closable_class(tw, trainees=2, assess=False)
    clerk, reviewer = _client(tw.clerk), _client(tw.reviewer)
    base = f"/api/training/classes/{training_class.pk}"
    # when the clerk reads the closing: two trainees with 120 hours of 120, nobody assessed
    state = clerk.get(f"{base}/closing").json()
    assert [t["attended_hours"] for t in state["trainees"]] == [120, 120]
    assert any(p.startswith("尚未登记考核结果") for p in state["problems"])
    ids = [t["enrolment_id"] for t in state["trainees"]]
    # and a bad score is refused
    bad = clerk.post(
        f"{base}/assessment",
        {"results": [{"enrolment_id": ids[0], "result": "qualified", "score": "101"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "0—100" in bad.json()["message"]
    # when both are assessed and the closing is requested and approved
    ok = clerk.post(
        f"{base}/assessment",
        {"results": [{"enrolment_id": i, "result": "qualified", "score": "80"} for i in ids]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["problems"] == []
    assert clerk.post(f"{base}/closing/request").json()["status"] == "closing"
    wrong = reviewer.post(f"{base}/closing/review", {"decision": "maybe"}, content_type="application/json")
    assert wrong.status_code == 400
    done = reviewer.post(f"{base}/closing/review", {"decision": "approve"}, content_type="application/json")
    # then closed, with two certificates numbered 042001 and 042002 (leading zero kept)
    assert done.status_code == 200 and done.json()["status"] == "closed"
    listed = clerk.get(f"{base}/certificates").json()
    assert [c["number"] for c in listed] == ["042001", "042002"]
    assert all("*" in c["id_number"] for c in listed)
    assert TrainingCertificate.objects.count() == 2


def test_number_ranges_through_the_api(tw):
    # given the 附件4 ranges
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    admin, reviewer = _client(tw.root), _client(tw.reviewer)
    # when the reviewer lists 2025's
    listed = reviewer.get("/api/training/number-ranges", {"year": 2025}).json()
    # then the six ranges of 附件4, with their widths
    assert {(r["first"], r["last"], r["remaining"]) for r in listed} == {
        ("202251", "206250", 4000),
        ("042701", "045700", 3000),
        ("48701", "50500", 1800),
        ("213551", "214550", 1000),
        ("045701", "047700", 2000),
        ("50501", "50700", 200),
    }
    # when the reviewer requests an extension and the admin approves it
    asked = reviewer.post(
        "/api/training/number-ranges/requests",
        {
            "service_unit_id": tw.centre_1.pk,
            "category": "employment",
            "year": 2025,
            "first": "206251",
            "last": "207250",
            "reason": "号段不足",
        },
        content_type="application/json",
    )
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    forbidden = reviewer.post(
        f"/api/training/number-ranges/{asked.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    approved = admin.post(
        f"/api/training/number-ranges/{asked.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert approved.json()["status"] == "approved" and approved.json()["remaining"] == 1000
    # and the admin's own addition needs a citation
    added = admin.post(
        "/api/training/number-ranges",
        {
            "service_unit_id": tw.centre_2.pk,
            "category": "startup",
            "year": 2026,
            "first": "70001",
            "last": "70100",
        },
        content_type="application/json",
    )
    assert added.status_code == 400 and "依据" in added.json()["message"]
