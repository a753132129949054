"""Reads of the targets app, scoped to the user.

Who sees what (decided for issue 7):
- bureau admins, centre reviewers, finance officers and auditors (`targets.read`, `targets.report`):
  the whole jurisdiction — every unit's targets and done figures, the monthly report, the drill-down
  to every counted class and trainee, and the recipient list. A reviewer is not limited to their
  own centre here: the monthly report compares the centres, and the figures are the bureau's own.
- an institution clerk (`targets.read` only): done figures counted from their own institution's
  classes, without the units' targets or percentages (the targets are set per centre, not per
  institution, so a percentage would mislead), and the drill-down to their own classes only.
  Subsidy recipients carry no institution and are never shown to a clerk.
- everyone else: nothing (403).
ID numbers in the drill-down and the recipient list are always masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import jurisdiction_ids, require, role_of
from gongjiang.training.models import Enrolment, TrainingClass

from .choices import COLUMN_ORDER
from .models import SkillUpgradeRecipient, TargetGoal, TargetTable
from .progress import RATE_KINDS, Scope, counted_recipients, counted_trainees, month_bounds


def user_jurisdiction(user: Any, requested: Any = None) -> Jurisdiction:
    """The jurisdiction a page shows: the requested one if it is the user's, else their first."""
    require(user, "targets.read")
    ids = jurisdiction_ids(user)
    if not ids:
        raise Http404("没有可查看的辖区")
    chosen = ids[0]
    if requested not in (None, ""):
        try:
            wanted = int(requested)
        except (TypeError, ValueError):
            wanted = None
        if wanted not in ids:
            raise Http404("辖区不存在或无权查看")
        chosen = wanted
    return Jurisdiction.objects.get(pk=chosen)


def scope_for(user: Any, jurisdiction: Jurisdiction) -> Scope:
    if role_of(user) == Role.INSTITUTION_CLERK:
        return Scope(jurisdiction, institution_id=user.institution_id or -1)
    return Scope(jurisdiction)


def table_list(user: Any, jurisdiction: Jurisdiction) -> QuerySet[TargetTable]:
    require(user, "targets.read")
    return TargetTable.objects.filter(jurisdiction=jurisdiction).order_by("-year")


def table_get(user: Any, jurisdiction: Jurisdiction, year: Any) -> TargetTable:
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise Http404("年度无效") from exc
    table = table_list(user, jurisdiction).filter(year=year).first()
    if table is None:
        raise Http404(f"{year} 年没有任务分解表")
    return table


def default_year(user: Any, jurisdiction: Jurisdiction, today: dt.date) -> int | None:
    years = list(table_list(user, jurisdiction).values_list("year", flat=True))
    if not years:
        return None
    return today.year if today.year in years else max(years)


def default_as_of(year: int | None, today: dt.date) -> dt.date:
    """The day a year's figures are read as of when no `as_of` is asked: 31 December for a past
    year (its figures are complete), today for the current year (or when no year is chosen)."""
    if year is not None and dt.MINYEAR <= year < today.year:  # a year 0 or below has no 31 December
        return dt.date(year, 12, 31)
    return today


def goal_list(user: Any, jurisdiction: Jurisdiction) -> QuerySet[TargetGoal]:
    require(user, "targets.read")
    return TargetGoal.objects.filter(jurisdiction=jurisdiction).order_by("year_from", "document", "position")


def recipient_list(user: Any, jurisdiction: Jurisdiction, year: int) -> QuerySet[SkillUpgradeRecipient]:
    require(user, "targets.report")
    return (
        SkillUpgradeRecipient.objects.filter(jurisdiction=jurisdiction, year=year)
        .select_related("service_unit", "occupation", "level")
        .order_by("paid_on", "id")
    )


# --- drill-down ----------------------------------------------------------------------------

BASES = ("done", "certified", "employed")


