"""Row checks of the targets app's two imports, before anything touches the database. Every problem
of every row is collected ({row, column, message}, the spreadsheet's own row numbers: the header is
row 1); the service writes nothing unless there are none.

任务分解表 (one sheet, one row per unit; the 合计 row is optional and, when present, must equal the sum):
    单位 | 合计 | 就业技能培训 | 就业技能培训·其中国家级基地承接 | 岗位技能培训 | … | 防止返贫监测对象
    a cell may be “/” or empty: no task in that cell (as in 附件1).

领取失业保险技能提升补贴人员 (附件1 备注):
    姓名 | 身份证号 | 统计单位 | 职业(工种) | 证书等级 | 证书编号 | 领取日期 | 补贴金额
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from gongjiang.catalog.models import Occupation, SkillLevel
from gongjiang.core.errors import DomainError
from gongjiang.core.pii import keyed_hash
from gongjiang.core.spreadsheets import INJECTION_PREFIXES, SheetRow
from gongjiang.registry.models import ServiceUnit
from gongjiang.registry.validators import resident_id_parse
from gongjiang.training.imports import RowErrors, parse_date

from .choices import COLUMN_ORDER, KIND_COLUMNS, PART_OF, TargetColumn
from .models import SkillUpgradeRecipient

UNIT_COLUMN = "单位"
TOTAL_ROW_NAMES = frozenset({"合计", "合 计", "总计"})
TABLE_COLUMNS: tuple[str, ...] = (UNIT_COLUMN, *(str(TargetColumn(c).label) for c in COLUMN_ORDER))
LABEL_TO_COLUMN = {str(TargetColumn(c).label): c for c in COLUMN_ORDER}
EMPTY_CELLS = frozenset({"", "/", "／", "-", "—", "无"})
MAX_FIGURE = 10_000_000

RECIPIENT_COLUMNS = (
    "姓名",
    "身份证号",
    "统计单位",
    "职业(工种)",
    "证书等级",
    "证书编号",
    "领取日期",
    "补贴金额",
)
MONEY_RE = re.compile(r"^\d{1,8}(\.\d{1,2})?$")

Figures = dict[str, int | None]


def unit_lookup(jurisdiction: Any) -> dict[str, ServiceUnit]:
    """A jurisdiction's units by name and by code (what an officer types in the 单位 column)."""
    units: dict[str, ServiceUnit] = {}
    for unit in ServiceUnit.objects.filter(jurisdiction=jurisdiction):
        units[unit.name] = unit
        units[unit.code] = unit
    return units


def _text_ok(value: str, row: int, column: str, errors: RowErrors, *, max_length: int) -> str | None:
    text = value.strip()
    if not text:
        errors.add(row, column, "不能为空")
        return None
    if text.startswith(INJECTION_PREFIXES):
        errors.add(row, column, "不能以 = + - @ 开头（疑似公式）")
        return None
    if len(text) > max_length:
        errors.add(row, column, f"不能超过 {max_length} 个字")
        return None
    return text


def parse_figure(value: str, row: int, column: str, errors: RowErrors) -> int | None:
    text = value.strip()
    if text in EMPTY_CELLS:
        return None
    if not text.isdigit() or not text.isascii():
        errors.add(row, column, f"应为不小于 0 的整数，或“/”表示无此项任务，实际为“{value}”")
        return None
    number = int(text)
    if number > MAX_FIGURE:
        errors.add(row, column, f"数值过大（{number}）")
        return None
    return number


def figure_problems(figures: Figures) -> list[tuple[str, str]]:
    """The arithmetic of a 附件1 row: (column label, message) for each rule it breaks."""
    problems = []
    total = figures.get(TargetColumn.TOTAL)
    kinds = sum(figures.get(c) or 0 for c in KIND_COLUMNS)
    if (total or 0) != kinds:
        problems.append(
            (
                str(TargetColumn.TOTAL.label),
                f"合计 {total or 0} 应等于 就业技能培训 + 岗位技能培训 + 创业培训 = {kinds}",
            )
        )
    for part, whole in PART_OF.items():
        if (figures.get(part) or 0) > (figures.get(whole) or 0):
            problems.append(
                (
                    str(TargetColumn(part).label),
                    f"“其中”数 {figures.get(part)} 不能大于{TargetColumn(whole).label} {figures.get(whole) or 0}",
                )
            )
    return problems


@dataclass(frozen=True)
class TableRows:
    figures: dict[int, Figures]  # service unit id → figures


