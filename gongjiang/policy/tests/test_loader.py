"""The pack loader refuses malformed packs with a message naming the file and key (one fixture per
error, as openfisca-core's parameter_validation tests do), and handles amendments by date."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from gongjiang.policy.loader import PACKS_DIR, PackError, load_pack, load_packs
from gongjiang.policy.quote import quote_many

BASE = PACKS_DIR / "lanzhou-xinqu-2025"


def _copy(tmp_path: Path, name: str = "lanzhou-xinqu-2025") -> Path:
    target = tmp_path / name
    shutil.copytree(BASE, target)
    return target


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


MALFORMED = {
    "duplicate_key": (
        "parameters/limits.yaml",
        "a: {description: x, unit: count, values: {2025-01-01: {value: 1, reference: r}}}\na: {description: y, unit: count, values: {2025-01-01: {value: 2, reference: r}}}\n",
        "重复的键",
    ),
    "unknown_parameter_key": (
        "parameters/limits.yaml",
        "a: {description: x, unit: count, colour: red, values: {2025-01-01: {value: 1, reference: r}}}\n",
        "未知的键",
    ),
    "missing_reference": (
        "parameters/limits.yaml",
        "a: {description: x, unit: count, values: {2025-01-01: {value: 1}}}\n",
        "缺少键 ['reference']",
    ),
    "empty_reference": (
        "parameters/limits.yaml",
        "a: {description: x, unit: count, values: {2025-01-01: {value: 1, reference: ' '}}}\n",
        "reference 不能为空",
    ),
    "undeclared_version_date": (
        "parameters/limits.yaml",
        "a: {description: x, unit: count, values: {2025-03-01: {value: 1, reference: r}}}\n",
        "不是本政策包声明的版本日期",
    ),
    "value_and_range": (
        "parameters/limits.yaml",
        "a: {description: x, unit: yuan, values: {2025-01-01: {value: 1, max: 2, reference: r}}}\n",
        "不能同时给出",
    ),
    "min_above_max": (
        "parameters/limits.yaml",
        "a: {description: x, unit: yuan, values: {2025-01-01: {min: 3, max: 2, reference: r}}}\n",
        "min 大于 max",
    ),
    "bad_unit": (
        "parameters/limits.yaml",
        "a: {description: x, unit: dollars, values: {2025-01-01: {value: 1, reference: r}}}\n",
        "未知单位",
    ),
    "bad_number": (
        "parameters/limits.yaml",
        "a: {description: x, unit: yuan, values: {2025-01-01: {value: abc, reference: r}}}\n",
        "数值格式错误",
    ),
    "date_key_not_date": (
        "parameters/limits.yaml",
        "a: {description: x, unit: yuan, values: {soon: {value: 1, reference: r}}}\n",
        "values 的键应为日期",
    ),
    "unknown_rule": (
        "benefits.yaml",
        "x: {label: x, rule: magic, beneficiary: person, citation: c}\n",
        "未知规则",
    ),
    "unknown_param_in_benefit": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, config: {param: nowhere.at_all}}\n",
        "不存在的参数",
    ),
    "bad_beneficiary": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: dog, citation: c}\n",
        "beneficiary",
    ),
    "enum_without_choices": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, facts: {a: {type: enum, label: A}}}\n",
        "须列出 choices",
    ),
    "unknown_fact_type": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, facts: {a: {type: colour, label: A}}}\n",
        "未知事实类型",
    ),
    "fact_name_read_as_boolean": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, facts: {on: {type: bool, label: A}}}\n",
        "应为字符串",
    ),
    "label_for_unknown_choice": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, facts: {a: {type: enum, label: A, choices: [p], labels: {q: Q}}}}\n",
        "labels 中有不在 choices 内的取值",
    ),
    "payment_key_unknown_fact": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, payment_keys: ['x|person={person}|lvl={levle}']}\n",
        "引用了未声明的事实 ['levle']",
    ),
    "payment_keys_not_a_list": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, payment_keys: 'x|person={person}'}\n",
        "payment_keys 应为非空的字符串列表",
    ),
    "payment_key_bad_template": (
        "benefits.yaml",
        "x: {label: x, rule: choice, beneficiary: person, citation: c, payment_keys: ['x|person={person']}\n",
        "格式错误",
    ),
    "yaml_syntax": ("benefits.yaml", "x: [unclosed\n", "YAML 语法错误"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_pack_is_refused(tmp_path, name):
    # given a copy of a good pack with one file broken
    relative, text, message = MALFORMED[name]
    pack_dir = _copy(tmp_path)
    if relative.startswith("parameters/"):
        _write(pack_dir / "parameters" / "zz_broken.yaml", text)
    else:
        _write(pack_dir / relative, text)
    # then loading names the problem
    with pytest.raises(PackError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_pack(pack_dir)


def test_pack_id_must_match_its_directory(tmp_path):
    pack_dir = _copy(tmp_path, "elsewhere")
    with pytest.raises(PackError, match="与目录名不符"):
        load_pack(pack_dir)


def test_pack_needs_a_version(tmp_path):
    pack_dir = _copy(tmp_path)
    meta = yaml.safe_load((pack_dir / "pack.yaml").read_text(encoding="utf-8"))
    meta["versions"] = []
    _write(pack_dir / "pack.yaml", yaml.safe_dump(meta, allow_unicode=True))
    with pytest.raises(PackError, match="至少需要一个版本"):
        load_pack(pack_dir)


def test_two_packs_with_one_id_are_refused(tmp_path):
    _copy(tmp_path / "a")
    _copy(tmp_path / "b")
    with pytest.raises(PackError, match="重复"):
        load_packs((tmp_path / "a", tmp_path / "b"))


def _amended(tmp_path: Path) -> dict:
    """The 2025 pack amended from 2025-07-01: SYB raised to 1800, the 20% uplift ended."""
    pack_dir = _copy(tmp_path)
    meta = yaml.safe_load((pack_dir / "pack.yaml").read_text(encoding="utf-8"))
    meta["versions"].append(
        {"date": dt.date(2025, 7, 1), "document": "测试用修订（虚构）", "note": "fixture"}
    )
    _write(pack_dir / "pack.yaml", yaml.safe_dump(meta, allow_unicode=True))
    startup = yaml.safe_load((pack_dir / "parameters" / "startup.yaml").read_text(encoding="utf-8"))
    startup["SYB"]["values"][dt.date(2025, 7, 1)] = {"value": 1800, "reference": "测试用修订 SYB 1800元"}
    _write(pack_dir / "parameters" / "startup.yaml", yaml.safe_dump(startup, allow_unicode=True))
    uplift = yaml.safe_load((pack_dir / "parameters" / "uplift.yaml").read_text(encoding="utf-8"))
    uplift["shortage"]["values"][dt.date(2025, 7, 1)] = None
    _write(pack_dir / "parameters" / "uplift.yaml", yaml.safe_dump(uplift, allow_unicode=True))
    return load_packs((tmp_path,))


def _syb(day: str) -> dict:
    return {
        "policy": "lanzhou-xinqu-2025",
        "date": day,
        "benefit": "startup_training",
        "facts": {"course": "SYB", "class_hours": 56},
    }


def test_quote_picks_the_version_in_force_on_the_claim_date(tmp_path):
    # given the pack amended on 2025-07-01 (a fixture of our own)
    packs = _amended(tmp_path)
    # when quoting SYB before, on and after the amendment
    before, on, after = quote_many([_syb("2025-06-30"), _syb("2025-07-01"), _syb("2025-12-31")], packs=packs)
    # then each uses the version in force
    assert (before["amount"], on["amount"], after["amount"]) == ("1600.00", "1800.00", "1800.00")
    assert before["policy_version"] == "lanzhou-xinqu-2025@2025-01-01"
    assert on["policy_version"] == "lanzhou-xinqu-2025@2025-07-01"
    assert packs["lanzhou-xinqu-2025"].parameters["startup.SYB"].at(dt.date(2025, 7, 1)).amount == Decimal(
        1800
    )


def test_an_ended_parameter_is_not_in_force(tmp_path):
    # given the uplift ended on 2025-07-01: a shortage claim after it cannot be priced
    packs = _amended(tmp_path)
    facts = {
        "training_type": "employment",
        "occupation": "焊工",
        "level": "senior",
        "class_hours": 120,
        "shortage": True,
        "rural_or_lowincome": False,
        "training_days": 15,
    }
    request = {"policy": "lanzhou-xinqu-2025", "benefit": "training_subsidy", "facts": facts}
    early, late = quote_many(
        [{**request, "date": "2025-06-01"}, {**request, "date": "2025-08-01"}], packs=packs
    )
    assert early["amount"] == "2400.00"
    assert late["eligible"] is False
    assert [r["code"] for r in late["reasons"]] == ["no_policy_in_force"]
