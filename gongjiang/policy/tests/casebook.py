"""Run the YAML case files of tests/cases/ through the engine (no database).

A case is `{name, clause, date, benefit, facts, history?, output: {eligible, amount, reasons?,
bounds?, schedule?}}`; `reasons` defaults to none, `bounds` and `schedule` to null, and every
reason must carry a message and a citation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from gongjiang.policy.model import Pack
from gongjiang.policy.quote import quote_many

CASES_DIR = Path(__file__).resolve().parent / "cases"


def load_cases(pack_id: str) -> list[dict[str, Any]]:
    with (CASES_DIR / f"{pack_id}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _as_json(value: Any) -> Any:
    """YAML reads unquoted dates as dates; the contract carries them as "YYYY-MM-DD" strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value


def request_of(pack_id: str, case: dict[str, Any]) -> dict[str, Any]:
    return _as_json(
        {
            "policy": pack_id,
            "date": case["date"],
            "benefit": case["benefit"],
            "facts": case.get("facts") or {},
            "history": case.get("history") or [],
        }
    )


def quote_case(
    pack_id: str, case: dict[str, Any], pack: Pack | None = None, shortage: frozenset[str] = frozenset()
) -> dict[str, Any]:
    packs = {pack_id: pack} if pack is not None else None
    return quote_many([request_of(pack_id, case)], packs=packs, shortage_lookup=lambda p, day: shortage)[0]


def check(
    pack_id: str, case: dict[str, Any], pack: Pack | None = None, shortage: frozenset[str] = frozenset()
) -> dict[str, Any]:
    result = quote_case(pack_id, case, pack, shortage)
    expected = case["output"]
    name = case["name"]
    assert result["eligible"] is expected["eligible"], (name, result["reasons"])
    assert result["amount"] == expected["amount"], (name, result)
    assert [r["code"] for r in result["reasons"]] == expected.get("reasons", []), (name, result["reasons"])
    assert result["bounds"] == expected.get("bounds"), (name, result["bounds"])
    if "schedule_len" in expected:
        assert len(result["schedule"] or []) == expected["schedule_len"], name
    else:
        assert result["schedule"] == expected.get("schedule"), (name, result["schedule"])
    if result["schedule"]:
        assert sum(Decimal(item["amount"]) for item in result["schedule"]) == Decimal(result["amount"]), name
    for reason in result["reasons"]:
        assert reason["citation"].strip() and reason["message"].strip(), name
    return result


def parameters_named_by_benefits(pack: Pack) -> set[str]:
    """Every parameter path that some benefit's config names (anywhere in it)."""
    named: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)
        elif isinstance(node, str) and node in pack.parameters:
            named.add(node)

    for benefit in pack.benefits.values():
        collect(benefit.config)
    return named
