"""huzhou-2021 (《关于新时代湖州工匠培育工程的实施意见》): the cases in cases/huzhou-2021.yaml,
quoted through `quote_many` exactly as the API does."""

from __future__ import annotations

import pytest

from gongjiang.policy.loader import PACKS_DIR, load_pack
from gongjiang.policy.model import Pack
from gongjiang.policy.tests.casebook import check, load_cases, parameters_named_by_benefits, quote_case

PACK_ID = "huzhou-2021"
CASES = load_cases(PACK_ID)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACKS_DIR / PACK_ID)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(pack, case):
    # given a claim as the bureau would enter it; when quoted; then as worked by hand from the clause
    check(PACK_ID, case, pack)


def test_difference_after_a_lower_title_is_a_trace_step(pack):
    # given 湖州青年工匠 paid 5000 earlier
    case = next(c for c in CASES if c["name"].startswith("已领湖州青年工匠 5000 元"))
    # when 湖州工匠 is quoted
    result = quote_case(PACK_ID, case, pack)
    # then the trace shows the full standard, then the difference against what was paid
    steps = [(step["step"], step["amount"]) for step in result["trace"]]
    assert steps[0] == ("湖州工匠 资助", "10000.00")
    assert steps[1] == ("已按较低称号 湖州青年工匠 领取 5000.00 元，就高补足差额", "5000.00")


def test_zhejiang_title_recognition_is_a_trace_step(pack):
    # given a 浙江杰出工匠
    case = next(c for c in CASES if c["facts"] == {"title": "浙江杰出工匠"} and not c.get("history"))
    # when quoted
    result = quote_case(PACK_ID, case, pack)
    # then the recognition as 湖州大工匠 is the first step
    assert result["trace"][0]["step"] == "浙江杰出工匠 直接认定为 湖州大工匠"


def test_every_parameter_is_quotable_through_a_benefit(pack):
    assert set(pack.parameters) == parameters_named_by_benefits(pack)
