"""Reads: what was in force on a date, the policy engine's snapshot, and jurisdiction scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.catalog import selectors
from gongjiang.catalog.services import occupation_class_set, occupation_create, shortage_entry_add
from gongjiang.core.errors import PermissionDenied

D = dt.date


@pytest.fixture
def catalog(bureau_admin, other_admin, jurisdiction, other_jurisdiction):
    """焊工 (A, digital) in shortage 2025-01-01..2025-06-30; 电工 (B) open-ended from 2025-03-01;
    育婴员 unclassified; 焊工 in the other jurisdiction's directory too."""
    welder = occupation_create(actor=bureau_admin, name="焊工", is_digital=True)
    electrician = occupation_create(actor=bureau_admin, name="电工", is_green=True)
    occupation_create(actor=bureau_admin, name="育婴员")
    for occupation, letter in ((welder, "A"), (electrician, "B")):
        occupation_class_set(
            actor=bureau_admin,
            jurisdiction=jurisdiction,
            occupation=occupation,
            subsidy_class=letter,
            citation="附件3",
        )
    occupation_class_set(
        actor=other_admin,
        jurisdiction=other_jurisdiction,
        occupation=welder,
        subsidy_class="D",
        citation="湖州",
    )
    shortage_entry_add(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=welder,
        valid_from=D(2025, 1, 1),
        valid_to=D(2025, 6, 30),
        source="2025 目录",
    )
    shortage_entry_add(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=electrician,
        valid_from=D(2025, 3, 1),
        valid_to=None,
        source="2025 补充目录",
    )
    shortage_entry_add(
        actor=other_admin,
        jurisdiction=other_jurisdiction,
        occupation=welder,
        valid_from=D(2020, 1, 1),
        valid_to=None,
        source="湖州目录",
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2024, 12, 31), set()),  # the day before the first day
        (D(2025, 1, 1), {"焊工"}),  # first day
        (D(2025, 3, 1), {"焊工", "电工"}),  # first day of the open-ended entry
        (D(2025, 6, 30), {"焊工", "电工"}),  # last day
        (D(2025, 7, 1), {"电工"}),  # the day after
        (D(2040, 1, 1), {"电工"}),  # open-ended
    ],
)
def test_shortage_occupations_on(catalog, jurisdiction, day, expected):
    # when
    names = selectors.shortage_occupations_on(jurisdiction, day)
    # then
    assert names == expected


def test_occupation_class_of(catalog, jurisdiction, other_jurisdiction):
    # when / then
    assert selectors.occupation_class_of(jurisdiction, "焊工") == "A"
    assert selectors.occupation_class_of(other_jurisdiction, "焊工") == "D"
    assert selectors.occupation_class_of(jurisdiction, "育婴员") is None
    assert selectors.occupation_class_of(jurisdiction, "不存在") is None


def test_catalog_snapshot(catalog, jurisdiction):
    # when
    snapshot = selectors.catalog_snapshot(jurisdiction, D(2025, 7, 1))
    # then
    assert snapshot == {
        "焊工": {"class": "A", "digital": True, "green": False, "shortage": False},
        "电工": {"class": "B", "digital": False, "green": True, "shortage": True},
        "育婴员": {"class": None, "digital": False, "green": False, "shortage": False},
    }


def test_occupation_list_filters_and_annotates(catalog, auditor):
    # when
    all_rows = selectors.occupation_list(auditor)
    class_b = selectors.occupation_list(auditor, subsidy_class="B")
    searched = selectors.occupation_list(auditor, q="焊")
    # then
    assert [(o.name, o.subsidy_class) for o in all_rows] == [("焊工", "A"), ("电工", "B"), ("育婴员", None)]
    assert [o.name for o in class_b] == ["电工"]
    assert [o.name for o in searched] == ["焊工"]


def test_jurisdiction_rows_are_scoped(catalog, auditor, other_admin, jurisdiction):
    # when
    mine = selectors.shortage_entry_list(auditor)
    theirs = selectors.shortage_entry_list(other_admin)
    # then
    assert {e.source for e in mine} == {"2025 目录", "2025 补充目录"}
    assert {e.source for e in theirs} == {"湖州目录"}
    assert [e.occupation.name for e in selectors.shortage_entry_list(auditor, on=D(2025, 7, 1))] == ["电工"]
    assert (
        selectors.occupation_get(
            other_admin, selectors.occupation_list(auditor).get(name="焊工").pk
        ).subsidy_class
        == "D"
    )
    with pytest.raises(PermissionDenied):
        selectors.shortage_entry_list(other_admin, jurisdiction_id=jurisdiction.pk)
    with pytest.raises(PermissionDenied):
        selectors.occupation_list(other_admin, jurisdiction_id=jurisdiction.pk)


def test_anonymous_cannot_read(db):
    # given
    from django.contrib.auth.models import AnonymousUser

    # when / then
    with pytest.raises(PermissionDenied):
        selectors.occupation_list(AnonymousUser())
