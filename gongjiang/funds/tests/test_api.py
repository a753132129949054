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
from .factories import YEAR, bank_result, noticed, submitted, trainees


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


def test_a_clerk_sees_only_their_own_institutions_applications(fw):
    # given an application of institution A
    submitted(fw, trainees(fw, 1))
    # then A's clerk sees it and the enterprise clerk does not
    assert len(_client(fw.clerk).get("/api/funds/applications").json()) == 1
    assert _client(fw.users["enterprise_clerk"]).get("/api/funds/applications").json() == []
