"""Fixtures of the targets tests. `scenario` is the data set the progress, report and API tests
recompute by hand (its table is in test_progress's docstring)."""

import datetime as dt

import pytest

from gongjiang.targets import extensions
from gongjiang.targets.services import recipient_import, targets_load_reference
from gongjiang.training.tests.factories import approved_class

from .factories import (
    certify,
    closed_class,
    employ,
    person,
    qualified_enrolments,
    recipient_row,
    recipients_csv,
    targets_world,
)


@pytest.fixture
def tw(world):
    """The registry and training test worlds plus the 电商/康养 occupations (see factories)."""
    return targets_world(world)


@pytest.fixture
def scenario(tw, monkeypatch):
    w = tw
    monkeypatch.setattr(extensions, "_national_base_provider", lambda jurisdiction, on: {w.institution_b.pk})
    targets_load_reference(actor=w.root, jurisdiction=w.jurisdiction)
    w.p1 = person(w, is_poverty_monitoring=True)
    w.c1 = closed_class(
        w, closed_on=dt.date(2025, 3, 20), people=[w.p1, person(w), person(w)], unqualified=1, withdrawn=1
    )
    w.c2 = closed_class(
        w,
        closed_on=dt.date(2025, 5, 10),
        people=[w.p1, person(w)],
        occupation="养老护理员",
        level="senior",
        labour_brand="陇原巧手",
    )
    w.c3 = closed_class(
        w,
        closed_on=dt.date(2025, 6, 15),
        qualified=2,
        institution=w.institution_b,
        training_type="enterprise_post",
        occupation="电子商务师",
    )
    w.c4 = closed_class(
        w, closed_on=dt.date(2025, 6, 30), qualified=1, institution=w.institution_b, training_type="startup"
    )
    w.c5 = closed_class(
        w,
        closed_on=dt.date(2025, 4, 1),
        qualified=1,
        institution=w.institution_b,
        training_type="project",
        project_base="employment",
        occupation="电工",
    )
    w.c6 = closed_class(
        w, closed_on=dt.date(2025, 7, 5), qualified=2, training_type="apprenticeship", level="senior"
    )
    w.c7 = closed_class(w, closed_on=dt.date(2024, 12, 31), qualified=2)
    w.c8 = approved_class(w, trainees=3)
    recipient_import(
        actor=w.root,
        jurisdiction=w.jurisdiction,
        year=2025,
        filename="技能提升补贴.csv",
        data=recipients_csv([recipient_row(领取日期="2025-06-01")]),
    )
    # certificates and employment after the classes
    c1, c2 = qualified_enrolments(w.c1), qualified_enrolments(w.c2)
    certify(c1[0], issued_on=dt.date(2025, 6, 1), level="junior")
    certify(c1[1], issued_on=dt.date(2025, 7, 15), level="junior")  # after the report date
    certify(c2[1], issued_on=dt.date(2025, 6, 10), level="senior")
    certify(qualified_enrolments(w.c3)[0], issued_on=dt.date(2025, 6, 20), kind="training_certificate")
    for enrolment in c1:
        employ(w, enrolment, started_on=dt.date(2025, 6, 20))
    employ(w, c2[1], started_on=dt.date(2025, 8, 1))  # after the report date
    employ(w, qualified_enrolments(w.c4)[0], started_on=dt.date(2025, 6, 30), kind="business_licence")
    return w
