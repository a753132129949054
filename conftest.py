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
