"""huzhou-2021 (《关于新时代湖州工匠培育工程的实施意见》): the cases in cases/huzhou-2021.yaml,
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

PACK_ID = "huzhou-2021"
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


def test_difference_after_a_lower_title_is_a_trace_step(pack):
    # given 湖州青年工匠 paid 5000 earlier
    case = next(c for c in CASES if c["name"].startswith("已领湖州青年工匠 5000 元"))
    # when 湖州工匠 is quoted
    result = _quote(pack, case)
    # then the trace shows the full standard, then the difference against what was paid
    steps = [(step["step"], step["amount"]) for step in result["trace"]]
    assert steps[0] == ("湖州工匠 资助", "10000.00")
    assert steps[1] == ("已按较低称号 湖州青年工匠 领取 5000.00 元，就高补足差额", "5000.00")


def test_zhejiang_title_recognition_is_a_trace_step(pack):
    # given a 浙江杰出工匠
    case = next(c for c in CASES if c["facts"] == {"title": "浙江杰出工匠"} and not c.get("history"))
    # when quoted
    result = _quote(pack, case)
    # then the recognition as 湖州大工匠 is the first step
    assert result["trace"][0]["step"] == "浙江杰出工匠 直接认定为 湖州大工匠"


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
