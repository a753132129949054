"""Money arithmetic: Decimal only, rounded half-up to the fen, instalments that add up exactly."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def fmt(amount: Decimal | None) -> str | None:
    return None if amount is None else str(fen(amount))


def add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


def instalments(total: Decimal, count: int, start: dt.date, every_months: int) -> list[tuple[str, Decimal]]:
    """`count` equal instalments rounded half-up to the fen, the remainder on the last one;
    the first falls due in the month of `start`."""
    share = fen(total / count)
    schedule = []
    for n in range(count):
        year, month = add_months(start, n * every_months)
        amount = share if n < count - 1 else fen(total - share * (count - 1))
        schedule.append((f"{year:04d}-{month:02d}", amount))
    return schedule


def percent(ratio: Decimal | None) -> str:
    value = (ratio or Decimal(0)) * 100
    return f"{value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()}%"
