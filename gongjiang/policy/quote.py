"""Quoting claims: validate the request strictly, pick the pack version in force, run the rule.

The contract (shared by `gongjiang quote`, `POST /api/quote` and the 补贴试算 page):

    in:  {"policy", "date", "benefit", "facts": {...}, "history": [{"date", "benefit", "facts", "amount"}]}
    out: {"eligible", "amount", "bounds", "reasons", "trace", "schedule", "policy_version"}

Malformed input raises `QuoteInputError` listing every problem as "第N项 字段: 原因"; the whole call
is refused. An unknown occupation is not malformed: it is the reason `unknown_occupation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from .loader import installed_packs
from .model import Benefit, FactSpec, HistoryItem, Pack
from .money import fmt
from .reasons import sort_key
from .rules import RULES
from .rules.context import MissingParameter, RuleContext

ShortageLookup = Callable[[Pack, dt.date], frozenset[str]]
REQUEST_KEYS = {"policy", "date", "benefit", "facts", "history"}
HISTORY_KEYS = {"date", "benefit", "facts", "amount"}


class QuoteInputError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _date(raw: Any) -> dt.date | None:
    if not isinstance(raw, str):
        return None
    try:
        return dt.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _fact_value(spec: FactSpec, raw: Any) -> tuple[Any, str | None]:
    """The typed value, or an error message."""
    if spec.type == "bool":
        return (raw, None) if isinstance(raw, bool) else (None, "应为 true 或 false")
    if spec.type == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            return None, "应为整数"
        if spec.minimum is not None and raw < spec.minimum:
            return None, f"不能小于 {spec.minimum}"
        return raw, None
    if spec.type == "enum":
        if raw in spec.choices and not isinstance(raw, bool):
            return raw, None
        return None, "取值应为 " + "/".join(str(c) for c in spec.choices)
    if spec.type == "str":
        return (raw.strip(), None) if isinstance(raw, str) and raw.strip() else (None, "应为非空字符串")
    if spec.type == "decimal":
        number = _decimal(raw)
        return (number, None) if number is not None else (None, "应为数值")
    day = _date(raw)
    return (day, None) if day is not None else (None, "应为 YYYY-MM-DD 日期")


def _facts(benefit: Benefit, raw: Any, where: str, problems: list[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(f"{where}facts: 应为对象")
        return {}
    facts: dict[str, Any] = {}
    for name in sorted(set(raw) - set(benefit.facts)):
        problems.append(f"{where}facts.{name}: 未知事实（{benefit.key} 的事实为 {', '.join(benefit.facts)}）")
    for name, spec in benefit.facts.items():
        if name not in raw or raw[name] is None:
            if spec.required:
                problems.append(f"{where}facts.{name}: 缺少必填事实（{spec.label}）")
            continue
        value, error = _fact_value(spec, raw[name])
        if error:
            problems.append(f"{where}facts.{name}: {error}")
        else:
            facts[name] = value
    return facts


def _history(raw: Any, where: str, problems: list[str]) -> list[HistoryItem]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{where}history: 应为数组")
        return []
    items = []
    for n, entry in enumerate(raw):
        at = f"{where}history[{n}]."
        if not isinstance(entry, dict):
            problems.append(f"{at[:-1]}: 应为对象")
            continue
        for key in sorted(set(entry) - HISTORY_KEYS):
            problems.append(f"{at}{key}: 未知字段")
        day, amount = _date(entry.get("date")), _decimal(entry.get("amount"))
        benefit, facts = entry.get("benefit"), entry.get("facts", {})
        if day is None:
            problems.append(f"{at}date: 应为 YYYY-MM-DD 日期")
        if amount is None:
            problems.append(f"{at}amount: 应为金额（数值或字符串）")
        if not isinstance(benefit, str) or not benefit:
            problems.append(f"{at}benefit: 应为补贴项目代码")
        if not isinstance(facts, dict):
            problems.append(f"{at}facts: 应为对象")
        if day is not None and amount is not None and isinstance(benefit, str) and isinstance(facts, dict):
            items.append(HistoryItem(day, benefit, facts, amount))
    return items


def parse(
    raw: Any, index: int, packs: dict[str, Pack]
) -> tuple[Pack, Benefit, dt.date, dict[str, Any], list[HistoryItem]]:
    where = f"第{index}项 "
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise QuoteInputError([f"{where}: 应为 JSON 对象"])
    for key in sorted(set(raw) - REQUEST_KEYS):
        problems.append(f"{where}{key}: 未知字段")
    policy_id, benefit_key = raw.get("policy"), raw.get("benefit")
    pack = packs.get(policy_id) if isinstance(policy_id, str) else None
    if pack is None:
        problems.append(
            f"{where}policy: 未知政策包 {raw.get('policy')!r}（可用：{', '.join(sorted(packs))}）"
        )
    day = _date(raw.get("date"))
    if day is None:
        problems.append(f"{where}date: 应为 YYYY-MM-DD 日期")
    benefit = None
    if pack is not None:
        benefit = pack.benefits.get(benefit_key) if isinstance(benefit_key, str) else None
        if benefit is None:
            problems.append(f"{where}benefit: {pack.id} 没有补贴项目 {raw.get('benefit')!r}")
    facts = _facts(benefit, raw.get("facts"), where, problems) if benefit else {}
    history = _history(raw.get("history"), where, problems)
    if problems or pack is None or benefit is None or day is None:
        raise QuoteInputError(problems)
    return pack, benefit, day, facts, history


def evaluate(
    pack: Pack,
    benefit: Benefit,
    day: dt.date,
    facts: dict[str, Any],
    history: list[HistoryItem],
    shortage_occupations: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    version = pack.version_on(day)
    ctx = RuleContext(pack, benefit, day, facts, history, shortage_occupations)
    if version is None:
        ctx.refuse(
            "no_policy_in_force", pack.document, date=day.isoformat(), first=pack.first_effective.isoformat()
        )
    else:
        try:
            RULES[benefit.rule](ctx)
        except MissingParameter:
            # A parameter this benefit needs has ended (or not begun) on the claim date.
            ctx.refuse(
                "no_policy_in_force",
                benefit.citation,
                date=day.isoformat(),
                first=pack.first_effective.isoformat(),
            )
    decision = ctx.decision
    reasons = sorted(decision.reasons, key=lambda r: sort_key(r.code))
    eligible = not reasons
    bounds = None
    if decision.bounds is not None and eligible:
        bounds = {"min": fmt(decision.bounds[0]), "max": fmt(decision.bounds[1])}
    return {
        "eligible": eligible,
        "amount": fmt(decision.amount if eligible else Decimal(0)),
        "bounds": bounds,
        "reasons": [{"code": r.code, "message": r.message, "citation": r.citation} for r in reasons],
        "trace": [{"step": t.step, "amount": fmt(t.amount), "citation": t.citation} for t in decision.trace],
        "schedule": [{"due": due, "amount": fmt(a)} for due, a in decision.schedule]
        if eligible and decision.schedule
        else None,
        "policy_version": f"{pack.id}@{version.date.isoformat()}" if version else None,
    }


def quote_many(
    requests: list[Any],
    *,
    packs: dict[str, Pack] | None = None,
    shortage_lookup: ShortageLookup | None = None,
) -> list[dict[str, Any]]:
    """Validate every request first (all problems, all items), then evaluate them all."""
    packs = packs if packs is not None else installed_packs()
    parsed, problems = [], []
    for index, raw in enumerate(requests):
        try:
            parsed.append(parse(raw, index, packs))
        except QuoteInputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise QuoteInputError(problems)
    results = []
    for pack, benefit, day, facts, history in parsed:
        shortage = shortage_lookup(pack, day) if shortage_lookup else frozenset()
        results.append(evaluate(pack, benefit, day, facts, history, shortage))
    return results