@dataclass(frozen=True)
class DrillRequest:
    year: int
    column: str
    unit_id: int | None  # None: all units (the 合计 row)
    month: int | None  # that month only; None: from 1 January
    upto: int | None  # with no month: 1 January to the end of this month (None: to `as_of`)
    basis: str  # "done", or the rate numerators "certified" / "employed"
    as_of: dt.date

    @property
    def start(self) -> dt.date:
        return month_bounds(self.year, self.month)[0] if self.month else dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.month:
            end = month_bounds(self.year, self.month)[1]
        elif self.upto:
            end = month_bounds(self.year, self.upto)[1]
        else:
            end = dt.date(self.year, 12, 31)
        return min(end, self.as_of)

    @property
    def period_label(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


def parse_drill(params: Any, *, year: int, as_of: dt.date) -> DrillRequest:
    column = params.get("column", "total")
    if column not in COLUMN_ORDER:
        raise DomainError("bad_column", "指标参数无效")
    unit_raw = params.get("unit", "")
    month_raw = params.get("month", "")
    upto_raw = params.get("upto", "")
    basis = params.get("basis", "done") or "done"
    if basis not in BASES:
        raise DomainError("bad_basis", "口径参数无效")
    try:
        unit_id = int(unit_raw) if unit_raw not in ("", None) else None
        month = int(month_raw) if month_raw not in ("", None) else None
        upto = int(upto_raw) if upto_raw not in ("", None) else None
    except (TypeError, ValueError) as exc:
        raise DomainError("bad_parameter", "单位或月份参数无效") from exc
    if any(m is not None and not 1 <= m <= 12 for m in (month, upto)):
        raise DomainError("bad_parameter", "月份应为 1—12")
    return DrillRequest(
        year=year, column=column, unit_id=unit_id, month=month, upto=upto, basis=basis, as_of=as_of
    )


@dataclass(frozen=True)
class DrillClass:
    training_class: TrainingClass
    counted: int


@dataclass(frozen=True)
class DrillResult:
    request: DrillRequest
    classes: list[DrillClass]
    enrolment_ids: list[int]  # in order (closing date, class); load a page with `enrolments`
    recipients: list[SkillUpgradeRecipient]

    @property
    def total(self) -> int:
        return len(self.enrolment_ids) + len(self.recipients)


def enrolments(ids: list[int]) -> list[Enrolment]:
    """The enrolments of `ids` (one page of a drill-down), in the order given."""
    found = Enrolment.objects.filter(pk__in=ids).select_related("person", "training_class").in_bulk()
    return [found[pk] for pk in ids if pk in found]


def drill_down(user: Any, scope: Scope, request: DrillRequest) -> DrillResult:
    """The classes and people behind one cell: exactly the records `progress` counted there."""
    require(user, "targets.read")
    trainees = [
        t
        for t in counted_trainees(scope, request.start, request.end)
        if request.column in t.columns and (request.unit_id is None or t.unit_id == request.unit_id)
    ]
    if request.basis == "certified":  # the 取证率 numerator: employment and post trainees only
        trainees = [t for t in trainees if t.certified and t.columns & set(RATE_KINDS)]
    elif request.basis == "employed":
        trainees = [t for t in trainees if t.employed]
    per_class: dict[int, int] = {}
    for trainee in trainees:
        per_class[trainee.class_id] = per_class.get(trainee.class_id, 0) + 1
    classes = TrainingClass.objects.filter(pk__in=list(per_class)).select_related(
        "institution", "service_unit", "occupation", "startup_course"
    )
    recipients: list[SkillUpgradeRecipient] = []
    if request.basis == "done":
        ids = [
            r.recipient_id
            for r in counted_recipients(scope, request.start, request.end)
            if request.column in r.columns and (request.unit_id is None or r.unit_id == request.unit_id)
        ]
        recipients = list(
            SkillUpgradeRecipient.objects.filter(pk__in=ids)
            .select_related("service_unit", "occupation", "level")
            .order_by("paid_on", "id")
        )
    ordered = sorted(classes, key=lambda c: (c.closed_on or dt.date.min, c.pk))
    return DrillResult(
        request=request,
        classes=[DrillClass(c, per_class[c.pk]) for c in ordered],
        enrolment_ids=[t.enrolment_id for t in trainees],
        recipients=recipients,
    )
