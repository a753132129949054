"""Project-wide test fixtures: a jurisdiction with two of everything, and a user per role.

Two institutions, two enterprises and their people exist so that every scoping test can check that
the clerk of A never sees B's records.
"""

from __future__ import annotations

import os

import pytest

from gongjiang.core.choices import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def jurisdiction(db):
    from gongjiang.core.services import jurisdiction_create

    return jurisdiction_create(actor=None, code="lanzhou-xinqu", name="兰州新区", region_code="620171")


@pytest.fixture
def other_jurisdiction(db):
    from gongjiang.core.services import jurisdiction_create

    return jurisdiction_create(actor=None, code="huzhou", name="湖州市", region_code="330500")


@pytest.fixture
def world(jurisdiction, other_jurisdiction):
    """Two of each registry object in the jurisdiction, one in another jurisdiction, users per role."""
    from gongjiang.registry.tests.factories import build_world

    return build_world(jurisdiction, other_jurisdiction)


def _user(world, role):
    return world.users[role]


@pytest.fixture
def bureau_admin(world):
    return _user(world, Role.BUREAU_ADMIN)


@pytest.fixture
def centre_reviewer(world):
    return _user(world, Role.CENTRE_REVIEWER)


@pytest.fixture
def finance_officer(world):
    return _user(world, Role.FINANCE_OFFICER)


@pytest.fixture
def institution_clerk(world):
    return _user(world, Role.INSTITUTION_CLERK)


@pytest.fixture
def enterprise_clerk(world):
    return _user(world, Role.ENTERPRISE_CLERK)


@pytest.fixture
def person_user(world):
    return _user(world, Role.PERSON)


@pytest.fixture
def auditor(world):
    return _user(world, Role.AUDITOR)


@pytest.fixture(scope="session")
def browser():
    """The one Debian Chromium of the run: Playwright's sync API allows one running instance per
    process, so every browser test shares it (each test opens its own context)."""
    from gongjiang.web.tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def clock(monkeypatch):
    """Django's clock moved to chosen instants (gongjiang/web/tests/browser_support.py)."""
    from gongjiang.web.tests.browser_support import Clock

    return Clock(monkeypatch)


@pytest.fixture
def people(browser, live_server):
    """`people(user)`: a fresh browser context logged in as `user` (closed at the end);
    `people(None, log_in_as=False)` is an anonymous visitor."""
    from gongjiang.web.tests.test_browser import log_in

    contexts = []

    def sign_in(user, *, log_in_as=True):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        if log_in_as:
            log_in(page, live_server.url, user)
        return page

    yield sign_in
    for context in contexts:
        context.close()


def pytest_runtest_setup(item):
    """`postgres_only` tests (real concurrency, triggers) are skipped on SQLite in one place."""
    if item.get_closest_marker("postgres_only"):
        from django.conf import settings

        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
