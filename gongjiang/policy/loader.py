"""Reading policy packs: strict, small, and loud about mistakes.

Every mapping is checked against a whitelist of keys, duplicate YAML keys are refused, every
parameter value must carry a `reference` and start on a date the pack declares as a version, and
every parameter a benefit names must exist. One malformed fixture per error lives in
tests/malformed/.
"""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .model import Benefit, FactSpec, Pack, Parameter, ParamValue, Version

PACKS_DIR = Path(__file__).resolve().parent / "packs"
REPO_DIR = Path(__file__).resolve().parents[2]
PACK_KEYS = {"id", "title", "document", "jurisdiction", "versions", "interpretations", "occupation_classes"}
VERSION_KEYS = {"date", "document", "note"}
INTERPRETATION_KEYS = {"id", "citation", "text"}
PARAMETER_KEYS = {"description", "unit", "values"}
VALUE_KEYS = {"value", "min", "max", "reference", "interpretation"}
UNITS = {
    "yuan",
    "yuan_per_day",
    "yuan_per_month",
    "yuan_per_year",
    "ratio",
    "count",
    "months",
    "hours",
    "years",
}
BENEFIT_KEYS = {"label", "rule", "beneficiary", "citation", "facts", "config", "payment_keys"}
# What a payment-key template may name besides the benefit's facts (filled in by the funds app).
PAYMENT_KEY_FIELDS = {"benefit", "person", "organisation", "record", "year", "month", "due", "seq"}
FACT_KEYS = {"type", "label", "required", "choices", "min", "labels"}
FACT_TYPES = {"enum", "int", "bool", "str", "decimal", "date"}


class PackError(Exception):
    """A pack file is malformed; the message names the file and the key."""


class _StrictLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise PackError(f"重复的键 {key!r}（第 {key_node.start_mark.line + 1} 行）")
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except PackError as exc:
        raise PackError(f"{path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: YAML 语法错误：{exc}") from exc


def _check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise PackError(f"{where}: 应为映射")
    unknown = set(data) - allowed
    if unknown:
        raise PackError(f"{where}: 未知的键 {sorted(unknown)}")
    missing = required - set(data)
    if missing:
        raise PackError(f"{where}: 缺少键 {sorted(missing)}")


