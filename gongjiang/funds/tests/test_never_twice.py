"""Never twice: database constraints, the ledger's balance, and concurrency on PostgreSQL.

Amounts: each line is 1500 元 (新民社发〔2025〕13号 附件3 A类 培训合格证, urban trainee, no 备注1 allowance).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction

from gongjiang.core.errors import DomainError

from .. import ledger, selectors, services
from ..choices import ItemStatus, LedgerAccount, PostingKind
from ..integrity import ledger_balances
from ..models import BatchItem, Instalment, LedgerEntry, LedgerPosting, PaymentKey
from .factories import A_CERT, YEAR, bank_result, noticed, trainees

postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_a_duplicate_payment_key_inserted_directly_is_refused_by_the_database(fw):
    # given an approved line holding its keys (person + 焊工 + 培训合格证, person + 2025)
    noticed(fw, trainees(fw, 1))
    held = PaymentKey.objects.filter(released_at__isnull=True).order_by("id").first()
    other = Instalment.objects.get()
    # when code that bypasses the services inserts the same key again
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentKey.objects.create(key=held.key, jurisdiction_id=held.jurisdiction_id, instalment=other)


def test_a_second_holding_batch_item_inserted_directly_is_refused_by_the_database(fw):
    # given an instalment held by a batch item
    noticed(fw, trainees(fw, 1))
    batch = services.batch_create(actor=fw.finance, fund_source=fw.fund, year=YEAR)
    item = batch.items.get()
    # when a second item for the same instalment is inserted directly
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(
            batch=batch,
            detail_number="X-2",
            instalment=item.instalment,
            person=item.person,
            amount=item.amount,
            purpose="重复",
        )


def test_the_same_thing_cannot_be_approved_twice_across_applications(fw):
    # given a trainee approved for 焊工 培训合格证 in 2025
    person = trainees(fw, 1)[0]
    noticed(fw, [person])
    # when another application's line for the same trainee is forced past the engine's cap
    from .factories import all_materials, training_application

    application = training_application(fw, [person])
    services.application_checklist_set(actor=fw.clerk, application=application, items=all_materials())
    services.application_submit(actor=fw.clerk, application=application)
    line = application.lines.get()
    # as if the engine had missed the history: pending at 1500 元
    line.status, line.engine_amount, line.amount = "pending", A_CERT, A_CERT
    line.save(update_fields=["status", "engine_amount", "amount"])
    # then the payment key refuses it
    with pytest.raises(DomainError, match="不能重复享受"):
        services.line_review(actor=fw.reviewer, line=line, approve=True)


def test_an_unbalanced_posting_is_refused_by_the_service(fw):
    # when entries of 1500 and -1400 are posted
    with pytest.raises(DomainError, match="借贷不平"):
        ledger.post_entries(
            fund_source=fw.fund,
            year=YEAR,
            kind=PostingKind.RECOVERY,
            entries=[(LedgerAccount.BANK, Decimal("1500")), (LedgerAccount.EXPENSE, Decimal("-1400"))],
            memo="错账",
            actor=fw.root,
        )
    # then nothing was written
    assert not LedgerPosting.objects.exists()


def test_the_integrity_check_finds_an_unbalanced_posting_written_behind_the_service(fw):
    # given a posting written directly with one entry (SQLite has no database guard)
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the database refuses this at commit (next test)")
    posting = LedgerPosting.objects.create(fund_source=fw.fund, year=YEAR, kind="recovery", memo="x")
    LedgerEntry.objects.create(posting=posting, fund_source=fw.fund, account="bank", amount=Decimal("10"))
    # then the restore / verify check reports it
    result = ledger_balances()
    assert not result.ok and posting.pk in result.data["unbalanced"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_an_unbalanced_posting_at_commit(world):
    # given a fund
    from .factories import funds_world

    w = funds_world(world)
    # when a transaction writes a posting whose entries sum to 1500 − 1400 = 100
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        posting = LedgerPosting.objects.create(fund_source=w.fund, year=YEAR, kind="recovery", memo="错账")
        LedgerEntry.objects.create(
            posting=posting, fund_source=w.fund, account="bank", amount=Decimal("1500")
        )
        LedgerEntry.objects.create(
            posting=posting, fund_source=w.fund, account="expense", amount=Decimal("-1400")
        )
    # then nothing was kept, and entries can be neither changed nor deleted
    assert not LedgerPosting.objects.exists()
    with transaction.atomic():
        posting = LedgerPosting.objects.create(fund_source=w.fund, year=YEAR, kind="recovery", memo="平")
        LedgerEntry.objects.create(posting=posting, fund_source=w.fund, account="bank", amount=Decimal("10"))
        LedgerEntry.objects.create(
            posting=posting, fund_source=w.fund, account="expense", amount=Decimal("-10")
        )
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(posting=posting).update(amount=Decimal("20"))


def _run_together(count: int, work: Any) -> list[Any]:
    """Run `work(n)` in `count` threads, each with its own connection, released together."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = work(n)
        except DomainError as exc:
            results[n] = exc
        except Exception as exc:  # an unexpected error is kept: the test fails on it
            results[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_fifty_simultaneous_approvals_and_payments_of_one_line_pay_once(world):
    # given one payable line of 1500 元
    from .factories import funds_world

    w = funds_world(world)
    noticed(w, trainees(w, 1))
    instalment = Instalment.objects.get()

    # when 50 threads each put it in a batch, approve the batch, export it and book the bank's success
    def pay(n: int) -> str:
        batch = services.batch_create(
            actor=w.finance, fund_source=w.fund, year=YEAR, instalments=[instalment]
        )
        services.batch_approve(actor=w.finance2, batch=batch)
        services.batch_export(actor=w.finance, batch=batch, file_format="csv")
        number = batch.items.get().detail_number
        services.batch_result_import(
            actor=w.finance, batch=batch, filename="r.csv", data=bank_result([(number, "成功", "", f"B{n}")])
        )
        return number

    results = _run_together(50, pay)
    # then exactly one paid; the other 49 were refused with a domain error (no crash, no deadlock)
    paid = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(paid) == 1, results
    assert len(refused) == 49, [r for r in results if not isinstance(r, str | DomainError)]
    assert BatchItem.objects.filter(status=ItemStatus.PAID).count() == 1
    # and the ledger is balanced: 1500 paid once
    assert ledger.balances(w.fund, YEAR) == {
        LedgerAccount.EXPENSE: A_CERT,
        LedgerAccount.PAYABLE: Decimal("0.00"),
        LedgerAccount.BANK: -A_CERT,
    }
    assert ledger_balances().ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_two_batches_racing_for_the_same_line_pay_it_once(world):
    # given one payable line and two finance officers making batches at the same moment
    from .factories import funds_world

    w = funds_world(world)
    noticed(w, trainees(w, 1))
    instalment = Instalment.objects.get()
    makers = [w.finance, w.finance2]

    def make(n: int) -> int:
        batch = services.batch_create(
            actor=makers[n], fund_source=w.fund, year=YEAR, instalments=[instalment]
        )
        return batch.pk

    results = _run_together(2, make)
    # then one batch holds the line, the other was refused
    batches = [r for r in results if isinstance(r, int)]
    assert len(batches) == 1 and isinstance(next(r for r in results if not isinstance(r, int)), DomainError)
    # and paying it through that batch pays it once
    from ..models import PaymentBatch

    batch = PaymentBatch.objects.get(pk=batches[0])
    approver = w.finance2 if batch.created_by_id == w.finance.pk else w.finance
    services.batch_approve(actor=approver, batch=batch)
    services.batch_export(actor=w.finance, batch=batch)
    number = batch.items.get().detail_number
    services.batch_result_import(
        actor=w.finance, batch=batch, filename="r.csv", data=bank_result([(number, "成功", "", "B1")])
    )
    assert -ledger.balances(w.fund, YEAR)[LedgerAccount.BANK] == A_CERT
    assert selectors.reconciliation(batch).balanced
