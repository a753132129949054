"""Fault drills for a payment batch (issue 8; docs/reliability.md "Fault drills").

The two steps of a batch that move money run in a separate worker process (a real `python` process
with Django set up against the test database):

- `approve`: `batch_approve` posts one commitment per item (费用 + / 应付 −);
- `bank_result`: `batch_result_import` books the bank's result file — each item paid, its payment
  posted (应付 + / 银行存款 −), its instalment paid.

The drill holds the audit chain head row locked from another connection. The step locks the batch
row, writes its first posting(s) and then blocks on its first audit write — the middle of the step,
before commit. That moment is seen from outside: the worker's backend waits on a lock, and the
batch row cannot be locked (`NOWAIT` fails) because the worker holds it. Then the worker is killed:

- `SIGKILL` of the worker process, or
- `pg_terminate_backend` of the worker's database connection.

After the lock is released and the worker is gone, reconciliation finds nothing lost and nothing
doubled: the ledger is where it was before the step, each payment key is held once, no item is
paid, no posting is half-written, and the integrity checks (`gongjiang verify`) pass. Running the
step again completes it exactly once, and a third run is refused.

Amounts: three urban trainees, 焊工 就业技能培训 培训合格证, one line each of 1500 元
(新民社发〔2025〕13号 附件3 A类 培训合格证 1500 元; urban, so no 备注1 living allowance), so the batch
is 3 × 1500 = 4500 元.
"""

from __future__ import annotations

import io
import signal
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from gongjiang.core.errors import DomainError
from gongjiang.core.integrity import run_checks
from gongjiang.core.tests.fault_drill import (
    HeldAuditHead,
    backend_gone,
    rows_locked,
    start_worker,
    waiting_backend,
)

from .. import ledger, selectors, services
from ..choices import BatchStatus, InstalmentStatus, ItemStatus, LedgerAccount, PostingKind
from ..models import BatchItem, Instalment, LedgerEntry, LedgerPosting, PaymentBatch, PaymentKey
from .factories import A_CERT, YEAR, bank_result, noticed, trainees

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="故障演练需要 PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]
BATCH_TOTAL = 3 * A_CERT  # 附件3 A类 培训合格证 1500 元 × 3 trainees = 4500 元
ZERO = Decimal("0.00")
WORKER = """
import django
django.setup()
from gongjiang.core.models import User
from gongjiang.funds import services
from gongjiang.funds.models import PaymentBatch
actor = User.objects.get(pk={actor})
batch = PaymentBatch.objects.get(pk={batch})
if {step!r} == "approve":
    services.batch_approve(actor=actor, batch=batch)
else:
    services.batch_result_import(actor=actor, batch=batch, filename="result.csv", data={data!r})
print("done")
"""


def _batch_is_locked(batch: PaymentBatch) -> bool:
    """True when another transaction holds the batch row (the worker is inside the step)."""
    return rows_locked(PaymentBatch.objects.filter(pk=batch.pk))


