"""The audit trail is append-only and hash-chained; tampering is detected (issue 2, audit trail)."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from gongjiang.core.audit import GENESIS, audit_head, audit_verify
from gongjiang.core.errors import DomainError
from gongjiang.core.models import AuditEvent
from gongjiang.registry import services
from gongjiang.registry.tests.factories import new_credit_code


def _tamper(sql: str, params: list) -> None:
    """Change the table behind the application's back (on PostgreSQL the trigger must be bypassed
    first, as someone with ALTER rights could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update_delete")


def test_chain_links_each_event_to_the_previous(world):
    # given the world built through services
    events = list(AuditEvent.objects.order_by("id"))
    # then every event points at its predecessor and the head is the last hash
    assert events[0].prev_hash == GENESIS
    for prev, event in itertools.pairwise(events):
        assert event.prev_hash == prev.hash
    assert audit_head() == events[-1].hash
    assert audit_verify().ok


def test_verify_reports_a_changed_row(world):
    # given an event whose reason is rewritten behind the application's back
    victim = AuditEvent.objects.order_by("id")[5]
    _tamper("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["篡改", victim.pk])
    # when
    result = audit_verify()
    # then the first broken link is that event
    assert not result.ok
    assert result.broken_event_id == victim.pk


def test_verify_reports_a_removed_row(world):
    # given an event in the middle removed
    events = list(AuditEvent.objects.order_by("id"))
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[3].pk])
    # when
    result = audit_verify()
    # then the event after it no longer links
    assert not result.ok
    assert result.broken_event_id == events[4].pk


def test_verify_reports_a_removed_last_row(world):
    # given the newest event removed
    last = AuditEvent.objects.order_by("-id").first()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    # then the chain head no longer matches
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == last.pk


def test_audit_command_verify_and_head(world, capsys):
    # when
    call_command("audit", "head")
    head = capsys.readouterr().out.strip()
    call_command("audit", "verify")
    # then
    assert head == audit_head()
    assert "审计链完整" in capsys.readouterr().out


def test_audit_command_fails_on_tampering(world):
    # given
    victim = AuditEvent.objects.order_by("id")[2]
    _tamper("UPDATE core_auditevent SET actor_username = %s WHERE id = %s", ["mallory", victim.pk])
    # then
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("audit", "verify")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("sql", ["UPDATE core_auditevent SET reason = 'x'", "DELETE FROM core_auditevent"])
def test_postgresql_refuses_update_and_delete(world, sql):
    # when raw SQL tries to rewrite history, then the database refuses
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_audit_event_records_actor_before_after_and_reason(world, bureau_admin):
    # when a service changes a record with a reason
    services.enterprise_update(
        actor=bureau_admin, enterprise=world.enterprise_a, reason="年检更新", insured_headcount=150
    )
    event = AuditEvent.objects.order_by("-id").first()
    # then
    assert event.actor_username == bureau_admin.username
    assert event.object_type == "registry.enterprise"
    assert event.before == {"insured_headcount": 120}
    assert event.after == {"insured_headcount": 150}
    assert event.reason == "年检更新"


def test_service_failure_writes_no_audit_event(world, bureau_admin):
    # given a credit code with its check character changed
    good = new_credit_code()
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    count = AuditEvent.objects.count()
    # when the service refuses
    with pytest.raises(DomainError, match="校验位"):
        services.enterprise_create(
            actor=bureau_admin,
            jurisdiction=world.jurisdiction,
            name="坏代码公司",
            credit_code=bad,
            ownership="private",
            size="small",
        )
    # then neither the record nor an event was written
    assert AuditEvent.objects.count() == count
