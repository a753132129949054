"""REST operations of the talent app under /api/talent/ (session authentication): the rounds, a
round's aggregates (the same figures as the 供求分析 page), and the paper-round import. Reads through
the scoped selectors, writes through the services; aggregates carry no personal data."""

from __future__ import annotations

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
