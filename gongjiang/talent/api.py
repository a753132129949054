"""REST operations of the talent app under /api/talent/ (session authentication): the rounds, a
round's aggregates (the same figures as the 供求分析 page), and the paper-round import. Reads through
the scoped selectors, writes through the services; aggregates carry no personal data."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from . import aggregates, selectors, services

router = Router(tags=["技能人才调查"])


class RoundOut(Schema):
    id: int
    jurisdiction: str
    title: str
    period: str
    year: int
    status: str


class CountOut(Schema):
    label: str
    count: int


class IndustryOut(Schema):
    industry: str
    enterprises: int
    staff: int
    skilled: int
    high_skilled: int
    average_wage: decimal.Decimal | None


class DemandOut(Schema):
    occupation: str
    demand: int
    demand_self: int
    demand_joint: int
    supply: int
    gap: int
    in_directory: bool


class WageOut(Schema):
    occupation: str
    level: str
    people: int
    lowest: decimal.Decimal
    highest: decimal.Decimal
    average: decimal.Decimal


class SupplyDemandOut(Schema):
    round: RoundOut
    enterprises: int
    staff: int
    skilled: int
    high_skilled: int
    by_level: list[CountOut]
    by_age: list[CountOut]
    by_education: list[CountOut]
    industries: list[IndustryOut]
    demand: list[DemandOut]
    wages: list[WageOut]


class ImportOut(Schema):
    round_id: int
    rows: int


def _round_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "jurisdiction": r.jurisdiction.name,
        "title": r.title,
        "period": r.period,
        "year": r.year,
        "status": r.status,
    }


@router.get("/talent/rounds", response=list[RoundOut])
def list_rounds(request: HttpRequest) -> Any:
    return [_round_out(r) for r in selectors.round_list(request.user).order_by("-year", "-id")]


@router.get("/talent/rounds/{round_id}/supply-demand", response=SupplyDemandOut)
def supply_demand(request: HttpRequest, round_id: int) -> Any:
    selectors.require_reader(request.user)
    survey_round = selectors.round_get(request.user, round_id)
    s = aggregates.structure(survey_round)
    return {
        "round": _round_out(survey_round),
        "enterprises": s.enterprises,
        "staff": s.staff,
        "skilled": s.skilled,
        "high_skilled": s.high_skilled,
        "by_level": [{"label": label, "count": n} for label, n in s.by_level],
        "by_age": [{"label": label, "count": n} for label, n in s.by_age],
        "by_education": [{"label": label, "count": n} for label, n in s.by_education],
        "industries": [
            {
                "industry": i.industry,
                "enterprises": i.enterprises,
                "staff": i.staff,
                "skilled": i.skilled,
                "high_skilled": i.high_skilled,
                "average_wage": i.average_wage,
            }
            for i in s.industries
        ],
        "demand": [
            {
                "occupation": r.occupation,
                "demand": r.demand,
                "demand_self": r.demand_self,
                "demand_joint": r.demand_joint,
                "supply": r.supply,
                "gap": r.gap,
                "in_directory": r.in_directory,
            }
            for r in aggregates.demand_supply(survey_round)
        ],
        "wages": [
            {
                "occupation": w.occupation,
                "level": w.level,
                "people": w.people,
                "lowest": w.lowest,
                "highest": w.highest,
                "average": w.average,
            }
            for w in aggregates.wage_levels(survey_round)
        ],
    }


@router.post("/talent/rounds/{round_id}/import", response={201: ImportOut})
def import_round(request: HttpRequest, round_id: int, file: File[UploadedFile]) -> Any:
    """Import a round collected on paper (all rows or none; 422 lists every bad row)."""
    survey_round = selectors.round_get(request.user, round_id)
    responses = services.survey_import(
        actor=request.user, survey_round=survey_round, filename=file.name or "", data=file.read()
    )
    return Status(201, {"round_id": survey_round.pk, "rows": len(responses)})


# --- rounds, proposals and records (writes through the services) ------------------------------


class RoundIn(Schema):
    title: str
    period: str
    year: int


class ProposalIn(Schema):
    occupation_id: int
    note: str = ""


class DecisionIn(Schema):
    accept: bool
    effective_from: dt.date | None = None
    valid_to: dt.date | None = None
    reason: str = ""


class ProposalOut(Schema):
    id: int
    occupation: str
    demand: int
    supply: int
    status: str
    effective_from: dt.date | None


class CompetitionIn(Schema):
    name: str
    level: str
    occupation_id: int
    organiser: str
    held_on: dt.date


class ResultIn(Schema):
    person_id: int
    rank: int
    result_label: str = ""


class StudioIn(Schema):
    name: str
    level: str
    enterprise_id: int
    master_id: int
    occupation_id: int
    recognised_on: dt.date


class AssessmentIn(Schema):
    year: int
    result: str
    assessed_on: dt.date


class TitleIn(Schema):
    person_id: int
    kind: str
    title_name: str = ""
    awarded_by: str
    awarded_on: dt.date
    enterprise_id: int | None = None
    allowance_months: int | None = None


class PlatformIn(Schema):
    kind: str
    level: str
    name: str
    recognised_on: dt.date
    enterprise_id: int | None = None
    institution_id: int | None = None


class RecordOut(Schema):
    id: int
    facts_for_policy: list[dict[str, Any]]


def _proposal_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "occupation": p.occupation.name,
        "demand": p.demand,
        "supply": p.supply,
        "status": p.status,
        "effective_from": p.effective_from,
    }


def _record_out(record: Any) -> dict[str, Any]:
    facts = record.facts_for_policy() if hasattr(record, "facts_for_policy") else []
    return {"id": record.pk, "facts_for_policy": facts}


def _place(request: HttpRequest, jurisdiction: int | None) -> Any:
    selectors.require_manager(request.user)
    return selectors.user_jurisdiction(request.user, jurisdiction)


@router.post("/talent/rounds", response={201: RoundOut})
def create_round(request: HttpRequest, payload: RoundIn, jurisdiction: int | None = None) -> Any:
    survey_round = services.survey_round_create(
        actor=request.user, jurisdiction=_place(request, jurisdiction), **payload.dict()
    )
    return Status(201, _round_out(survey_round))


@router.post("/talent/rounds/{round_id}/close", response=RoundOut)
def close_round(request: HttpRequest, round_id: int) -> Any:
    survey_round = selectors.round_get(request.user, round_id)
    return _round_out(services.survey_round_close(actor=request.user, survey_round=survey_round))


@router.post("/talent/rounds/{round_id}/proposals", response={201: ProposalOut})
def create_proposal(request: HttpRequest, round_id: int, payload: ProposalIn) -> Any:
    survey_round = selectors.round_get(request.user, round_id)
    proposal = services.shortage_proposal_create(
        actor=request.user,
        survey_round=survey_round,
        occupation=selectors.occupation_get(payload.occupation_id),
        note=payload.note,
    )
    return Status(201, _proposal_out(proposal))


@router.post("/talent/proposals/{proposal_id}/decision", response=ProposalOut)
def decide_proposal(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> Any:
    proposal = selectors.proposal_get(request.user, proposal_id)
    return _proposal_out(
        services.shortage_proposal_decide(actor=request.user, proposal=proposal, **payload.dict())
    )


@router.post("/talent/competitions", response={201: RecordOut})
def create_competition(request: HttpRequest, payload: CompetitionIn, jurisdiction: int | None = None) -> Any:
    data = payload.dict()
    occupation = selectors.occupation_get(data.pop("occupation_id"))
    competition = services.competition_create(
        actor=request.user, jurisdiction=_place(request, jurisdiction), occupation=occupation, **data
    )
    return Status(201, _record_out(competition))


@router.post("/talent/competitions/{competition_id}/results", response={201: RecordOut})
def record_result(request: HttpRequest, competition_id: int, payload: ResultIn) -> Any:
    competition = selectors.competition_get(request.user, competition_id)
    result = services.competition_result_record(
        actor=request.user,
        competition=competition,
        person=selectors.person_get(request.user, payload.person_id),
        rank=payload.rank,
        result_label=payload.result_label,
    )
    return Status(201, _record_out(result))


@router.post("/talent/studios", response={201: RecordOut})
def create_studio(request: HttpRequest, payload: StudioIn, jurisdiction: int | None = None) -> Any:
    place = _place(request, jurisdiction)
    studio = services.studio_create(
        actor=request.user,
        jurisdiction=place,
        name=payload.name,
        level=payload.level,
        enterprise=selectors.enterprise_get(request.user, payload.enterprise_id),
        master=selectors.person_get(request.user, payload.master_id),
        occupation=selectors.occupation_get(payload.occupation_id),
        recognised_on=payload.recognised_on,
    )
    return Status(201, _record_out(studio))


@router.post("/talent/studios/{studio_id}/assessments", response={201: RecordOut})
def assess_studio(request: HttpRequest, studio_id: int, payload: AssessmentIn) -> Any:
    studio = selectors.studio_get(request.user, studio_id)
    services.studio_assess(actor=request.user, studio=studio, **payload.dict())
    return Status(201, _record_out(studio))


@router.post("/talent/titles", response={201: RecordOut})
def award_title(request: HttpRequest, payload: TitleIn) -> Any:
    selectors.require_manager(request.user)
    title = services.title_award(
        actor=request.user,
        person=selectors.person_get(request.user, payload.person_id),
        kind=payload.kind,
        title_name=payload.title_name,
        awarded_by=payload.awarded_by,
        awarded_on=payload.awarded_on,
        enterprise=selectors.enterprise_get(request.user, payload.enterprise_id)
        if payload.enterprise_id
        else None,
        allowance_months=payload.allowance_months,
    )
    return Status(201, _record_out(title))


@router.post("/talent/platforms", response={201: RecordOut})
def create_platform(request: HttpRequest, payload: PlatformIn, jurisdiction: int | None = None) -> Any:
    place = _place(request, jurisdiction)
    platform = services.platform_create(
        actor=request.user,
        jurisdiction=place,
        kind=payload.kind,
        level=payload.level,
        name=payload.name,
        recognised_on=payload.recognised_on,
        enterprise=selectors.enterprise_get(request.user, payload.enterprise_id)
        if payload.enterprise_id
        else None,
        institution=selectors.institution_get(request.user, payload.institution_id)
        if payload.institution_id
        else None,
    )
    return Status(201, _record_out(platform))
