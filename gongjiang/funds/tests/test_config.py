"""Configuration as data: fund sources and which fund pays which benefit, payment keys, the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjiang.core.errors import DomainError

from .. import config
from ..demo import load_demo_funds
from ..integrity import CHECKS, ledger_balances
from ..models import BenefitFunding, FundBudget


def test_funds_load_command_and_misuse(db, jurisdiction):
    # when the command loads 兰州新区's configuration
    call_command("funds_load", jurisdiction="lanzhou-xinqu")
    # then the training subsidy is paid by 兰州市职业技能提升行动专账资金
    mapping = BenefitFunding.objects.get(policy="lanzhou-xinqu-2025", benefit="training_subsidy")
    assert mapping.fund_source.name == "兰州市职业技能提升行动专账资金"
    # and an unknown jurisdiction exits with code 2
    with pytest.raises(CommandError) as caught:
        call_command("funds_load", jurisdiction="nowhere")
    assert caught.value.returncode == 2


def test_the_demo_gives_each_fund_a_budget(world):
    # when the demo loads 兰州新区's funds for 2025
    budgets = load_demo_funds(world.jurisdiction, admin=world.root, year=2025)
    # then the four funds of data/lanzhou-xinqu.yaml each have the demo budget
    assert sorted(b.fund_source.name for b in budgets) == sorted(
        ["就业补助资金", "兰州市职业技能提升行动专账资金", "新区人才补贴", "失业保险基金"]
    )
    assert set(FundBudget.objects.values_list("amount", flat=True)) == {Decimal("2000000.00")}


def test_payment_keys_come_from_the_pack():
    # given a training subsidy line of person 7 for 焊工 培训合格证 claimed in November 2025
    facts = {"occupation": "焊工", "level": "cert"}
    # then its keys are "the same occupation and level" and "once a year" (新民社发〔2025〕13号 附件3 备注5),
    # as lanzhou-xinqu-2025's benefits.yaml defines them
    keys = config.payment_keys(
        "lanzhou-xinqu-2025",
        "training_subsidy",
        person_id=7,
        facts=facts,
        claim_date=dt.date(2025, 11, 14),
        due="2025-11",
        seq=1,
    )
    assert keys == ["skill_training|person=7|occupation=焊工|level=cert", "skill_training|person=7|year=2025"]
    # and an unknown benefit or pack (every installed benefit has its keys, see
    # test_every_benefit_of_every_installed_pack_can_be_applied_for), or a key whose fact is missing,
    # is refused
    for policy, benefit in (("nowhere-2020", "world_skills_award"), ("lanzhou-xinqu-2025", "unknown")):
        with pytest.raises(DomainError, match="尚未定义支付键"):
            config.payment_keys(
                policy, benefit, person_id=7, facts={}, claim_date=dt.date(2025, 1, 1), due="", seq=1
            )
    with pytest.raises(DomainError, match="需要事实 level"):
        config.payment_keys(
            "lanzhou-xinqu-2025",
            "training_subsidy",
            person_id=7,
            facts={"occupation": "焊工"},
            claim_date=dt.date(2025, 1, 1),
            due="",
            seq=1,
        )


def test_every_funded_benefit_has_its_materials_and_its_packs_keys():
    # given every benefit a jurisdiction's funds file maps to a fund source
    funded = [
        (policy, benefit)
        for path in sorted(config.DATA_DIR.glob("*.yaml"))
        if path.name != "benefits.yaml"
        for policy, mapping in (config.jurisdiction_config(path.stem).get("benefits") or {}).items()
        for benefit in mapping
    ]
    assert ("lanzhou-xinqu-2025", "training_subsidy") in funded
    # then each has a 4.1 checklist here and payment keys in its pack, and the workflow data holds
    # no keys of its own (they belong to the policy)
    for policy, benefit in funded:
        assert config.checklist_for(benefit), (policy, benefit)
        assert config.payment_key_templates(policy, benefit), (policy, benefit)
    assert not any("payment_keys" in spec for spec in config.benefit_config().values())


def test_the_ledger_check_is_plugged_into_verify(db):
    # then `gongjiang verify` and the restore drill find it, and an empty ledger is balanced
    from gongjiang.core.integrity import discovered_checks

    assert ledger_balances in CHECKS
    assert ledger_balances in discovered_checks()
    assert ledger_balances().ok


# The unit and award benefits configured for the other documents: pack, benefit, the fund that pays
# it (data/<jurisdiction>.yaml) and whose account receives it (data/benefits.yaml).
UNIT_BENEFITS = [
    ("shangyu", "shangyu-2023", "new_hire_subsidy", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "enterprise_self_training_reward", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "master_studio_opening_grant", "上虞区人才发展专项资金", "organisation"),
    ("shangyu", "shangyu-2023", "master_studio_excellence_reward", "上虞区人才发展专项资金", "organisation"),
    ("shangyu", "shangyu-2023", "master_studio_selection_award", "上虞区人才发展专项资金", "organisation"),
    ("huzhou", "huzhou-2021", "training_base_award", "湖州市人才发展专项资金", "organisation"),
    ("huzhou", "huzhou-2021", "master_studio_award", "湖州市人才发展专项资金", "organisation"),
    ("taierzhuang", "taierzhuang-2021", "competition_award", "台儿庄区高技能人才工作经费", "person"),
    ("taierzhuang", "taierzhuang-2021", "higher_competition_award", "台儿庄区高技能人才工作经费", "person"),
    ("taierzhuang", "taierzhuang-2021", "base_training_subsidy", "就业补助资金", "organisation"),
    # 虞人社〔2023〕19号: the master's share of 三、（四）22 and the 浙江 craftsman titles, the talent fund's
    ("shangyu", "shangyu-2023", "master_studio_master_share", "上虞区人才发展专项资金", "person"),
    ("shangyu", "shangyu-2023", "craftsman_award", "上虞区人才发展专项资金", "person"),
    # 三、（一）1–4 招工引才、跨区域培育、定向培养: 就业补助资金; the apprenticeship 失业保险基金
    ("shangyu", "shangyu-2023", "agency_referral_reward", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "individual_referral_reward", "就业补助资金", "person"),
    ("shangyu", "shangyu-2023", "major_project_hire_subsidy", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "internship_subsidy", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "retention_training_subsidy", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "graduate_delivery_reward", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "directed_training_subsidy", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "apprentice_training_subsidy", "失业保险基金", "organisation"),
    # 三、（二）7–14 院校、师资、培训与实训基地
    ("shangyu", "shangyu-2023", "new_school_grant", "上虞区人才发展专项资金", "organisation"),
    ("shangyu", "shangyu-2023", "teacher_allowance", "上虞区人才发展专项资金", "person"),
    ("shangyu", "shangyu-2023", "training_demo_base_grant", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "research_subsidy", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "overseas_training_subsidy", "上虞区人才发展专项资金", "person"),
    ("shangyu", "shangyu-2023", "high_skill_social_training_reward", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "public_training_base_support", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "municipal_public_base_grant", "就业补助资金", "organisation"),
    # 三、（三）17–19 评价示范、题库、竞赛承办
    ("shangyu", "shangyu-2023", "evaluation_demo_award", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "question_bank_reward", "就业补助资金", "organisation"),
    ("shangyu", "shangyu-2023", "competition_hosting_grant", "上虞区人才发展专项资金", "organisation"),
    # 湖州 意见 二(二)4 the competition awards
    ("huzhou", "huzhou-2021", "world_skills_award", "湖州市人才发展专项资金", "person"),
    ("huzhou", "huzhou-2021", "china_skills_award", "湖州市人才发展专项资金", "person"),
]


def test_every_benefit_of_every_installed_pack_can_be_applied_for():
    from gongjiang.policy.loader import installed_packs

    # given every benefit of every installed pack
    benefits = [
        (pack, benefit, spec)
        for pack in installed_packs().values()
        for benefit, spec in pack.benefits.items()
    ]
    assert len(benefits) >= 44
    for pack, benefit, spec in benefits:
        where = f"{pack.id}/{benefit}"
        # then its jurisdiction's file (the pack's `jurisdiction`) names the fund that pays it ...
        data = config.jurisdiction_config(pack.jurisdiction)
        fund = (data["benefits"].get(pack.id) or {}).get(benefit)
        assert fund in {row["code"] for row in data["fund_sources"]}, f"{where}: 无资金来源"
        # ... it has its 4.1 checklist here and its payment keys in its pack
        assert config.checklist_for(benefit), f"{where}: 无申请材料"
        assert config.payment_key_templates(pack.id, benefit), f"{where}: 无支付键"
        # ... and a unit's benefit is paid into the unit's account, a person's into the person's
        assert config.payee_for(pack.id, benefit) == spec.beneficiary, where


@pytest.mark.parametrize(("jurisdiction", "policy", "benefit", "fund", "payee"), UNIT_BENEFITS)
def test_each_unit_and_award_benefit_is_in_its_pack_and_paid_by_a_fund(
    jurisdiction, policy, benefit, fund, payee
):
    from gongjiang.policy.loader import installed_packs

    # its pack exists and pays it, to the beneficiary the pack names
    spec = installed_packs()[policy].benefits[benefit]
    assert spec.beneficiary == ("person" if payee == "person" else "organisation")
    # its fund exists in the jurisdiction's file
    data = config.jurisdiction_config(jurisdiction)
    funds = {row["code"]: row["name"] for row in data["fund_sources"]}
    assert funds[data["benefits"][policy][benefit]] == fund
    # it has its payment keys (in its pack), its 4.1 checklist and its payee
    assert spec.payment_keys == config.payment_key_templates(policy, benefit)
    assert spec.payment_keys
    assert config.checklist_for(benefit)
    assert config.payee_for(policy, benefit) == payee


def test_the_apprenticeship_subsidy_is_paid_to_whom_each_document_says():
    # 新民社发〔2025〕13号 附件3 备注4: the apprentice's; 湖州 意见 二(五)9 and 台人社发〔2021〕17号 三(一)3
    # "给予企业": the enterprise's, although the benefit code is the same
    assert config.payee_for("lanzhou-xinqu-2025", "apprentice_subsidy") == "person"
    assert config.payee_for("huzhou-2021", "apprentice_subsidy") == "organisation"
    assert config.payee_for("taierzhuang-2021", "apprentice_subsidy") == "organisation"
    with pytest.raises(DomainError, match="没有补贴项目"):
        config.payee_for("huzhou-2021", "training_subsidy")


def test_every_mapping_of_every_jurisdiction_names_a_configured_benefit_of_an_installed_pack():
    from gongjiang.policy.loader import installed_packs

    packs = installed_packs()
    for path in sorted(config.DATA_DIR.glob("*.yaml")):
        if path.stem == "benefits":
            continue
        data = config.jurisdiction_config(path.stem)
        codes = {row["code"] for row in data["fund_sources"]}
        for policy, benefits in data["benefits"].items():
            assert packs[policy].jurisdiction == path.stem, path.name
            for benefit, fund in benefits.items():
                assert benefit in packs[policy].benefits, f"{path.name}: {policy}/{benefit}"
                assert benefit in config.benefit_config(), f"{path.name}: {benefit} 无申请材料"
                assert packs[policy].benefits[benefit].payment_keys, f"{path.name}: {benefit} 无支付键"
                assert fund in codes, f"{path.name}: {fund}"


def test_unit_keys_name_the_unit_and_record_keys_the_record():
    # 虞人社〔2023〕19号 三、（二）13 "每家企业每年": the enterprise and the year
    keys = config.payment_keys(
        "shangyu-2023",
        "enterprise_self_training_reward",
        person_id=None,
        facts={},
        claim_date=dt.date(2025, 12, 1),
        due="2025-12",
        seq=1,
        organisation="enterprise:4",
    )
    assert keys == ["enterprise_self_training_reward|enterprise:4|year=2025"]
    # a studio's award is the studio's; without the record it is refused with the reason
    assert config.payment_keys(
        "shangyu-2023",
        "master_studio_selection_award",
        person_id=None,
        facts={"level": "national"},
        claim_date=dt.date(2025, 12, 1),
        due="2025-12",
        seq=1,
        organisation="enterprise:4",
        record="studio:9",
    ) == ["master_studio_selection_award|studio:9|level=national"]
    with pytest.raises(DomainError, match="须从人才记录"):
        config.payment_keys(
            "shangyu-2023",
            "master_studio_selection_award",
            person_id=None,
            facts={"level": "national"},
            claim_date=dt.date(2025, 12, 1),
            due="2025-12",
            seq=1,
        )
