"""Catalog fixtures: users made here (not from the registry factories), a loaded catalog, workbooks."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from gongjiang.core.choices import Role
from gongjiang.core.services import user_create

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, role: str, jurisdictions: list[Any]) -> Any:
    return user_create(
        actor=None, username=username, password=PASSWORD, role=role, jurisdictions=jurisdictions
    )


@pytest.fixture
def bureau_admin(jurisdiction):
    return make_user("catalog-admin", Role.BUREAU_ADMIN, [jurisdiction])


@pytest.fixture
def other_admin(other_jurisdiction):
    return make_user("catalog-other-admin", Role.BUREAU_ADMIN, [other_jurisdiction])


@pytest.fixture
def auditor(jurisdiction):
    return make_user("catalog-auditor", Role.AUDITOR, [jurisdiction])


@pytest.fixture
def centre_reviewer(jurisdiction):
    return make_user("catalog-reviewer", Role.CENTRE_REVIEWER, [jurisdiction])


@pytest.fixture
def loaded(jurisdiction):
    from gongjiang.catalog.services import catalog_load_reference

    return catalog_load_reference(actor=None, jurisdiction=jurisdiction)


@pytest.fixture
def admin_client(client, bureau_admin):
    client.force_login(bureau_admin)
    return client


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    """A one-sheet workbook; a text cell starting with "=" is stored as a formula, as Excel would."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def make_xlsx() -> Callable[[Sequence[Sequence[Any]]], bytes]:
    return xlsx_bytes
