"""新民社发〔2025〕13号: the worked examples and every bureau interpretation, as readable cases."""

from __future__ import annotations

import pytest

from gongjiang.policy.quote import quote_many
from gongjiang.policy.tests.casebook import check, load_cases

PACK = "lanzhou-xinqu-2025"
CASES = load_cases(PACK)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    check(PACK, case)


def test_shortage_uplift_applies_from_the_directory_in_force():
    # given 焊工 in the shortage directory on the claim date and no `shortage` fact
    request = {
        "policy": PACK,
        "date": "2025-06-01",
        "benefit": "training_subsidy",
        "facts": {
            "training_type": "employment",
            "occupation": "焊工",
            "level": "senior",
            "class_hours": 120,
            "rural_or_lowincome": False,
            "training_days": 15,
        },
    }
    # when quoted with and without 焊工 in the directory snapshot
    raised = quote_many([request], shortage_lookup=lambda pack, day: frozenset({"焊工"}))[0]
    plain = quote_many([request], shortage_lookup=lambda pack, day: frozenset())[0]
    # then 附件3 A类 高级工 2000 is raised by 20% only when listed (四(一), 备注2)
    assert (raised["amount"], plain["amount"]) == ("2400.00", "2000.00")
    # and an explicit `shortage: false` wins over the directory
    request["facts"]["shortage"] = False
    explicit = quote_many([request], shortage_lookup=lambda pack, day: frozenset({"焊工"}))[0]
    assert explicit["amount"] == "2000.00"


def test_living_allowance_is_a_separate_trace_step():
    # 备注1: the 30 元/天 allowance is its own step, not raised by the 20%
    result = check(PACK, next(c for c in CASES if "不随20%上浮" in c["name"]))
    steps = [(t["step"], t["amount"]) for t in result["trace"]]
    assert steps[-1] == ("生活费补助：10 天 × 30 元（不适用 20% 上浮）", "300.00")
    assert steps[-2][1] == "720.00"
