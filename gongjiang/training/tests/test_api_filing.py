"""The filing API (/api/training/…): the same services as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.training.choices import ClassStatus
from gongjiang.training.models import TrainingClass

from .factories import add_filing_evidence, class_dates, new_trainee_row, roster_csv, timetable_csv

pytestmark = pytest.mark.django_db


def _client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_file_submit_and_review_through_the_api(client, tw):
    # given the clerk of institution A
    api = _client(client, tw.clerk)
    begin, end = class_dates()
    # when they create a class
    created = api.post(
        "/api/training/classes",
        {
            "institution_id": tw.institution_a.pk,
            "name": "焊工就业技能培训班",
            "training_type": "employment",
            "occupation": "焊工",
            "level": "cert",
            "start_date": begin.isoformat(),
            "end_date": end.isoformat(),
            "venue_address": "实训楼",
            "textbook_name": "焊工",
            "textbook_publisher": "中国劳动社会保障出版社",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["subsidy_class"], body["required_hours"], body["status"]) == ("A", 120, "draft")
    class_id = body["id"]
    training_class = TrainingClass.objects.get(pk=class_id)
    # and upload the timetable and a roster with a bad row
    timetable = api.post(
        f"/api/training/classes/{class_id}/timetable",
        {"file": SimpleUploadedFile("t.csv", timetable_csv(training_class))},
    )
    assert timetable.json() == {"created": 30}
    bad = new_trainee_row("坏行", 户籍类型="")
    refused = api.post(
        f"/api/training/classes/{class_id}/roster", {"file": SimpleUploadedFile("r.csv", roster_csv([bad]))}
    )
    # then the bad row comes back with its column and reason (422), nothing written
    assert refused.status_code == 422
    assert refused.json()["details"] == [
        {"row": 2, "column": "户籍类型", "message": "户籍类型须为“农村”或“城镇”"}
    ]
    assert training_class.enrolments.count() == 0
    accepted = api.post(
        f"/api/training/classes/{class_id}/roster",
        {"file": SimpleUploadedFile("r.csv", roster_csv([new_trainee_row("好行")]))},
    )
    assert accepted.json() == {"created": 1}
    roster = api.get(f"/api/training/classes/{class_id}/roster").json()
    assert roster[0]["precheck"]["amount"] == "1950.00"  # 附件3 A类 1500 + 备注1 30 元 × 15 天
    assert "*" in roster[0]["id_number"]
    # when materials are uploaded and the class submitted
    add_filing_evidence(tw, training_class)
    checklist = api.get(f"/api/training/classes/{class_id}/checklist").json()
    assert all(item["ok"] for item in checklist["items"])
    submitted = api.post(f"/api/training/classes/{class_id}/submit")
    assert submitted.json()["status"] == ClassStatus.SUBMITTED
    # then the reviewer sees it in the queue and approves it
    api.logout()
    reviewer = _client(client, tw.reviewer)
    queue = reviewer.get("/api/training/review-queue").json()
    assert [item["class_id"] for item in queue] == [class_id]
    bad_decision = reviewer.post(
        f"/api/training/classes/{class_id}/review", {"decision": "maybe"}, content_type="application/json"
    )
    assert bad_decision.status_code == 400
    approved = reviewer.post(
        f"/api/training/classes/{class_id}/review",
        {"decision": "approve", "note": "同意"},
        content_type="application/json",
    )
    assert approved.json()["status"] == ClassStatus.APPROVED


def test_evidence_upload_through_the_api(client, tw):
    from .factories import draft_class, pdf

    training_class = draft_class(tw)
    name, stream = pdf()
    response = _client(client, tw.clerk).post(
        f"/api/training/classes/{training_class.pk}/evidence",
        {"file": SimpleUploadedFile(name, stream.getvalue()), "kind": "training_plan"},
    )
    assert response.status_code == 201
    assert response.json()["content_type"] == "application/pdf"
    wrong = _client(client, tw.clerk).post(
        f"/api/training/classes/{training_class.pk}/evidence",
        {"file": SimpleUploadedFile("x.pdf", b"not a pdf at all"), "kind": "training_plan"},
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "content_mismatch"


def test_another_institutions_class_is_not_found(client, tw):
    from .factories import draft_class

    theirs = draft_class(tw, actor=tw.root, institution=tw.institution_b)
    response = _client(client, tw.clerk).get(f"/api/training/classes/{theirs.pk}")
    assert response.status_code == 404
