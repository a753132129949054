"""The funds ledger's integrity check, run after a restore and by `gongjiang verify`
(found by `gongjiang.core.integrity.discovered_checks`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Sum

from gongjiang.core.integrity import CheckResult


def ledger_balances() -> CheckResult:
    """Every posting sums to zero; so does each fund's ledger as a whole."""
    from .ledger import unbalanced_postings
    from .models import LedgerEntry, LedgerPosting

    bad = unbalanced_postings()
    funds = [
        row["fund_source_id"]
        for row in LedgerEntry.objects.values("fund_source_id").annotate(t=Sum("amount")).exclude(t=0)
    ]
    postings = LedgerPosting.objects.count()
    ok = not bad and not funds
    detail = (
        f"资金账簿借贷平衡：{postings} 张记账凭证"
        if ok
        else f"资金账簿借贷不平：凭证 {bad[:10]}，资金来源 {funds}"
    )
    return CheckResult(
        "ledger_balances", ok, detail, {"postings": postings, "unbalanced": bad, "funds": funds}
    )


CHECKS: list[Callable[[], CheckResult]] = [ledger_balances]
