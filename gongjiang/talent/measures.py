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

- from the enterprise survey (台人社发〔2021〕17号 附件1), only what it can honestly support: the
  skilled and high-skilled totals, the high-skilled share and the skilled share of staff, read from
  the latest round closed by the end of the period and labelled as the surveyed enterprises'
  figures (`extensions.Figure.basis`), never as the district's;
- the measures no record supports (recruitment, self-evaluation enterprises, social evaluation
  organisations, the 湖州 industry counts) answer a `Figure` without a value and with the reason,
  so the goals page shows “待接入” and why.

The national-base provider answers which institutions are 国家级高技能人才培训基地 on a day, for the
“其中：国家级基地承接” columns of 附件1.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from typing import Any

from gongjiang.registry.models import PersonCertificate
from gongjiang.targets.extensions import Figure

from .aggregates import Structure, structure
from .choices import CompetitionLevel, PlatformKind, PlatformLevel, RoundStatus, StudioLevel, TitleKind
from .models import Competition, MasterStudio, SurveyRound, TalentPlatform, TalentTitle


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


HUNDRED = decimal.Decimal(100)
ONE_DECIMAL = decimal.Decimal("0.1")


def _share(part: int, whole: int) -> decimal.Decimal:
    """A percentage to one decimal, halves up (as `targets.progress` rounds)."""
    return (HUNDRED * part / whole).quantize(ONE_DECIMAL, rounding=decimal.ROUND_HALF_UP)


def _surveyed(
    figure: Callable[[Structure], tuple[int, int] | int],
) -> Callable[[Any, dt.date, dt.date], Figure]:
    """A figure of the latest survey round of the jurisdiction closed on or before the period's end
    (a closed round is published and no longer changes), labelled with its round and its number of
    enterprises: the survey covers the enterprises that answered, not the whole district."""

    def measure(jurisdiction: Any, start: dt.date, end: dt.date) -> Figure:
        survey_round = (
            SurveyRound.objects.filter(
                jurisdiction=jurisdiction, status=RoundStatus.CLOSED, closed_on__lte=end
            )
            .order_by("-closed_on", "-id")
            .first()
        )
        if survey_round is None:
            return Figure(None, f"截至 {end:%Y-%m-%d} 尚无已结束的企业技能人才调查，无法统计")
        s = structure(survey_round)
        basis = (
            f"依据“{survey_round.title}”（{survey_round.closed_on:%Y-%m-%d} 结束）被调查的 "
            f"{s.enterprises} 家企业，仅为被调查企业的数字，非全区总量"
        )
        value = figure(s)
        if isinstance(value, tuple):
            part, whole = value
            if whole == 0:
                return Figure(None, basis + "；分母为 0，无法计算比例")
            return Figure(_share(part, whole), basis)
        return Figure(value, basis)

    return measure


def _no_source(reason: str) -> Callable[[Any, dt.date, dt.date], Figure]:
    def measure(jurisdiction: Any, start: dt.date, end: dt.date) -> Figure:
        return Figure(None, reason)

    return measure


NO_SURVEY_INDUSTRY = (
    "调查表的“经营领域”为企业自行填写，未按湖州“四大战略性新兴产业”“两大传统产业”分类，平台暂无法统计"
)
EVALUATION_FILINGS = (PlatformKind.SELF_EVALUATION_ENTERPRISE, PlatformKind.SOCIAL_EVALUATION_ORG)
PLATFORM_KINDS = tuple(kind for kind in PlatformKind.values if kind not in EVALUATION_FILINGS)
MEASURES: dict[str, Callable[[Any, dt.date, dt.date], int | Figure]] = {
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
        PLATFORM_KINDS, (PlatformLevel.PROVINCIAL, PlatformLevel.NATIONAL)
    ),
    "talent.competitions_city": _city_competitions,
    "talent.new_skilled": _certified(1),
    "talent.new_high_skilled": _certified(3),
    "talent.new_technicians": _certified(4),
    "talent.skilled_total": _surveyed(lambda s: s.skilled),
    "talent.high_skilled_total": _surveyed(lambda s: s.high_skilled),
    "talent.high_skill_share": _surveyed(lambda s: (s.high_skilled, s.skilled)),
    "talent.skilled_employment_share": _surveyed(lambda s: (s.skilled, s.staff)),
    "talent.recruited_high_skilled": _no_source(
        "登记中没有人才引进记录（引进来源、引进日期），平台暂无法统计"
    ),
    # recorded as platforms of these kinds on /talent/records/ (the filing itself is done elsewhere)
    "talent.self_evaluation_enterprises": _platforms(
        (PlatformKind.SELF_EVALUATION_ENTERPRISE,), tuple(PlatformLevel.values)
    ),
    "talent.social_evaluation_orgs": _platforms(
        (PlatformKind.SOCIAL_EVALUATION_ORG,), tuple(PlatformLevel.values)
    ),
    "talent.skilled_strategic_industries": _no_source(NO_SURVEY_INDUSTRY),
    "talent.skilled_traditional_industries": _no_source(NO_SURVEY_INDUSTRY),
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
