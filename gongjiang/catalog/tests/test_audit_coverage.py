"""Every public service writes at least one audit event, even when nothing changes."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from gongjiang.catalog import services
from gongjiang.core.audit import audit_verify
from gongjiang.core.models import AuditEvent

CSV = "职业名称,职业类别,数字职业,绿色职业\n焊工,A,否,否\n".encode()
SHORTAGE_CSV = "职业名称,起始日期,截止日期,目录来源\n焊工,2025-01-01,2025-06-30,目录\n".encode()


@pytest.fixture
def cases(bureau_admin, jurisdiction):
    welder = services.occupation_create(actor=bureau_admin, name="焊工")
    entry = services.shortage_entry_add(
        actor=bureau_admin,
        jurisdiction=jurisdiction,
        occupation=welder,
        valid_from=dt.date(2024, 1, 1),
        valid_to=None,
        source="目录",
    )
    a = {"actor": bureau_admin}
    j = {**a, "jurisdiction": jurisdiction}
    return {
        "catalog_load_reference": lambda: services.catalog_load_reference(**j),
        "occupation_create": lambda: services.occupation_create(**a, name="碳汇计量评估师"),
        "occupation_update": lambda: services.occupation_update(**a, occupation=welder),
        "occupation_class_set": lambda: services.occupation_class_set(
            **j, occupation=welder, subsidy_class="A", citation="附件3"
        ),
        "shortage_entry_add": lambda: services.shortage_entry_add(
            **j,
            occupation=welder,
            valid_from=dt.date(2020, 1, 1),
            valid_to=dt.date(2020, 12, 31),
            source="目录",
        ),
        "shortage_entry_end": lambda: services.shortage_entry_end(
            **a, entry=entry, valid_to=dt.date(2024, 12, 31)
        ),
        "catalog_import_occupations": lambda: services.catalog_import_occupations(
            **j, filename="a.csv", data=CSV
        ),
        "shortage_import": lambda: services.shortage_import(**j, filename="s.csv", data=SHORTAGE_CSV),
    }


def public_services() -> set[str]:
    return {
        name
        for name, obj in inspect.getmembers(services, inspect.isfunction)
        if not name.startswith("_") and obj.__module__ == services.__name__
    }


def test_every_public_service_has_a_case(cases):
    # then
    assert public_services() == set(cases)


def test_every_service_writes_an_audit_event(cases):
    for name, call in cases.items():
        # given
        before = AuditEvent.objects.count()
        # when
        call()
        # then
        assert AuditEvent.objects.count() > before, name
    assert audit_verify().ok


def test_unchanged_writes_are_still_audited(cases):
    # given: the second call of each changes nothing
    for name in ("occupation_update", "occupation_class_set", "catalog_import_occupations"):
        cases[name]()
        before = AuditEvent.objects.count()
        # when
        cases[name]()
        # then
        assert AuditEvent.objects.count() > before, name
