"""The survey in a real browser: an enterprise clerk fills in the online 调查表 from the navigation,
the bureau closes the round, and the public 供求信息 page shows the aggregate without log-in.
Debian's chromium driven by Playwright, as in gongjiang/web/tests/test_browser.py."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.core.choices import Role
from gongjiang.talent import services
from gongjiang.talent.models import CompetitionResult, SurveyResponse
from gongjiang.web.tests.browser_support import submit
from gongjiang.web.tests.test_browser import LOCAL_HOSTS, log_in, requested_hosts

from .factories import certificate, competition, level, open_round, talent_world

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


FIGURES = {
    "principal": "孙经理",
    "business_field": "石油化工",
    "staff_count": "100",
    "average_monthly_wage": "5000",
    "training_funds_drawn": "80000",
    "training_funds_used": "60000",
    "level_junior": "10",
    "level_intermediate": "8",
    "level_senior": "6",
    "level_technician": "3",
    "level_senior_technician": "1",
    "age_18_30": "8",
    "age_31_40": "10",
    "age_41_50": "6",
    "age_51_plus": "4",
    "edu_high_school": "15",
    "edu_college": "10",
    "edu_bachelor": "3",
    "d1_count": "5",
    "d1_wage": "6000",
    "filled_by": "周会计",
    "filled_on": "2025-06-30",
}


def test_clerk_fills_in_the_survey_and_the_public_page_shows_the_aggregate(
    live_server, transactional_db, world, tab
):
    # given an open round and the clerk of enterprise A
    w = talent_world(world)
    survey_round = open_round(w)
    clerk = w.users[Role.ENTERPRISE_CLERK]
    log_in(tab, live_server.url, clerk)

    # when: from the navigation to the form; the age bands first disagree with the levels
    tab.locator("nav.side-nav").get_by_role("link", name="人才调查", exact=True).click()
    tab.get_by_role("link", name="填报本企业调查表").click()
    tab.wait_for_url(f"**/talent/rounds/{survey_round.pk}/form/")
    for name, value in {**FIGURES, "age_51_plus": "3"}.items():
        tab.fill(f'[name="{name}"]', value)
    tab.select_option('[name="d1_occupation"]', label="焊工")
    tab.select_option('[name="d1_level"]', value=str(level("senior").pk))
    tab.select_option('[name="d1_method"]', value="self")
    tab.get_by_role("button", name="提交调查表").click()

    # then: refused with the reason, nothing saved
    assert "年龄结构合计 27 与职业技能等级合计 28 不一致" in tab.locator(".form-errors").inner_text()
    assert not SurveyResponse.objects.exists()

    # when: corrected
    tab.fill('[name="age_51_plus"]', "4")
    tab.get_by_role("button", name="提交调查表").click()
    tab.wait_for_url(f"{live_server.url}/talent/")

    # then: saved, and the round list offers a correction
    assert SurveyResponse.objects.get().level_total == 28
    assert tab.get_by_role("link", name="修改本企业调查表").count() == 1

    # when: the bureau closes the round and anyone opens the public page
    services.survey_round_close(actor=w.root, survey_round=survey_round, closed_on=dt.date(2025, 7, 31))
    tab.goto(f"{live_server.url}/public/supply-demand/")

    # then: the aggregate, not the enterprise
    structure = tab.locator("#structure").inner_text()
    assert "技能人才 78" not in structure and "技能人才 28 人" in structure
    assert "焊工" in tab.locator("#demand-table").inner_text()
    assert w.enterprise_a.name not in tab.content()
    assert requested_hosts(tab) <= LOCAL_HOSTS


def test_bureau_admin_enters_a_competition_result_with_the_person_picker(
    live_server, transactional_db, world, tab
):
    # given a district competition and 王职工 holding 中级工 in 焊工 before it
    w = talent_world(world)
    contest = competition(w)
    certificate(w.employee_a, occupation="焊工", level_code="intermediate", issued_on=dt.date(2024, 5, 1))
    log_in(tab, live_server.url, w.users[Role.BUREAU_ADMIN])

    # when: from the records page to the result form, saved without choosing a contestant
    tab.goto(f"{live_server.url}/talent/records/")
    submit(tab, tab.get_by_role("link", name="录入竞赛成绩"))
    tab.select_option('[name="competition"]', value=str(contest.pk))
    tab.fill('[name="rank"]', "1")
    submit(tab, tab.get_by_role("button", name="保存"))

    # then refused at the field, nothing written
    assert "请先搜索并选择" in tab.locator("#picker-person").inner_text()
    assert not CompetitionResult.objects.exists()

    # when the contestant is searched (htmx) and chosen: the list shows the masked ID number only
    tab.fill("#search-person", "王职")
    choice = tab.locator('#pick-person input[name="person"]')
    choice.wait_for()
    assert w.employee_a.id_number_masked in tab.locator("#pick-person").inner_text()
    choice.check()
    submit(tab, tab.get_by_role("button", name="保存"))

    # then written with the one-level promotion of 台人社发〔2021〕17号 三(二)6, and listed
    result = CompetitionResult.objects.get()
    assert (result.person, result.promoted_to.alias) == (w.employee_a, "高级工")
    assert "第1名 王职工（中级工→高级工）" in tab.locator("#competitions").inner_text()
    assert requested_hosts(tab) <= LOCAL_HOSTS
