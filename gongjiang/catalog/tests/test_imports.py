"""Spreadsheet imports: all rows checked first, every problem named, nothing written on any error."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.catalog.models import Occupation, OccupationClass, ShortageOccupationEntry
from gongjiang.catalog.services import catalog_import_occupations, occupation_create, shortage_import
from gongjiang.core.errors import DomainError, ImportRejected, PermissionDenied
from gongjiang.core.models import AuditEvent

HEADER = ["职业名称", "职业类别", "数字职业", "绿色职业"]
SHORTAGE_HEADER = ["职业名称", "起始日期", "截止日期", "目录来源"]


def test_good_xlsx_creates_and_updates(bureau_admin, jurisdiction, make_xlsx):
    # given: 焊工 exists without a class; the file classifies it and adds two more
    occupation_create(actor=bureau_admin, name="焊工")
    data = make_xlsx(
        [
            HEADER,
            ["焊工", "A", "否", "否"],
            ["人工智能训练师", "b", "是", "否"],
            ["护林员", "C类", "否", "是"],
        ]
    )
    # when
    summary = catalog_import_occupations(
        actor=bureau_admin, jurisdiction=jurisdiction, filename="目录.xlsx", data=data
    )
    # then
    assert (summary.created, summary.updated, summary.unchanged) == (2, 1, 0)
    classes = dict(OccupationClass.objects.values_list("occupation__name", "subsidy_class"))
    assert classes == {"焊工": "A", "人工智能训练师": "B", "护林员": "C"}
    assert Occupation.objects.get(name="人工智能训练师").is_digital
    assert Occupation.objects.get(name="护林员").is_green
    assert OccupationClass.objects.get(occupation__name="焊工").citation == "导入文件 目录.xlsx"
    assert AuditEvent.objects.filter(event_type="catalog_occupations_imported").count() == 1


def test_reimport_is_unchanged(bureau_admin, jurisdiction, make_xlsx):
    # given
    data = make_xlsx([HEADER, ["焊工", "A", "否", "否"]])
    catalog_import_occupations(actor=bureau_admin, jurisdiction=jurisdiction, filename="a.xlsx", data=data)
    # when
    summary = catalog_import_occupations(
        actor=bureau_admin, jurisdiction=jurisdiction, filename="a.xlsx", data=data
    )
    # then
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)


def test_bad_xlsx_is_rejected_row_by_row_and_nothing_written(bureau_admin, jurisdiction, make_xlsx):
    # given: row 2 good, 3 bad class letter, 4 empty name, 5 duplicate of row 2, 6 a formula, 7 bad flag
    data = make_xlsx(
        [
            HEADER,
            ["焊工", "A", "否", "否"],
            ["电工", "E", "否", "否"],
            [None, "B", "否", "否"],
            ["焊工", "B", "否", "否"],
            ["=1+1", "C", "否", "否"],
            ["育婴员", "D", "也许", "否"],
        ]
    )
    events_before = AuditEvent.objects.count()
    # when
    with pytest.raises(ImportRejected) as exc:
        catalog_import_occupations(
            actor=bureau_admin, jurisdiction=jurisdiction, filename="bad.xlsx", data=data
        )
    # then
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [
        (3, "职业类别"),
        (4, "职业名称"),
        (5, "职业名称"),
        (6, "职业名称"),
        (7, "数字职业"),
    ]
    messages = {e["row"]: e["message"] for e in exc.value.errors}
    assert "“E”" in messages[3]
    assert messages[4] == "不能为空"
    assert "与第 2 行重复" in messages[5]
    assert "公式" in messages[6]
    assert "未写入任何数据" in exc.value.message
    assert not Occupation.objects.exists()
    assert not OccupationClass.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_gbk_csv_works(bureau_admin, jurisdiction):
    # given
    text = "职业名称,职业类别,数字职业,绿色职业\r\n中式烹调师,A,否,否\r\n电子商务师,B,是,否\r\n"
    # when
    summary = catalog_import_occupations(
        actor=bureau_admin, jurisdiction=jurisdiction, filename="目录.CSV", data=text.encode("gbk")
    )
    # then
    assert summary.created == 2
    assert Occupation.objects.get(name="电子商务师").is_digital


def test_missing_column_and_wrong_type(bureau_admin, jurisdiction, make_xlsx):
    # when / then
    with pytest.raises(DomainError) as exc:
        catalog_import_occupations(
            actor=bureau_admin,
            jurisdiction=jurisdiction,
            filename="a.xlsx",
            data=make_xlsx([["职业名称", "职业类别"]]),
        )
    assert exc.value.code == "missing_columns"
    assert "数字职业" in exc.value.message
    with pytest.raises(DomainError) as exc:
        catalog_import_occupations(actor=bureau_admin, jurisdiction=jurisdiction, filename="a.xls", data=b"x")
    assert exc.value.code == "bad_file_type"


def test_import_needs_manage(auditor, other_admin, jurisdiction, make_xlsx):
    # given
    data = make_xlsx([HEADER, ["焊工", "A", "否", "否"]])
    # when / then
    for user in (auditor, other_admin):
        with pytest.raises(PermissionDenied):
            catalog_import_occupations(actor=user, jurisdiction=jurisdiction, filename="a.xlsx", data=data)
    assert not Occupation.objects.exists()


@pytest.fixture
def occupations(bureau_admin):
    for name in ("焊工", "电工"):
        occupation_create(actor=bureau_admin, name=name)


def test_shortage_import_good(bureau_admin, jurisdiction, occupations, make_xlsx):
    # given: a real date cell, a text date and an open end
    data = make_xlsx(
        [
            SHORTAGE_HEADER,
            ["焊工", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025 年急需紧缺职业目录"],
            ["电工", "2025/03/01", None, "2025 年急需紧缺职业目录"],
        ]
    )
    # when
    summary = shortage_import(actor=bureau_admin, jurisdiction=jurisdiction, filename="s.xlsx", data=data)
    again = shortage_import(actor=bureau_admin, jurisdiction=jurisdiction, filename="s.xlsx", data=data)
    # then
    assert (summary.created, again.created, again.unchanged) == (2, 0, 2)
    entries = {e.occupation.name: (e.valid_from, e.valid_to) for e in ShortageOccupationEntry.objects.all()}
    assert entries == {
        "焊工": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        "电工": (dt.date(2025, 3, 1), None),
    }


def test_shortage_import_bad_rows(bureau_admin, jurisdiction, occupations, make_xlsx):
    # given
    data = make_xlsx(
        [
            SHORTAGE_HEADER,
            ["焊工", "2025-01-01", "2025-06-30", "目录"],  # 2 good
            ["焊工", "2025-06-30", None, "目录"],  # 3 overlaps row 2
            ["不存在的职业", "2025-01-01", None, "目录"],  # 4 unknown occupation
            ["电工", "2025-13-01", None, "目录"],  # 5 bad date
            ["电工", "2025-02-01", "2025-01-01", "目录"],  # 6 end before start
            ["电工", "2025-02-01", None, ""],  # 7 no source
        ]
    )
    # when
    with pytest.raises(ImportRejected) as exc:
        shortage_import(actor=bureau_admin, jurisdiction=jurisdiction, filename="s.xlsx", data=data)
    # then
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [
        (3, "起始日期"),
        (4, "职业名称"),
        (5, "起始日期"),
        (6, "截止日期"),
        (7, "目录来源"),
    ]
    assert "第 2 行" in exc.value.errors[0]["message"]
    assert not ShortageOccupationEntry.objects.exists()
