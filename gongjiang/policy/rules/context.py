"""What a rule sees, and the small vocabulary rules share (reasons, trace steps, history tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import Benefit, Decision, HistoryItem, Pack, ParamValue, Reason, TraceStep
from ..reasons import message_for


class MissingParameter(Exception):
    """A parameter a rule needs is not in force on the claim date."""


@dataclass
class RuleContext:
    pack: Pack
    benefit: Benefit
    date: dt.date
    facts: dict[str, Any]
    history: list[HistoryItem]
    shortage_occupations: frozenset[str] = frozenset()
    decision: Decision = field(default_factory=Decision)

    # parameters ----------------------------------------------------------------------------------
    def param(self, path: str) -> ParamValue:
        parameter = self.pack.parameters.get(path)
        value = parameter.at(self.date) if parameter else None
        if value is None:
            raise MissingParameter(path)
        return value

    def amount(self, path: str) -> tuple[Decimal, str]:
        value = self.param(path)
        if value.amount is None:
            raise MissingParameter(f"{path} 是区间，不是定额")
        return value.amount, value.reference

    def cfg(self, key: str, default: Any = None) -> Any:
        return self.benefit.config.get(key, default)

    # decision ------------------------------------------------------------------------------------
    def refuse(self, code: str, citation: str, **details: Any) -> None:
        self.decision.reasons.append(Reason(code, message_for(code, **details), citation))

    def step(self, text: str, amount: Decimal | None, citation: str) -> None:
        self.decision.trace.append(TraceStep(text, amount, citation))

    # history -------------------------------------------------------------------------------------
    def paid(self, benefits: Iterable[str]) -> list[HistoryItem]:
        wanted = set(benefits)
        return [item for item in self.history if item.benefit in wanted and item.date <= self.date]

    def paid_in_year(self, benefits: Iterable[str]) -> list[HistoryItem]:
        return [item for item in self.paid(benefits) if item.date.year == self.date.year]

    def fact(self, name: str, default: Any = None) -> Any:
        return self.facts.get(name, default)
