"""The black/white list rule set (list_rules.yaml): load it strictly and evaluate it on an
institution's KPIs. Pure functions, no ORM: `services.listing` feeds them and records proposals."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from gongjiang.core.errors import DomainError
from gongjiang.registry.choices import ListState

RULES_FILE = Path(__file__).with_name("list_rules.yaml")
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
METRICS = frozenset(
    {
        "classes_closed",
        "classes_final",
        "certification_rate",
        "employment_rate",
        "anomalies",
        "anomalies_confirmed",
        "serious_findings",
        "overdue_follow_ups",
    }
)
TOP_KEYS = frozenset({"citation", "window_months", "window_interpretation", "rules"})
RULE_KEYS = frozenset({"id", "label", "from", "to", "when", "reference", "interpretation"})
CONDITION_KEYS = frozenset({"metric", "op", "value", "if_absent"})


@dataclass(frozen=True)
class Condition:
    metric: str
    op: str
    value: Decimal
    if_absent: bool

    def holds(self, metrics: Mapping[str, Any]) -> bool:
        actual = metrics.get(self.metric)
        if actual is None:
            return self.if_absent
        return OPERATORS[self.op](Decimal(actual), self.value)


@dataclass(frozen=True)
class ListRule:
    id: str
    label: str
    from_states: frozenset[str]
    to: str
    mode: str  # all | any
    conditions: tuple[Condition, ...]
    reference: str
    interpretation: str

    def matches(self, state: str, metrics: Mapping[str, Any]) -> bool:
        if state not in self.from_states:
            return False
        results = (c.holds(metrics) for c in self.conditions)
        return all(results) if self.mode == "all" else any(results)


@dataclass(frozen=True)
class RuleSet:
    citation: str
    window_months: int
    window_interpretation: str
    rules: tuple[ListRule, ...]

    def evaluate(self, state: str, metrics: Mapping[str, Any]) -> ListRule | None:
        """The first rule that applies to an institution in `state` with these metrics."""
        return next((rule for rule in self.rules if rule.matches(state, metrics)), None)


def _bad(message: str) -> DomainError:
    return DomainError("invalid_list_rules", f"黑白名单规则文件有误：{message}")


def _condition(raw: Any, rule_id: str) -> Condition:
    if not isinstance(raw, dict) or set(raw) - CONDITION_KEYS or not {"metric", "op", "value"} <= set(raw):
        raise _bad(f"规则 {rule_id} 的条件须为 {{metric, op, value[, if_absent]}}")
    if raw["metric"] not in METRICS:
        raise _bad(f"规则 {rule_id} 的指标 {raw['metric']} 未定义")
    if raw["op"] not in OPERATORS:
        raise _bad(f"规则 {rule_id} 的比较符 {raw['op']} 无效")
    return Condition(raw["metric"], raw["op"], Decimal(str(raw["value"])), bool(raw.get("if_absent", False)))


def _rule(raw: Any) -> ListRule:
    if not isinstance(raw, dict) or set(raw) != RULE_KEYS:
        raise _bad("每条规则须有且只有 " + "、".join(sorted(RULE_KEYS)))
    states = set(ListState.values)
    if not set(raw["from"]) <= states or raw["to"] not in states or raw["to"] in raw["from"]:
        raise _bad(f"规则 {raw['id']} 的名单状态无效")
    when = raw["when"]
    if not isinstance(when, dict) or len(when) != 1 or next(iter(when)) not in {"all", "any"}:
        raise _bad(f"规则 {raw['id']} 的 when 须为 all 或 any")
    mode, items = next(iter(when.items()))
    if not items:
        raise _bad(f"规则 {raw['id']} 没有条件")
    if not str(raw["reference"]).strip() or not str(raw["interpretation"]).strip():
        raise _bad(f"规则 {raw['id']} 须写明依据（reference）和解释（interpretation）")
    return ListRule(
        id=str(raw["id"]),
        label=str(raw["label"]),
        from_states=frozenset(raw["from"]),
        to=raw["to"],
        mode=mode,
        conditions=tuple(_condition(item, raw["id"]) for item in items),
        reference=str(raw["reference"]),
        interpretation=str(raw["interpretation"]),
    )


def parse_rules(text: str) -> RuleSet:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or set(data) != TOP_KEYS:
        raise _bad("顶层须有且只有 " + "、".join(sorted(TOP_KEYS)))
    rules = tuple(_rule(raw) for raw in data["rules"] or [])
    ids = [rule.id for rule in rules]
    if len(ids) != len(set(ids)):
        raise _bad("规则 id 重复")
    months = data["window_months"]
    if not isinstance(months, int) or months < 1:
        raise _bad("window_months 须为正整数")
    return RuleSet(str(data["citation"]), months, str(data["window_interpretation"]), rules)


@functools.cache
def load_rules() -> RuleSet:
    return parse_rules(RULES_FILE.read_text(encoding="utf-8"))
