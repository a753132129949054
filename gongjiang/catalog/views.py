"""Catalog pages: the occupation list, the shortage directory, import and export.

Every page needs a log-in; reading is open to every role, changing to the bureau admin. Pages show
the user's first jurisdiction unless `?jurisdiction=<id>` picks another of theirs. Views only parse
input and call selectors and services; a domain error is shown to the user as its Chinese message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongjiang.core import errors
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import has_capability, require

from . import selectors, services
from .forms import ImportForm, OccupationFilterForm, ShortageAddForm, ShortageEndForm, ShortageFilterForm
from .models import ShortageOccupationEntry

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _forbidden_on_domain_denial(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The domain's PermissionDenied becomes Django's, so the user gets the ordinary 403 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper


def _jurisdiction(request: HttpRequest) -> Jurisdiction | None:
    raw = request.GET.get("jurisdiction") or request.POST.get("jurisdiction") or ""
    scope = selectors.scope_jurisdiction(request.user, int(raw) if raw.isdigit() else None)
    return Jurisdiction.objects.filter(pk=scope).first() if scope is not None else None


def _require_jurisdiction(request: HttpRequest) -> Jurisdiction:
    jurisdiction = _jurisdiction(request)
    if jurisdiction is None:
        raise errors.PermissionDenied("您的账号未分配辖区")
    return jurisdiction


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_GET
@_forbidden_on_domain_denial
def occupation_list(request: HttpRequest) -> HttpResponse:
    jurisdiction = _jurisdiction(request)
    form = OccupationFilterForm(request.GET or None)
    q, subsidy_class = "", ""
    if form.is_valid():
        q = form.cleaned_data["q"]
        subsidy_class = form.cleaned_data["subsidy_class"]
    occupations = selectors.occupation_list(
        request.user,
        q=q,
        subsidy_class=subsidy_class,
        jurisdiction_id=jurisdiction.pk if jurisdiction else None,
    )
    page = Paginator(occupations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/occupation_list.html",
        {
            "form": form,
            "page": page,
            "jurisdiction": jurisdiction,
            "querystring": _querystring_without_page(request),
            "can_manage": has_capability(request.user, services.MANAGE),
        },
    )


def _shortage_page(
    request: HttpRequest, *, add_form: ShortageAddForm | None = None, status: int = 200
) -> HttpResponse:
    jurisdiction = _jurisdiction(request)
    filter_form = ShortageFilterForm(request.GET or None)
    on = filter_form.cleaned_data["on"] if filter_form.is_valid() else None
    entries = selectors.shortage_entry_list(
        request.user, on=on, jurisdiction_id=jurisdiction.pk if jurisdiction else None
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = has_capability(request.user, services.MANAGE)
    if can_manage and add_form is None:
        add_form = ShortageAddForm(occupations=selectors.occupation_choices(request.user))
    return render(
        request,
        "catalog/shortage_list.html",
        {
            "filter_form": filter_form,
            "add_form": add_form if can_manage else None,
            "end_form": ShortageEndForm() if can_manage else None,
            "page": page,
            "jurisdiction": jurisdiction,
            "querystring": _querystring_without_page(request),
            "can_manage": can_manage,
        },
        status=status,
    )


@login_required
@require_GET
@_forbidden_on_domain_denial
def shortage_list(request: HttpRequest) -> HttpResponse:
    return _shortage_page(request)


@login_required
@require_POST
@_forbidden_on_domain_denial
def shortage_add(request: HttpRequest) -> HttpResponse:
    require(request.user, services.MANAGE)
    form = ShortageAddForm(request.POST, occupations=selectors.occupation_choices(request.user))
    if form.is_valid():
        try:
            entry = services.shortage_entry_add(
                actor=request.user,
                jurisdiction=_require_jurisdiction(request),
                occupation=form.cleaned_data["occupation"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                source=form.cleaned_data["source"],
            )
        except errors.PermissionDenied:
            raise
        except errors.DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已将“{entry.occupation.name}”列入急需紧缺职业目录")
            return redirect("catalog:shortage_list")
    return _shortage_page(request, add_form=form, status=400)


@login_required
@require_POST
@_forbidden_on_domain_denial
def shortage_end(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, services.MANAGE)
    try:
        entry = selectors.shortage_entry_get(request.user, pk)
    except ShortageOccupationEntry.DoesNotExist as exc:
        raise Http404("条目不存在") from exc
    form = ShortageEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的截止日期")
        return redirect("catalog:shortage_list")
    try:
        services.shortage_entry_end(
            actor=request.user,
            entry=entry,
            valid_to=form.cleaned_data["valid_to"],
            reason=form.cleaned_data["reason"],
        )
    except errors.PermissionDenied:
        raise
    except errors.DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"“{entry.occupation.name}”的目录条目截止日期已设为 {form.cleaned_data['valid_to']}"
        )
    return redirect("catalog:shortage_list")


@login_required
@require_http_methods(["GET", "POST"])
@_forbidden_on_domain_denial
def import_export(request: HttpRequest) -> HttpResponse:
    can_manage = has_capability(request.user, services.MANAGE)
    jurisdiction = _jurisdiction(request)
    form = ImportForm()
    row_errors: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        require(request.user, services.MANAGE)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            run = (
                services.catalog_import_occupations
                if form.cleaned_data["kind"] == "occupations"
                else services.shortage_import
            )
            try:
                summary = run(
                    actor=request.user,
                    jurisdiction=_require_jurisdiction(request),
                    filename=upload.name,
                    data=upload.read(),
                )
            except errors.ImportRejected as exc:
                form.add_error(None, exc.message)
                row_errors = exc.errors
                status = 422
            except errors.PermissionDenied:
                raise
            except errors.DomainError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(
                    request,
                    f"导入成功：新增 {summary.created} 条，更新 {summary.updated} 条，未变化 {summary.unchanged} 条",
                )
                return redirect("catalog:import_export")
        else:
            status = 400
    return render(
        request,
        "catalog/import_export.html",
        {"form": form, "row_errors": row_errors, "can_manage": can_manage, "jurisdiction": jurisdiction},
        status=status,
    )


@login_required
@require_GET
@_forbidden_on_domain_denial
def export_xlsx(request: HttpRequest) -> HttpResponse:
    jurisdiction = _require_jurisdiction(request)
    content = selectors.catalog_export_xlsx(request.user, jurisdiction)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="catalog-{jurisdiction.code}.xlsx"'
    return response
