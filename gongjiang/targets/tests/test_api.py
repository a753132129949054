"""The /api/targets/ operations against the scenario (see test_progress's docstring)."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client

from gongjiang.core.pii import decrypt
from gongjiang.registry.tests.factories import PASSWORD
from gongjiang.targets.models import TargetTable


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_progress_as_json(scenario):
    w = scenario
    # when
    data = client_for(w.users["auditor"]).get("/api/targets/progress?year=2025&as_of=2025-06-30").json()
    # then
    assert data["elapsed_percent"] == "49.6"
    total = next(r for r in data["rows"] if r["unit_id"] is None)
    cells = {c["column"]: c for c in total["cells"]}
    assert (cells["total"]["done"], cells["total"]["target"], cells["total"]["percent"]) == (10, 12000, "0.1")
    assert cells["total"]["lagging"] is True


def test_progress_for_a_clerk_has_no_targets(scenario):
    data = client_for(scenario.clerk).get("/api/targets/progress?year=2025&as_of=2025-06-30").json()
    assert data["show_targets"] is False
    total = next(r for r in data["rows"] if r["unit_id"] is None)
    assert {c["column"]: c["done"] for c in total["cells"]}["total"] == 5
    assert all(c["target"] is None for r in data["rows"] for c in r["cells"])


def test_drill_masks_ids(scenario):
    w = scenario
    # when
    data = (
        client_for(w.root)
        .get(f"/api/targets/drill?year=2025&as_of=2025-06-30&column=poverty_monitoring&unit={w.centre_1.pk}")
        .json()
    )
    # then p1 in c1 and in c2 (人次), masked
    assert data["total"] == 2
    assert sorted(c["code"] for c in data["classes"]) == sorted([w.c1.code, w.c2.code])
    assert {t["id_number"] for t in data["trainees"]} == {w.p1.id_number_masked}
    assert decrypt(w.p1.id_number_encrypted) not in str(data)


def test_drill_of_the_rate_numerators(scenario):
    w = scenario
    client = client_for(w.root)
    certified = client.get("/api/targets/drill?year=2025&as_of=2025-06-30&basis=certified").json()
    employed = client.get(
        "/api/targets/drill?year=2025&as_of=2025-06-30&column=employment&basis=employed"
    ).json()
    assert certified["total"] == 2 and certified["recipients"] == []
    assert employed["total"] == 3


def test_bad_drill_parameter_is_a_chinese_400(scenario):
    response = client_for(scenario.root).get("/api/targets/drill?column=nope")
    assert response.status_code == 400
    assert response.json()["message"] == "指标参数无效"


def test_goals_with_progress(scenario):
    data = client_for(scenario.root).get("/api/targets/goals?year=2025&as_of=2025-06-30").json()
    goals = {g["key"]: g for g in data}
    assert goals["lzxq-2025-employment-employed"]["progress"] == 3
    # 新增技能人才 (talent.new_skilled, registered by the talent app): distinct people with a
    # skill-level certificate issued 1 Jan – 30 June: p1 (初级工, 1 June) and c2's second trainee
    # (高级工, 10 June); c1's second certificate is dated 15 July, c3's is a training certificate
    assert (goals["lzxq-2025-skilled"]["status"], goals["lzxq-2025-skilled"]["progress"]) == ("measured", 2)
    assert goals["lzxq-2025-training-total"]["quote"] == "全年共开展职业技能培训1.2万人次"


def test_save_a_table_through_the_api(scenario):
    w = scenario
    client = client_for(w.root)
    payload = {
        "year": 2026,
        "title": "兰州新区2026年职业技能培训任务分解表",
        "document": "新民社发〔2026〕1号",
        "citation": "新民社发〔2026〕1号 附件1",
        "figures": {str(w.centre_1.pk): {"total": 30, "employment": 10, "post": 10, "startup": 10}},
    }
    # when
    created = client.post("/api/targets/tables", payload, content_type="application/json")
    bad = client.post(
        "/api/targets/tables",
        {**payload, "year": 2027, "figures": {str(w.centre_1.pk): {"total": 31, "employment": 10}}},
        content_type="application/json",
    )
    # then
    assert created.status_code == 201
    assert created.json()["units"][str(w.centre_1.pk)]["startup"] == 10
    assert bad.status_code == 400 and "合计 31 应等于" in bad.json()["message"]
    assert not TargetTable.objects.filter(year=2027).exists()
    # and a reviewer may not write
    refused = client_for(w.reviewer).post("/api/targets/tables", payload, content_type="application/json")
    assert refused.status_code == 403


def test_report_through_the_api(scenario):
    response = client_for(scenario.users["finance_officer"]).get("/api/targets/report.xlsx?year=2025&month=6")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["本月完成", "累计完成", "年度任务", "完成进度"]
