"""`gongjiang audit-claims` and `gongjiang simulate` end to end on small files (issue 4)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjiang.policy.loader import PACKS_DIR

TEMPLATE = PACKS_DIR / "lanzhou-xinqu-2025" / "claims-template.csv"
# What each template row must come to, worked from 新民社发〔2025〕13号 附件3:
EXPECTED = {
    "C0001": (True, [], "2400.00"),  # A类 焊工 高级工 2000 × 1.2 (备注2)
    "C0002": (True, [], "1200.00"),  # D类 快递员 合格证 600 + 20 天 × 30 (备注1)
    "C0003": (False, ["hours_below_minimum"], "0.00"),  # B类 育婴员 90 < 100 课时 (四(一))
    "C0004": (True, [], "1600.00"),  # SYB 1600
    "C0005": (False, ["once_per_year"], "0.00"),  # P001 already paid in 2025 (备注5)
    "C0006": (True, [], "6000.00"),  # 学徒制 初级工 5000 × 1.2 (备注4)
    "C0007": (True, [], "600.00"),  # 项目化 D类 网约配送员 合格证 (备注6)
    "C0008": (False, ["level_not_subsidised"], "0.00"),  # 企业职工岗位培训 高级工 (高级工列)
}


@pytest.mark.django_db
def test_audit_claims_on_the_template(tmp_path, capsys):
    # given the template, written out by the command itself
    template = tmp_path / "claims.csv"
    call_command("audit_claims", "--template", stdout=(out := io.StringIO()))
    template.write_text(out.getvalue(), encoding="utf-8")
    # when
    call_command("audit_claims", str(template), "--out", str(tmp_path / "out"), "--quiet")
    # then every claim has its result
    results = pl.read_parquet(tmp_path / "out" / "results.parquet")
    got = {r["claim_id"]: (r["accepted"], r["reasons"], f"{r['amount']:.2f}") for r in results.to_dicts()}
    assert got == EXPECTED
    # and the report has the summary and the rejected claims
    workbook = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx", read_only=True)
    assert workbook.sheetnames == ["汇总", "不通过明细"]
    rejected = list(workbook["不通过明细"].iter_rows(values_only=True))
    assert sorted(row[0] for row in rejected[1:]) == ["C0003", "C0005", "C0008"]
    summary = [row for row in workbook["汇总"].iter_rows(values_only=True) if row and row[0]]
    assert summary[0][:5] == ("合计", "通过", 5, "不通过", 3)
    assert summary[0][6] == "11800.00"  # 2400 + 1200 + 1600 + 6000 + 600
    assert "共审核 8 条：通过 5 条，不通过 3 条；通过金额 11800.00 元" in capsys.readouterr().out
    csv = (tmp_path / "out" / "results.csv").read_text(encoding="utf-8")
    assert "C0005" in csv and "once_per_year" in csv


@pytest.mark.django_db
def test_audit_claims_misuse_exits_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("claim_id,person_id,date,benefit\nC1,P1,2025-01-01,nothing\n", encoding="utf-8")
    for args in (
        [str(bad)],
        [str(tmp_path / "missing.csv")],
        ["--policy", "nope", str(bad)],
        [str(TEMPLATE), "--as-of", "soon"],
    ):
        with pytest.raises(CommandError) as caught:
            call_command("audit_claims", *args, "--quiet", "--out", str(tmp_path / "o"))
        assert caught.value.returncode == 2
    assert not (tmp_path / "o").exists()


@pytest.mark.django_db
def test_simulate_reports_the_budget_delta(tmp_path, capsys):
    # given the template and a reform: shortage uplift 20% → 30%, D类合格证 +100, lifetime cap 3 → 2
    reform = tmp_path / "reform.yaml"
    reform.write_text(
        "policy: lanzhou-xinqu-2025\ntitle: 测试改革\noverrides:\n  uplift.shortage: {set: 0.3}\n"
        "  training.employment.D.cert: {add: 100}\n  limits.lifetime_cap: {set: 2}\n",
        encoding="utf-8",
    )
    # when
    call_command("simulate", str(TEMPLATE), "--reform", str(reform), "--out", str(tmp_path / "sim.xlsx"))
    # then, worked by hand:
    #   C0001 焊工 高级工 2000 × 1.3 = 2600 (+200); C0002 快递员 合格证 (600 + 100) + 600 = 1300 (+100);
    #   C0007 项目化 D类合格证 700 (+100); C0006 学徒制 uses its own 20% (备注4) — unchanged;
    #   no person reaches 2 accepted claims, so the cap changes nothing. Total +400.
    out = capsys.readouterr().out
    assert "金额 11800.00 → 12200.00 元（变化 400.00 元）" in out
    sheet = openpyxl.load_workbook(tmp_path / "sim.xlsx")["按补贴项目"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    delta = header.index("amount_delta")
    assert Decimal(rows["training_subsidy"][delta]) == Decimal(300)
    assert Decimal(rows["project_training"][delta]) == Decimal(100)
    assert Decimal(rows["apprentice_subsidy"][delta]) == Decimal(0)


def test_report_respects_the_excel_row_limit(tmp_path, monkeypatch):
    from gongjiang.policy import audit_report

    # given a tiny row limit standing in for Excel's 1,048,576
    monkeypatch.setattr(audit_report, "EXCEL_MAX_ROWS", 5)
    joined = pl.DataFrame(
        {
            "claim_id": [f"C{i}" for i in range(10)],
            "person_id": ["P"] * 10,
            "institution": [None] * 10,
            "date": [dt.date(2025, 1, 1)] * 10,
            "benefit": ["startup_training"] * 10,
            "accepted": [False] * 10,
            "reasons": [["hours_below_minimum"]] * 10,
            "amount": [Decimal("0.00")] * 10,
            "policy_version": ["lanzhou-xinqu-2025@2025-01-01"] * 10,
        }
    ).with_columns(pl.col("date").cast(pl.Date), pl.col("amount").cast(pl.Decimal(18, 2)))
    paths = audit_report.write_outputs(joined, Path(tmp_path))
    rows = list(openpyxl.load_workbook(paths["excel"])["不通过明细"].iter_rows(values_only=True))
    assert len(rows) == 5  # header, 3 claims, the note
    assert "共 10 条不通过记录" in rows[-1][0] and "results.csv" in rows[-1][0]


@pytest.mark.django_db
def test_simulate_page_for_a_bureau_admin(client):
    from gongjiang.core.choices import Role
    from gongjiang.core.services import jurisdiction_create, user_create

    # given a bureau admin
    jurisdiction = jurisdiction_create(actor=None, code="lanzhou-xinqu", name="兰州新区")
    user_create(
        actor=None,
        username="boss",
        password="pw-123456789",
        role=Role.BUREAU_ADMIN,
        jurisdictions=[jurisdiction],
    )
    assert client.login(username="boss", password="pw-123456789")
    reform = "policy: lanzhou-xinqu-2025\ntitle: 上浮30%\noverrides:\n  uplift.shortage: {set: 0.3}\n"
    # when the template is uploaded with the reform
    with TEMPLATE.open("rb") as handle:
        response = client.post("/policy/simulate/", {"claims": handle, "reform": reform})
    # then the delta by benefit shows 焊工 2000 × (1.3 - 1.2) = +200 for training_subsidy
    assert response.status_code == 200
    table = response.context["tables"]["按补贴项目"]
    delta = {row[0]: row[table["columns"].index("amount_delta")] for row in table["rows"]}
    assert delta["training_subsidy"] == Decimal(200)
    # and a broken reform is shown as an error, not a crash
    with TEMPLATE.open("rb") as handle:
        response = client.post("/policy/simulate/", {"claims": handle, "reform": "policy: x\n"})
    assert "须含 policy" in response.context["error"]
