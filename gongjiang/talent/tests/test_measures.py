"""The figures this app gives the targets app's goals and its “其中：国家级基地承接” columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from gongjiang.core.models import User
from gongjiang.registry import services as registry
from gongjiang.registry.tests.factories import PASSWORD, new_credit_code
from gongjiang.talent import services
from gongjiang.targets import extensions
from gongjiang.targets.services import targets_load_reference

from .factories import certificate, competition, open_round, row_b, studio, survey_csv, survey_row

pytestmark = pytest.mark.django_db
YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def measure(w, key):
    return extensions.external_measure(key, w.jurisdiction, *YEAR_2025)


def test_titles_studios_platforms_competitions_and_new_certificates_are_counted_in_the_period(tw):
    w = tw
    # given two chief technicians (one named in 2024), a 技术能手, a provincial studio, a national
    # training base of institution A, a municipal competition, and certificates
    for day in (dt.date(2024, 12, 31), dt.date(2025, 3, 1)):
        services.title_award(
            actor=w.root,
            person=w.employee_a,
            kind="chief_technician",
            title_name="首席技师",
            awarded_by="市人社局",
            awarded_on=day,
        )
    services.title_award(
        actor=w.root,
        person=w.employee_b,
        kind="technical_expert",
        title_name="技术能手",
        awarded_by="市人社局",
        awarded_on=dt.date(2025, 5, 1),
    )
    studio(w, level="provincial")
    services.platform_create(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        kind="training_base",
        level="national",
        name="国家级高技能人才培训基地",
        recognised_on=dt.date(2025, 4, 1),
        institution=w.institution_b,
    )
    competition(w, level="municipal")
    certificate(w.trainee_a, occupation="焊工", level_code="intermediate", issued_on=dt.date(2025, 2, 1))
    certificate(w.trainee_a, occupation="焊工", level_code="senior", issued_on=dt.date(2025, 9, 1))
    certificate(w.trainee_b, occupation="电工", level_code="technician", issued_on=dt.date(2025, 6, 1))
    certificate(w.employee_a, occupation="电工", level_code="senior", issued_on=dt.date(2024, 6, 1))
    # then, for 2025
    assert measure(w, "talent.chief_technicians") == 1  # the 2024 one is outside the period
    assert measure(w, "talent.technical_experts") == 1
    assert measure(w, "talent.studios_provincial") == 1 and measure(w, "talent.studios_city") == 0
    assert measure(w, "talent.studios_national_provincial") == 1
    assert measure(w, "talent.national_bases") == 1
    assert measure(w, "talent.new_provincial_platforms") == 1
    assert measure(w, "talent.competitions_city") == 1
    # distinct people with a level certificate in 2025: trainee A (twice), trainee B → 2;
    # 高级工 and above: trainee A (高级工), trainee B (技师) → 2; 技师 and above: trainee B → 1
    assert measure(w, "talent.new_skilled") == 2
    assert measure(w, "talent.new_high_skilled") == 2
    assert measure(w, "talent.new_technicians") == 1
    # and institution B is a national base from its recognition date
    assert extensions.national_base_institution_ids(w.jurisdiction, dt.date(2025, 3, 31)) == frozenset()
    assert extensions.national_base_institution_ids(w.jurisdiction, dt.date(2025, 4, 1)) == {
        w.institution_b.pk
    }


def test_survey_measures_read_the_latest_closed_round_and_say_so(scenario):
    # given the hand-worked round (factories.imported_scenario), still open
    w = scenario
    assert extensions.external_figure(
        "talent.skilled_total", w.jurisdiction, *YEAR_2025
    ) == extensions.Figure(None, "截至 2025-12-31 尚无已结束的企业技能人才调查，无法统计")
    # when it is closed (published) on 2025-07-31
    services.survey_round_close(actor=w.root, survey_round=w.round, closed_on=dt.date(2025, 7, 31))
    figures = {
        key: extensions.external_figure(key, w.jurisdiction, *YEAR_2025)
        for key in (
            "talent.skilled_total",
            "talent.high_skilled_total",
            "talent.high_skill_share",
            "talent.skilled_employment_share",
        )
    }
    # then, from 附件1's 技能人才结构 of the two enterprises (填表说明1: 高技能 = 高级工、技师、高级技师):
    # skilled A 10+8+6+3+1 = 28, B 20+15+10+4+1 = 50 → 78; high-skilled A 6+3+1 = 10, B 10+4+1 = 15
    # → 25; share 25/78 = 32.05…% → 32.1%; of staff (职工总数 100 + 300 = 400) 78/400 = 19.5%
    assert {key: f.value for key, f in figures.items()} == {
        "talent.skilled_total": 78,
        "talent.high_skilled_total": 25,
        "talent.high_skill_share": D("32.1"),
        "talent.skilled_employment_share": D("19.5"),
    }
    # labelled as the surveyed enterprises' figures, not the district's
    basis = (
        "依据“2025年企业技能人才调查”（2025-07-31 结束）被调查的 2 家企业，仅为被调查企业的数字，非全区总量"
    )
    assert {f.basis for f in figures.values()} == {basis}
    # a period ending before the round closed has no round to read
    assert measure_until(w, "talent.skilled_total", dt.date(2025, 7, 30)) is None


def test_measures_without_a_source_stay_unmeasured_with_their_reason(tw):
    for key in (
        "talent.recruited_high_skilled",
        "talent.skilled_strategic_industries",
        "talent.skilled_traditional_industries",
    ):
        figure = extensions.external_figure(key, tw.jurisdiction, *YEAR_2025)
        assert figure is not None and figure.value is None and "暂无法统计" in figure.basis, key


def test_goals_page_shows_survey_figures_with_their_basis_and_the_reasons(tw):
    # given 湖州 (the world's other jurisdiction) with its goals and a round of two enterprises
    # answering as A and B of the hand-worked scenario, closed on 2025-07-31
    w = tw
    admin = User.objects.get(username="other-root-admin")
    targets_load_reference(actor=admin, jurisdiction=w.other_jurisdiction)
    firms = [
        registry.enterprise_create(
            actor=admin,
            jurisdiction=w.other_jurisdiction,
            name=name,
            credit_code=new_credit_code(),
            ownership="private_corp",
            size="medium",
        )
        for name in ("湖州甲纺织有限公司", "湖州乙机械有限公司")
    ]
    huzhou_round = open_round(w, jurisdiction=w.other_jurisdiction, actor=admin, title="湖州2025年调查")
    services.survey_import(
        actor=admin,
        survey_round=huzhou_round,
        filename="r.csv",
        data=survey_csv([survey_row(firms[0]), row_b(firms[1])]),
    )
    services.survey_round_close(actor=admin, survey_round=huzhou_round, closed_on=dt.date(2025, 7, 31))
    client = Client()
    assert client.login(username="other-root-admin", password=PASSWORD)
    # when
    page = client.get(reverse("targets:goal_list"), {"year": 2025, "as_of": "2025-10-31"}).content.decode()
    # then 技能人才总量 78 and 高技能人才占比 32.1% (worked above), each with its basis
    assert (
        "<strong>78人</strong>" in page
        and "<strong>32.1%</strong>" in page
        and "<strong>19.5%</strong>" in page
    )
    assert page.count("依据“湖州2025年调查”（2025-07-31 结束）被调查的 2 家企业") == 3
    # and the goals with no source stay 待接入 with the reason
    assert "未按湖州“四大战略性新兴产业”“两大传统产业”分类" in page


def test_self_evaluation_enterprises_and_social_evaluation_orgs_are_counted_when_recorded(tw):
    # given two enterprises filed for 自主评价 in 2025 (one of them a provincial-level filing), one in
    # 2024, and a 社会培训评价组织 (institution B) in 2025
    w = tw
    for name, day, level in (
        ("甲", dt.date(2025, 3, 1), "district"),
        ("乙", dt.date(2025, 8, 1), "provincial"),
        ("丙", dt.date(2024, 12, 1), "district"),
    ):
        services.platform_create(
            actor=w.root,
            jurisdiction=w.jurisdiction,
            kind="self_evaluation_enterprise",
            level=level,
            name=f"{name}企业自主评价备案",
            recognised_on=day,
            enterprise=w.enterprise_a,
        )
    services.platform_create(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        kind="social_evaluation_org",
        level="municipal",
        name="社会培训评价组织",
        recognised_on=dt.date(2025, 5, 1),
        institution=w.institution_b,
    )
    # then 2025 has 2 new self-evaluating enterprises (台儿庄 二 "新增备案技能人才自主评价企业10家";
    # 湖州 二(四)8) and 1 social evaluation organisation; and a filing is not a new provincial platform
    assert measure(w, "talent.self_evaluation_enterprises") == 2
    assert measure(w, "talent.social_evaluation_orgs") == 1
    assert measure(w, "talent.new_provincial_platforms") == 0


def measure_until(w, key, end):
    return extensions.external_measure(key, w.jurisdiction, dt.date(2025, 1, 1), end)
