"""Claims files for the batch audit: every bad row listed with its column, nothing audited."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest

from gongjiang.policy.claims_io import ClaimsFileRejected, parse_claims, read_raw
from gongjiang.policy.loader import PACKS_DIR, load_pack

PACK = load_pack(PACKS_DIR / "lanzhou-xinqu-2025")
TEMPLATE = PACKS_DIR / "lanzhou-xinqu-2025" / "claims-template.csv"


def test_template_parses_with_types():
    claims = parse_claims(read_raw(TEMPLATE), PACK)
    assert claims.height == 8
    assert claims.schema["date"] == pl.Date
    assert claims.schema["class_hours"] == pl.Int64
    assert claims.schema["shortage"] == pl.Boolean
    first = claims.row(0, named=True)
    assert (first["occupation"], first["shortage"], first["rural_or_lowincome"]) == ("焊工", True, False)
    assert claims.row(3, named=True)["shortage"] is None  # empty: look the directory up


def test_gbk_csv_and_xlsx_read_like_utf8(tmp_path):
    text = TEMPLATE.read_text(encoding="utf-8")
    gbk = tmp_path / "claims.csv"
    gbk.write_bytes(text.encode("gbk"))
    workbook = openpyxl.Workbook()
    for line in text.strip().splitlines():
        workbook.active.append(line.split(","))
    xlsx = tmp_path / "claims.xlsx"
    workbook.save(xlsx)
    expected = parse_claims(read_raw(TEMPLATE), PACK)
    assert parse_claims(read_raw(gbk), PACK).equals(expected)
    assert parse_claims(read_raw(xlsx), PACK).equals(expected)


def test_bad_rows_are_all_listed(tmp_path):
    # given a file whose rows 3-7 each break one rule (row 1 is the header)
    lines = TEMPLATE.read_text(encoding="utf-8").strip().splitlines()[:2]
    lines += [
        "C0001,P9,,2025-03-10,training_subsidy,employment,焊工,senior,120,是,否,15,,,",  # duplicate claim_id
        "C0010,P9,,2025-02-30,training_subsidy,employment,焊工,senior,120,是,否,15,,,",  # bad date
        "C0011,P9,,2025-03-10,nothing,,,,,,,,,,",  # unknown benefit
        "C0012,P9,,2025-03-10,training_subsidy,employment,焊工,master,abc,也许,否,15,,,",  # level, hours, bool
        "C0013,,,2025-03-10,startup_training,,,,56,,,,,,",  # no person, no course
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    # when
    with pytest.raises(ClaimsFileRejected) as caught:
        parse_claims(read_raw(path), PACK)
    # then every problem is named by row and column
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {
        (2, "claim_id"),
        (3, "claim_id"),
        (4, "date"),
        (5, "benefit"),
        (6, "level"),
        (6, "class_hours"),
        (6, "shortage"),
        (7, "person_id"),
        (7, "course"),
    } <= found
    assert "第 6 行 level：取值应为" in caught.value.message


def test_only_the_first_100_problems_are_listed(tmp_path):
    header = TEMPLATE.read_text(encoding="utf-8").splitlines()[0]
    rows = [
        f"C{n},P{n},,2025-13-01,training_subsidy,employment,焊工,senior,120,是,否,15,,," for n in range(150)
    ]
    path = tmp_path / "many.csv"
    path.write_text("\n".join([header, *rows]), encoding="utf-8")
    with pytest.raises(ClaimsFileRejected) as caught:
        parse_claims(read_raw(path), PACK)
    assert len(caught.value.problems) == 100
    assert caught.value.total == 150
    assert "另有 50 处错误未列出" in caught.value.message


def test_unknown_and_missing_columns(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("claim_id,date,benefit,colour\nC1,2025-01-01,startup_training,red\n", encoding="utf-8")
    with pytest.raises(ClaimsFileRejected) as caught:
        parse_claims(read_raw(path), PACK)
    assert {(p.column, p.message[:4]) for p in caught.value.problems} == {
        ("person_id", "缺少必需"),
        ("colour", "未知列（"),
    }


def test_parquet_is_read(tmp_path):
    frame = pl.read_csv(io.StringIO(TEMPLATE.read_text(encoding="utf-8")), infer_schema=False)
    path = tmp_path / "claims.parquet"
    frame.write_parquet(path)
    assert parse_claims(read_raw(path), PACK).height == 8


def test_claims_format_documents_every_benefit_and_fact_of_every_pack():
    # docs/formats/claims.md lists, per pack, each benefit with its fact columns (issue 4)
    from gongjiang.policy.loader import REPO_DIR, installed_packs

    doc = (REPO_DIR / "docs" / "formats" / "claims.md").read_text(encoding="utf-8")
    for pack in installed_packs().values():
        section = doc.split(f"### `{pack.id}`", 1)[1].split("\n### ", 1)[0]
        assert f"--template --policy {pack.id}" in section
        for benefit in pack.benefits.values():
            row = next(line for line in section.splitlines() if line.startswith(f"| `{benefit.key}`"))
            for name in benefit.facts:
                assert f"`{name}`" in row, (pack.id, benefit.key, name)
