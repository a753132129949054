"""A pack's parameters as in force on one version, in the batch engine's integer units.

Parameter values only change on version dates (the loader checks it), so every claim evaluated
under one version sees the same figures: the batch reads them once per (benefit, version) partition,
as plain Python numbers, and the column expressions use them as constants.

Units: money in integer fen, ratios as integers over `SCALE`, counts compared the way the quote
engine compares them (`count < threshold` is `count < ceil(threshold)`; a cap taken with `int()` is
truncated). A money figure that is not a whole fen, or a ratio finer than 1/SCALE, is refused: the
batch could not reproduce the quote engine's Decimal arithmetic exactly.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from ..model import Pack, ParamValue

SCALE = 1_000_000


class BatchUnsupported(ValueError):
    """The pack or the claims use something the batch engine cannot reproduce exactly."""


class Params:
    """`ctx.param` / `ctx.amount` / `amount_of` of the quote rules, for one version date."""

    def __init__(self, pack: Pack, day: dt.date) -> None:
        self.pack = pack
        self.day = day

    def value(self, path: str | None) -> ParamValue | None:
        """`ctx.param(path)`: None when the parameter is missing or not in force (MissingParameter)."""
        parameter = self.pack.parameters.get(path) if path else None
        return parameter.at(self.day) if parameter else None

    def fixed(self, path: str | None) -> Decimal | None:
        """`ctx.amount(path)`: a fixed figure; a range or a missing parameter is None."""
        value = self.value(path)
        return value.amount if value is not None else None

    def priced(self, path: str | None) -> Decimal | None:
        """`amount_of(path)`: the figure, or a range's upper bound (its lower where there is none)."""
        value = self.value(path)
        if value is None:
            return None
        if value.amount is not None:
            return value.amount
        if value.maximum is not None:
            return value.maximum
        return value.minimum or Decimal(0)

    # integer units ------------------------------------------------------------------------------
    def fen(self, path: str | None, *, how: str = "priced") -> int | None:
        amount = self.priced(path) if how == "priced" else self.fixed(path)
        return to_fen(amount, path)

    def at_least(self, path: str | None) -> int | None:
        """A minimum (`count < minimum`) as the least integer meeting it."""
        amount = self.fixed(path)
        return None if amount is None else math.ceil(amount)

    def whole(self, path: str | None) -> int | None:
        """A figure the rule takes with `int()` (group sizes, caps on months and years)."""
        amount = self.fixed(path)
        return None if amount is None else int(amount)

    def ratio(self, path: str | None, *, fixed: bool = True) -> int | None:
        """`ctx.amount(path)` of a ratio × SCALE (a range or a missing parameter is None)."""
        amount = self.fixed(path) if fixed else None
        return None if amount is None else to_scaled(amount, path)

    def ratio_or(self, path: str | None, default: Decimal) -> int | None:
        """`ctx.param(path).amount or default` × SCALE, as the rules write it (None: not in force)."""
        value = self.value(path)
        if value is None:
            return None
        return to_scaled(value.amount or default, path)


def to_fen(amount: Decimal | None, path: str | None) -> int | None:
    if amount is None:
        return None
    fen = amount * 100
    if fen != fen.to_integral_value() or fen < 0:
        raise BatchUnsupported(f"{path}: 金额 {amount} 不是非负的整分，批量审核无法精确计算")
    return int(fen)


def to_scaled(ratio: Decimal, path: str | None) -> int:
    scaled = ratio * SCALE
    if scaled != scaled.to_integral_value() or scaled < 0:
        raise BatchUnsupported(f"{path}: 比例 {ratio} 为负或精度超出批量审核支持范围（1/{SCALE}）")
    return int(scaled)
