"""Competitions (with the one-level promotion of 台人社发〔2021〕17号 三(二)6), master studios, titles
and platforms, and the facts each gives the policy engine — run through the engine against the
packs taierzhuang-2021, huzhou-2021 and shangyu-2023, every amount worked from the clause cited."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.core.errors import DomainError
from gongjiang.core.services import jurisdiction_create
from gongjiang.policy.selectors import quote_requests
from gongjiang.registry import services as registry
from gongjiang.registry.tests.factories import make_admin, make_person, new_credit_code, new_id_number
from gongjiang.talent import services

from .factories import certificate, competition, studio

pytestmark = pytest.mark.django_db


def _place(code: str, name: str, region: str):
    jurisdiction = jurisdiction_create(actor=None, code=code, name=name, region_code=region)
    admin = make_admin(jurisdiction, f"{code}-admin")
    enterprise = registry.enterprise_create(
        actor=admin,
        jurisdiction=jurisdiction,
        name=f"{name}某装备有限公司",
        credit_code=new_credit_code(),
        ownership="private_corp",
        size="medium",
    )
    person = make_person(
        admin, jurisdiction, f"{name}师傅", id_number=new_id_number(region=region), employer=enterprise
    )
    return jurisdiction, admin, enterprise, person


def _amounts(requests):
    return [(r["benefit"], q["amount"]) for r, q in zip(requests, quote_requests(requests), strict=True)]


def test_prize_winner_is_promoted_one_level_and_gets_the_district_prize(tw):
    # given a 台儿庄 welder holding 中级工 in 焊工 before the district competition
    jurisdiction, admin, _enterprise, person = _place("taierzhuang", "台儿庄区", "370405")
    certificate(person, occupation="焊工", level_code="intermediate", issued_on=dt.date(2024, 5, 1))
    contest = competition(tw, jurisdiction=jurisdiction, actor=admin)
    # when placed first
    result = services.competition_result_record(actor=admin, competition=contest, person=person, rank=1)
    # then 三(二)6: “在原技能等级基础上晋升一个技能等级” 中级工 → 高级工, and 一等奖 2000元
    assert (result.level_before.alias, result.promoted_to.alias) == ("中级工", "高级工")
    assert _amounts(result.facts_for_policy()) == [("competition_award", "2000.00")]


def test_no_promotion_beyond_the_prize_ranks_or_without_a_level(tw):
    jurisdiction, admin, _enterprise, person = _place("taierzhuang", "台儿庄区", "370405")
    contest = competition(tw, jurisdiction=jurisdiction, actor=admin)
    other = make_person(
        admin, jurisdiction, "乙师傅", id_number=new_id_number(region="370405", birth="19850101")
    )
    certificate(other, occupation="焊工", level_code="senior", issued_on=dt.date(2024, 5, 1))
    # when: no certificate in the occupation (first), and a fourth place (second)
    no_level = services.competition_result_record(actor=admin, competition=contest, person=person, rank=2)
    fourth = services.competition_result_record(actor=admin, competition=contest, person=other, rank=4)
    # then no promotion; the 二等奖 still pays 1000 (三(二)6), the fourth place nothing
    assert no_level.promoted_to is None and fourth.promoted_to is None
    assert _amounts(no_level.facts_for_policy()) == [("competition_award", "1000.00")]
    assert fourth.facts_for_policy() == []


def test_huzhou_studio_title_and_base_facts(tw):
    # given 湖州 records (the world's other jurisdiction is 湖州市)
    w = tw
    admin = w.users["bureau_admin"].__class__.objects.get(username="other-root-admin")
    enterprise = registry.enterprise_create(
        actor=admin,
        jurisdiction=w.other_jurisdiction,
        name="湖州某纺织有限公司",
        credit_code=new_credit_code(),
        ownership="private_corp",
        size="large",
    )
    master = w.person_other
    provincial = studio(
        w,
        jurisdiction=w.other_jurisdiction,
        actor=admin,
        enterprise=enterprise,
        master=master,
        level="provincial",
    )
    title = services.title_award(
        actor=admin,
        person=master,
        kind="湖州工匠",
        title_name="",
        awarded_by="湖州市人民政府",
        awarded_on=dt.date(2025, 5, 1),
    )
    base = services.platform_create(
        actor=admin,
        jurisdiction=w.other_jurisdiction,
        kind="training_base",
        level="national",
        name="湖州某国家级高技能人才培训基地",
        recognised_on=dt.date(2025, 6, 1),
        enterprise=enterprise,
    )
    # then 二(三)6 省级工作室配套 5万; 二(二)3 湖州工匠 1万; 二(三)5 国家级培训基地 200万
    assert _amounts(provincial.facts_for_policy()) == [("master_studio_award", "50000.00")]
    assert _amounts(title.facts_for_policy()) == [("craftsman_award", "10000.00")]
    assert _amounts(base.facts_for_policy()) == [("training_base_award", "2000000.00")]
    assert title.title_name == "湖州工匠"


def test_shangyu_studio_with_excellent_assessment_chief_technician_and_craftsman(tw):
    # given 上虞 records
    jurisdiction, admin, enterprise, person = _place("shangyu", "上虞区", "330604")
    city = studio(
        tw, jurisdiction=jurisdiction, actor=admin, enterprise=enterprise, master=person, level="city"
    )
    services.studio_assess(
        actor=admin, studio=city, year=2025, result="excellent", assessed_on=dt.date(2025, 12, 20)
    )
    chief = services.title_award(
        actor=admin,
        person=person,
        kind="chief_technician",
        title_name="上虞区首席技师",
        awarded_by="高技能人才集聚示范企业",
        awarded_on=dt.date(2025, 1, 1),
        allowance_months=12,
    )
    craftsman = services.title_award(
        actor=admin,
        person=person,
        kind="浙江工匠",
        title_name="",
        awarded_by="浙江省总工会",
        awarded_on=dt.date(2025, 4, 1),
    )
    # then 三(四)22: 市、区级工作室开办经费 3万, 其中 20% 奖励大师个人 = 6000, 考核优秀 2万;
    # 三(四)21: 首席技师每月 1000 元 × 12 = 12000; 三(四)22: 浙江工匠 1万
    assert _amounts(city.facts_for_policy()) == [
        ("master_studio_opening_grant", "30000.00"),
        ("master_studio_master_share", "6000.00"),
        ("master_studio_excellence_reward", "20000.00"),
    ]
    assert _amounts(chief.facts_for_policy()) == [("chief_technician_allowance", "12000.00")]
    assert _amounts(craftsman.facts_for_policy()) == [("craftsman_award", "10000.00")]


def test_records_stay_in_their_jurisdiction(tw):
    w = tw
    with pytest.raises(DomainError):
        studio(w, master=w.person_other)
    with pytest.raises(DomainError):
        services.platform_create(
            actor=w.root,
            jurisdiction=w.jurisdiction,
            kind="training_base",
            level="national",
            name="无单位基地",
            recognised_on=dt.date(2025, 1, 1),
        )


def test_a_second_result_or_assessment_for_the_same_contestant_or_year_is_refused(tw):
    # given a result of 王职工 and the studio's 2025 assessment
    w = tw
    contest, workshop = competition(w), studio(w)
    services.competition_result_record(actor=w.root, competition=contest, person=w.employee_a, rank=2)
    services.studio_assess(
        actor=w.root, studio=workshop, year=2025, result="pass", assessed_on=dt.date(2025, 12, 20)
    )
    # when entered again, then refused in Chinese and nothing more is written
    with pytest.raises(DomainError, match="王职工已有本竞赛的成绩"):
        services.competition_result_record(actor=w.root, competition=contest, person=w.employee_a, rank=1)
    with pytest.raises(DomainError, match="该工作室 2025 年度已有考核结果"):
        services.studio_assess(
            actor=w.root, studio=workshop, year=2025, result="excellent", assessed_on=dt.date(2025, 12, 21)
        )
    assert contest.results.get().rank == 2 and workshop.assessments.get().result == "pass"
