"""Row checks for the catalog's spreadsheet imports, before anything touches the database.

A bureau officer fills in the template (the first sheet of the export has the same columns) and
uploads it. Every row is checked and every problem collected, so one upload shows them all; the
caller raises `ImportRejected` with the list and writes nothing. Row numbers are the spreadsheet's
own (the header is row 1), so "第 3 行" is the row the officer sees as 3.

    职业目录：职业名称 | 职业类别 (A/B/C/D) | 数字职业 (是/否) | 绿色职业 (是/否)
    急需紧缺职业：职业名称 | 起始日期 | 截止日期（可空）| 目录来源
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from gongjiang.core.spreadsheets import INJECTION_PREFIXES, SheetRow

from .choices import SubsidyClass

OCCUPATION_COLUMNS = ("职业名称", "职业类别", "数字职业", "绿色职业")
SHORTAGE_COLUMNS = ("职业名称", "起始日期", "截止日期", "目录来源")

NAME_MAX = 80
SOURCE_MAX = 120
YES = frozenset({"是", "Y", "YES", "TRUE", "1"})
NO = frozenset({"否", "", "N", "NO", "FALSE", "0"})
DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


@dataclass(frozen=True)
class OccupationRow:
    row: int
    name: str
    subsidy_class: str
    is_digital: bool
    is_green: bool


@dataclass(frozen=True)
class ShortageRow:
    row: int
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str


@dataclass
class RowErrors:
    """The problems found so far, in the shape `ImportRejected` carries."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append({"row": row, "column": column, "message": message})

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[dict[str, Any]]:
        return sorted(self.items, key=lambda e: (e["row"], e["column"]))


def check_name(value: str, row: int, column: str, errors: RowErrors) -> str | None:
    name = value.strip()
    if not name:
        errors.add(row, column, "不能为空")
        return None
    if name.startswith(INJECTION_PREFIXES):
        errors.add(row, column, "不能以 = + - @ 开头（疑似公式），请填写职业名称文本")
        return None
    if len(name) > NAME_MAX:
        errors.add(row, column, f"不能超过 {NAME_MAX} 个字")
        return None
    return name


def check_yes_no(value: str, row: int, column: str, errors: RowErrors) -> bool | None:
    text = value.strip().upper()
    if text in YES:
        return True
    if text in NO:
        return False
    errors.add(row, column, f"应填“是”或“否”，实际为“{value}”")
    return None


def check_class(value: str, row: int, column: str, errors: RowErrors) -> str | None:
    text = value.strip().upper().removesuffix("类").strip()
    if text in SubsidyClass.values:
        return text
    if not text:
        errors.add(row, column, "不能为空，应为 A、B、C、D 之一")
    else:
        errors.add(row, column, f"应为 A、B、C、D 之一，实际为“{value}”")
    return None


def check_date(value: str, row: int, column: str, errors: RowErrors, *, required: bool) -> dt.date | None:
    text = value.strip()
    if not text:
        if required:
            errors.add(row, column, "不能为空，格式为 YYYY-MM-DD")
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    errors.add(row, column, f"不是有效日期“{value}”，格式为 YYYY-MM-DD")
    return None


def check_duplicate(name: str, row: int, column: str, seen: dict[str, int], errors: RowErrors) -> bool:
    first = seen.get(name)
    if first is not None:
        errors.add(row, column, f"“{name}”与第 {first} 行重复")
        return False
    seen[name] = row
    return True


def occupation_rows(rows: list[SheetRow]) -> tuple[list[OccupationRow], RowErrors]:
    """Parse the 职业目录 rows; the list is complete only when there are no errors."""
    errors = RowErrors()
    parsed: list[OccupationRow] = []
    seen: dict[str, int] = {}
    for sheet_row in rows:
        n, values = sheet_row.number, sheet_row.values
        name = check_name(values.get("职业名称", ""), n, "职业名称", errors)
        letter = check_class(values.get("职业类别", ""), n, "职业类别", errors)
        digital = check_yes_no(values.get("数字职业", ""), n, "数字职业", errors)
        green = check_yes_no(values.get("绿色职业", ""), n, "绿色职业", errors)
        if name is not None and not check_duplicate(name, n, "职业名称", seen, errors):
            continue
        if name is None or letter is None or digital is None or green is None:
            continue
        parsed.append(
            OccupationRow(row=n, name=name, subsidy_class=letter, is_digital=digital, is_green=green)
        )
    return parsed, errors


def shortage_rows(rows: list[SheetRow]) -> tuple[list[ShortageRow], RowErrors]:
    """Parse the 急需紧缺职业 rows (file-internal checks only; the service checks the database)."""
    errors = RowErrors()
    parsed: list[ShortageRow] = []
    for sheet_row in rows:
        n, values = sheet_row.number, sheet_row.values
        name = check_name(values.get("职业名称", ""), n, "职业名称", errors)
        valid_from = check_date(values.get("起始日期", ""), n, "起始日期", errors, required=True)
        valid_to = check_date(values.get("截止日期", ""), n, "截止日期", errors, required=False)
        source = values.get("目录来源", "").strip()
        source_ok = True
        if not source:
            errors.add(n, "目录来源", "不能为空，请填写目录文件名称或文号")
            source_ok = False
        elif source.startswith(INJECTION_PREFIXES):
            errors.add(n, "目录来源", "不能以 = + - @ 开头（疑似公式）")
            source_ok = False
        elif len(source) > SOURCE_MAX:
            errors.add(n, "目录来源", f"不能超过 {SOURCE_MAX} 个字")
            source_ok = False
        if valid_from and valid_to and valid_to < valid_from:
            errors.add(n, "截止日期", "截止日期不能早于起始日期")
            continue
        if name is None or valid_from is None or not source_ok:
            continue
        if values.get("截止日期", "").strip() and valid_to is None:
            continue
        parsed.append(ShortageRow(row=n, name=name, valid_from=valid_from, valid_to=valid_to, source=source))
    return parsed, errors


def periods_overlap(a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None) -> bool:
    """Closed intervals; `None` as the end means open-ended."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)