def table_rows(jurisdiction: Any, rows: list[SheetRow]) -> tuple[TableRows, RowErrors]:
    errors = RowErrors()
    units = unit_lookup(jurisdiction)
    figures: dict[int, Figures] = {}
    stated_total: tuple[int, Figures] | None = None
    for sheet_row in rows:
        n = sheet_row.number
        name = sheet_row.values.get(UNIT_COLUMN, "").strip()
        row_figures: Figures = {
            column: parse_figure(sheet_row.values.get(label, ""), n, label, errors)
            for label, column in LABEL_TO_COLUMN.items()
        }
        if name in TOTAL_ROW_NAMES:
            stated_total = (n, row_figures)
            continue
        unit = units.get(name)
        if not name:
            errors.add(n, UNIT_COLUMN, "不能为空")
            continue
        if unit is None:
            errors.add(n, UNIT_COLUMN, f"本辖区没有名为“{name}”的服务单位")
            continue
        if unit.pk in figures:
            errors.add(n, UNIT_COLUMN, f"“{unit.name}”重复出现")
            continue
        for column_label, message in figure_problems(row_figures):
            errors.add(n, column_label, message)
        figures[unit.pk] = row_figures
    if not rows or (not figures and not errors):
        errors.add(2, UNIT_COLUMN, "没有任何单位的任务数")
    if stated_total is not None and figures:
        n, stated = stated_total
        for column in COLUMN_ORDER:
            values = [f[column] for f in figures.values() if f[column] is not None]
            expected = sum(v for v in values if v is not None) if values else None
            if stated[column] != expected:
                errors.add(
                    n,
                    str(TargetColumn(column).label),
                    f"合计行为 {stated[column] if stated[column] is not None else '/'}，"
                    f"各单位之和为 {expected if expected is not None else '/'}",
                )
    return TableRows(figures=figures), errors


@dataclass(frozen=True)
class RecipientRow:
    row: int
    name: str
    id_number: str
    unit: ServiceUnit
    occupation: Occupation
    level: SkillLevel
    certificate_number: str
    paid_on: dt.date
    amount: decimal.Decimal


def _level_lookup() -> dict[str, SkillLevel]:
    levels: dict[str, SkillLevel] = {}
    for level in SkillLevel.objects.all():
        for key in (level.name, level.alias, level.code):
            if key:
                levels[key] = level
    return levels


def recipient_rows(
    jurisdiction: Any, year: int, rows: list[SheetRow]
) -> tuple[list[RecipientRow], RowErrors]:
    errors = RowErrors()
    units = unit_lookup(jurisdiction)
    levels = _level_lookup()
    occupations = {o.name: o for o in Occupation.objects.filter(is_active=True)}
    already = set(
        SkillUpgradeRecipient.objects.filter(jurisdiction=jurisdiction, year=year).values_list(
            "id_number_hash", flat=True
        )
    )
    today = timezone.localdate()
    seen: dict[str, int] = {}
    parsed: list[RecipientRow] = []
    if not rows:
        errors.add(2, "姓名", "文件中没有数据行")
    for sheet_row in rows:
        n, v = sheet_row.number, sheet_row.values
        name = _text_ok(v.get("姓名", ""), n, "姓名", errors, max_length=60)
        number = None
        try:
            number = resident_id_parse(v.get("身份证号", "")).number
        except DomainError as exc:
            errors.add(n, "身份证号", exc.message)
        if number is not None:
            digest = keyed_hash(number)
            if digest in seen:
                errors.add(n, "身份证号", f"与第 {seen[digest]} 行重复")
                number = None
            elif digest in already:
                errors.add(
                    n,
                    "身份证号",
                    f"该人员 {year} 年已导入：每人每年只能享受1次（新民社发〔2025〕13号 附件3 备注5）",
                )
                number = None
            else:
                seen[digest] = n
        unit_name = v.get("统计单位", "").strip()
        unit = units.get(unit_name)
        if unit is None:
            errors.add(n, "统计单位", f"本辖区没有名为“{unit_name}”的服务单位" if unit_name else "不能为空")
        occupation_name = v.get("职业(工种)", "").strip()
        occupation = occupations.get(occupation_name)
        if occupation is None:
            errors.add(
                n, "职业(工种)", f"职业目录中没有“{occupation_name}”" if occupation_name else "不能为空"
            )
        level_name = v.get("证书等级", "").strip()
        level = levels.get(level_name)
        if level is None:
            errors.add(n, "证书等级", f"应为 初级工/中级工/高级工/技师/高级技师 之一，实际为“{level_name}”")
        certificate = _text_ok(v.get("证书编号", ""), n, "证书编号", errors, max_length=40)
        paid_on = parse_date(v.get("领取日期", ""))
        if paid_on is None:
            errors.add(n, "领取日期", "日期格式应为 YYYY-MM-DD")
        elif paid_on.year != year:
            errors.add(n, "领取日期", f"不在 {year} 年内")
            paid_on = None
        elif paid_on > today:
            errors.add(n, "领取日期", "不能晚于今天")
            paid_on = None
        amount_text = v.get("补贴金额", "").strip().replace(",", "")
        amount = decimal.Decimal(amount_text) if MONEY_RE.match(amount_text) else None
        if amount is None or amount <= 0:
            errors.add(
                n, "补贴金额", f"应为大于 0 的金额（元，最多两位小数），实际为“{v.get('补贴金额', '')}”"
            )
            amount = None
        if (
            name
            and number
            and unit is not None
            and occupation is not None
            and level is not None
            and certificate
            and paid_on is not None
            and amount is not None
        ):
            parsed.append(
                RecipientRow(n, name, number, unit, occupation, level, certificate, paid_on, amount)
            )
    return parsed, errors
