"""Reason codes as bits: one bit per code, in the order the quote engine lists them.

The quote engine sorts a claim's reasons by `reasons.ORDER`, codes outside it following in the order
the rule raised them. No rule raises two codes outside ORDER in different orders, so one canonical
sequence — ORDER, then `EXTRA_ORDER` — orders every claim's reasons, and a claim's reasons can be
carried as a bitmask until the output (`reason_lists` turns the distinct masks into lists).
"""

from __future__ import annotations

import polars as pl

from ..reasons import ORDER

# Codes outside reasons.ORDER, in the order the rules raise them when several apply
# (lanzhou 备注6: no_certificate, not_employed; 上虞 第21条: not_insured_employee, not_applicable).
EXTRA_ORDER = (
    "no_certificate",
    "not_employed",
    "not_insured_employee",
    "not_applicable",
    "annual_cap_reached",
    "not_eligible_role",
)
CODES = (*ORDER, *EXTRA_ORDER)
BIT = {code: 1 << position for position, code in enumerate(CODES)}
MASK_TYPE = pl.UInt32
NO_POLICY = BIT["no_policy_in_force"]


def reason_lists(masks: pl.Series) -> pl.Expr:
    """An expression turning the column `bits` into the list of its codes (in CODES order)."""
    distinct = masks.unique().sort()
    lists = [[code for code in CODES if int(mask) & BIT[code]] for mask in distinct.to_list()]
    table = pl.Series("reasons", lists, dtype=pl.List(pl.String))
    return pl.lit(table).gather(pl.lit(distinct).search_sorted(pl.col("bits")))
