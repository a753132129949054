"""Writes: loading the reference data, occupations, classes and the shortage directory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from gongjiang.catalog.models import (
    CertificateType,
    Occupation,
    OccupationClass,
    ShortageOccupationEntry,
    SkillLevel,
    StartupCourse,
)
from gongjiang.catalog.services import (
    catalog_load_reference,
    occupation_class_set,
    occupation_create,
    occupation_update,
    shortage_entry_add,
    shortage_entry_end,
)
from gongjiang.core.audit import audit_verify
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import AuditEvent

D = dt.date


def test_load_creates_every_row_and_audits_each(jurisdiction):
    # given
    before = AuditEvent.objects.count()
    # when
    summary = catalog_load_reference(actor=None, jurisdiction=jurisdiction)
    # then
    assert summary.occupations_created == Occupation.objects.count() == 337
    assert summary.classes_created == OccupationClass.objects.filter(jurisdiction=jurisdiction).count() == 337
    assert StartupCourse.objects.count() == 6
    assert CertificateType.objects.count() == 6
    assert SkillLevel.objects.count() == 7
    counts = dict(
        OccupationClass.objects.filter(jurisdiction=jurisdiction)
        .values_list("subsidy_class")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert counts == {"A": 67, "B": 129, "C": 95, "D": 46}
    lamian = Occupation.objects.get(name="兰州牛肉拉面制作")
    assert lamian.is_special_ability_item and not lamian.is_digital
    assert Occupation.objects.get(name="信息通信网络运行管理员").is_digital
    assert Occupation.objects.get(name="护林员").is_green
    # every created row is covered by its own event, plus one summary
    created = 337 + 337 + 6 + 6 + 7
    assert AuditEvent.objects.count() - before == created + 1
    for model in (Occupation, OccupationClass, StartupCourse, CertificateType, SkillLevel):
        label = model._meta.label_lower
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        audited = set(
            AuditEvent.objects.filter(object_type=label, action="create").values_list("object_id", flat=True)
        )
        assert ids <= audited, label
    assert audit_verify().ok


def test_load_is_idempotent_and_keeps_the_bureau_changes(jurisdiction, bureau_admin, loaded):
    # given: the bureau moved 电工 to class B after the first load
    electrician = Occupation.objects.get(name="电工")
    occupation_class_set(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=electrician,
        subsidy_class="B",
        citation="局内调整",
    )
    rows_before = (Occupation.objects.count(), OccupationClass.objects.count(), SkillLevel.objects.count())
    # when
    again = catalog_load_reference(actor=bureau_admin, jurisdiction=jurisdiction)
    # then
    assert again.occupations_created == again.classes_created == again.skill_levels_created == 0
    assert (
        Occupation.objects.count(),
        OccupationClass.objects.count(),
        SkillLevel.objects.count(),
    ) == rows_before
    assert OccupationClass.objects.get(occupation=electrician).subsidy_class == "B"
    assert AuditEvent.objects.filter(event_type="catalog_reference_loaded").count() == 2


def test_load_refused_for_non_admin_and_unknown_reference(
    jurisdiction, other_jurisdiction, auditor, other_admin
):
    # when / then
    with pytest.raises(PermissionDenied):
        catalog_load_reference(actor=auditor, jurisdiction=jurisdiction)
    with pytest.raises(DomainError) as exc:
        catalog_load_reference(actor=other_admin, jurisdiction=other_jurisdiction)
    assert exc.value.code == "no_reference_data"
    assert Occupation.objects.count() == 0


def test_occupation_create_and_update(bureau_admin, jurisdiction):
    # given
    occupation = occupation_create(actor=bureau_admin, name="  碳汇计量评估师 ", is_green=True)
    # when
    occupation_update(actor=bureau_admin, occupation=occupation, is_digital=True, reason="大典更新")
    # then
    occupation.refresh_from_db()
    assert (occupation.name, occupation.is_digital, occupation.is_green) == ("碳汇计量评估师", True, True)
    event = AuditEvent.objects.filter(object_type="catalog.occupation").last()
    assert event.event_type == "occupation_updated"
    assert event.after == {"is_digital": True}
    assert event.jurisdiction_id == jurisdiction.pk


def test_occupation_duplicate_name_refused(bureau_admin):
    # given
    occupation_create(actor=bureau_admin, name="电工")
    other = occupation_create(actor=bureau_admin, name="焊工")
    # when / then
    with pytest.raises(DomainError) as exc:
        occupation_create(actor=bureau_admin, name="电工")
    assert exc.value.code == "duplicate_occupation"
    with pytest.raises(DomainError):
        occupation_update(actor=bureau_admin, occupation=other, name="电工")


def test_occupation_write_needs_manage(auditor, centre_reviewer):
    # when / then
    for user in (auditor, centre_reviewer, None):
        with pytest.raises(PermissionDenied):
            occupation_create(actor=user, name="电工")


def test_class_set_creates_then_changes(bureau_admin, jurisdiction):
    # given
    occupation = occupation_create(actor=bureau_admin, name="电工")
    # when
    occupation_class_set(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=occupation,
        subsidy_class="A",
        citation="文1",
    )
    row = occupation_class_set(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=occupation,
        subsidy_class="C",
        citation="文2",
    )
    # then
    assert OccupationClass.objects.get().subsidy_class == "C"
    last = AuditEvent.objects.filter(object_type="catalog.occupationclass", object_id=str(row.pk)).last()
    assert last.before == {"subsidy_class": "A", "citation": "文1"}


def test_class_set_refuses_bad_letter_and_other_jurisdiction(bureau_admin, jurisdiction, other_jurisdiction):
    # given
    occupation = occupation_create(actor=bureau_admin, name="电工")
    # when / then
    with pytest.raises(DomainError) as exc:
        occupation_class_set(
            actor=bureau_admin,
            jurisdiction=jurisdiction,
            occupation=occupation,
            subsidy_class="E",
            citation="x",
        )
    assert exc.value.code == "invalid_subsidy_class"
    with pytest.raises(PermissionDenied):
        occupation_class_set(
            actor=bureau_admin,
            jurisdiction=other_jurisdiction,
            occupation=occupation,
            subsidy_class="A",
            citation="x",
        )
    assert not OccupationClass.objects.exists()


@pytest.fixture
def welder(bureau_admin):
    return occupation_create(actor=bureau_admin, name="焊工")


def _add(admin, jurisdiction, occupation, start, end):
    return shortage_entry_add(
        actor=admin,
        jurisdiction=jurisdiction,
        occupation=occupation,
        valid_from=start,
        valid_to=end,
        source="目录",
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2025, 1, 1), D(2025, 1, 31)),  # touches the first day
        (D(2025, 6, 30), D(2025, 7, 31)),  # touches the last day
        (D(2025, 3, 1), D(2025, 3, 2)),  # inside
        (D(2024, 1, 1), None),  # open-ended before
        (D(2024, 1, 1), D(2026, 1, 1)),  # covers
    ],
)
def test_overlapping_shortage_entry_refused(bureau_admin, jurisdiction, welder, start, end):
    # given
    _add(bureau_admin, jurisdiction, welder, D(2025, 1, 31), D(2025, 6, 30))
    # when / then
    with pytest.raises(DomainError) as exc:
        _add(bureau_admin, jurisdiction, welder, start, end)
    assert exc.value.code == "overlapping_period"
    assert "重叠" in exc.value.message
    assert ShortageOccupationEntry.objects.count() == 1


def test_adjacent_periods_and_other_jurisdiction_are_allowed(
    bureau_admin, other_admin, jurisdiction, other_jurisdiction, welder
):
    # given
    _add(bureau_admin, jurisdiction, welder, D(2025, 1, 1), D(2025, 6, 30))
    # when
    _add(bureau_admin, jurisdiction, welder, D(2025, 7, 1), None)
    _add(other_admin, other_jurisdiction, welder, D(2025, 3, 1), None)
    # then
    assert ShortageOccupationEntry.objects.count() == 3


def test_shortage_entry_bad_period_and_scope(bureau_admin, other_admin, jurisdiction, welder):
    # when / then
    with pytest.raises(DomainError) as exc:
        _add(bureau_admin, jurisdiction, welder, D(2025, 2, 1), D(2025, 1, 31))
    assert exc.value.code == "invalid_period"
    with pytest.raises(PermissionDenied):
        _add(other_admin, jurisdiction, welder, D(2025, 2, 1), None)


def test_shortage_entry_end(bureau_admin, jurisdiction, welder):
    # given
    entry = _add(bureau_admin, jurisdiction, welder, D(2025, 1, 1), None)
    # when
    ended = shortage_entry_end(actor=bureau_admin, entry=entry, valid_to=D(2025, 12, 31), reason="目录调整")
    # then
    assert ended.valid_to == D(2025, 12, 31)
    event = AuditEvent.objects.filter(event_type="shortage_entry_ended").get()
    assert event.before == {"valid_to": None} and event.after == {"valid_to": "2025-12-31"}
    with pytest.raises(DomainError):
        shortage_entry_end(actor=bureau_admin, entry=entry, valid_to=D(2024, 12, 31))


def test_shortage_entry_end_cannot_run_into_the_next_entry(bureau_admin, jurisdiction, welder):
    # given
    first = _add(bureau_admin, jurisdiction, welder, D(2025, 1, 1), D(2025, 6, 30))
    _add(bureau_admin, jurisdiction, welder, D(2025, 7, 1), None)
    # when / then
    with pytest.raises(DomainError) as exc:
        shortage_entry_end(actor=bureau_admin, entry=first, valid_to=D(2025, 7, 1))
    assert exc.value.code == "overlapping_period"
