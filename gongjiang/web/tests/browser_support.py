"""Shared pieces of the browser tests (marker `browser`): a movable clock and form helpers.

`Clock` moves Django's `timezone.now` (and with it `timezone.localdate`, which every page and
service reads) to a chosen instant, ticking from there; the live server runs in the test's process,
so it sees the same clock. Each time the clock moves, people log in again (the session clocks
follow it). The `clock` and `people` fixtures are in the root conftest.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

ZONE = timezone.get_default_timezone()


class Clock:
    """Django's `timezone.now`, moved to a chosen instant and ticking from there."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real_now = timezone.now
        self.offset = dt.timedelta(0)
        monkeypatch.setattr(timezone, "now", lambda: self.real_now() + self.offset)

    def set(self, day: dt.date, clock: str = "09:00") -> None:
        target = dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=ZONE)
        self.offset = target - self.real_now()


def submit(page, button) -> None:
    """Click a form's submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def upload(name: str, data: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}