def _decimal(where: str, raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise PackError(f"{where}: 数值格式错误 {raw!r}")
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise PackError(f"{where}: 数值格式错误 {raw!r}") from exc


def _parameter(where: str, path: str, data: Any, version_dates: set[dt.date]) -> Parameter:
    _check_keys(where, data, PARAMETER_KEYS, {"description", "unit", "values"})
    if data["unit"] not in UNITS:
        raise PackError(f"{where}: 未知单位 {data['unit']!r}")
    if not isinstance(data["values"], dict) or not data["values"]:
        raise PackError(f"{where}: values 应为以日期为键的映射")
    values = []
    for start, spec in data["values"].items():
        if not isinstance(start, dt.date):
            raise PackError(f"{where}: values 的键应为日期，得到 {start!r}")
        if start not in version_dates:
            raise PackError(f"{where}: 生效日期 {start} 不是本政策包声明的版本日期")
        if spec is None:  # the parameter ends on this date
            values.append(ParamValue(start, None, None, None, "", ended=True))
            continue
        _check_keys(f"{where} {start}", spec, VALUE_KEYS, {"reference"})
        if not str(spec["reference"]).strip():
            raise PackError(f"{where} {start}: reference 不能为空")
        has_value, has_range = "value" in spec, "min" in spec or "max" in spec
        if has_value == has_range:
            raise PackError(f"{where} {start}: 须给出 value，或 min/max 之一，不能同时给出")
        amount = _decimal(where, spec.get("value"))
        minimum, maximum = _decimal(where, spec.get("min")), _decimal(where, spec.get("max"))
        if has_value and amount is None:
            raise PackError(f"{where} {start}: value 不能为空")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise PackError(f"{where} {start}: min 大于 max")
        values.append(
            ParamValue(
                start, amount, minimum, maximum, str(spec["reference"]), str(spec.get("interpretation", ""))
            )
        )
    ordered = tuple(sorted(values, key=lambda v: v.start))
    return Parameter(path, str(data["description"]), str(data["unit"]), ordered)


def _fact(where: str, name: str, data: Any) -> FactSpec:
    _check_keys(where, data, FACT_KEYS, {"type", "label"})
    if data["type"] not in FACT_TYPES:
        raise PackError(f"{where}: 未知事实类型 {data['type']!r}")
    choices = tuple(data.get("choices", ()))
    if data["type"] == "enum" and not choices:
        raise PackError(f"{where}: enum 须列出 choices")
    labels = {str(k): str(v) for k, v in (data.get("labels") or {}).items()}
    if set(labels) - {str(c) for c in choices}:
        raise PackError(f"{where}: labels 中有不在 choices 内的取值")
    return FactSpec(
        name,
        data["type"],
        str(data["label"]),
        bool(data.get("required", True)),
        choices,
        data.get("min"),
        labels,
    )


def _config_paths(config: Any) -> list[str]:
    """Every string value under a key ending in `param` / `params` names a parameter path."""
    found: list[str] = []
    if isinstance(config, dict):
        for key, value in config.items():
            if str(key).endswith("param") and isinstance(value, str):
                found.append(value)
            elif str(key).endswith("params") and isinstance(value, dict):
                found.extend(v for v in value.values() if isinstance(v, str))
            else:
                found.extend(_config_paths(value))
    elif isinstance(config, list):
        for item in config:
            found.extend(_config_paths(item))
    return found


def _occupation_classes(spec: str) -> dict[str, str]:
    data = read_yaml(REPO_DIR / spec)
    return {
        occupation["name"]: group["class"]
        for group in data["occupation_classes"]
        for occupation in group["occupations"]
    }


def load_pack(directory: Path) -> Pack:
    meta = read_yaml(directory / "pack.yaml")
    where = str(directory / "pack.yaml")
    _check_keys(where, meta, PACK_KEYS, {"id", "title", "document", "jurisdiction", "versions"})
    if meta["id"] != directory.name:
        raise PackError(f"{where}: id {meta['id']!r} 与目录名不符")
    versions = []
    for raw in meta["versions"] or []:
        _check_keys(f"{where} versions", raw, VERSION_KEYS, {"date", "document"})
        if not isinstance(raw["date"], dt.date):
            raise PackError(f"{where}: 版本日期格式错误 {raw['date']!r}")
        versions.append(Version(raw["date"], str(raw["document"]), str(raw.get("note", ""))))
    if not versions:
        raise PackError(f"{where}: 至少需要一个版本")
    versions.sort(key=lambda v: v.date)
    dates = {v.date for v in versions}
    interpretations = []
    for raw in meta.get("interpretations") or []:
        _check_keys(f"{where} interpretations", raw, INTERPRETATION_KEYS, INTERPRETATION_KEYS)
        interpretations.append({k: str(v) for k, v in raw.items()})

    parameters: dict[str, Parameter] = {}
    for path in sorted((directory / "parameters").glob("*.yaml")):
        data = read_yaml(path) or {}
        if not isinstance(data, dict):
            raise PackError(f"{path}: 应为映射")
        for key, spec in data.items():
            full = f"{path.stem}.{key}"
            parameters[full] = _parameter(f"{path} {key}", full, spec, dates)

    benefits: dict[str, Benefit] = {}
    raw_benefits = read_yaml(directory / "benefits.yaml") or {}
    for key, spec in raw_benefits.items():
        bwhere = f"{directory / 'benefits.yaml'} {key}"
        _check_keys(bwhere, spec, BENEFIT_KEYS, {"label", "rule", "beneficiary", "citation"})
        if spec["beneficiary"] not in {"person", "organisation"}:
            raise PackError(f"{bwhere}: beneficiary 应为 person 或 organisation")
        raw_facts = spec.get("facts") or {}
        for name in raw_facts:
            if not isinstance(name, str):  # YAML 1.1 reads `on`, `yes`, `no` as booleans
                raise PackError(f"{bwhere}: 事实名 {name!r} 应为字符串（请加引号）")
        facts = {name: _fact(f"{bwhere} facts.{name}", name, f) for name, f in raw_facts.items()}
        config = spec.get("config") or {}
        for param_path in _config_paths(config):
            if param_path not in parameters:
                raise PackError(f"{bwhere}: 引用了不存在的参数 {param_path}")
        benefits[key] = Benefit(
            key,
            str(spec["label"]),
            str(spec["rule"]),
            spec["beneficiary"],
            str(spec["citation"]),
            facts,
            config,
            _payment_keys(bwhere, spec.get("payment_keys"), set(facts)),
        )
    from .rules import RULES

    for benefit in benefits.values():
        if benefit.rule not in RULES:
            raise PackError(f"{directory / 'benefits.yaml'} {benefit.key}: 未知规则 {benefit.rule!r}")
    classes = _occupation_classes(meta["occupation_classes"]) if meta.get("occupation_classes") else {}
    return Pack(
        id=meta["id"],
        title=str(meta["title"]),
        document=str(meta["document"]),
        jurisdiction=str(meta["jurisdiction"]),
        versions=tuple(versions),
        parameters=parameters,
        benefits=benefits,
        interpretations=tuple(interpretations),
        occupation_classes=classes,
    )


def _payment_keys(where: str, raw: Any, fact_names: set[str]) -> tuple[str, ...]:
    """Templates of "the same thing" that may be paid once, e.g. "training|person={person}|year={year}".
    Every placeholder must be a benefit fact or one of PAYMENT_KEY_FIELDS, so a typo fails here."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(t, str) and t.strip() for t in raw):
        raise PackError(f"{where}: payment_keys 应为非空的字符串列表")
    for template in raw:
        try:
            names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
        except ValueError as exc:
            raise PackError(f"{where}: payment_keys 模板 {template!r} 格式错误：{exc}") from exc
        unknown = names - fact_names - PAYMENT_KEY_FIELDS
        if unknown:
            raise PackError(f"{where}: payment_keys 模板 {template!r} 引用了未声明的事实 {sorted(unknown)}")
    return tuple(raw)


def load_packs(roots: tuple[Path, ...] = (PACKS_DIR,)) -> dict[str, Pack]:
    packs: dict[str, Pack] = {}
    for root in roots:
        for directory in sorted(p for p in root.iterdir() if (p / "pack.yaml").exists()):
            pack = load_pack(directory)
            if pack.id in packs:
                raise PackError(f"政策包 {pack.id} 重复")
            packs[pack.id] = pack
    return packs


@lru_cache(maxsize=8)
def installed_packs(roots: tuple[Path, ...] = (PACKS_DIR,)) -> dict[str, Pack]:
    return load_packs(roots)
