"""The targets files under `data/`: a jurisdiction's task tables and goals, as plain checked values.

One YAML file per jurisdiction and document (`lanzhou-xinqu-2025.yaml` → 新民社发〔2025〕13号 附件1 and
its goals). This module only reads and checks; `services.targets_load_reference` writes them. The
checks are strict because every figure on the dashboard is measured against these numbers:

- unknown or missing keys, a key repeated in one mapping, a column outside the 12 of 附件1;
- a unit row whose 合计 is not 就业 + 岗位 + 创业, a "其中" cell larger than the column it is part of;
- a `stated_total` row (the document's 合计 row) that is not the sum of the unit rows;
- a goal measure that is neither built in (`progress.BUILTIN_MEASURES`) nor declared for another app
  (`extensions.EXTERNAL_MEASURES`), and a key used twice.

`occupation_categories.yaml` says which occupations count as 康养类 and 电商类 (see its comments).
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gongjiang.core.errors import DomainError

from .choices import COLUMN_ORDER, KIND_COLUMNS, PART_OF, Comparator, GoalUnit, TargetColumn

DATA_DIR = Path(__file__).resolve().parent / "data"
CATEGORIES_FILE = DATA_DIR / "occupation_categories.yaml"

# Jurisdiction code → its files, oldest document first.
REFERENCE_FILES: dict[str, tuple[str, ...]] = {
    "lanzhou-xinqu": ("lanzhou-xinqu-2024.yaml", "lanzhou-xinqu-2025.yaml"),
    "taierzhuang": ("taierzhuang-2021.yaml",),
    "shangyu": ("shangyu-2023.yaml",),
    "huzhou": ("huzhou-2021.yaml",),
}

TOP_KEYS = {"jurisdiction", "document", "tables", "goals"}
TABLE_KEYS = {
    "year",
    "title",
    "citation",
    "measure_unit",
    "note",
    "counts_skill_upgrade_recipients",
    "interpretation",
    "units",
    "stated_total",
}
UNIT_KEYS = {"unit", "name", "figures"}
GOAL_KEYS = {
    "key",
    "clause",
    "quote",
    "title",
    "comparator",
    "value",
    "unit",
    "years",
    "per_year",
    "measure",
    "interpretation",
}
CATEGORY_KEYS = {"column", "citation", "interpretation", "occupations"}
CATEGORY_COLUMNS = {TargetColumn.ELDERLY_CARE.value, TargetColumn.ECOMMERCE.value}

Figures = dict[str, int | None]


@dataclass(frozen=True)
class UnitRow:
    unit_code: str
    unit_name: str
    figures: Figures


@dataclass(frozen=True)
class TableData:
    year: int
    title: str
    citation: str
    measure_unit: str
    note: str
    counts_skill_upgrade_recipients: bool
    interpretation: str
    units: tuple[UnitRow, ...]
    stated_total: Figures


@dataclass(frozen=True)
class GoalData:
    key: str
    clause: str
    quote: str
    title: str
    comparator: str
    value: decimal.Decimal
    unit: str
    year_from: int
    year_to: int
    per_year: bool
    measure: str
    interpretation: str
    position: int


@dataclass(frozen=True)
class TargetsFile:
    jurisdiction: str
    document: str
    tables: tuple[TableData, ...] = ()
    goals: tuple[GoalData, ...] = ()


@dataclass(frozen=True)
class Category:
    column: str
    citation: str
    interpretation: str
    occupations: frozenset[str] = field(default_factory=frozenset)


def _bad(where: str, message: str) -> DomainError:
    return DomainError("bad_targets_data", f"任务目标数据文件有误（{where}）：{message}")


def _mapping(value: Any, keys: set[str], required: set[str], where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(where, "应为键值表")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise _bad(where, "未知的键 " + "、".join(map(str, unknown)))
    missing = sorted(required - set(value))
    if missing:
        raise _bad(where, "缺少键 " + "、".join(missing))
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _bad(where, "应为非空列表")
    return value


def _text(value: Any, where: str, *, blank: bool = False) -> str:
    if value is None and blank:
        return ""
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise _bad(where, "应为非空文本")
    return " ".join(value.split())


def _int(value: Any, where: str, *, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _bad(where, f"应为不小于 {minimum} 的整数")
    return value


def _year(value: Any, where: str) -> int:
    year = _int(value, where)
    if not 2000 <= year <= 2100:
        raise _bad(where, f"年度应在 2000—2100 之间，实际为 {year}")
    return year


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _bad(where, "应为 true 或 false")
    return value


def check_figures(figures: Figures, where: str) -> None:
    """The two arithmetic rules of a 附件1 row (unit rows and the 合计 row alike)."""
    total = figures[TargetColumn.TOTAL]
    kinds = sum(figures[c] or 0 for c in KIND_COLUMNS)
    if (total or 0) != kinds:
        raise _bad(where, f"合计 {total} ≠ 就业技能培训 + 岗位技能培训 + 创业培训 = {kinds}")
    for part, whole in PART_OF.items():
        if (figures[part] or 0) > (figures[whole] or 0):
            raise _bad(where, f"{TargetColumn(part).label} {figures[part]} 大于 {TargetColumn(whole).label}")


def _figures(value: Any, where: str) -> Figures:
    raw = _mapping(value, set(COLUMN_ORDER), set(COLUMN_ORDER), where)
    figures: Figures = {}
    for column in COLUMN_ORDER:
        cell = raw[column]
        figures[column] = None if cell is None else _int(cell, f"{where}.{column}")
    check_figures(figures, where)
    return figures


def sum_rows(rows: list[Figures]) -> Figures:
    """The 合计 row: each column summed; a column with no figure in any row stays empty (“/”)."""
    total: Figures = {}
    for column in COLUMN_ORDER:
        values = [row[column] for row in rows if row[column] is not None]
        total[column] = sum(v for v in values if v is not None) if values else None
    return total


def _table(value: Any, where: str) -> TableData:
    raw = _mapping(value, TABLE_KEYS, TABLE_KEYS - {"note", "interpretation", "stated_total"}, where)
    units = []
    for i, item in enumerate(_list(raw["units"], where + ".units")):
        item_where = f"{where}.units[{i}]"
        item = _mapping(item, UNIT_KEYS, UNIT_KEYS, item_where)
        units.append(
            UnitRow(
                unit_code=_text(item["unit"], item_where + ".unit"),
                unit_name=_text(item["name"], item_where + ".name"),
                figures=_figures(item["figures"], item_where + ".figures"),
            )
        )
    codes = [u.unit_code for u in units]
    if len(set(codes)) != len(codes):
        raise _bad(where + ".units", "同一单位列出两次")
    computed = sum_rows([u.figures for u in units])
    stated = computed
    if "stated_total" in raw:
        stated = _figures(raw["stated_total"], where + ".stated_total")
        wrong = [str(TargetColumn(c).label) for c in COLUMN_ORDER if stated[c] != computed[c]]
        if wrong:
            raise _bad(where + ".stated_total", "合计行与各单位之和不符：" + "、".join(wrong))
    return TableData(
        year=_year(raw["year"], where + ".year"),
        title=_text(raw["title"], where + ".title"),
        citation=_text(raw["citation"], where + ".citation"),
        measure_unit=_text(raw["measure_unit"], where + ".measure_unit"),
        note=_text(raw.get("note"), where + ".note", blank=True),
        counts_skill_upgrade_recipients=_flag(
            raw["counts_skill_upgrade_recipients"], where + ".counts_skill_upgrade_recipients"
        ),
        interpretation=_text(raw.get("interpretation"), where + ".interpretation", blank=True),
        units=tuple(units),
        stated_total=stated,
    )


def known_measures() -> set[str]:
    from .extensions import EXTERNAL_MEASURES
    from .progress import BUILTIN_MEASURES

    return set(BUILTIN_MEASURES) | set(EXTERNAL_MEASURES)


def _goal(value: Any, where: str, position: int) -> GoalData:
    raw = _mapping(value, GOAL_KEYS, GOAL_KEYS - {"per_year", "interpretation"}, where)
    comparator = _text(raw["comparator"], where + ".comparator")
    if comparator not in Comparator.values:
        raise _bad(where + ".comparator", f"应为 {'、'.join(Comparator.values)} 之一")
    unit = _text(raw["unit"], where + ".unit")
    if unit not in GoalUnit.values:
        raise _bad(where + ".unit", f"应为 {'、'.join(GoalUnit.values)} 之一")
    if isinstance(raw["value"], bool) or not isinstance(raw["value"], int | float):
        raise _bad(where + ".value", "应为数字")
    amount = decimal.Decimal(str(raw["value"]))
    if amount <= 0:
        raise _bad(where + ".value", "应为正数")
    years = raw["years"]
    if not isinstance(years, list) or len(years) != 2:
        raise _bad(where + ".years", "应为 [起始年度, 截止年度]")
    year_from, year_to = _year(years[0], where + ".years[0]"), _year(years[1], where + ".years[1]")
    if year_to < year_from:
        raise _bad(where + ".years", "截止年度早于起始年度")
    measure = _text(raw["measure"], where + ".measure", blank=True)
    if measure and measure not in known_measures():
        raise _bad(where + ".measure", f"未知的进度口径“{measure}”")
    return GoalData(
        key=_text(raw["key"], where + ".key"),
        clause=_text(raw["clause"], where + ".clause"),
        quote=_text(raw["quote"], where + ".quote"),
        title=_text(raw["title"], where + ".title"),
        comparator=comparator,
        value=amount,
        unit=unit,
        year_from=year_from,
        year_to=year_to,
        per_year=_flag(raw.get("per_year", False), where + ".per_year"),
        measure=measure,
        interpretation=_text(raw.get("interpretation"), where + ".interpretation", blank=True),
        position=position,
    )


def parse_targets(raw: Any) -> TargetsFile:
    top = _mapping(raw, TOP_KEYS, {"jurisdiction", "document"}, "文件")
    tables: tuple[TableData, ...] = ()
    if "tables" in top:
        tables = tuple(_table(t, f"tables[{i}]") for i, t in enumerate(_list(top["tables"], "tables")))
    goals: tuple[GoalData, ...] = ()
    if "goals" in top:
        goals = tuple(_goal(g, f"goals[{i}]", i + 1) for i, g in enumerate(_list(top["goals"], "goals")))
    keys = [g.key for g in goals]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise _bad("goals", "代码重复 " + "、".join(repeated))
    years = [t.year for t in tables]
    if len(set(years)) != len(years):
        raise _bad("tables", "同一年度列出两张任务分解表")
    return TargetsFile(
        jurisdiction=_text(top["jurisdiction"], "jurisdiction"),
        document=_text(top["document"], "document"),
        tables=tables,
        goals=goals,
    )


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated in one mapping (PyYAML silently keeps the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(key_node) for key_node, _value in node.value]
    repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
    if repeated:
        raise _bad(f"第 {node.start_mark.line + 1} 行", "键重复 " + "、".join(repeated))
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise _bad("YAML", str(exc).splitlines()[0]) from exc


def parse_targets_text(text: str) -> TargetsFile:
    return parse_targets(_yaml(text))


def load_targets(jurisdiction_code: str) -> list[TargetsFile]:
    """Every targets file of a jurisdiction, checked; none for a jurisdiction without files."""
    files = []
    for name in REFERENCE_FILES.get(jurisdiction_code, ()):
        data = parse_targets_text((DATA_DIR / name).read_text(encoding="utf-8"))
        if data.jurisdiction != jurisdiction_code:
            raise _bad(name, f"文件属于辖区“{data.jurisdiction}”，不是“{jurisdiction_code}”")
        files.append(data)
    return files


def parse_categories(raw: Any) -> dict[str, Category]:
    top = _mapping(raw, {"categories"}, {"categories"}, "文件")
    categories: dict[str, Category] = {}
    for i, item in enumerate(_list(top["categories"], "categories")):
        where = f"categories[{i}]"
        item = _mapping(item, CATEGORY_KEYS, CATEGORY_KEYS, where)
        column = _text(item["column"], where + ".column")
        if column not in CATEGORY_COLUMNS:
            raise _bad(where + ".column", "只能是 elderly_care（康养类）或 ecommerce（电商类）")
        if column in categories:
            raise _bad(where + ".column", "同一类别列出两次")
        names = [_text(n, f"{where}.occupations") for n in _list(item["occupations"], where + ".occupations")]
        if len(set(names)) != len(names):
            raise _bad(where + ".occupations", "职业重复")
        categories[column] = Category(
            column=column,
            citation=_text(item["citation"], where + ".citation"),
            interpretation=_text(item["interpretation"], where + ".interpretation"),
            occupations=frozenset(names),
        )
    return categories


_categories_cache: dict[str, Category] | None = None


def occupation_categories() -> dict[str, Category]:
    """康养类/电商类 occupation lists (read once per process)."""
    global _categories_cache
    if _categories_cache is None:
        _categories_cache = parse_categories(_yaml(CATEGORIES_FILE.read_text(encoding="utf-8")))
    return _categories_cache


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
