"""Drill-down in a real browser (issue 7 “Done when”: a browser test drills down from a dashboard cell
to its classes). Debian's chromium driven by Playwright, as in gongjiang/web/tests/test_browser.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongjiang.targets.services import targets_load_reference
from gongjiang.web.tests.test_browser import LOCAL_HOSTS, log_in, requested_hosts

from .factories import closed_class, targets_world

pytestmark = pytest.mark.browser
# A fixed, well-known path so a person can open the picture after the run; it holds no secret.
SCREENSHOT = Path("/tmp/gongjiang-targets-dashboard.png")  # noqa: S108


@pytest.fixture
def tab(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


def test_drill_down_from_a_dashboard_cell_and_a_chart_bar(live_server, transactional_db, world, tab):
    # given 2025's table and two closed classes: one of centre 1, one of centre 2
    w = targets_world(world)
    targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    mine = closed_class(w, closed_on=dt.date(2025, 4, 18), qualified=4)
    other = closed_class(w, closed_on=dt.date(2025, 5, 8), qualified=2, institution=w.institution_b)
    log_in(tab, live_server.url, w.root)

    # when: open the dashboard from the navigation, as at 30 June 2025
    tab.locator("nav.side-nav").get_by_role("link", name="任务进度", exact=True).click()
    tab.wait_for_url(f"{live_server.url}/targets/")
    tab.goto(f"{live_server.url}/targets/?year=2025&as_of=2025-06-30")
    cell = tab.locator(f'#progress-table td[data-unit="{w.centre_1.pk}"][data-column="employment"]')

    # then: the cell shows 4 done of 4000, lagging behind the 49.6% of the year gone
    assert cell.locator("a.done").inner_text() == "4"
    assert "4000" in cell.inner_text()
    assert "is-lagging" in (cell.get_attribute("class") or "")
    assert tab.locator("#chart-progress svg").count() == 1
    tab.screenshot(path=str(SCREENSHOT), full_page=True)

    # when: click the number in the cell
    cell.locator("a.done").click()
    tab.wait_for_url("**/targets/drill/**")

    # then: the class behind it and its four trainees, masked; not the other centre's class
    classes = tab.locator("#drill-classes")
    assert mine.code in classes.inner_text()
    assert other.code not in classes.inner_text()
    assert tab.locator("#drill-people tbody tr").count() == 4
    assert all("*" in t for t in tab.locator("#drill-people td.id-number").all_inner_texts())

    # when: back on the dashboard, click centre 2's bar of the units chart (an SVG link)
    tab.goto(f"{live_server.url}/targets/?year=2025&as_of=2025-06-30")
    tab.locator(f'#chart-units a[*|href*="unit={w.centre_2.pk}&"][*|href*="column=employment"]').first.click()
    tab.wait_for_url("**/targets/drill/**")

    # then: centre 2's class, and nothing was fetched from anywhere but this server
    assert other.code in tab.locator("#drill-classes").inner_text()
    assert mine.code not in tab.locator("#drill-classes").inner_text()
    assert requested_hosts(tab) <= LOCAL_HOSTS, tab.requested_urls
