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

from gongjiang.policy.loader import PACKS_DIR, installed_packs

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
    workbook.close()
    assert summary[0][:5] == ("合计", "通过", 5, "不通过", 3)
    assert summary[0][6] == "11800.00"  # 2400 + 1200 + 1600 + 6000 + 600
    assert "共审核 8 条：通过 5 条，不通过 3 条；通过金额 11800.00 元" in capsys.readouterr().out
    csv = (tmp_path / "out" / "results.csv").read_text(encoding="utf-8")
    assert "C0005" in csv and "once_per_year" in csv


# Each other pack's template, worked by hand from its document:
OTHER_TEMPLATES = {
    "lanzhou-xinqu-2024": {  # 新政办发〔2024〕31号 七: 技师 3000, 高级技师 5000, each level once
        "T0001": (True, [], "3000.00"),
        "T0002": (False, ["already_received"], "0.00"),  # the same level again
        "T0003": (True, [], "5000.00"),
        "T0004": (False, ["no_policy_in_force"], "0.00"),  # 2024-09-18, the day before it took effect
    },
    "taierzhuang-2021": {  # 台人社发〔2021〕17号
        "Z0001": (True, [], "2000.00"),  # 三(二)6 一等奖 2000
        "Z0002": (True, [], "500.00"),  # 三等奖 500
        "Z0003": (True, [], "5000.00"),  # 三(一)2 2000-5000元/人: the upper bound
        "Z0004": (True, [], "6000.00"),  # 三(一)3 4000-6000元/人/年: the upper bound
        "Z0005": (False, ["no_policy_in_force"], "0.00"),  # 2021-06-29, before 2021-06-30
    },
    "huzhou-2021": {  # 《关于新时代湖州工匠培育工程的实施意见》
        "H0001": (True, [], "5000.00"),  # 二(二)3 湖州青年工匠 5000
        "H0002": (True, [], "5000.00"),  # 浙江工匠 = 湖州工匠 10000, 就高 less the 5000 paid
        "H0003": (False, ["already_received"], "0.00"),  # 湖州乡村工匠: the same rank as 湖州工匠
        "H0004": (True, [], "500000.00"),  # 二(二)4 金牌 100万, 专家团队减半
        "H0005": (False, ["not_eligible_role"], "0.00"),  # 带队教练: only 国家集训队
        "H0006": (True, [], "2000000.00"),  # 二(三)5 国家级基地 200万
        "H0007": (False, ["already_received"], "0.00"),  # each kind of base once
        "H0008": (True, [], "50000.00"),  # 二(三)6 市级工作室 不少于5万: the lower bound
    },
    "shangyu-2023": {  # 虞人社〔2023〕19号
        "S0001": (True, [], "7600.00"),  # 三、（一）1 12 × 500 + 3 × 200 + 2 × 500
        "S0002": (False, ["below_threshold"], "0.00"),  # 8 < 10 人
        "S0003": (True, [], "60000.00"),  # 三、（二）12 320 人: 3 × 100 人 × 2万
        "S0004": (True, [], "40000.00"),  # 300 人 → 6万, but 10万 a year less 6万 paid
        "S0005": (False, ["annual_cap_reached"], "0.00"),  # nothing left in 2023
        "S0006": (True, [], "7200.00"),  # 三、（四）21 新取得高级技师 600 × 12 个月
        "S0007": (False, ["already_received"], "0.00"),  # 岗位补助限享受一次
        "S0008": (True, [], "10000.00"),  # 三、（四）22 浙江青年工匠 1万
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("pack_id", sorted(OTHER_TEMPLATES))
def test_audit_claims_on_every_packs_template(tmp_path, capsys, pack_id):
    # given the pack's template, written out by the command itself
    template = tmp_path / "claims.csv"
    call_command("audit_claims", "--template", "--policy", pack_id, stdout=(out := io.StringIO()))
    template.write_text(out.getvalue(), encoding="utf-8")
    # when audited under that pack (with the progress lines on stderr)
    call_command("audit_claims", str(template), "--policy", pack_id, "--out", str(tmp_path / "out"))
    # then every claim has the result worked by hand
    results = pl.read_parquet(tmp_path / "out" / "results.parquet")
    got = {r["claim_id"]: (r["accepted"], r["reasons"], f"{r['amount']:.2f}") for r in results.to_dicts()}
    assert got == OTHER_TEMPLATES[pack_id]
    assert set(results["policy_version"]) <= {
        f"{pack_id}@{v.date}" for v in installed_packs()[pack_id].versions
    } | {None}
    captured = capsys.readouterr()
    assert "审核：历史规则" in captured.err or pack_id == "taierzhuang-2021"
    assert "完成" in captured.err and "共审核" in captured.out


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


@pytest.mark.django_db
def test_simulate_a_list_factor_reform(tmp_path, capsys):
    # given the template and a reform setting the 四(三) 黑白名单 factors: white 1.2, black 0.5
    reform = tmp_path / "reform.yaml"
    reform.write_text(
        "policy: lanzhou-xinqu-2025\ntitle: 名单系数\noverrides:\n  list_factor.white: {set: 1.2}\n"
        "  list_factor.black: {set: 0.5}\n",
        encoding="utf-8",
    )
    # when
    call_command("simulate", str(TEMPLATE), "--reform", str(reform), "--out", str(tmp_path / "sim.xlsx"))
    # then, worked by hand: C0001 (white) 焊工 高级工 2000 × 1.2 × 1.2 = 2880 (+480);
    # C0004 (black) SYB 1600 × 0.5 = 800 (−800); the normal and blank rows are unchanged. Total −320.
    assert "金额 11800.00 → 11480.00 元（变化 -320.00 元）" in capsys.readouterr().out


@pytest.mark.django_db
def test_simulate_works_for_another_pack(tmp_path, capsys):
    # given 上虞's template and a reform raising the 三、（二）12 yearly cap from 10万 to 15万
    reform = tmp_path / "reform.yaml"
    reform.write_text(
        "policy: shangyu-2023\ntitle: 年度上限15万\noverrides:\n  training.social.annual_cap: {set: 150000}\n",
        encoding="utf-8",
    )
    template = PACKS_DIR / "shangyu-2023" / "claims-template.csv"
    # when
    call_command(
        "simulate",
        str(template),
        "--policy",
        "shangyu-2023",
        "--reform",
        str(reform),
        "--out",
        str(tmp_path / "s.xlsx"),
    )
    # then, worked by hand: S0004 is paid its full 6万 (+2万); S0005 (250 人, 2 groups = 4万) now has
    # 15万 − 12万 = 3万 of room (+3万, one more accepted claim). Total +5万.
    out = capsys.readouterr().out
    assert "通过 5 → 6 条；金额 124800.00 → 174800.00 元（变化 50000.00 元）" in out


def _rejected(n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "claim_id": [f"C{i}" for i in range(n)],
            "person_id": ["=P"] * n,  # a formula-looking value must come out as text
            "institution": [None] * n,
            "date": [dt.date(2025, 1, 1)] * n,
            "benefit": ["startup_training"] * n,
            "accepted": [False] * n,
            "reasons": [["hours_below_minimum"]] * n,
            "amount": [Decimal("0.00")] * n,
            "policy_version": ["lanzhou-xinqu-2025@2025-01-01"] * n,
        }
    ).with_columns(pl.col("date").cast(pl.Date), pl.col("amount").cast(pl.Decimal(18, 2)))


def test_report_respects_the_excel_row_limit(tmp_path, monkeypatch):
    from gongjiang.policy import audit_report, xlsx_stream

    # given a tiny row limit standing in for Excel's 1,048,576, and chunks of 2 rows
    monkeypatch.setattr(audit_report, "EXCEL_MAX_ROWS", 5)
    monkeypatch.setattr(xlsx_stream, "CHUNK", 2)
    paths = audit_report.write_outputs(_rejected(10), Path(tmp_path))
    rows = list(openpyxl.load_workbook(paths["excel"])["不通过明细"].iter_rows(values_only=True))
    assert len(rows) == 5  # header, 3 claims, the note
    assert rows[1][:2] == ("C0", "'=P")
    assert "共 10 条不通过记录" in rows[-1][0] and "results.csv" in rows[-1][0]


def test_rejected_sheet_is_written_in_bulk(tmp_path, monkeypatch):
    from gongjiang.policy import audit_report, xlsx_stream

    # given 250 rejected claims written in chunks of 100 rows
    monkeypatch.setattr(xlsx_stream, "CHUNK", 100)
    steps: list[str] = []
    paths = audit_report.write_outputs(_rejected(250), Path(tmp_path), progress=steps.append)
    # then every row is there, in order, with the progress in 100-row steps
    book = openpyxl.load_workbook(paths["excel"], read_only=True)
    rows = list(book["不通过明细"].iter_rows(values_only=True))
    book.close()
    assert [r[0] for r in rows[1:]] == [f"C{i}" for i in range(250)]
    assert rows[250][6] == "hours_below_minimum"
    assert [s for s in steps if "%" in s] == [
        "  不通过明细 100/250 行（40%）",
        "  不通过明细 200/250 行（80%）",
        "  不通过明细 250/250 行（100%）",
    ]


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
