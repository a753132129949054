"""The engine's vocabulary: packs, dated parameters, benefits and their facts, and decisions.

A pack is one policy document (`packs/<pack-id>/`): `pack.yaml` (identity, jurisdiction, dated
versions, interpretations), `parameters/*.yaml` (every figure, each value dated and cited, OpenFisca
style) and `benefits.yaml` (each benefit: its rule kind, facts and parameter paths). Rules are pure
functions of (facts, history, parameters at a date) returning a `Decision`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ParamValue:
    """One dated value: a number, or a range (`minimum`/`maximum`, either may be None)."""

    start: dt.date
    amount: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    reference: str
    interpretation: str = ""
    ended: bool = False  # the parameter stops applying from `start` (YAML `null`)

    @property
    def is_range(self) -> bool:
        return self.amount is None


@dataclass(frozen=True)
class Parameter:
    path: str
    description: str
    unit: str
    values: tuple[ParamValue, ...]  # sorted by start date

    def at(self, day: dt.date) -> ParamValue | None:
        current = None
        for value in self.values:
            if value.start <= day:
                current = value
        return None if current is None or current.ended else current


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str  # enum | int | bool | str | decimal | date
    label: str
    required: bool = True
    choices: tuple[Any, ...] = ()
    minimum: int | None = None
    choice_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Benefit:
    key: str
    label: str
    rule: str
    beneficiary: str  # person | organisation
    citation: str
    facts: dict[str, FactSpec]
    config: dict[str, Any]
    # "The same thing" the funds app pays once (templates over the facts, person, year, …); empty
    # for a benefit the funds workflow does not pay yet.
    payment_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Version:
    date: dt.date
    document: str
    note: str


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    document: str
    jurisdiction: str
    versions: tuple[Version, ...]
    parameters: dict[str, Parameter]
    benefits: dict[str, Benefit]
    interpretations: tuple[dict[str, str], ...]
    occupation_classes: dict[str, str] = field(default_factory=dict)

    @property
    def first_effective(self) -> dt.date:
        return self.versions[0].date

    def version_on(self, day: dt.date) -> Version | None:
        current = None
        for version in self.versions:
            if version.date <= day:
                current = version
        return current


@dataclass(frozen=True)
class HistoryItem:
    date: dt.date
    benefit: str
    facts: dict[str, Any]
    amount: Decimal


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    citation: str


@dataclass(frozen=True)
class TraceStep:
    step: str
    amount: Decimal | None
    citation: str


@dataclass
class Decision:
    amount: Decimal = Decimal("0")
    reasons: list[Reason] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    bounds: tuple[Decimal, Decimal | None] | None = None
    schedule: list[tuple[str, Decimal]] | None = None

    @property
    def eligible(self) -> bool:
        return not self.reasons