def _has_written(pid: int, model: Any) -> bool:
    """True when backend `pid` holds a write lock on the model's table (rows inserted, uncommitted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted",
            [pid, model._meta.db_table],
        )
        return bool(cursor.fetchone()[0])


def _start_worker(*, step: str, actor: Any, batch: PaymentBatch, data: bytes) -> subprocess.Popen[str]:
    return start_worker(WORKER.format(actor=actor.pk, batch=batch.pk, step=step, data=data))


def _result_file(batch: PaymentBatch) -> bytes:
    numbers = batch.items.order_by("pk").values_list("detail_number", flat=True)
    return bank_result([(number, "成功", "", f"B{n}") for n, number in enumerate(numbers, start=1)])


def _keys_held_once() -> list[tuple[int, str]]:
    """Payment keys held (not released) by more than one instalment — must be none."""
    return list(
        PaymentKey.objects.filter(released_at__isnull=True)
        .values("jurisdiction_id", "key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("jurisdiction_id", "key")
    )


def _postings_whole() -> bool:
    """Every posting has its two entries (debit and credit) and sums to zero."""
    short = LedgerPosting.objects.annotate(n=Count("entries")).exclude(n=2).exists()
    return not short and not ledger.unbalanced_postings()


def _checks_pass() -> None:
    results = run_checks()
    assert all(check.ok for check in results), [c.detail for c in results]
    call_command("verify", stdout=io.StringIO())  # `gongjiang verify`: raises on a failed check


def _fund_reconciliation(w: Any) -> selectors.FundReconciliation:
    """The fund's row of the reconciliation report: the bank's results, the batches and the ledger."""
    row = next(r for r in selectors.fund_reconciliation(w.finance, YEAR) if r.fund_source.pk == w.fund.pk)
    assert row.balanced, row.unbalanced_batches
    return row


def _balances(expense: Decimal, payable: Decimal, bank: Decimal) -> dict[str, Decimal]:
    return {LedgerAccount.EXPENSE: expense, LedgerAccount.PAYABLE: payable, LedgerAccount.BANK: bank}


@pytest.mark.parametrize("step", ["approve", "bank_result"])
@pytest.mark.parametrize("fault", ["sigkill_worker", "terminate_backend"])
def test_a_worker_killed_mid_payment_batch_loses_and_doubles_nothing(fw, fault, step):
    # given three approved, publicly noticed lines of 1500 元 each, due, in one batch of 4500 元
    noticed(fw, trainees(fw, 3))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    assert batch.items.count() == 3 and sum(i.amount for i in batch.items.all()) == BATCH_TOTAL
    if step == "approve":
        actor, data = fw.finance2, b""  # 双人原则: the approver is not the maker
        before = _balances(ZERO, ZERO, ZERO)  # nothing committed yet
    else:
        services.batch_approve(actor=fw.finance2, batch=batch)
        services.batch_export(actor=fw.finance, batch=batch, file_format="csv")
        actor, data = fw.finance, _result_file(batch)
        before = _balances(BATCH_TOTAL, -BATCH_TOTAL, ZERO)  # 4500 committed, nothing paid
    keys_before = set(PaymentKey.objects.filter(released_at__isnull=True).values_list("pk", flat=True))
    postings_before = LedgerPosting.objects.count()
    assert ledger.balances(fw.fund, YEAR) == before

    # when a worker process runs the step and is stopped in the middle of it
    with HeldAuditHead() as held:
        worker = _start_worker(step=step, actor=actor, batch=batch, data=data)
        backend = waiting_backend()
        assert _batch_is_locked(batch), "the worker should hold the batch row (inside the step)"
        assert _has_written(backend, LedgerPosting) and _has_written(backend, LedgerEntry), (
            "the worker should have written postings (uncommitted) before its audit write"
        )
        if fault == "sigkill_worker":
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        held.release()
        backend_gone(backend)
        _out, err = worker.communicate(timeout=60)

    # then the worker failed, and nothing of its step remains: the ledger is as before, the keys
    # are the same and each held once, no item paid, no posting half-written, the checks pass
    assert worker.returncode != 0
    if fault == "terminate_backend":
        assert "terminat" in err.lower()
    assert ledger.balances(fw.fund, YEAR) == before
    assert LedgerPosting.objects.count() == postings_before
    assert (
        set(PaymentKey.objects.filter(released_at__isnull=True).values_list("pk", flat=True)) == keys_before
    )
    assert not _keys_held_once()
    assert not BatchItem.objects.filter(status=ItemStatus.PAID).exists()
    assert not Instalment.objects.filter(status=InstalmentStatus.PAID).exists()
    assert _postings_whole()
    batch.refresh_from_db()
    assert batch.status == (BatchStatus.DRAFT if step == "approve" else BatchStatus.EXPORTED)
    assert selectors.reconciliation(batch).balanced, selectors.reconciliation(batch).problems
    fund = _fund_reconciliation(fw)
    assert (fund.bank_paid, fund.ledger_paid) == (ZERO, ZERO)
    _checks_pass()

    # when the step is run again (and, for the bank result, the rest of the batch's way)
    if step == "approve":
        services.batch_approve(actor=fw.finance2, batch=batch)
        services.batch_export(actor=fw.finance, batch=batch, file_format="csv")
        data = _result_file(batch)
    services.batch_result_import(actor=fw.finance, batch=batch, filename="result.csv", data=data)

    # then every item is paid exactly once: one commitment and one payment posting per item,
    # 4500 committed and 4500 paid out of the bank, nothing left payable (附件3 A类 1500 × 3)
    assert ledger.balances(fw.fund, YEAR) == _balances(BATCH_TOTAL, ZERO, -BATCH_TOTAL)
    for kind in (PostingKind.COMMITMENT, PostingKind.PAYMENT):
        per_item = LedgerPosting.objects.filter(batch_item__batch=batch, kind=kind).values("batch_item")
        assert sorted(row["n"] for row in per_item.annotate(n=Count("id"))) == [1, 1, 1]
    assert LedgerEntry.objects.filter(posting__kind=PostingKind.PAYMENT, amount__gt=0).count() == 3
    assert BatchItem.objects.filter(batch=batch, status=ItemStatus.PAID).count() == 3
    assert Instalment.objects.filter(status=InstalmentStatus.PAID).count() == 3
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED
    reconciliation = selectors.reconciliation(batch)
    assert reconciliation.balanced, reconciliation.problems
    assert (reconciliation.paid_items, reconciliation.ledger_paid, reconciliation.ledger_committed) == (
        BATCH_TOTAL,
        BATCH_TOTAL,
        BATCH_TOTAL,
    )
    assert (
        set(PaymentKey.objects.filter(released_at__isnull=True).values_list("pk", flat=True)) == keys_before
    )
    assert not _keys_held_once() and _postings_whole()
    fund = _fund_reconciliation(fw)
    assert (fund.bank_paid, fund.ledger_paid) == (BATCH_TOTAL, BATCH_TOTAL)
    _checks_pass()

    # and a third run of the bank result is refused, changing nothing
    with pytest.raises(DomainError):
        services.batch_result_import(actor=fw.finance, batch=batch, filename="result.csv", data=data)
    assert ledger.balances(fw.fund, YEAR) == _balances(BATCH_TOTAL, ZERO, -BATCH_TOTAL)
