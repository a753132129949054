"""Importing people from Excel/CSV: every row validated first, then all written or none.

Columns (the template from `person_import_template`): 姓名, 身份证号, 户籍类型 (农村/城镇), 手机号,
开户行, 银行账号, then one 是/否 column per flag (毕业年度高校毕业生 … 残疾人). A file with any bad row
raises ImportRejected listing each row number, column and reason in Chinese; nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongjiang.core.audit import audit_record
from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import require, require_jurisdiction
from gongjiang.core.pii import keyed_hash
from gongjiang.core.spreadsheets import read_table, require_columns, write_xlsx

from .models import Person
from .services import person_create
from .validators import bank_account_clean, phone_clean, resident_id_parse

FLAG_COLUMNS = {
    "毕业年度高校毕业生": "is_graduate_of_year",
    "防止返贫监测对象": "is_poverty_monitoring",
    "城乡未继续升学的应届初高中毕业生": "is_unenrolled_graduate",
    "农村转移就业劳动者": "is_rural_migrant_worker",
    "城镇登记失业人员": "is_registered_unemployed",
    "就业困难人员": "is_employment_difficulty",
    "城乡低保": "is_urban_rural_dibao",
    "退役军人": "is_veteran",
    "残疾人": "is_disabled",
}
REQUIRED = ("姓名", "身份证号", "户籍类型")
COLUMNS = (*REQUIRED, "手机号", "开户行", "银行账号", *FLAG_COLUMNS)
HOUSEHOLD = {"农村": "rural", "城镇": "urban"}
YES_NO = {"是": True, "否": False, "": False}


def person_import_template() -> bytes:
    example = ["张三", "620102199001021239", "农村", "13812345678", "中国农业银行", "6228480012345678901"]
    return write_xlsx({"人员导入": (COLUMNS, [example + ["否"] * len(FLAG_COLUMNS)])})


def _row_to_person(
    values: dict[str, str], errors: list[dict[str, Any]], number: int
) -> dict[str, Any] | None:
    def fail(column: str, message: str) -> None:
        errors.append({"row": number, "column": column, "message": message})

    before = len(errors)
    data: dict[str, Any] = {"name": values.get("姓名", "").strip()}
    if not data["name"]:
        fail("姓名", "姓名不能为空")
    try:
        data["id_number"] = resident_id_parse(values.get("身份证号", "")).number
    except DomainError as exc:
        fail("身份证号", exc.message)
    household = values.get("户籍类型", "").strip()
    if household not in HOUSEHOLD:
        fail("户籍类型", "户籍类型须为“农村”或“城镇”")
    else:
        data["household_type"] = HOUSEHOLD[household]
    for column, cleaner, key in (
        ("手机号", phone_clean, "phone"),
        ("银行账号", bank_account_clean, "bank_account"),
    ):
        try:
            data[key] = cleaner(values.get(column, ""))
        except DomainError as exc:
            fail(column, exc.message)
    data["bank_name"] = values.get("开户行", "").strip()
    for column, field in FLAG_COLUMNS.items():
        raw = values.get(column, "").strip()
        if raw not in YES_NO:
            fail(column, "须填写“是”或“否”")
        else:
            data[field] = YES_NO[raw]
    return data if len(errors) == before else None


def person_import(*, actor: Any, jurisdiction: Jurisdiction, filename: str, data: bytes) -> list[Person]:
    require(actor, "registry.manage_person")
    require_jurisdiction(actor, jurisdiction.pk)
    header, rows = read_table(filename, data)
    require_columns(header, REQUIRED)
    errors: list[dict[str, Any]] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in rows:
        person = _row_to_person(row.values, errors, row.number)
        if person is None:
            continue
        number = person["id_number"]
        if number in seen:
            errors.append({"row": row.number, "column": "身份证号", "message": f"与第 {seen[number]} 行重复"})
            continue
        seen[number] = row.number
        if Person.objects.filter(id_number_hash=keyed_hash(number)).exists():
            errors.append({"row": row.number, "column": "身份证号", "message": "该身份证号已登记"})
            continue
        parsed.append(person)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e["row"], COLUMNS.index(e["column"]))))
    if not parsed:
        raise DomainError("empty_file", "文件中没有数据行")
    with transaction.atomic():
        created = [person_create(actor=actor, jurisdiction=jurisdiction, **person) for person in parsed]
        audit_record(
            actor=actor,
            obj=jurisdiction,
            action="import",
            event_type="people_imported",
            after={"file": filename, "created": [p.pk for p in created]},
        )
    return created
