"""Engine branches the real packs do not reach, on a small fictitious pack (tests/fixtures)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from gongjiang.policy.loader import PackError, load_pack, load_packs
from gongjiang.policy.model import Decision
from gongjiang.policy.quote import QuoteInputError, quote_many
from gongjiang.policy.reasons import message_for

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "engine-test"


@pytest.fixture(scope="module")
def packs():
    return load_packs((FIXTURE.parent,))


def _quote(packs, benefit, facts, **extra):
    request = {"policy": "engine-test", "date": "2030-06-01", "benefit": benefit, "facts": facts, **extra}
    return quote_many([request], packs=packs)[0]


def test_choice_without_a_standard_for_the_value(packs):
    result = _quote(packs, "picked", {"kind": "b"})
    assert [r["code"] for r in result["reasons"]] == ["not_applicable"]
    assert "kind=b" in result["reasons"][0]["message"]


def test_a_multiplier_scales_range_bounds(packs):
    # 测试 二 100-300 × 测试 三 0.5 → bounds 50-150, amount the upper bound
    result = _quote(
        packs, "picked", {"kind": "a", "amount_asked": "12.5", "start_date": "2030-01-02", "n": 3}
    )
    assert result["bounds"] == {"min": "50.00", "max": "150.00"}
    assert result["amount"] == "150.00"


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"kind": "a", "amount_asked": "lots"}, "facts.amount_asked: 应为数值"),
        ({"kind": "a", "amount_asked": "NaN"}, "facts.amount_asked: 应为数值"),
        ({"kind": "a", "start_date": "2030/01/02"}, "facts.start_date: 应为 YYYY-MM-DD 日期"),
        ({"kind": "a", "start_date": 20300102}, "facts.start_date: 应为 YYYY-MM-DD 日期"),
        ({"kind": "a", "n": 0}, "facts.n: 不能小于 1"),
    ],
)
def test_fact_types(packs, facts, message):
    with pytest.raises(QuoteInputError) as caught:
        _quote(packs, "picked", facts)
    assert any(message in p for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ({"date": "2030-01-01"}, "history: 应为数组"),
        (["x"], "history[0]: 应为对象"),
        (
            [{"date": "2030-01-01", "benefit": "picked", "amount": 1, "facts": [], "note": 1}],
            "history[0].note: 未知字段",
        ),
        (
            [{"date": "2030-01-01", "benefit": "picked", "amount": 1, "facts": []}],
            "history[0].facts: 应为对象",
        ),
        ([{"date": "2030-01-01", "benefit": "picked", "amount": True}], "history[0].amount"),
    ],
)
def test_history_shape(packs, history, message):
    with pytest.raises(QuoteInputError) as caught:
        _quote(packs, "picked", {"kind": "a"}, history=history)
    assert any(message in p for p in caught.value.problems), caught.value.problems


def test_groups_below_one_group_are_below_threshold(packs):
    # 测试 四: groups of 10; 9 people make no group
    result = _quote(packs, "groups", {"people": 9})
    assert [r["code"] for r in result["reasons"]] == ["below_threshold"]
    assert _quote(packs, "groups", {"people": 25})["amount"] == "2000.00"


def test_a_range_used_where_a_figure_is_needed_is_not_priced(packs):
    result = _quote(packs, "range_as_fixed", {"people": 5})
    assert [r["code"] for r in result["reasons"]] == ["no_policy_in_force"]


def test_message_with_missing_details_falls_back_to_the_template():
    assert message_for("lifetime_cap") == "每人累计最多享受 {cap} 次，已享受 {count} 次"
    assert message_for("unlisted_code") == "unlisted_code"


def test_decision_is_eligible_without_reasons():
    assert Decision(amount=Decimal(1)).eligible


def _broken_copy(tmp_path: Path, parameters: str | None = None, pack_yaml: str | None = None) -> Path:
    target = tmp_path / "engine-test"
    shutil.copytree(FIXTURE, target)
    if parameters is not None:
        (target / "parameters" / "zz.yaml").write_text(parameters, encoding="utf-8")
    if pack_yaml is not None:
        (target / "pack.yaml").write_text(pack_yaml, encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ("a: 5\n", "应为映射"),
        ("- a\n", "应为映射"),
        (
            "a: {description: x, unit: yuan, values: {2030-01-01: {value: true, reference: r}}}\n",
            "数值格式错误",
        ),
        ("a: {description: x, unit: yuan, values: []}\n", "values 应为以日期为键的映射"),
        (
            "a: {description: x, unit: yuan, values: {2030-01-01: {value: null, reference: r}}}\n",
            "value 不能为空",
        ),
    ],
)
def test_malformed_parameters(tmp_path, parameters, message):
    with pytest.raises(PackError, match=message):
        load_pack(_broken_copy(tmp_path, parameters=parameters))


def test_malformed_version_date(tmp_path):
    pack_yaml = (FIXTURE / "pack.yaml").read_text(encoding="utf-8").replace("2030-01-01", "soon")
    with pytest.raises(PackError, match="版本日期格式错误"):
        load_pack(_broken_copy(tmp_path, pack_yaml=pack_yaml))


def test_ended_parameter_and_parameter_lookup(packs):
    parameter = packs["engine-test"].parameters["t.fixed"]
    assert parameter.at(dt.date(2029, 12, 31)) is None
    assert parameter.at(dt.date(2030, 1, 1)).amount == Decimal(1000)
