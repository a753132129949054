"""培训合格证 numbers (新民社发〔2025〕13号 附件4 兰州新区2025年培训合格证书号段分配表).

A range belongs to one service unit, one of the three columns of 附件4 (就业技能 / 岗位技能 / 创业
培训) and one year. Numbers are digit strings of the range's width, leading zeros kept
(`042701`); the range stores them as integers plus the width.

Which column a class draws from (`range_category`):

    就业技能培训 → 就业技能    岗位技能培训 → 岗位技能    创业培训 → 创业
    项目化培训   → its category (附件3 备注6: employment-skill or enterprise post training)
    企业新型学徒制 → 岗位技能 (enterprise staff training, listed beside 岗位技能 in 附件2 1.2; the
                    task tables count it the same way, targets/counting.py)

The year is the year the unit approves the closing (the day the certificates are issued).

Allocation (`allocate`) runs inside the closing's transaction: it locks the unit's approved ranges
for that column and year (`select_for_update`, in `first_value` order, so concurrent closings queue
in one order and never deadlock), takes contiguous numbers from `next_value` and moves the counter
on. A number is therefore issued once ever and never skipped: a closing that fails later rolls its
counter move back with it, and the next closing gets the same numbers. When the approved ranges
together have fewer numbers left than the class has qualified trainees, the closing is refused and
nothing is taken.

Certificate numbers are unique in the jurisdiction for ever (`certificate_number_once`), so no two
ranges of the same width may overlap anywhere in the jurisdiction — whatever their unit, column or
year (`overlapping`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db.models import QuerySet

from gongjiang.core.errors import DomainError

from .choices import NumberRangeStatus, TrainingType
from .models import CertificateNumberRange, TrainingClass

DATA_FILE = Path(__file__).resolve().parent / "data" / "certificate_number_ranges.yaml"
RANGE_CATEGORIES = (TrainingType.EMPLOYMENT, TrainingType.ENTERPRISE_POST, TrainingType.STARTUP)
CATEGORY_OF_TYPE: dict[str, str] = {
    TrainingType.EMPLOYMENT: TrainingType.EMPLOYMENT,
    TrainingType.ENTERPRISE_POST: TrainingType.ENTERPRISE_POST,
    TrainingType.APPRENTICESHIP: TrainingType.ENTERPRISE_POST,
    TrainingType.STARTUP: TrainingType.STARTUP,
}
MAX_WIDTH = 18
TOP_KEYS = {"jurisdiction", "document", "citation", "note", "interpretation", "ranges"}
RANGE_KEYS = {"unit", "year", "category", "first", "last"}


def range_category(training_class: TrainingClass) -> str:
    """The 附件4 column a class's certificates are numbered from."""
    return CATEGORY_OF_TYPE[training_class.category]


def category_label(category: str) -> str:
    return str(TrainingType(category).label) if category in TrainingType.values else category


def parse_bounds(first: str, last: str) -> tuple[int, int, int]:
    """'042701', '045700' → (42701, 45700, 6). Both ends digits only, of the same width."""
    first, last = str(first).strip(), str(last).strip()
    if not first.isdigit() or not last.isdigit() or not first.isascii() or not last.isascii():
        raise DomainError("invalid_number", "起止号须为数字（可含前导零，如 042701）")
    if len(first) != len(last):
        raise DomainError(
            "width_mismatch", f"起始号 {first} 与终止号 {last} 位数不同：同一号段的编号位数须一致"
        )
    if len(first) > MAX_WIDTH:
        raise DomainError("too_wide", f"编号最多 {MAX_WIDTH} 位")
    low, high = int(first), int(last)
    if high < low:
        raise DomainError("range_reversed", f"终止号 {last} 小于起始号 {first}")
    return low, high, len(first)


