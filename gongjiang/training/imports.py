"""Shared pieces of the training app's file imports: parsing cells and collecting row errors.

Every import reads the whole file first (`core.spreadsheets.read_table`: size and zip limits,
formulas read as text), collects every bad row as {row, column, message}, and writes nothing unless
there are none (`ImportRejected`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
TIME_RE = re.compile(r"^(\d{1,2})[:：](\d{2})(?::(\d{2}))?$")


class RowErrors:
    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sorted(self, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        order = {name: i for i, name in enumerate(columns)}
        return sorted(self.errors, key=lambda e: (e["row"], order.get(e["column"], len(order))))


def parse_date(raw: str) -> dt.date | None:
    text = raw.strip()
    if "T" in text:
        text = text.split("T", 1)[0]
    match = DATE_RE.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_time(raw: str) -> dt.time | None:
    match = TIME_RE.match(raw.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def parse_positive_int(raw: str) -> int | None:
    text = raw.strip()
    return int(text) if text.isdigit() and int(text) > 0 else None
