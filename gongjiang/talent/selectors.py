"""Reads of the talent app, scoped to the user.

Who sees what (decided for issue 7):
- bureau admins, centre reviewers, finance officers and auditors (`talent.read`): every round of
  their jurisdictions with its answers, aggregates and proposals; the high-skill talent database
  (ID numbers masked, in the list and in the export) and the records of competitions, studios,
  titles and platforms.
- an enterprise clerk (`talent.respond`): the rounds of their jurisdiction and their own
  enterprise's answer only — never another enterprise's, never the talent database.
- everyone, without log-in: the public 供求信息 page — aggregates of closed rounds only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongjiang.catalog.models import Occupation, SkillLevel
from gongjiang.core.errors import PermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import has_capability, jurisdiction_ids
from gongjiang.registry.models import Person, PersonCertificate

from .choices import HIGH_SKILL_MIN_RANK, RoundStatus
from .models import (
    Competition,
    CompetitionResult,
    MasterStudio,
    SurveyResponse,
    SurveyRound,
    TalentPlatform,
    TalentTitle,
)


def _require_any(user: Any, *capabilities: str) -> None:
    if not any(has_capability(user, c) for c in capabilities):
        raise PermissionDenied()


def round_list(user: Any) -> QuerySet[SurveyRound]:
    _require_any(user, "talent.read", "talent.respond")
    return SurveyRound.objects.filter(jurisdiction_id__in=jurisdiction_ids(user)).select_related(
        "jurisdiction"
    )


def round_get(user: Any, pk: Any) -> SurveyRound:
    survey_round = round_list(user).filter(pk=pk).first()
    if survey_round is None:
        raise Http404("调查不存在或无权查看")
    return survey_round


def response_list(user: Any, survey_round: SurveyRound) -> QuerySet[SurveyResponse]:
    """Every answer of the round for staff; a clerk's own enterprise's answer only."""
    responses = SurveyResponse.objects.filter(survey_round=survey_round).select_related("enterprise")
    if has_capability(user, "talent.read"):
        return responses
    _require_any(user, "talent.respond")
    return responses.filter(enterprise_id=user.enterprise_id or -1)


def own_response(user: Any, survey_round: SurveyRound) -> SurveyResponse | None:
    _require_any(user, "talent.respond")
    return (
        SurveyResponse.objects.filter(survey_round=survey_round, enterprise_id=user.enterprise_id or -1)
        .prefetch_related("demand_lines")
        .first()
    )


def require_reader(user: Any) -> None:
    _require_any(user, "talent.read")


def public_rounds() -> QuerySet[SurveyRound]:
    """Closed (published) rounds, newest first: what the public 供求信息 page may show."""
    return (
        SurveyRound.objects.filter(status=RoundStatus.CLOSED)
        .select_related("jurisdiction")
        .order_by("-closed_on", "-id")
    )


# --- the high-skill talent database (高技能人才信息库) -----------------------------------------


@dataclass
class TalentRow:
    person: Person
    certificates: list[PersonCertificate] = field(default_factory=list)
    titles: list[TalentTitle] = field(default_factory=list)
    results: list[CompetitionResult] = field(default_factory=list)
    studios: list[MasterStudio] = field(default_factory=list)

    @property
    def highest(self) -> PersonCertificate:
        return max(self.certificates, key=lambda c: (c.level.rank if c.level else 0, c.issued_on))

    @property
    def level_label(self) -> str:
        level = self.highest.level
        return (level.alias or level.name) if level else ""

    @property
    def occupations(self) -> list[str]:
        return sorted({c.occupation.name for c in self.certificates if c.occupation})


@dataclass(frozen=True)
class TalentFilter:
    occupation_id: int | None = None
    min_rank: int = HIGH_SKILL_MIN_RANK
    enterprise_id: int | None = None
    name: str = ""


def talent_list(user: Any, jurisdiction: Jurisdiction, flt: TalentFilter) -> list[TalentRow]:
    """People of the jurisdiction holding a skill-level certificate at 高级工 or above (填表说明1),
    with their certificates, titles, competition results and studios; filtered by occupation (of a
    qualifying certificate), minimum level and employer. ID numbers stay masked."""
    require_reader(user)
    if jurisdiction.pk not in jurisdiction_ids(user):
        raise Http404("辖区不存在或无权查看")
    certificates = PersonCertificate.objects.filter(
        person__jurisdiction=jurisdiction,
        person__is_deleted=False,
        level__rank__gte=max(flt.min_rank, HIGH_SKILL_MIN_RANK),
    ).select_related("level", "occupation", "certificate_type", "person", "person__employer")
    if flt.occupation_id:
        certificates = certificates.filter(occupation_id=flt.occupation_id)
    if flt.enterprise_id:
        certificates = certificates.filter(person__employer_id=flt.enterprise_id)
    if flt.name.strip():
        certificates = certificates.filter(person__name__contains=flt.name.strip())
    rows: dict[int, TalentRow] = {}
    for certificate in certificates.order_by("person__name", "person_id", "-level__rank"):
        rows.setdefault(certificate.person_id, TalentRow(certificate.person)).certificates.append(certificate)
    ids = list(rows)
    for title in TalentTitle.objects.filter(person_id__in=ids).order_by("-awarded_on"):
        rows[title.person_id].titles.append(title)
    for result in CompetitionResult.objects.filter(person_id__in=ids).select_related(
        "competition", "promoted_to"
    ):
        rows[result.person_id].results.append(result)
    for studio in MasterStudio.objects.filter(master_id__in=ids):
        rows[studio.master_id].studios.append(studio)
    return list(rows.values())


def competition_list(user: Any, jurisdiction: Jurisdiction) -> QuerySet[Competition]:
    require_reader(user)
    return (
        Competition.objects.filter(jurisdiction=jurisdiction)
        .select_related("occupation")
        .prefetch_related("results__person", "results__level_before", "results__promoted_to")
    )


def studio_list(user: Any, jurisdiction: Jurisdiction) -> QuerySet[MasterStudio]:
    require_reader(user)
    return (
        MasterStudio.objects.filter(jurisdiction=jurisdiction)
        .select_related("enterprise", "master", "occupation")
        .prefetch_related("assessments")
    )


def title_list(user: Any, jurisdiction: Jurisdiction) -> QuerySet[TalentTitle]:
    require_reader(user)
    return TalentTitle.objects.filter(jurisdiction=jurisdiction).select_related("person", "enterprise")


def platform_list(user: Any, jurisdiction: Jurisdiction) -> QuerySet[TalentPlatform]:
    require_reader(user)
    return TalentPlatform.objects.filter(jurisdiction=jurisdiction).select_related(
        "enterprise", "institution"
    )


def user_jurisdiction(user: Any, requested: Any = None) -> Jurisdiction:
    ids = jurisdiction_ids(user)
    if not ids:
        raise Http404("没有可查看的辖区")
    chosen = ids[0]
    if requested not in (None, ""):
        try:
            chosen = int(requested)
        except (TypeError, ValueError) as exc:
            raise Http404("辖区不存在") from exc
        if chosen not in ids:
            raise Http404("辖区不存在或无权查看")
    return Jurisdiction.objects.get(pk=chosen)


def highest_level(person: Person, occupation: Occupation, on: dt.date) -> SkillLevel | None:
    """The person's highest skill level certificate in the occupation issued on or before `on`."""
    certificate = (
        PersonCertificate.objects.filter(
            person=person, occupation=occupation, level__isnull=False, issued_on__lte=on
        )
        .select_related("level")
        .order_by("-level__rank")
        .first()
    )
    return certificate.level if certificate else None


