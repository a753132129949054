"""The double-entry ledger of each fund (debits positive, credits negative; a posting sums to zero).

    commitment (batch approved)   expense  +a   payable -a
    payment    (bank paid)        payable  +a   bank    -a
    reversal   (bank failed)      payable  +a   expense -a
    recovery   (追回 after paid)   bank     +a   expense -a

So for a fund and year: used budget = balance(expense); committed but unpaid = -balance(payable);
paid = -balance(bank). PostgreSQL refuses an unbalanced posting at commit (constraint trigger in
migration 0001); `post` checks the sum itself first, which is the only guard on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from gongjiang.core.errors import DomainError

from .choices import LedgerAccount, PostingKind
from .models import BatchItem, FundSource, LedgerEntry, LedgerPosting

CENT = Decimal("0.01")

TEMPLATES: dict[str, tuple[str, str]] = {
    PostingKind.COMMITMENT: (LedgerAccount.EXPENSE, LedgerAccount.PAYABLE),
    PostingKind.PAYMENT: (LedgerAccount.PAYABLE, LedgerAccount.BANK),
    PostingKind.REVERSAL: (LedgerAccount.PAYABLE, LedgerAccount.EXPENSE),
    PostingKind.RECOVERY: (LedgerAccount.BANK, LedgerAccount.EXPENSE),
}


class LedgerImbalance(DomainError):
    def __init__(self, total: Decimal) -> None:
        super().__init__("ledger_imbalance", f"记账凭证借贷不平：分录合计 {total} 元，应为 0")


def post_entries(
    *,
    fund_source: FundSource,
    year: int,
    kind: str,
    entries: Sequence[tuple[str, Decimal]],
    memo: str,
    actor: Any,
    batch_item: BatchItem | None = None,
) -> LedgerPosting:
    """Write one posting with the given entries; refuses (and writes nothing) unless they sum to zero."""
    total = sum((amount for _account, amount in entries), Decimal(0))
    if total != 0 or len(entries) < 2:
        raise LedgerImbalance(total)
    posting = LedgerPosting.objects.create(
        fund_source=fund_source,
        year=year,
        kind=kind,
        batch_item=batch_item,
        memo=memo[:200],
        posted_by_id=getattr(actor, "pk", None),
    )
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(posting=posting, fund_source=fund_source, account=a, amount=v) for a, v in entries]
    )
    return posting


def post_item(*, item: BatchItem, kind: str, actor: Any, memo: str = "") -> LedgerPosting:
    debit, credit = TEMPLATES[kind]
    batch = item.batch
    return post_entries(
        fund_source=batch.fund_source,
        year=batch.year,
        kind=kind,
        entries=[(debit, item.amount), (credit, -item.amount)],
        memo=memo or f"{PostingKind(kind).label} {item.detail_number} {item.purpose}",
        actor=actor,
        batch_item=item,
    )


def balances(fund_source: FundSource, year: int | None = None) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(fund_source=fund_source)
    if year is not None:
        rows = rows.filter(posting__year=year)
    found = {row["account"]: row["total"] for row in rows.values("account").annotate(total=Sum("amount"))}
    # Quantized: SQLite sums decimals as floats and hands back Decimal("-3000") for -3000.00.
    return {account: (found.get(account) or Decimal(0)).quantize(CENT) for account in LedgerAccount.values}


def unbalanced_postings() -> list[int]:
    """Postings whose entries do not sum to zero (none, unless the database was bypassed on SQLite)."""
    rows = (
        LedgerPosting.objects.annotate(total=Sum("entries__amount"))
        .exclude(total=0)
        .values_list("pk", flat=True)
    )
    return list(rows)
