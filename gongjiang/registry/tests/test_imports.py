"""Importing people from Excel/CSV: row-level Chinese errors and all-or-nothing writes."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.models import AuditEvent
from gongjiang.registry.imports import COLUMNS, person_import
from gongjiang.registry.models import Person
from gongjiang.registry.tests.factories import new_id_number


def _xlsx(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(COLUMNS[:6]))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_good_file_creates_everyone(world, bureau_admin):
    # given two valid rows
    data = _xlsx(
        [
            ["甲", new_id_number(), "农村", "13800000001", "农行", "6228480000000001"],
            ["乙", new_id_number(), "城镇", "", "", ""],
        ]
    )
    before = Person.objects.count()
    # when
    created = person_import(
        actor=bureau_admin, jurisdiction=world.jurisdiction, filename="人员.xlsx", data=data
    )
    # then
    assert len(created) == 2
    assert Person.objects.count() == before + 2
    assert AuditEvent.objects.filter(event_type="people_imported").count() == 1


def test_bad_rows_are_listed_and_nothing_is_written(world, bureau_admin):
    # given one good row and four bad ones (rows numbered as Excel shows them; header is row 1)
    good = new_id_number()
    bad_check = new_id_number()
    bad_check = bad_check[:-1] + ("0" if bad_check[-1] != "0" else "1")
    data = _xlsx(
        [
            ["好", good, "农村", "", "", ""],
            ["坏1", bad_check, "农村", "", "", ""],
            ["", new_id_number(), "外星", "", "", ""],
            ["重复", good, "城镇", "", "", ""],
            ["公式", "=1+1", "城镇", "", "", ""],
        ]
    )
    people, events = Person.objects.count(), AuditEvent.objects.count()
    # when
    with pytest.raises(ImportRejected) as caught:
        person_import(actor=bureau_admin, jurisdiction=world.jurisdiction, filename="人员.xlsx", data=data)
    # then every bad row is named with its column and reason, and nothing was written
    errors = [(e["row"], e["column"]) for e in caught.value.errors]
    assert errors == [(3, "身份证号"), (4, "姓名"), (4, "户籍类型"), (5, "身份证号"), (6, "身份证号")]
    messages = {(e["row"], e["column"]): e["message"] for e in caught.value.errors}
    assert "校验位" in messages[(3, "身份证号")]
    assert "第 2 行重复" in messages[(5, "身份证号")]
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)


def test_gbk_csv_is_read(world, bureau_admin):
    text = "姓名,身份证号,户籍类型\n王五," + new_id_number() + ",城镇\n"
    created = person_import(
        actor=bureau_admin, jurisdiction=world.jurisdiction, filename="people.csv", data=text.encode("gbk")
    )
    assert created[0].name == "王五"


def test_missing_columns_and_wrong_type_are_refused(world, bureau_admin):
    with pytest.raises(DomainError, match="缺少必填列：户籍类型"):
        person_import(
            actor=bureau_admin,
            jurisdiction=world.jurisdiction,
            filename="a.csv",
            data="姓名,身份证号\n".encode(),
        )
    with pytest.raises(DomainError, match=r"\.xlsx 或 \.csv"):
        person_import(actor=bureau_admin, jurisdiction=world.jurisdiction, filename="a.xls", data=b"x")


def test_zip_bomb_is_refused(world, bureau_admin, settings):
    # given an xlsx whose content expands far beyond its size
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)
    with pytest.raises(DomainError, match="压缩"):
        person_import(
            actor=bureau_admin, jurisdiction=world.jurisdiction, filename="bomb.xlsx", data=buffer.getvalue()
        )


@pytest.mark.django_db
def test_import_endpoint_is_not_shadowed_by_the_person_detail_route(client, world, bureau_admin):
    """Found while running schemathesis (issue 8): `/people/{person_id}` matched `/people/import`
    and answered 405 to every upload. Ids are now matched as integers only."""
    from gongjiang.registry.tests.factories import PASSWORD

    # given
    assert client.login(username=bureau_admin.username, password=PASSWORD)
    # when an upload without the required columns is posted
    upload = io.BytesIO("姓名\n王五\n".encode())
    upload.name = "people.csv"
    response = client.post("/api/registry/people/import", {"file": upload})
    # then the import itself answers (a Chinese error about the columns), not the detail route
    assert response.status_code == 400
    assert response.json()["code"] == "missing_columns"
