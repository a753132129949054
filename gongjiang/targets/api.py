"""REST operations of the targets app under /api/targets/ (session authentication). Reads through the
scoped selectors (an institution clerk gets their own institution's figures without targets), writes
through the services. ID numbers in the drill-down are masked."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.permissions import has_capability

from . import selectors, services
from .choices import COLUMN_ORDER
from .progress import goal_progress, table_progress
from .report import monthly_report, monthly_report_xlsx

router = Router(tags=["任务目标与进度"])


class TableOut(Schema):
    year: int
    title: str
    document: str
    citation: str
    measure_unit: str
    note: str
    counts_skill_upgrade_recipients: bool
    source: str
    units: dict[str, dict[str, int | None]]  # service unit id → column → target (None: “/”)


class TableIn(Schema):
    year: int
    title: str
    document: str
    citation: str
    figures: dict[int, dict[str, int | None]]
    note: str = ""
    counts_skill_upgrade_recipients: bool = False
    reason: str = ""


class CellOut(Schema):
    column: str
    target: int | None
    done: int
    percent: decimal.Decimal | None
    lagging: bool


class RowOut(Schema):
    unit_id: int | None
    unit_name: str
    cells: list[CellOut]


class ProgressOut(Schema):
    year: int | None
    as_of: dt.date
    elapsed_percent: decimal.Decimal | None
    show_targets: bool
    rows: list[RowOut]


class GoalOut(Schema):
    key: str
    document: str
    clause: str
    quote: str
    title: str
    comparator: str
    value: decimal.Decimal
    unit: str
    year_from: int
    year_to: int
    per_year: bool
    measure: str
    status: str | None
    progress: decimal.Decimal | int | None
    basis: str | None = None


class DrillClassOut(Schema):
    id: int
    code: str
    name: str
    institution: str
    service_unit: str
    closed_on: dt.date | None
    counted: int


class DrillPersonOut(Schema):
    name: str
    id_number: str
    class_code: str | None
    paid_on: dt.date | None


class DrillOut(Schema):
    column: str
    unit_id: int | None
    start: dt.date
    end: dt.date
    basis: str
    total: int
    classes: list[DrillClassOut]
    trainees: list[DrillPersonOut]
    recipients: list[DrillPersonOut]


class ImportOut(Schema):
    year: int
    rows: int


def _reader(request: HttpRequest, capability: str = "targets.read") -> Any:
    if not has_capability(request.user, capability):
        raise PermissionDenied()
    return request.user


def _as_of(as_of: dt.date | None, year: int | None = None) -> dt.date:
    """As the pages: never after today; by default 31 December of a past year, else today."""
    today = timezone.localdate()
    return min(as_of, today) if as_of else selectors.default_as_of(year, today)


def _table_out(table: Any) -> dict[str, Any]:
    units: dict[str, dict[str, int | None]] = {}
    for cell in table.cells.order_by("service_unit_id"):
        units.setdefault(str(cell.service_unit_id), {})[cell.column] = cell.value
    return {
        **{name: getattr(table, name) for name in TableOut.model_fields if name != "units"},
        "units": {u: {c: row.get(c) for c in COLUMN_ORDER} for u, row in units.items()},
    }


@router.get("/targets/tables", response=list[TableOut])
def list_tables(request: HttpRequest, jurisdiction: int | None = None) -> Any:
    user = _reader(request)
    place = selectors.user_jurisdiction(user, jurisdiction)
    return [_table_out(t) for t in selectors.table_list(user, place)]


@router.post("/targets/tables", response={201: TableOut})
def save_table(request: HttpRequest, payload: TableIn, jurisdiction: int | None = None) -> Any:
    place = selectors.user_jurisdiction(_reader(request), jurisdiction)
    table = services.target_table_save(
        actor=request.user,
        jurisdiction=place,
        year=payload.year,
        title=payload.title,
        document=payload.document,
        citation=payload.citation,
        figures=payload.figures,
        note=payload.note,
        counts_skill_upgrade_recipients=payload.counts_skill_upgrade_recipients,
        reason=payload.reason,
    )
    return Status(201, _table_out(table))


@router.post("/targets/tables/import", response={201: TableOut})
def import_table(
    request: HttpRequest,
    year: Form[int],
    title: Form[str],
    document: Form[str],
    citation: Form[str],
    file: File[UploadedFile],
    note: Form[str] = "",
    counts_skill_upgrade_recipients: Form[bool] = False,
    reason: Form[str] = "",
    jurisdiction: int | None = None,
) -> Any:
    place = selectors.user_jurisdiction(_reader(request), jurisdiction)
    table = services.target_table_import(
        actor=request.user,
        jurisdiction=place,
        year=year,
        title=title,
        document=document,
        citation=citation,
        note=note,
        counts_skill_upgrade_recipients=counts_skill_upgrade_recipients,
        reason=reason,
        filename=file.name or "",
        data=file.read(),
    )
    return Status(201, _table_out(table))


@router.get("/targets/progress", response=ProgressOut)
def get_progress(
    request: HttpRequest,
    year: int | None = None,
    as_of: dt.date | None = None,
    jurisdiction: int | None = None,
) -> Any:
    """Target, done, % and lagging per unit and column from 1 January to `as_of` (default today)."""
    user = _reader(request)
    place = selectors.user_jurisdiction(user, jurisdiction)
    year = year or selectors.default_year(user, place, timezone.localdate())
    when = _as_of(as_of, year)
    table = selectors.table_list(user, place).filter(year=year).first() if year else None
    if table is None:
        return {"year": year, "as_of": when, "elapsed_percent": None, "show_targets": False, "rows": []}
    progress = table_progress(selectors.scope_for(user, place), table, when)
    return {
        "year": table.year,
        "as_of": when,
        "elapsed_percent": progress.elapsed,
        "show_targets": progress.show_targets,
        "rows": [
            {
                "unit_id": row.unit_id,
                "unit_name": row.unit_name,
                "cells": [
                    {
                        "column": c.column,
                        "target": c.target,
                        "done": c.done,
                        "percent": c.percent,
                        "lagging": c.lagging,
                    }
                    for c in row.ordered()
                ],
            }
            for row in progress.rows
        ],
    }


@router.get("/targets/goals", response=list[GoalOut])
def list_goals(
    request: HttpRequest,
    year: int | None = None,
    as_of: dt.date | None = None,
    jurisdiction: int | None = None,
) -> Any:
    user = _reader(request)
    place = selectors.user_jurisdiction(user, jurisdiction)
    when = _as_of(as_of, year)
    show = selectors.scope_for(user, place).institution_id is None
    result = []
    for goal in selectors.goal_list(user, place):
        progress = goal_progress(goal, year or when.year, when) if show else None
        result.append(
            {
                **{name: getattr(goal, name) for name in GoalOut.model_fields if hasattr(goal, name)},
                "status": progress.status if progress else None,
                "progress": progress.value if progress else None,
                "basis": progress.basis if progress else None,
            }
        )
    return result


@router.get("/targets/drill", response=DrillOut)
def drill(
    request: HttpRequest,
    year: int | None = None,
    column: str = "total",
    unit: int | None = None,
    month: int | None = None,
    upto: int | None = None,
    basis: str = "done",
    as_of: dt.date | None = None,
    jurisdiction: int | None = None,
) -> Any:
    """The classes and people counted in one cell (IDs masked)."""
    user = _reader(request)
    place = selectors.user_jurisdiction(user, jurisdiction)
    today = timezone.localdate()
    year = year or selectors.default_year(user, place, today) or today.year
    when = _as_of(as_of, year)
    params = {"column": column, "unit": unit, "month": month, "upto": upto, "basis": basis}
    wanted = selectors.parse_drill(
        {k: ("" if v is None else str(v)) for k, v in params.items()}, year=year, as_of=when
    )
    result = selectors.drill_down(user, selectors.scope_for(user, place), wanted)
    return {
        "column": wanted.column,
        "unit_id": wanted.unit_id,
        "start": wanted.start,
        "end": wanted.end,
        "basis": wanted.basis,
        "total": result.total,
        "classes": [
            {
                "id": item.training_class.pk,
                "code": item.training_class.code,
                "name": item.training_class.name,
                "institution": item.training_class.institution.name,
                "service_unit": item.training_class.service_unit.name,
                "closed_on": item.training_class.closed_on,
                "counted": item.counted,
            }
            for item in result.classes
        ],
        "trainees": [
            {
                "name": e.person.name,
                "id_number": e.person.id_number_masked,
                "class_code": e.training_class.code,
                "paid_on": None,
            }
            for e in selectors.enrolments(result.enrolment_ids)
        ],
        "recipients": [
            {"name": r.name, "id_number": r.id_number_masked, "class_code": None, "paid_on": r.paid_on}
            for r in result.recipients
        ],
    }


@router.get("/targets/report.xlsx")
def report(
    request: HttpRequest, year: int | None = None, month: int | None = None, jurisdiction: int | None = None
) -> Any:
    """The monthly report (月度报表) in the 附件1 layout; default: the latest month of the year."""
    user = _reader(request, "targets.report")
    place = selectors.user_jurisdiction(user, jurisdiction)
    today = timezone.localdate()
    table = selectors.table_get(user, place, year or selectors.default_year(user, place, today))
    month = month or (today.month if today.year == table.year else 12)
    if not 1 <= month <= 12 or dt.date(table.year, month, 1) > today:
        raise DomainError("bad_month", "月份无效：只能导出已开始的月份")
    result = monthly_report(selectors.scope_for(user, place), table, month, today)
    response = HttpResponse(
        monthly_report_xlsx(result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@router.post("/targets/recipients/import", response={201: ImportOut})
def import_recipients(
    request: HttpRequest, year: Form[int], file: File[UploadedFile], jurisdiction: int | None = None
) -> Any:
    place = selectors.user_jurisdiction(_reader(request), jurisdiction)
    batch = services.recipient_import(
        actor=request.user, jurisdiction=place, year=year, filename=file.name or "", data=file.read()
    )
    return Status(201, {"year": batch.year, "rows": batch.row_count})
