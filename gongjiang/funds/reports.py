"""The funds report a finance officer expects: per fund source, budget, committed, paid and
remaining for the year (or the month's payments), with the paid amounts per benefit and per
applying unit, as Excel."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from gongjiang.core.spreadsheets import write_xlsx

from .selectors import FundMonth

HEADER = ("资金来源", "年度", "月份", "年度预算(元)", "已承诺未拨付(元)", "已拨付(元)", "预算剩余(元)")


def fund_report_xlsx(rows: Sequence[FundMonth], year: int, month: int | None) -> bytes:
    body = [
        (
            row.fund_source.name,
            row.year,
            row.month or "全年",
            f"{row.budget:.2f}",
            f"{row.committed:.2f}",
            f"{row.paid:.2f}",
            f"{row.remaining:.2f}",
        )
        for row in rows
    ]
    total = [
        "合计",
        year,
        month or "全年",
        *(
            f"{sum((getattr(r, k) for r in rows), Decimal(0)):.2f}"
            for k in ("budget", "committed", "paid", "remaining")
        ),
    ]
    by_benefit = [
        (row.fund_source.name, benefit, f"{amount:.2f}")
        for row in rows
        for benefit, amount in row.by_benefit.items()
    ]
    return write_xlsx(
        {
            "资金使用情况": (HEADER, [*body, tuple(total)]),
            "按补贴项目": (("资金来源", "补贴项目", "已拨付(元)"), by_benefit),
            "按申请单位": (
                ("资金来源", "申请单位（个人）", "已拨付(元)"),
                [
                    (row.fund_source.name, unit, f"{amount:.2f}")
                    for row in rows
                    for unit, amount in row.by_unit.items()
                ],
            ),
        }
    )
