"""Extension points for the apps that land after this one. Until they register, the figures they own
are reported as “未接入” (not connected) — never as zero.

talent (training bases, titles, studios, competitions, the talent database):
  - `register_national_base_provider(fn)`: fn(jurisdiction, on_date) → ids of the institutions that
    are national high-skill training bases (国家级高技能人才培训基地) on that date. The three
    “其中：国家级基地承接” columns of 附件1 count classes run by those institutions. Until the talent
    app registers, `national_base_institution_ids` returns an EMPTY set, so those columns show 0
    done against their targets (the dashboard says why, see `national_bases_connected`).
  - `register_measure("talent.…", fn)`: fn(jurisdiction, start, end) → the figure of a goal whose
    `measure` names a key of `EXTERNAL_MEASURES` below (titles such as 首席技师, studios, bases,
    new skilled people …), or a `Figure` when the figure rests on a narrower basis than the goal
    (the goals page shows the basis beside it), or a `Figure` without a value saying why the app
    cannot measure it (the goal stays “待接入” with that reason).

funds (applications and payments):
  - `register_payments_provider(fn)`: fn(jurisdiction, start, end) → `PaymentsSummary` of the
    training subsidies paid in the period; the dashboard shows it beside the training figures.

Register from the app's `AppConfig.ready()`. Providers must be read-only and scoped to the
jurisdiction they are given.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A measure's answer with what it rests on; `value` None: not measurable, `basis` says why."""

    value: decimal.Decimal | int | None
    basis: str = ""


MeasureProvider = Callable[[Any, dt.date, dt.date], decimal.Decimal | int | Figure | None]
NationalBaseProvider = Callable[[Any, dt.date], Iterable[int]]


@dataclass(frozen=True)
class PaymentsSummary:
    """Training subsidies paid in a period (from the funds app)."""

    paid_amount: decimal.Decimal
    paid_count: int
    note: str = ""


PaymentsProvider = Callable[[Any, dt.date, dt.date], PaymentsSummary | None]

# Goal measures that other apps own: key → what it counts. A goal file may name these; the figure
# appears once the owning app registers a provider for the key.
EXTERNAL_MEASURES: dict[str, str] = {
    "talent.new_provincial_platforms": "新增省级以上高技能人才培训平台（个）",
    "talent.national_bases": "国家级高技能人才培训基地（个）",
    "talent.new_skilled": "新增技能人才（人）",
    "talent.new_high_skilled": "新增高技能人才（人）",
    "talent.new_technicians": "新增技师、高级技师（人）",
    "talent.recruited_high_skilled": "新引进高技能人才（人）",
    "talent.chief_technicians": "首席技师（名）",
    "talent.technical_experts": "技术能手（名）",
    "talent.self_evaluation_enterprises": "自主评价备案企业（家）",
    "talent.social_evaluation_orgs": "社会培训评价组织（家）",
    "talent.high_skill_share": "高技能人才占技能人才比例（%）",
    "talent.skilled_employment_share": "技能人才占从业人员比例（%）",
    "talent.skilled_total": "技能人才总量（人）",
    "talent.high_skilled_total": "高技能人才总量（人）",
    "talent.skilled_strategic_industries": "四大战略性新兴产业技能人才（人）",
    "talent.skilled_traditional_industries": "两大传统产业转型技能人才（人）",
    "talent.demonstration_enterprises": "高技能人才集聚示范企业（家）",
    "talent.studios_national_provincial": "国家级、省级技能大师工作室（家）",
    "talent.studios_city": "市级技能大师工作室（家）",
    "talent.studios_provincial": "省级技能大师工作室（家）",
    "talent.studios_national": "国家级技能大师工作室（家）",
    "talent.competitions_city": "市级技能大赛（场）",
    "talent.title.huzhou_grand_craftsman": "湖州大工匠（名）",
    "talent.title.huzhou_craftsman": "湖州工匠（名）",
    "talent.title.huzhou_rural_craftsman": "湖州乡村工匠（名）",
    "talent.title.huzhou_young_craftsman": "湖州青年工匠（名）",
}

_measure_providers: dict[str, MeasureProvider] = {}
_national_base_provider: NationalBaseProvider | None = None
_payments_provider: PaymentsProvider | None = None


def register_measure(key: str, provider: MeasureProvider) -> None:
    if key not in EXTERNAL_MEASURES:
        raise ValueError(f"unknown external measure {key!r}: declare it in EXTERNAL_MEASURES first")
    _measure_providers[key] = provider


def register_national_base_provider(provider: NationalBaseProvider) -> None:
    global _national_base_provider
    _national_base_provider = provider


def register_payments_provider(provider: PaymentsProvider) -> None:
    global _payments_provider
    _payments_provider = provider


def national_bases_connected() -> bool:
    return _national_base_provider is not None


def national_base_institution_ids(jurisdiction: Any, on: dt.date) -> frozenset[int]:
    """Institutions that are national high-skill training bases on `on`. EMPTY until the talent app
    registers its provider (see the module docstring)."""
    if _national_base_provider is None:
        return frozenset()
    return frozenset(_national_base_provider(jurisdiction, on))


def external_figure(key: str, jurisdiction: Any, start: dt.date, end: dt.date) -> Figure | None:
    """The figure of an external measure with its basis, or None while its app has not registered a
    provider."""
    provider = _measure_providers.get(key)
    if provider is None:
        return None
    answer = provider(jurisdiction, start, end)
    return answer if isinstance(answer, Figure) else Figure(answer)


def external_measure(
    key: str, jurisdiction: Any, start: dt.date, end: dt.date
) -> decimal.Decimal | int | None:
    """The value of an external measure, or None while it is not connected or not measurable."""
    figure = external_figure(key, jurisdiction, start, end)
    return None if figure is None else figure.value


def payments_summary(jurisdiction: Any, start: dt.date, end: dt.date) -> PaymentsSummary | None:
    """Subsidies paid in the period, or None until the funds app registers its provider."""
    return None if _payments_provider is None else _payments_provider(jurisdiction, start, end)
