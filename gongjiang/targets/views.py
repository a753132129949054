"""Pages of the targets app: the dashboard with its charts, the drill-down behind every figure, the
monthly Excel, the written goals, the task tables (entry and import by a bureau admin) and the
skill-upgrade subsidy recipients. Views only call selectors and services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.errors import PermissionDenied as DomainPermissionDenied
from gongjiang.core.http import domain_denial_is_403, require_capability, xlsx_download
from gongjiang.core.permissions import has_capability
from gongjiang.registry.models import ServiceUnit
from gongjiang.training.imports import parse_date

from . import charts, extensions, file_templates, selectors, services
from .choices import COLUMN_ORDER, SHORT_LABELS, TargetColumn
from .forms import RecipientImportForm, TableForm, TableImportForm, cell_field_name
from .models import TargetTable
from .progress import cumulative_by_month, goal_progress, rates, table_progress
from .report import monthly_report, monthly_report_xlsx

PAGE_SIZE = 50


def _today() -> dt.date:
    return timezone.localdate()


def _as_of(request: HttpRequest, year: int | None) -> dt.date:
    """`?as_of=YYYY-MM-DD` views the figures as they stood on that day (never after today); without
    it, a past year is read as of its 31 December and the current year as of today."""
    raw = request.GET.get("as_of", "")
    parsed = parse_date(raw) if raw else None
    today = _today()
    return min(parsed, today) if parsed else selectors.default_as_of(year, today)


def _year(request: HttpRequest, jurisdiction: Any) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit():
        return int(raw)
    return selectors.default_year(request.user, jurisdiction, _today())


class DrillLinks:
    """Builds drill-down URLs for one dashboard (year, as-of date, jurisdiction)."""

    def __init__(self, jurisdiction: Any, year: int, as_of: dt.date) -> None:
        self.base = {"jurisdiction": jurisdiction.pk, "year": year, "as_of": as_of.isoformat()}

    def __call__(self, **params: Any) -> str:
        query = {**self.base, **{k: v for k, v in params.items() if v not in (None, "")}}
        return reverse("targets:drill") + "?" + urlencode(query)


@login_required
@domain_denial_is_403
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    tables = list(selectors.table_list(request.user, jurisdiction))
    year = _year(request, jurisdiction)
    table = next((t for t in tables if t.year == year), None)
    context: dict[str, Any] = {
        "jurisdiction": jurisdiction,
        "tables": tables,
        "year": year,
        "table": table,
        "can_manage": has_capability(request.user, "targets.manage"),
        "can_report": has_capability(request.user, "targets.report"),
    }
    if table is None:
        return render(request, "targets/dashboard.html", context)
    as_of = _as_of(request, table.year)
    scope = selectors.scope_for(request.user, jurisdiction)
    progress = table_progress(scope, table, as_of)
    drill = DrillLinks(jurisdiction, table.year, as_of)
    unit_rates = rates(scope, table.year, as_of)
    cumulative = cumulative_by_month(scope, table.year, as_of, TargetColumn.TOTAL)
    last_month = (
        progress.end.month if progress.end.year == table.year and progress.end >= progress.start else 1
    )
    context.update(
        {
            "as_of": as_of,
            "progress": progress,
            "headings": [(c, SHORT_LABELS[c]) for c in COLUMN_ORDER],
            "grid": [
                (row, [(cell, drill(unit=row.unit_id, column=cell.column)) for cell in row.ordered()])
                for row in progress.rows
            ],
            "unit_rates": unit_rates,
            "rate_links": [
                (
                    r,
                    drill(unit=r.unit_id, column=TargetColumn.TOTAL, basis="certified"),
                    drill(unit=r.unit_id, column=TargetColumn.EMPLOYMENT, basis="employed"),
                )
                for r in unit_rates
            ],
            "progress_chart": charts.progress_chart(
                cumulative,
                progress.total.cells[TargetColumn.TOTAL].target if progress.show_targets else None,
                drill,
                f"{table.year}年累计完成与时间进度（合计，人次）",
            ),
            "units_chart": charts.units_chart(progress.rows, drill, show_targets=progress.show_targets),
            "rates_chart": charts.rates_chart(unit_rates, drill),
            "months": list(range(1, last_month + 1)),
            "selected_month": last_month,
            "national_bases_connected": extensions.national_bases_connected(),
            "payments": extensions.payments_summary(jurisdiction, progress.start, progress.end)
            if progress.show_targets
            else None,
            "is_clerk_view": not progress.show_targets,
        }
    )
    return render(request, "targets/dashboard.html", context)


@login_required
@domain_denial_is_403
@require_GET
def drill_view(request: HttpRequest) -> HttpResponse:
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    year = _year(request, jurisdiction)
    table = selectors.table_get(request.user, jurisdiction, year)
    try:
        drill_request = selectors.parse_drill(request.GET, year=table.year, as_of=_as_of(request, table.year))
    except DomainError as exc:
        return render(request, "targets/drill.html", {"error": exc.message, "table": table}, status=400)
    scope = selectors.scope_for(request.user, jurisdiction)
    result = selectors.drill_down(request.user, scope, drill_request)
    unit_name = "全部单位"
    if drill_request.unit_id is not None:
        unit = ServiceUnit.objects.filter(pk=drill_request.unit_id, jurisdiction=jurisdiction).first()
        unit_name = unit.name if unit else "（未知单位）"
    page = Paginator(result.enrolment_ids, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "targets/drill.html",
        {
            "table": table,
            "jurisdiction": jurisdiction,
            "result": result,
            "drill": drill_request,
            "column_label": TargetColumn(drill_request.column).label,
            "unit_name": unit_name,
            "page": page,
            "page_enrolments": selectors.enrolments(list(page.object_list)),
            "querystring": params.urlencode(),
            "basis_label": {"done": "完成", "certified": "取得职业技能证书", "employed": "实现就业/创业"}[
                drill_request.basis
            ],
            "dashboard_url": reverse("targets:dashboard")
            + "?"
            + urlencode({"jurisdiction": jurisdiction.pk, "year": table.year, "as_of": drill_request.as_of}),
        },
    )


@login_required
@domain_denial_is_403
@require_GET
def monthly_report_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "targets.report")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    table = selectors.table_get(request.user, jurisdiction, _year(request, jurisdiction))
    today = _today()
    raw_month = request.GET.get("month", "")
    month = int(raw_month) if raw_month.isdigit() else (today.month if today.year == table.year else 12)
    if not 1 <= month <= 12 or dt.date(table.year, month, 1) > today:
        messages.error(request, "月份无效：只能导出已开始的月份")
        return redirect(reverse("targets:dashboard") + f"?year={table.year}")
    report = monthly_report(selectors.scope_for(request.user, jurisdiction), table, month, today)
    return xlsx_download(monthly_report_xlsx(report), report.filename)


@login_required
@domain_denial_is_403
@require_GET
def goal_list_view(request: HttpRequest) -> HttpResponse:
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    today = _today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else today.year
    as_of = _as_of(request, year)
    show_progress = not selectors.scope_for(request.user, jurisdiction).institution_id
    goals = list(selectors.goal_list(request.user, jurisdiction))
    rows = [(goal, goal_progress(goal, year, as_of) if show_progress else None) for goal in goals]
    return render(
        request,
        "targets/goal_list.html",
        {
            "jurisdiction": jurisdiction,
            "rows": rows,
            "year": year,
            "as_of": as_of,
            "show_progress": show_progress,
            "can_report": has_capability(request.user, "targets.report"),
        },
    )


@login_required
@domain_denial_is_403
@require_GET
def table_list_view(request: HttpRequest) -> HttpResponse:
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    tables = list(selectors.table_list(request.user, jurisdiction).prefetch_related("cells__service_unit"))
    shown = []
    for table in tables:
        grid: dict[int, dict[str, int | None]] = {}
        names: dict[int, str] = {}
        for cell in table.cells.all():
            grid.setdefault(cell.service_unit_id, {})[cell.column] = cell.value
            names[cell.service_unit_id] = cell.service_unit.name
        rows = [(names[u], [grid[u].get(c) for c in COLUMN_ORDER]) for u in sorted(grid)]
        totals = []
        for i, _column in enumerate(COLUMN_ORDER):
            values = [r[1][i] for r in rows if r[1][i] is not None]
            totals.append(sum(v for v in values if v is not None) if values else None)
        shown.append((table, rows, totals))
    return render(
        request,
        "targets/table_list.html",
        {
            "jurisdiction": jurisdiction,
            "tables": shown,
            "headings": [SHORT_LABELS[c] for c in COLUMN_ORDER],
            "can_manage": has_capability(request.user, "targets.manage"),
            "can_report": has_capability(request.user, "targets.report"),
        },
    )


def _service_units(jurisdiction: Any) -> list[ServiceUnit]:
    return list(ServiceUnit.objects.filter(jurisdiction=jurisdiction, kind="service_centre").order_by("id"))


@login_required
@domain_denial_is_403
@require_http_methods(["GET", "POST"])
def table_edit_view(request: HttpRequest) -> HttpResponse:
    """Enter a year's table (next year's, typically) or correct one, as a bureau admin."""
    require_capability(request, "targets.manage")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    units = _service_units(jurisdiction)
    raw_year = request.GET.get("year", "")
    existing: TargetTable | None = None
    initial: dict[str, Any] = {
        "year": _today().year + 1,
        "document": "",
        "counts_skill_upgrade_recipients": False,
    }
    if raw_year.isdigit():
        existing = selectors.table_list(request.user, jurisdiction).filter(year=int(raw_year)).first()
        initial["year"] = int(raw_year)
    if existing is not None:
        initial.update(
            {
                "title": existing.title,
                "document": existing.document,
                "citation": existing.citation,
                "note": existing.note,
                "counts_skill_upgrade_recipients": existing.counts_skill_upgrade_recipients,
            }
        )
        for cell in existing.cells.all():
            initial[cell_field_name(cell.service_unit_id, cell.column)] = cell.value
            if cell.service_unit_id not in {u.pk for u in units}:
                units.append(cell.service_unit)
    form = TableForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = services.target_table_save(
                actor=request.user,
                jurisdiction=jurisdiction,
                year=data["year"],
                title=data["title"],
                document=data["document"],
                citation=data["citation"],
                note=data["note"],
                counts_skill_upgrade_recipients=data["counts_skill_upgrade_recipients"],
                figures=form.figures(),
                reason=data["reason"],
            )
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已保存 {table.year} 年任务分解表")
            return redirect(reverse("targets:table_list") + f"#table-{table.year}")
    return render(
        request,
        "targets/table_form.html",
        {
            "form": form,
            "editing": existing,
            "headings": [TargetColumn(c).label for c in COLUMN_ORDER],
            "jurisdiction": jurisdiction,
        },
    )


@login_required
@domain_denial_is_403
@require_http_methods(["GET", "POST"])
def table_import_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "targets.manage")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    form = TableImportForm(request.POST or None, request.FILES or None, initial={"year": _today().year + 1})
    row_errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            table = services.target_table_import(
                actor=request.user,
                jurisdiction=jurisdiction,
                year=data["year"],
                title=data["title"],
                document=data["document"],
                citation=data["citation"],
                note=data["note"],
                counts_skill_upgrade_recipients=data["counts_skill_upgrade_recipients"],
                reason=data["reason"],
                filename=upload.name,
                data=upload.read(),
            )
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except ImportRejected as exc:
            form.add_error(None, exc.message)
            row_errors = exc.errors
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已导入 {table.year} 年任务分解表")
            return redirect(reverse("targets:table_list") + f"#table-{table.year}")
    return render(
        request,
        "targets/table_import.html",
        {"form": form, "row_errors": row_errors, "jurisdiction": jurisdiction},
    )


@login_required
@domain_denial_is_403
@require_GET
def table_template_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "targets.manage")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    return xlsx_download(file_templates.table_template(jurisdiction), "task-table-template.xlsx")


@login_required
@domain_denial_is_403
@require_http_methods(["GET", "POST"])
def recipient_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "targets.report")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else _today().year
    can_import = has_capability(request.user, "targets.manage")
    form = RecipientImportForm(request.POST or None, request.FILES or None, initial={"year": year})
    row_errors: list[dict[str, Any]] = []
    if request.method == "POST":
        require_capability(request, "targets.manage")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.recipient_import(
                    actor=request.user,
                    jurisdiction=jurisdiction,
                    year=form.cleaned_data["year"],
                    filename=upload.name,
                    data=upload.read(),
                )
            except DomainPermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except ImportRejected as exc:
                form.add_error(None, exc.message)
                row_errors = exc.errors
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已导入 {batch.row_count} 名 {batch.year} 年领取技能提升补贴人员")
                return redirect(reverse("targets:recipient_list") + f"?year={batch.year}")
    recipients = selectors.recipient_list(request.user, jurisdiction, year)
    page = Paginator(recipients, PAGE_SIZE).get_page(request.GET.get("page"))
    counted = TargetTable.objects.filter(
        jurisdiction=jurisdiction, year=year, counts_skill_upgrade_recipients=True
    ).exists()
    return render(
        request,
        "targets/recipient_list.html",
        {
            "jurisdiction": jurisdiction,
            "year": year,
            "page": page,
            "form": form if can_import else None,
            "row_errors": row_errors,
            "counted": counted,
            "querystring": f"year={year}",
        },
    )


@login_required
@domain_denial_is_403
@require_GET
def recipient_template_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "targets.manage")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    return xlsx_download(
        file_templates.recipient_template(jurisdiction), "skill-upgrade-recipients-template.xlsx"
    )
