"""Statutory working days: chinese-calendar, overridden by the bureau's WorkingDayOverride table.

For a year the library does not know, every day must be decided by the overrides, else weekdays
count as working days and a warning code is returned by `working_day_status`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

from .models import WorkingDayOverride


def is_working_day(day: dt.date, overrides: dict[dt.date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = dict(WorkingDayOverride.objects.filter(date=day).values_list("date", "is_working_day"))
    if day in overrides:
        return overrides[day]
    return _statutory_working_day(day)


# chinese-calendar takes about 65 µs per lookup, and a queue row's clock counts every day to its
# due date (a year-old item: 365 lookups); the library's tables are fixed for the process.
@lru_cache(maxsize=8192)
def _statutory_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def _overrides_between(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(
        WorkingDayOverride.objects.filter(date__gte=start, date__lte=end).values_list(
            "date", "is_working_day"
        )
    )


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start`; the start day itself does not count."""
    overrides = _overrides_between(start, start + dt.timedelta(days=days * 3 + 30))
    current = start
    counted = 0
    while counted < days:
        current += dt.timedelta(days=1)
        if is_working_day(current, overrides):
            counted += 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _overrides_between(start, end)
    return sum(
        1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n), overrides)
    )
