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


def test_list_factor_step_says_the_figure_is_pending():
    # 四(三) 黑白名单: the document gives no factor; the trace says so (white, normal when absent)
    white = check(PACK, next(c for c in CASES if c["name"].startswith("白名单机构")))
    steps = [(t["step"], t["amount"]) for t in white["trace"]]
    assert steps[-2] == ("机构名单系数（白名单）×1（文件未定，待局方确定）", "720.00")
    assert steps[-1][1] == "300.00"  # 备注1 allowance after the factor, not scaled by it
    request = {"policy": PACK, "date": "2025-06-01", "benefit": "startup_training",
               "facts": {"course": "SYB", "class_hours": 56}}  # fmt: skip
    plain = quote_many([request])[0]
    assert plain["trace"][-1]["step"] == "机构名单系数（未列入黑白名单）×1（文件未定，待局方确定）"
    assert plain["trace"][-1]["citation"].startswith("新民社发〔2025〕13号 四(三)")


def test_list_factor_once_the_bureau_sets_it(tmp_path):
    # given a copy of the pack where, from 2025-07-01, white-listed institutions get ×1.1 and
    # black-listed ×0.8 (figures set, so no "pending" note)
    import datetime as dt
    import shutil

    import yaml

    from gongjiang.policy.loader import PACKS_DIR, load_pack

    target = tmp_path / PACK
    shutil.copytree(PACKS_DIR / PACK, target)
    meta = yaml.safe_load((target / "pack.yaml").read_text(encoding="utf-8"))
    meta["versions"].append({"date": dt.date(2025, 7, 1), "document": "测试用（虚构）局方确定系数"})
    (target / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    factors = yaml.safe_load((target / "parameters" / "list_factor.yaml").read_text(encoding="utf-8"))
    for state, value in (("white", 1.1), ("black", 0.8)):
        factors[state]["values"][dt.date(2025, 7, 1)] = {"value": value, "reference": "测试用 系数"}
    (target / "parameters" / "list_factor.yaml").write_text(
        yaml.safe_dump(factors, allow_unicode=True), encoding="utf-8"
    )
    pack = load_pack(target)
    facts = {"training_type": "employment", "occupation": "快递员", "level": "cert", "class_hours": 60,
             "shortage": True, "rural_or_lowincome": True, "training_days": 10}  # fmt: skip

    def quote(state, day="2025-08-01", benefit="training_subsidy", given=facts):
        request = {"policy": PACK, "date": day, "benefit": benefit,
                   "facts": {**given, "institution_list_state": state}}  # fmt: skip
        return quote_many([request], packs={PACK: pack})[0]

    # when quoted, then 600 × 1.2 (备注2) × factor + 10 × 30 (备注1, never scaled)
    white, black = quote("white"), quote("black")
    assert (white["amount"], black["amount"]) == ("1092.00", "876.00")
    assert ("机构名单系数（白名单）×1.1", "792.00") in [(t["step"], t["amount"]) for t in white["trace"]]
    # and before the new version, the pending factor 1 still applies
    assert quote("white", day="2025-06-30")["amount"] == "1020.00"
    # and 创业培训 SYB 1600 × 0.8 for a black-listed institution
    syb = quote("black", benefit="startup_training", given={"course": "SYB", "class_hours": 56})
    assert syb["amount"] == "1280.00"


def test_policy_show_lists_the_list_factor():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("policy", "show", PACK, stdout=out)
    text = out.getvalue()
    assert (
        "事实 institution_list_state：机构名单状态（枚举，取值 white=白名单/normal=未列入黑白名单/black=黑名单，可选）"
        in text
    )
    assert "list_factor.white　白名单培训机构的培训补贴系数（比例）" in text
    assert (
        "自 2025-01-01：1.00　依据：新民社发〔2025〕13号 四(三) 按照取证率和就业率给予培训机构差异化补贴"
        in text
    )
    assert "待局方确定" in text