def overlapping(
    jurisdiction_id: int, width: int, low: int, high: int, exclude_pk: int | None = None
) -> CertificateNumberRange | None:
    """A live (requested or approved) range of the jurisdiction that shares a number with low..high."""
    qs = CertificateNumberRange.objects.filter(
        jurisdiction_id=jurisdiction_id, width=width, first_value__lte=high, last_value__gte=low
    ).exclude(status=NumberRangeStatus.REFUSED)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("service_unit").first()


def approved_ranges(
    jurisdiction_id: int, service_unit_id: int, category: str, year: int
) -> QuerySet[CertificateNumberRange]:
    return CertificateNumberRange.objects.filter(
        jurisdiction_id=jurisdiction_id,
        service_unit_id=service_unit_id,
        category=category,
        year=year,
        status=NumberRangeStatus.APPROVED,
    ).order_by("first_value", "id")


@dataclass(frozen=True)
class Allocation:
    number_range: CertificateNumberRange
    number: str


def allocate(*, training_class: TrainingClass, year: int, count: int) -> list[Allocation]:
    """Take `count` numbers for the class's unit, 附件4 column and `year`; call inside the closing's
    transaction (the row locks are held until it commits or rolls back)."""
    if count <= 0:
        return []
    category = range_category(training_class)
    what = f"{training_class.service_unit.name} {year} 年{category_label(category)}"
    ranges = list(
        approved_ranges(
            training_class.jurisdiction_id, training_class.service_unit_id, category, year
        ).select_for_update()
    )
    if not ranges:
        raise DomainError(
            "no_number_range",
            f"{what}没有已批准的培训合格证号段，不能结班发证：请局管理员添加号段（新民社发〔2025〕13号 附件4）",
        )
    available = sum(r.remaining for r in ranges)
    if available < count:
        raise DomainError(
            "number_range_exhausted",
            f"{what}培训合格证号段剩余 {available} 个，本班合格学员 {count} 人，号段不足，不能结班发证："
            "请申请增加号段（附件4 注：号段不足时可申请增加），批准后再审核结班",
        )
    taken: list[Allocation] = []
    for number_range in ranges:
        need = count - len(taken)
        if need == 0:
            break
        take = min(number_range.remaining, need)
        if take == 0:
            continue
        start = number_range.next_value
        taken.extend(Allocation(number_range, number_range.format(v)) for v in range(start, start + take))
        number_range.next_value = start + take
        number_range.save(update_fields=["next_value"])
    return taken


# The 附件4 data file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RangeData:
    unit: str
    year: int
    category: str
    first: str
    last: str


@dataclass(frozen=True)
class RangesFile:
    jurisdiction: str
    document: str
    citation: str
    ranges: tuple[RangeData, ...]


def _unique_keys_loader() -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        repeated = {k for k in keys if keys.count(k) > 1}
        if repeated:
            raise DomainError("duplicate_key", f"号段文件中重复的键：{sorted(map(str, repeated))}")
        return loader.construct_mapping(node, deep=deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return Loader


def read_ranges_file(path: Path = DATA_FILE) -> RangesFile:
    """Read and check the data file: whitelisted keys, known columns, numbers as quoted strings."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_unique_keys_loader())  # noqa: S506
    if not isinstance(data, dict) or set(data) != TOP_KEYS:
        raise DomainError("bad_file", f"号段文件的键须为：{sorted(TOP_KEYS)}")
    rows = []
    for item in data["ranges"]:
        if not isinstance(item, dict) or set(item) != RANGE_KEYS:
            raise DomainError("bad_row", f"号段行的键须为：{sorted(RANGE_KEYS)}")
        if item["category"] not in RANGE_CATEGORIES:
            raise DomainError("bad_category", f"未知的号段类别：{item['category']}")
        if not isinstance(item["first"], str) or not isinstance(item["last"], str):
            raise DomainError("unquoted_number", "起止号须写成带引号的字符串，以保留前导零")
        parse_bounds(item["first"], item["last"])
        rows.append(
            RangeData(str(item["unit"]), int(item["year"]), item["category"], item["first"], item["last"])
        )
    return RangesFile(str(data["jurisdiction"]), str(data["document"]), str(data["citation"]), tuple(rows))
