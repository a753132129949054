"""Reform files: parameters overridden for every dated value, misuse refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongjiang.policy.loader import PACKS_DIR, PackError, load_pack
from gongjiang.policy.reform import apply_reform, read_reform

PACK = load_pack(PACKS_DIR / "lanzhou-xinqu-2025")
REFORM = """policy: lanzhou-xinqu-2025
title: 上浮30%，D类合格证+100，累计2次
overrides:
  uplift.shortage: {set: 0.3}
  training.employment.D.cert: {add: 100}
  limits.lifetime_cap: {set: 2}
"""


def test_reform_changes_only_the_named_parameters(tmp_path):
    path = tmp_path / "reform.yaml"
    path.write_text(REFORM, encoding="utf-8")
    reformed = apply_reform(PACK, read_reform(path))
    day = dt.date(2025, 6, 1)
    assert reformed.parameters["uplift.shortage"].at(day).amount == Decimal("0.3")
    assert reformed.parameters["training.employment.D.cert"].at(day).amount == Decimal(700)  # 600 + 100
    assert reformed.parameters["limits.lifetime_cap"].at(day).amount == Decimal(2)
    assert reformed.parameters["training.employment.C.cert"] is PACK.parameters["training.employment.C.cert"]
    assert "改革方案" in reformed.parameters["uplift.shortage"].at(day).reference
    assert PACK.parameters["uplift.shortage"].at(day).amount == Decimal("0.2")  # the pack itself is untouched


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("policy: lanzhou-xinqu-2025\noverrides: {nowhere.at_all: {set: 1}}\n", "不存在"),
        ("policy: lanzhou-xinqu-2025\noverrides: {evaluation.first_evaluation: {set: 1}}\n", "区间"),
        ("policy: lanzhou-xinqu-2025\noverrides: {uplift.shortage: {times: 2}}\n", "set: 数值"),
        ("policy: lanzhou-xinqu-2025\noverrides: {uplift.shortage: {set: [1]}}\n", "数值格式错误"),
        ("policy: huzhou-2021\noverrides: {}\n", "不是 lanzhou-xinqu-2025"),
        ("overrides: {}\n", "须含 policy"),
    ],
)
def test_bad_reforms_are_refused(tmp_path, text, message):
    path = tmp_path / "reform.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError, match=message):
        apply_reform(PACK, read_reform(path))
