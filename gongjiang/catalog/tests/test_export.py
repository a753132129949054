"""The Excel export: four sheets, re-importable first sheet, no formula injection."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from gongjiang.catalog.selectors import catalog_export_xlsx
from gongjiang.catalog.services import catalog_import_occupations, occupation_class_set, occupation_create
from gongjiang.core.errors import PermissionDenied


def test_export_neutralises_formula_names(bureau_admin, auditor, jurisdiction):
    # given: a name that a spreadsheet would run as a formula (stored before imports refused such names)
    evil = occupation_create(actor=bureau_admin, name='=HYPERLINK("http://x")')
    occupation_class_set(
        actor=bureau_admin, jurisdiction=jurisdiction, occupation=evil, subsidy_class="A", citation="x"
    )
    # when
    data = catalog_export_xlsx(auditor, jurisdiction)
    # then
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["职业目录", "急需紧缺职业", "证书类型", "技能等级"]
    cell = workbook["职业目录"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x")'


def test_export_round_trips_through_import(bureau_admin, jurisdiction, loaded):
    # given
    data = catalog_export_xlsx(bureau_admin, jurisdiction)
    # when
    summary = catalog_import_occupations(
        actor=bureau_admin, jurisdiction=jurisdiction, filename="导出.xlsx", data=data
    )
    # then
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 337)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook["技能等级"].max_row == 8
    assert workbook["证书类型"]["B2"].value == "职业资格证书"


def test_export_other_jurisdiction_refused(other_admin, jurisdiction):
    # when / then
    with pytest.raises(PermissionDenied):
        catalog_export_xlsx(other_admin, jurisdiction)
