"""The figures this app gives the targets app's goals and its “其中：国家级基地承接” columns."""

from __future__ import annotations

import datetime as dt

import pytest

from gongjiang.talent import services
from gongjiang.targets import extensions

from .factories import certificate, competition, studio

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
