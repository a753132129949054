"""The funds API: money-changing writes take an idempotency key; reads are scoped.

Amounts: 1500 元 a line (新民社发〔2025〕13号 附件3 A类 培训合格证, urban trainee).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongjiang.core.models import AuditEvent
from gongjiang.registry.tests.factories import PASSWORD

from ..choices import LineStatus
from ..models import IdempotencyKey, PaymentBatch
from .factories import WELDER_FACTS, YEAR, bank_result, noticed, submitted, trainees


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _post(client: Client, path: str, body: dict, key: str | None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def test_a_replayed_line_review_returns_the_first_answer_and_changes_nothing(fw):
    # given a submitted line and a reviewer's client
    line = submitted(fw, trainees(fw, 1)).lines.get()
    client = _client(fw.reviewer)
    path = f"/api/funds/lines/{line.pk}/review"
    # when the approval is sent twice with the same key
    first = _post(client, path, {"approve": True}, "review-1")
    events = AuditEvent.objects.count()
    second = _post(client, path, {"approve": True}, "review-1")
    # then the second answer is the first one, and nothing more was written
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["amount"] == "1500.00"
    assert AuditEvent.objects.count() == events
    line.refresh_from_db()
    assert line.status == LineStatus.APPROVED


def test_the_same_key_with_another_body_is_refused_and_a_key_is_required(fw):
    # given a line approved under key "k"
    line = submitted(fw, trainees(fw, 1)).lines.get()
    client = _client(fw.reviewer)
    path = f"/api/funds/lines/{line.pk}/review"
    assert _post(client, path, {"approve": True}, "k").status_code == 200
    # when the same key comes with another body
    response = _post(client, path, {"approve": False, "note": "改主意"}, "k")
    # then it is refused, and a write without a key is refused too
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_reused"
    missing = _post(client, path, {"approve": True}, None)
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_required"


def test_batch_through_the_api_with_replays(fw):
    # given a payable 1500 元 line
    noticed(fw, trainees(fw, 1))
    maker, approver = _client(fw.finance), _client(fw.finance2)
    # when the batch is created twice with one key, approved twice with one key
    body = {"fund_source_id": fw.fund.pk, "year": YEAR}
    created = _post(maker, "/api/funds/batches", body, "batch-1")
    again = _post(maker, "/api/funds/batches", body, "batch-1")
    assert created.status_code == again.status_code == 201
    assert created.json() == again.json()
    assert PaymentBatch.objects.count() == 1
    batch_id = created.json()["id"]
    for _ in range(2):
        approved = _post(approver, f"/api/funds/batches/{batch_id}/approve", {}, "approve-1")
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # and the bank result is uploaded twice with one key after the export
    from .. import services

    batch = PaymentBatch.objects.get()
    services.batch_export(actor=fw.finance, batch=batch)
    data = bank_result([(batch.items.get().detail_number, "成功", "", "B1")])
    for _ in range(2):
        response = maker.post(
            f"/api/funds/batches/{batch_id}/bank-result",
            {"file": SimpleUploadedFile("回盘.csv", data)},
            headers={"Idempotency-Key": "result-1"},
        )
        assert response.status_code == 200 and response.json() == {"paid": 1, "failed": 0}
    assert IdempotencyKey.objects.count() == 3
    # then the report shows 1500 paid out of the 100000 budget
    report = maker.get(f"/api/funds/report?year={YEAR}").json()
    row = next(r for r in report if r["fund_source"] == "兰州市职业技能提升行动专账资金")
    assert (Decimal(row["paid"]), Decimal(row["remaining"])) == (Decimal("1500"), Decimal("98500"))
    sheet = openpyxl.load_workbook(
        io.BytesIO(maker.get(f"/api/funds/report.xlsx?year={YEAR}").content)
    ).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][:4] == ["资金来源", "年度", "月份", "年度预算(元)"]
    assert [
        "兰州市职业技能提升行动专账资金",
        YEAR,
        "全年",
        "100000.00",
        "0.00",
        "1500.00",
        "98500.00",
    ] in values
    book = openpyxl.load_workbook(io.BytesIO(maker.get(f"/api/funds/report.xlsx?year={YEAR}").content))
    units = [[c.value for c in r] for r in book["按申请单位"].iter_rows()]
    assert ["兰州市职业技能提升行动专账资金", "甘肃交通职业技术学院", "1500.00"] in units


def test_a_clerk_sees_only_their_own_institutions_applications(fw):
    # given an application of institution A
    submitted(fw, trainees(fw, 1))
    # then A's clerk sees it and the enterprise clerk does not
    assert len(_client(fw.clerk).get("/api/funds/applications").json()) == 1
    assert _client(fw.users["enterprise_clerk"]).get("/api/funds/applications").json() == []


def test_the_workflow_steps_through_the_api(fw):
    # given a clerk and a reviewer
    clerk, reviewer = _client(fw.clerk), _client(fw.reviewer)
    person = trainees(fw, 1)[0]
    # when the clerk creates an application, adds a line, ticks the materials and submits
    created = _post(
        clerk,
        "/api/funds/applications",
        {
            "applicant_kind": "institution",
            "applicant_id": fw.institution_a.pk,
            "policy": "lanzhou-xinqu-2025",
            "benefit": "training_subsidy",
            "claim_date": "2025-11-14",
        },
        None,
    )
    assert created.status_code == 201
    app_id = created.json()["id"]
    line = _post(
        clerk,
        f"/api/funds/applications/{app_id}/lines",
        {"person_id": person.pk, "facts": WELDER_FACTS},
        None,
    )
    # then the line carries 1500 元 (附件3 A类 培训合格证) with its trace
    assert line.status_code == 201 and line.json()["amount"] == "1500.00"
    assert line.json()["trace"][0]["citation"] == "新民社发〔2025〕13号 附件3 A类 培训合格证"
    from .factories import all_materials

    _post(clerk, f"/api/funds/applications/{app_id}/checklist", {"items": all_materials()}, None)
    submitted_ = _post(clerk, f"/api/funds/applications/{app_id}/submit", {}, None)
    assert submitted_.json()["status"] == "submitted"
    # and the reviewer approves, completes the review and publishes the notice
    assert (
        _post(reviewer, f"/api/funds/lines/{line.json()['id']}/review", {"approve": True}, "r1").status_code
        == 200
    )
    assert (
        _post(
            reviewer, f"/api/funds/applications/{app_id}/review-complete", {"note": "齐全"}, None
        ).status_code
        == 200
    )
    notice = _post(
        reviewer,
        "/api/funds/notices",
        {"application_ids": [app_id], "title": "公示", "issuing_unit": "人社局"},
        None,
    )
    assert notice.status_code == 201
    notice_id = notice.json()["id"]
    # an objection is dismissed through the API; closing before the window ends is refused
    from .. import services
    from ..models import ApplicationLine, PublicNotice

    objection = services.objection_file(
        actor=None,
        notice=PublicNotice.objects.get(pk=notice_id),
        line=ApplicationLine.objects.get(pk=line.json()["id"]),
        objector_name="甲",
        content="疑问",
    )
    resolved = _post(
        reviewer,
        f"/api/funds/objections/{objection.pk}/resolve",
        {"upheld": False, "resolution": "考勤齐全"},
        None,
    )
    assert resolved.json() == {"status": "dismissed"}
    early = _post(reviewer, f"/api/funds/notices/{notice_id}/close", {}, None)
    assert early.status_code == 400 and "期满后" in early.json()["message"]
