"""The figures the targets app asks of this app (`gongjiang.targets.extensions`), registered in
`TalentConfig.ready()`. Each counts records of the jurisdiction dated inside the goal's period
[start, end]; read-only.

- titles (首席技师, 技术能手, the 湖州 craftsman titles) awarded in the period;
- master studios named in the period, by level; demonstration enterprises and national training
  bases recognised in the period; new provincial-or-national platforms (bases and demonstration
  enterprises at those levels);
- 市级 competitions held in the period;
- new skilled / high-skilled / 技师-and-above people: distinct people of the jurisdiction with a
  skill-level certificate of at least that level issued in the period (填表说明1 of 附件1: 技能人才
  hold a certificate; 高技能 = 高级工 and above).

The national-base provider answers which institutions are 国家级高技能人才培训基地 on a day, for the
“其中：国家级基地承接” columns of 附件1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gongjiang.registry.models import PersonCertificate

from .choices import CompetitionLevel, PlatformKind, PlatformLevel, StudioLevel, TitleKind
from .models import Competition, MasterStudio, TalentPlatform, TalentTitle


def _titles(kind: str) -> Callable[[Any, dt.date, dt.date], int]:
    def measure(jurisdiction: Any, start: dt.date, end: dt.date) -> int:
        return TalentTitle.objects.filter(
            jurisdiction=jurisdiction, kind=kind, awarded_on__gte=start, awarded_on__lte=end
        ).count()

    return measure


def _studios(*levels: str) -> Callable[[Any, dt.date, dt.date], int]:
    def measure(jurisdiction: Any, start: dt.date, end: dt.date) -> int:
        return MasterStudio.objects.filter(
            jurisdiction=jurisdiction, level__in=levels, recognised_on__gte=start, recognised_on__lte=end
        ).count()

    return measure


def _platforms(kinds: tuple[str, ...], levels: tuple[str, ...]) -> Callable[[Any, dt.date, dt.date], int]:
    def measure(jurisdiction: Any, start: dt.date, end: dt.date) -> int:
        return TalentPlatform.objects.filter(
            jurisdiction=jurisdiction,
            kind__in=kinds,
            level__in=levels,
            recognised_on__gte=start,
            recognised_on__lte=end,
        ).count()

    return measure


def _certified(min_rank: int) -> Callable[[Any, dt.date, dt.date], int]:
    def measure(jurisdiction: Any, start: dt.date, end: dt.date) -> int:
        return (
            PersonCertificate.objects.filter(
                person__jurisdiction=jurisdiction,
                level__rank__gte=min_rank,
                issued_on__gte=start,
                issued_on__lte=end,
            )
            .values("person_id")
            .distinct()
            .count()
        )

    return measure


def _city_competitions(jurisdiction: Any, start: dt.date, end: dt.date) -> int:
    return Competition.objects.filter(
        jurisdiction=jurisdiction, level=CompetitionLevel.MUNICIPAL, held_on__gte=start, held_on__lte=end
    ).count()


ALL_PLATFORM_KINDS = tuple(PlatformKind.values)
MEASURES: dict[str, Callable[[Any, dt.date, dt.date], int]] = {
    "talent.chief_technicians": _titles(TitleKind.CHIEF_TECHNICIAN),
    "talent.technical_experts": _titles(TitleKind.TECHNICAL_EXPERT),
    "talent.title.huzhou_grand_craftsman": _titles(TitleKind.HUZHOU_GRAND),
    "talent.title.huzhou_craftsman": _titles(TitleKind.HUZHOU),
    "talent.title.huzhou_rural_craftsman": _titles(TitleKind.HUZHOU_RURAL),
    "talent.title.huzhou_young_craftsman": _titles(TitleKind.HUZHOU_YOUNG),
    "talent.studios_city": _studios(StudioLevel.CITY),
    "talent.studios_provincial": _studios(StudioLevel.PROVINCIAL),
    "talent.studios_national": _studios(StudioLevel.NATIONAL),
    "talent.studios_national_provincial": _studios(StudioLevel.NATIONAL, StudioLevel.PROVINCIAL),
    "talent.demonstration_enterprises": _platforms(
        (PlatformKind.DEMO_ENTERPRISE,), tuple(PlatformLevel.values)
    ),
    "talent.national_bases": _platforms((PlatformKind.TRAINING_BASE,), (PlatformLevel.NATIONAL,)),
    "talent.new_provincial_platforms": _platforms(
        ALL_PLATFORM_KINDS, (PlatformLevel.PROVINCIAL, PlatformLevel.NATIONAL)
    ),
    "talent.competitions_city": _city_competitions,
    "talent.new_skilled": _certified(1),
    "talent.new_high_skilled": _certified(3),
    "talent.new_technicians": _certified(4),
}


def national_base_institutions(jurisdiction: Any, on: dt.date) -> list[int]:
    return list(
        TalentPlatform.objects.filter(
            jurisdiction=jurisdiction,
            kind=PlatformKind.TRAINING_BASE,
            level=PlatformLevel.NATIONAL,
            institution__isnull=False,
            recognised_on__lte=on,
        ).values_list("institution_id", flat=True)
    )


def register() -> None:
    from gongjiang.targets import extensions

    for key, measure in MEASURES.items():
        extensions.register_measure(key, measure)
    extensions.register_national_base_provider(national_base_institutions)
