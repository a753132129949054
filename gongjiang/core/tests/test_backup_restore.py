"""Restore drill (issue 8, "Restore: back up, change data, restore — after which the audit chain,
the ledger and the row counts verify"). Runs on SQLite and, in the PostgreSQL stage, through
pg_dump/pg_restore. The ledger check joins through `gongjiang.core.integrity` when funds exist.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from gongjiang.core.audit import audit_head, audit_verify
from gongjiang.core.integrity import row_counts
from gongjiang.core.models import AuditEvent
from gongjiang.funds import ledger
from gongjiang.funds import services as funds_services
from gongjiang.funds.choices import LedgerAccount
from gongjiang.funds.models import LedgerPosting
from gongjiang.funds.tests.factories import A_CERT, YEAR, bank_result, funds_world, noticed, trainees
from gongjiang.registry import services
from gongjiang.registry.models import Person
from gongjiang.registry.tests.factories import make_person


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    (root / "uploads").mkdir(parents=True)
    (root / "uploads" / "roster.xlsx").write_bytes(b"original roster")
    with override_settings(MEDIA_ROOT=root):
        yield root


def test_drill_back_up_change_restore_and_verify(transactional_db, world, media, tmp_path):
    # given a world with a funds ledger: one approved batch of one line of 1500 元
    # (新民社发〔2025〕13号 附件3 A类 培训合格证 1500 元, urban trainee), so 1500 committed
    funds_world(world)
    noticed(world, trainees(world, 1))
    batch = funds_services.batch_create(actor=world.finance, fund_source=world.fund, year=YEAR)
    funds_services.batch_approve(actor=world.finance2, batch=batch)
    committed = {
        LedgerAccount.EXPENSE: A_CERT,
        LedgerAccount.PAYABLE: -A_CERT,
        LedgerAccount.BANK: Decimal("0.00"),
    }
    assert ledger.balances(world.fund, YEAR) == committed
    # and an uploaded file, and a backup of all of it
    out = tmp_path / "backup"
    counts_before = row_counts()
    head_before = audit_head()
    call_command("backup", "--out", str(out), stdout=io.StringIO())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["row_counts"] == counts_before and manifest["audit_head"] == head_before

    # when data changes after the backup: a new person, a deletion, more audit events, a new file
    make_person(world.root, world.jurisdiction, "备份后新增")
    services.person_soft_delete(actor=world.root, person=world.trainee_b, reason="演练")
    (media / "uploads" / "roster.xlsx").write_bytes(b"changed")
    (media / "uploads" / "later.txt").write_text("after the backup")
    # and the batch is paid after the backup (a payment posting: 应付 +1500, 银行存款 −1500)
    funds_services.batch_export(actor=world.finance, batch=batch, file_format="csv")
    number = batch.items.get().detail_number
    funds_services.batch_result_import(
        actor=world.finance, batch=batch, filename="r.csv", data=bank_result([(number, "成功", "", "B1")])
    )
    assert ledger.balances(world.fund, YEAR)[LedgerAccount.BANK] == -A_CERT
    assert row_counts() != counts_before

    # and the backup is restored
    out_text = io.StringIO()
    call_command("restore", str(out), "--yes", stdout=out_text)

    # then rows, the audit chain and the files are as at the backup, and every check passes
    assert row_counts() == counts_before
    assert audit_head() == head_before and audit_verify().ok
    assert not Person.objects.filter(name="备份后新增").exists()
    assert Person.objects.get(pk=world.trainee_b.pk).is_deleted is False
    assert (media / "uploads" / "roster.xlsx").read_bytes() == b"original roster"
    assert not (media / "uploads" / "later.txt").exists()
    assert "✓ 各表行数与备份清单一致" in out_text.getvalue()
    # and the ledger is as at the backup (the commitment, not the later payment) and it balances
    assert ledger.balances(world.fund, YEAR) == committed
    assert LedgerPosting.objects.count() == 1
    assert "✓ 资金账簿借贷平衡：1 张记账凭证" in out_text.getvalue()
    assert "已从" in out_text.getvalue()
    # and on PostgreSQL the append-only trigger came back with the table
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'core_auditevent_no_update_delete'")
            assert cursor.fetchone() is not None
    # and the restored trail can be extended: the chain head row came back with the events
    make_person(world.root, world.jurisdiction, "恢复后新增")
    assert audit_verify().ok and AuditEvent.objects.count() > manifest["row_counts"]["core.auditevent"]


def test_a_damaged_backup_is_refused_and_changes_nothing(transactional_db, world, media, tmp_path):
    # given a backup whose database file was altered afterwards
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out), stdout=io.StringIO())
    dump = next(p for p in out.iterdir() if p.name.startswith("db."))
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    make_person(world.root, world.jurisdiction, "不应被覆盖")

    # when / then
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(out), "--yes", stdout=io.StringIO())
    assert "校验和不符" in str(caught.value) and caught.value.returncode == 2
    assert Person.objects.filter(name="不应被覆盖").exists()


def test_restore_without_confirmation_in_a_script_is_refused(transactional_db, world, media, tmp_path):
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out), stdout=io.StringIO())
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(out), stdout=io.StringIO())
    assert "--yes" in str(caught.value) and caught.value.returncode == 2


def test_verify_command_reports_a_tampered_chain(transactional_db, world):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL a trigger refuses the tampering itself (test_audit.py)")
    # given an event changed behind the application's back
    AuditEvent.objects.filter(pk=AuditEvent.objects.order_by("id").first().pk).update(reason="改过")
    # when / then
    with pytest.raises(CommandError) as caught:
        call_command("verify", stdout=io.StringIO())
    assert caught.value.returncode == 1