# --- lookups for the API's writes: 404 outside the user's jurisdictions -------------------------


def require_manager(user: Any) -> None:
    _require_any(user, "talent.manage")


def _scoped(model: Any, user: Any, pk: Any, label: str) -> Any:
    obj = model.objects.filter(pk=pk, jurisdiction_id__in=jurisdiction_ids(user)).first()
    if obj is None:
        raise Http404(f"{label}不存在或不在您的辖区")
    return obj


def person_get(user: Any, pk: Any) -> Person:
    require_manager(user)
    person: Person = _scoped(Person, user, pk, "人员")
    return person


def enterprise_get(user: Any, pk: Any) -> Any:
    from gongjiang.registry.models import Enterprise

    require_manager(user)
    return _scoped(Enterprise, user, pk, "企业")


def institution_get(user: Any, pk: Any) -> Any:
    from gongjiang.registry.models import Institution

    require_manager(user)
    return _scoped(Institution, user, pk, "培训机构")


def competition_get(user: Any, pk: Any) -> Competition:
    require_manager(user)
    competition: Competition = _scoped(Competition, user, pk, "竞赛")
    return competition


def studio_get(user: Any, pk: Any) -> MasterStudio:
    require_manager(user)
    studio: MasterStudio = _scoped(MasterStudio, user, pk, "技能大师工作室")
    return studio


def proposal_get(user: Any, pk: Any) -> Any:
    from .models import ShortageProposal

    require_manager(user)
    return _scoped(ShortageProposal, user, pk, "提议")


def occupation_get(pk: Any) -> Occupation:
    occupation = Occupation.objects.filter(pk=pk, is_active=True).first()
    if occupation is None:
        raise Http404("职业(工种)不存在")
    return occupation
