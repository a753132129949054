"""Run the YAML case files of tests/cases/ through the engine (no database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

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


def check(pack_id: str, case: dict[str, Any], shortage: frozenset[str] = frozenset()) -> dict[str, Any]:
    result = quote_many([request_of(pack_id, case)], shortage_lookup=lambda pack, day: shortage)[0]
    expected = case["output"]
    assert result["eligible"] is expected["eligible"], (case["name"], result)
    assert result["amount"] == expected["amount"], (case["name"], result)
    if "reasons" in expected:
        assert [r["code"] for r in result["reasons"]] == expected["reasons"], (
            case["name"],
            result["reasons"],
        )
    if "bounds" in expected:
        assert result["bounds"] == expected["bounds"], (case["name"], result["bounds"])
    for reason in result["reasons"]:
        assert reason["citation"].strip() and reason["message"].strip(), case["name"]
    return result
