"""The reference-data files under `data/`: what a jurisdiction's documents list, as plain values.

One YAML file per jurisdiction and document (`lanzhou-xinqu` → 新民社发〔2025〕13号). This module only
reads and checks the file; `services.catalog_load_reference` writes it to the database. The checks
are strict because the file is the source every subsidy figure depends on: unknown keys, missing
keys, a class letter outside A–D and a name listed twice are all refused with the path of the
offending entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gongjiang.core.errors import DomainError

from .choices import SubsidyClass

DATA_DIR = Path(__file__).resolve().parent / "data"

# Jurisdiction code → its reference file. A jurisdiction without a file has no built-in catalog.
REFERENCE_FILES: dict[str, str] = {
    "lanzhou-xinqu": "lanzhou_xinqu_2025_occupations.yaml",
}

TOP_KEYS = {
    "jurisdiction",
    "document",
    "occupation_classes",
    "startup_courses",
    "certificate_types",
    "skill_levels",
}
CLASS_KEYS = {"class", "citation", "occupations"}
OCCUPATION_KEYS = {"name", "digital", "green", "special_ability_item", "interpretation"}
COURSE_KEYS = {"code", "name", "min_class_hours", "min_days", "citation"}
CERTIFICATE_KEYS = {"code", "name"}
LEVEL_KEYS = {"code", "name", "alias", "rank"}


@dataclass(frozen=True)
class ReferenceOccupation:
    name: str
    subsidy_class: str
    citation: str
    is_digital: bool = False
    is_green: bool = False
    is_special_ability_item: bool = False


@dataclass(frozen=True)
class ReferenceCourse:
    code: str
    name: str
    min_class_hours: int
    min_days: int


@dataclass(frozen=True)
class ReferenceCertificateType:
    code: str
    name: str


@dataclass(frozen=True)
class ReferenceSkillLevel:
    code: str
    name: str
    alias: str
    rank: int


@dataclass(frozen=True)
class ReferenceData:
    jurisdiction: str
    document: str
    occupations: tuple[ReferenceOccupation, ...]
    startup_courses: tuple[ReferenceCourse, ...]
    certificate_types: tuple[ReferenceCertificateType, ...]
    skill_levels: tuple[ReferenceSkillLevel, ...]


def _bad(where: str, message: str) -> DomainError:
    return DomainError("bad_reference_data", f"参考数据文件有误（{where}）：{message}")


def _mapping(value: Any, keys: set[str], required: set[str], where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(where, "应为键值表")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise _bad(where, "未知的键 " + "、".join(unknown))
    missing = sorted(required - set(value))
    if missing:
        raise _bad(where, "缺少键 " + "、".join(missing))
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _bad(where, "应为非空列表")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(where, "应为非空文本")
    return value.strip()


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _bad(where, "应为 true 或 false")
    return value


def _number(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise _bad(where, "应为正整数")
    return value


def _unique(items: list[str], what: str, where: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise _bad(where, f"{what}“{item}”重复")
        seen.add(item)


def parse_reference(raw: Any) -> ReferenceData:
    """Check a parsed YAML document and turn it into `ReferenceData`."""
    top = _mapping(raw, TOP_KEYS, TOP_KEYS, "文件")

    occupations: list[ReferenceOccupation] = []
    for i, block in enumerate(_list(top["occupation_classes"], "occupation_classes")):
        where = f"occupation_classes[{i}]"
        block = _mapping(block, CLASS_KEYS, CLASS_KEYS, where)
        letter = _text(block["class"], where + ".class")
        if letter not in SubsidyClass.values:
            raise _bad(where + ".class", f"职业类别应为 A、B、C、D 之一，实际为“{letter}”")
        citation = _text(block["citation"], where + ".citation")
        for j, item in enumerate(_list(block["occupations"], where + ".occupations")):
            item_where = f"{where}.occupations[{j}]"
            item = _mapping(item, OCCUPATION_KEYS, {"name"}, item_where)
            occupations.append(
                ReferenceOccupation(
                    name=_text(item["name"], item_where + ".name"),
                    subsidy_class=letter,
                    citation=citation,
                    is_digital=_flag(item.get("digital", False), item_where + ".digital"),
                    is_green=_flag(item.get("green", False), item_where + ".green"),
                    is_special_ability_item=_flag(
                        item.get("special_ability_item", False), item_where + ".special_ability_item"
                    ),
                )
            )
    _unique([o.name for o in occupations], "职业名称", "occupation_classes")

    courses = []
    for i, item in enumerate(_list(top["startup_courses"], "startup_courses")):
        where = f"startup_courses[{i}]"
        item = _mapping(item, COURSE_KEYS, COURSE_KEYS, where)
        courses.append(
            ReferenceCourse(
                code=_text(item["code"], where + ".code"),
                name=_text(item["name"], where + ".name"),
                min_class_hours=_number(item["min_class_hours"], where + ".min_class_hours"),
                min_days=_number(item["min_days"], where + ".min_days"),
            )
        )
    _unique([c.code for c in courses], "课程代码", "startup_courses")

    certificates = []
    for i, item in enumerate(_list(top["certificate_types"], "certificate_types")):
        where = f"certificate_types[{i}]"
        item = _mapping(item, CERTIFICATE_KEYS, CERTIFICATE_KEYS, where)
        certificates.append(
            ReferenceCertificateType(
                code=_text(item["code"], where + ".code"), name=_text(item["name"], where + ".name")
            )
        )
    _unique([c.code for c in certificates], "证书类型代码", "certificate_types")

    levels = []
    for i, item in enumerate(_list(top["skill_levels"], "skill_levels")):
        where = f"skill_levels[{i}]"
        item = _mapping(item, LEVEL_KEYS, {"code", "name", "rank"}, where)
        levels.append(
            ReferenceSkillLevel(
                code=_text(item["code"], where + ".code"),
                name=_text(item["name"], where + ".name"),
                alias=str(item.get("alias", "")).strip(),
                rank=_number(item["rank"], where + ".rank"),
            )
        )
    _unique([level.code for level in levels], "技能等级代码", "skill_levels")
    _unique([str(level.rank) for level in levels], "技能等级序号", "skill_levels")

    return ReferenceData(
        jurisdiction=_text(top["jurisdiction"], "jurisdiction"),
        document=_text(top["document"], "document"),
        occupations=tuple(occupations),
        startup_courses=tuple(courses),
        certificate_types=tuple(certificates),
        skill_levels=tuple(levels),
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


def parse_reference_text(text: str) -> ReferenceData:
    return parse_reference(yaml.load(text, Loader=_StrictLoader))  # noqa: S506 - a SafeLoader subclass


def reference_path(jurisdiction_code: str) -> Path:
    filename = REFERENCE_FILES.get(jurisdiction_code)
    if filename is None:
        raise DomainError("no_reference_data", f"辖区“{jurisdiction_code}”没有内置的职业目录参考数据")
    return DATA_DIR / filename


def load_reference(jurisdiction_code: str) -> ReferenceData:
    """Read and check the reference file of a jurisdiction."""
    path = reference_path(jurisdiction_code)
    data = parse_reference_text(path.read_text(encoding="utf-8"))
    if data.jurisdiction != jurisdiction_code:
        raise _bad(path.name, f"文件属于辖区“{data.jurisdiction}”，不是“{jurisdiction_code}”")
    return data
