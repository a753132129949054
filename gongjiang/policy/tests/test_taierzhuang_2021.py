"""taierzhuang-2021 (台人社发〔2021〕17号): the cases in cases/taierzhuang-2021.yaml,
quoted through `quote_many` exactly as the API does, and the pack's money-figure inventory."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from gongjiang.policy.loader import PACKS_DIR, load_pack
from gongjiang.policy.model import Pack
from gongjiang.policy.quote import quote_many

PACK_ID = "taierzhuang-2021"
CASES = yaml.safe_load((Path(__file__).parent / "cases" / f"{PACK_ID}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACKS_DIR / PACK_ID)


def _quote(pack: Pack, case: dict[str, Any]) -> dict[str, Any]:
    history = [{**item, "date": str(item["date"])} for item in case.get("history", [])]
    request = {
        "policy": PACK_ID,
        "date": str(case["date"]),
        "benefit": case["benefit"],
        "facts": case.get("facts") or {},
        "history": history,
    }
    [result] = quote_many([request], packs={PACK_ID: pack})
    return result


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(pack, case):
    # given a claim as the bureau would enter it
    expected = case["output"]
    # when it is quoted
    result = _quote(pack, case)
    # then the decision is the one worked by hand from the clause
    assert result["eligible"] is expected["eligible"], result["reasons"]
    assert result["amount"] == expected["amount"]
    assert [reason["code"] for reason in result["reasons"]] == expected.get("reasons", [])
    assert all(reason["citation"].strip() and reason["message"].strip() for reason in result["reasons"])
    assert result["bounds"] == expected.get("bounds")
    assert result["schedule"] == expected.get("schedule")
    if result["schedule"]:
        assert sum(Decimal(item["amount"]) for item in result["schedule"]) == Decimal(result["amount"])


def test_every_parameter_is_quotable_through_a_benefit(pack):
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
    assert set(pack.parameters) == named
