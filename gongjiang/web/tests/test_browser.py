"""End-to-end checks in a real browser: Debian's chromium driven by Playwright (never a downloaded one).

Run `scripts/ensure-chromium` once to install /usr/bin/chromium. Only these tests: `pytest -m browser`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gongjiang.core.choices import Role
from gongjiang.core.pii import decrypt
from gongjiang.registry.tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
# A fixed, well-known path so a person can open the picture after the run; it holds no secret.
SCREENSHOT = Path("/tmp/gongjiang-home.png")  # noqa: S108

ALL_NAV = [
    "首页",
    "人员",
    "企业",
    "培训机构",
    "师资",
    "职业目录",
    "急需紧缺职业",
    "培训班",
    "开班审核",
    "考勤异常",
    "考勤设备",
    "证书号段",
    "取证就业指标",
    "黑白名单",
    "任务进度",
    "资金申请",
    "资金审核",
    "资金拨付",
    "人才调查",
    "高技能人才库",
    "补贴试算",
    "政策测算",
    "审计日志",
]


def _without(*labels: str) -> list[str]:
    return [label for label in ALL_NAV if label not in labels]


EXPECTED_NAV = {
    Role.BUREAU_ADMIN: ALL_NAV,
    Role.CENTRE_REVIEWER: _without("审计日志", "政策测算", "考勤设备", "黑白名单", "资金拨付"),
    Role.FINANCE_OFFICER: _without(
        "审计日志", "政策测算", "开班审核", "考勤异常", "考勤设备", "证书号段", "黑白名单", "资金审核"
    ),
    Role.INSTITUTION_CLERK: [
        "首页",
        "人员",
        "培训机构",
        "师资",
        "职业目录",
        "急需紧缺职业",
        "培训班",
        "考勤设备",
        "取证就业指标",
        "任务进度",
        "资金申请",
        "补贴试算",
    ],
    Role.ENTERPRISE_CLERK: [
        "首页",
        "人员",
        "企业",
        "职业目录",
        "急需紧缺职业",
        "资金申请",
        "人才调查",
        "补贴试算",
    ],
    Role.PERSON: ["首页", "人员", "职业目录", "急需紧缺职业", "资金申请", "补贴试算"],
    Role.AUDITOR: _without(
        "政策测算", "开班审核", "考勤异常", "考勤设备", "证书号段", "黑白名单", "资金审核", "资金拨付"
    ),
}
CLEAR_ID_ROLES = {Role.BUREAU_ADMIN, Role.CENTRE_REVIEWER, Role.FINANCE_OFFICER}

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


def log_in(page, base_url, user):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def requested_hosts(page):
    return {urlsplit(url).hostname for url in page.requested_urls if not url.startswith("data:")}


def visible_person(world, role):
    return world.employee_a if role == Role.ENTERPRISE_CLERK else world.trainee_a


@pytest.mark.parametrize("role", list(EXPECTED_NAV))
def test_role_walks_through_login_navigation_and_people(live_server, transactional_db, world, page, role):
    # given
    user = world.users[role]
    person = visible_person(world, role)

    # when: log in through the form
    log_in(page, live_server.url, user)

    # then: the Chinese shell with this role's label and exactly its navigation
    header = page.locator(".site-header")
    assert header.get_by_role("button", name="退出").is_visible()
    role_badge = header.locator(".site-user__role")
    assert role_badge.is_visible()
    assert role_badge.inner_text().strip() == str(Role(role).label)
    assert world.jurisdiction.name in header.inner_text()
    nav_labels = [text.strip() for text in page.locator("nav.side-nav a").all_inner_texts()]
    assert nav_labels == EXPECTED_NAV[role]
    assert page.locator("nav.side-nav a.is-current").inner_text().strip() == "首页"
    if role == Role.BUREAU_ADMIN:
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    # when: open the person list from the navigation
    page.locator("nav.side-nav").get_by_role("link", name="人员", exact=True).click()
    page.wait_for_url(f"{live_server.url}/registry/people/")

    # then: ID numbers in the list are masked for everyone
    ids = [text.strip() for text in page.locator("td.id-number").all_inner_texts()]
    assert person.id_number_masked in ids
    assert all("*" in value for value in ids)
    assert decrypt(person.id_number_encrypted) not in page.content()

    # when: open the person's record
    page.get_by_role("link", name=person.name).click()
    page.wait_for_url(f"{live_server.url}/registry/people/{person.pk}/")

    # then: the clear ID only for the person themselves; PII roles state a purpose first
    shown = page.locator("dd.id-number").inner_text().strip()
    clear = decrypt(person.id_number_encrypted)
    assert shown == (clear if role == Role.PERSON else person.id_number_masked)
    if role in CLEAR_ID_ROLES:
        # when: a purpose is chosen and the unmasking asked for (htmx swaps the block in place)
        page.get_by_label("查看目的").select_option("review_claim")
        page.get_by_label("说明").fill("申领材料核对")
        page.get_by_role("button", name="查看完整信息").click()
        page.locator("dd.id-number", has_text=clear).wait_for()
        # then: the full number, on the same page, with the note that it was recorded
        assert page.url == f"{live_server.url}/registry/people/{person.pk}/"
        assert "本次查看已记入审计日志" in page.content()
    else:
        assert page.get_by_role("button", name="查看完整信息").count() == 0

    # when: log out
    page.locator(".site-header").get_by_role("button", name="退出").click()
    page.wait_for_url(f"{live_server.url}/login/")

    # then: nothing was fetched from anywhere but this server
    assert requested_hosts(page) <= LOCAL_HOSTS, page.requested_urls


def test_htmx_is_loaded_from_the_local_server(live_server, transactional_db, world, page):
    # given
    log_in(page, live_server.url, world.users[Role.AUDITOR])

    # when
    version = page.evaluate("() => window.htmx && window.htmx.version")

    # then
    assert version
    assert any("/static/django_htmx/" in url for url in page.requested_urls)
    assert requested_hosts(page) <= LOCAL_HOSTS, page.requested_urls
