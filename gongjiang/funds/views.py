"""Pages of the funds app: applications with the engine's trace, the review and payment queues with
their working-day clocks, batches with the bank file and the bank's results, the reconciliation,
the per-fund report, and the public notice page (no log-in). Views only call selectors and services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.http import XLSX, domain_denial_is_403, require_capability
from gongjiang.core.permissions import has_capability

from . import config, selectors, services
from .clocks import clock
from .models import ApplicationLine, Objection
from .reports import fund_report_xlsx


def _today() -> dt.date:
    return timezone.localdate()


@require_GET
@login_required
@domain_denial_is_403
def application_list_view(request: HttpRequest) -> HttpResponse:
    today = _today()
    rows = [
        (a, clock(a.review_due_on, today) if a.status == "submitted" else None)
        for a in selectors.application_list(request.user)[:300]
    ]
    return render(request, "funds/application_list.html", {"rows": rows})


@require_GET
@login_required
@domain_denial_is_403
def application_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    running = clock(application.review_due_on, _today()) if application.status == "submitted" else None
    return render(
        request,
        "funds/application_detail.html",
        {
            "application": application,
            "lines": selectors.application_lines(application),
            "clock": running,
            "may_review": has_capability(request.user, "funds.review") and application.status == "submitted",
            "may_publish": has_capability(request.user, "funds.review") and application.status == "reviewed",
            "may_edit": has_capability(request.user, "funds.apply")
            and application.status in {"draft", "returned"},
            "paid_to_unit": config.payee_for(application.policy, application.benefit) == "organisation",
            "materials": [
                {**item, "ok": bool(application.checklist.get(item["code"]))}
                for item in config.checklist_for(application.benefit)
            ],
        },
    )


@require_POST
@login_required
@domain_denial_is_403
def line_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    line = ApplicationLine.objects.filter(pk=pk).first()
    if line is None:
        raise PermissionDenied
    application = selectors.application_get(request.user, line.application_id)
    try:
        services.line_review(
            actor=request.user,
            line=line,
            approve=request.POST.get("decision") == "approve",
            amount=request.POST.get("amount") or None,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, "已审核")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("funds:application_detail", pk=application.pk)


@require_GET
@login_required
@domain_denial_is_403
def review_queue_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "funds/review_queue.html", {"rows": selectors.review_queue(request.user, _today())}
    )


@require_GET
@login_required
@domain_denial_is_403
def payment_queue_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "funds/payment_queue.html", {"rows": selectors.payment_queue(request.user, _today())}
    )


@require_GET
@login_required
@domain_denial_is_403
def batch_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "funds/batch_list.html", {"batches": selectors.batch_list(request.user)[:200]})


@login_required
@domain_denial_is_403
def batch_new_view(request: HttpRequest) -> HttpResponse:
    """Make a payment batch of one fund: every instalment due (the months that have come fall due
    with it) or the ones ticked. A second submit of the same choice finds nothing due and is refused."""
    require_capability(request, "funds.pay")
    today = _today()
    funds = list(selectors.fund_source_list(request.user).order_by("code"))
    data = request.POST if request.method == "POST" else request.GET
    fund_id = data.get("fund_source") or (str(funds[0].pk) if funds else "")
    choice = selectors.batch_choice(request.user, fund_id, f"{today:%Y-%m}") if fund_id else None
    year_text = data.get("year") or str(today.year)
    if request.method == "POST" and choice is not None:
        try:
            if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
                raise DomainError("bad_year", "预算年度应为四位年份")
            chosen = None
            if data.get("scope") == "chosen":
                ids = {int(i) for i in request.POST.getlist("instalments") if i.isdigit()}
                chosen = [i for i in choice.due if i.pk in ids]
                if not chosen:
                    raise DomainError("nothing_chosen", "请勾选要拨付的期次，或选择“全部到期期次”")
            batch = services.batch_create(
                actor=request.user, fund_source=choice.fund_source, year=int(year_text), instalments=chosen
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已生成拨付批次 {batch.number}，请由另一名财务人员审批")
            return redirect("funds:batch_detail", pk=batch.pk)
    return render(
        request,
        "funds/batch_new.html",
        {"funds": funds, "choice": choice, "year": year_text, "scope": data.get("scope", "all")},
    )


@require_GET
@login_required
@domain_denial_is_403
def batch_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(request.user, pk)
    return render(
        request,
        "funds/batch_detail.html",
        {
            "batch": batch,
            "items": batch.items.select_related(
                "person",
                "instalment__schedule__line__application__enterprise",
                "instalment__schedule__line__application__institution",
            ).order_by("id"),
            "reconciliation": selectors.reconciliation(batch),
            "may_pay": has_capability(request.user, "funds.pay"),
        },
    )


@require_POST
@login_required
@domain_denial_is_403
def batch_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """approve | export (the bank file, full numbers: a POST, audited) | result (the bank's file)."""
    batch = selectors.batch_get(request.user, pk)
    try:
        if action == "approve":
            services.batch_approve(actor=request.user, batch=batch)
            messages.success(request, "批次已审批")
        elif action == "export":
            file_format = "csv" if request.POST.get("format") == "csv" else "xlsx"
            name, data = services.batch_export(actor=request.user, batch=batch, file_format=file_format)
            response = HttpResponse(
                data, content_type="text/csv; charset=utf-8" if file_format == "csv" else XLSX
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        elif action == "result":
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError("file_required", "请选择银行回盘文件")
            counts = services.batch_result_import(
                actor=request.user, batch=batch, filename=upload.name or "", data=upload.read()
            )
            messages.success(request, f"回盘导入完成：成功 {counts['paid']} 笔，失败 {counts['failed']} 笔")
        else:
            raise PermissionDenied
    except ImportRejected as exc:
        for error in exc.errors[:20]:
            messages.error(request, f"第{error['row']}行 {error['column']}：{error['message']}")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("funds:batch_detail", pk=batch.pk)


def _period(request: HttpRequest) -> tuple[int, int | None]:
    year_raw, month_raw = request.GET.get("year", ""), request.GET.get("month", "")
    year = int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else _today().year
    month = int(month_raw) if month_raw.isdigit() and 1 <= int(month_raw) <= 12 else None
    return year, month


@require_GET
@login_required
@domain_denial_is_403
def report_view(request: HttpRequest) -> HttpResponse:
    year, month = _period(request)
    rows = selectors.fund_report(request.user, year, month)
    checks = selectors.fund_reconciliation(request.user, year)
    return render(
        request, "funds/report.html", {"rows": rows, "checks": checks, "year": year, "month": month}
    )


@require_GET
@login_required
@domain_denial_is_403
def report_xlsx_view(request: HttpRequest) -> HttpResponse:
    year, month = _period(request)
    data = fund_report_xlsx(selectors.fund_report(request.user, year, month), year, month)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="funds-{year}.xlsx"'
    return response


# Public pages (no log-in): the notices, and objections filed in the window.


@require_GET
def public_notice_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "funds/public_notice_list.html", {"notices": selectors.public_notice_list()[:100]})


def public_notice_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.public_notice_get(pk)
    error = ""
    filed: Objection | None = None
    if request.method == "POST":
        line = notice.lines.filter(pk=request.POST.get("line") or 0).first()
        try:
            if line is None:
                raise DomainError("unknown_line", "请选择异议所针对的人员")
            filed = services.objection_file(
                actor=None,
                notice=notice,
                line=line,
                objector_name=request.POST.get("objector_name", ""),
                objector_contact=request.POST.get("objector_contact", ""),
                content=request.POST.get("content", ""),
            )
        except DomainError as exc:
            error = exc.message
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "funds/public_notice.html",
        {
            "notice": notice,
            "rows": selectors.public_notice_rows(notice),
            "open": notice.status == "open" and notice.published_on <= _today() <= notice.ends_on,
            "error": error,
            "filed": filed,
        },
    )


@require_POST
@login_required
@domain_denial_is_403
def application_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """checklist | payee_account | submit (the applicant's side) | review_complete | publish (the reviewer's)."""
    application = selectors.application_get(request.user, pk)
    try:
        if action == "payee_account":
            services.application_payee_account_set(
                actor=request.user,
                application=application,
                bank_name=request.POST.get("bank_name", ""),
                bank_account=request.POST.get("bank_account", ""),
            )
            messages.success(request, "单位开户行和账号已保存")
        elif action == "checklist":
            codes = [item["code"] for item in config.checklist_for(application.benefit)]
            services.application_checklist_set(
                actor=request.user,
                application=application,
                items={c: c in request.POST.getlist("items") for c in codes},
            )
            messages.success(request, "申请材料已更新")
        elif action == "submit":
            services.application_submit(actor=request.user, application=application)
            messages.success(request, "已提交审核")
        elif action == "review_complete":
            services.application_review_complete(
                actor=request.user, application=application, note=request.POST.get("note", "")
            )
            messages.success(request, "审核完毕")
        elif action == "publish":
            notice = services.notice_publish(
                actor=request.user,
                applications=[application],
                title=request.POST.get("title", ""),
                issuing_unit=request.POST.get("issuing_unit", ""),
            )
            messages.success(request, f"已发布公示，公示期至 {notice.ends_on:%Y-%m-%d}")
            return redirect("funds:notice_detail", pk=notice.pk)
        else:
            raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("funds:application_detail", pk=application.pk)


@require_GET
@login_required
@domain_denial_is_403
def notice_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(request.user, pk)
    return render(
        request,
        "funds/notice_detail.html",
        {
            "notice": notice,
            "rows": selectors.public_notice_rows(notice),
            "objections": notice.objections.select_related("line__person").order_by("id"),
            "may_review": has_capability(request.user, "funds.review"),
        },
    )


@require_POST
@login_required
@domain_denial_is_403
def notice_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """resolve (an objection: upheld or dismissed) | close (after the window)."""
    notice = selectors.notice_get(request.user, pk)
    try:
        if action == "resolve":
            objection = selectors.objection_get(request.user, request.POST.get("objection") or 0)
            services.objection_resolve(
                actor=request.user,
                objection=objection,
                upheld=request.POST.get("decision") == "upheld",
                resolution=request.POST.get("resolution", ""),
            )
            messages.success(request, "异议已处理")
        elif action == "close":
            services.notice_close(actor=request.user, notice=notice)
            messages.success(request, "公示已结束，明细转入待拨付")
        else:
            raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("funds:notice_detail", pk=notice.pk)


def apply_for_class_view(request: HttpRequest) -> HttpResponse:
    """An institution's application for a closed class (a bureau user may file on its behalf)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request)
    require_capability(request, "funds.apply")
    from gongjiang.training.choices import ClassStatus
    from gongjiang.training.selectors import class_get, class_list

    if request.method == "POST":
        try:
            application = services.application_create_for_class(
                actor=request.user, training_class=class_get(request.user, request.POST.get("class") or 0)
            )
            return redirect("funds:application_detail", pk=application.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    elif request.method != "GET":
        return HttpResponse(status=405)
    classes = []
    if has_capability(request.user, "training.read"):
        classes = list(
            class_list(request.user)
            .filter(status=ClassStatus.CLOSED)
            .exclude(fund_applications__isnull=False)[:200]
        )
    return render(request, "funds/apply_for_class.html", {"classes": classes})


@domain_denial_is_403
def apply_from_record_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """发起资金申请 from a talent record: each benefit the record's document pays, quoted by the
    engine, with its fund — or why it cannot be applied for — and the application already started."""
    if not request.user.is_authenticated:
        return redirect_to_login(request)
    require_capability(request, "funds.apply")
    record = selectors.talent_record_get(request.user, kind, pk)
    if request.method == "POST":
        try:
            application = services.application_create_from_record(
                actor=request.user, kind=kind, record=record, index=int(request.POST.get("index") or -1)
            )
            messages.success(request, "已生成资金申请草稿：请勾选申请材料后提交审核")
            return redirect("funds:application_detail", pk=application.pk)
        except ValueError:
            messages.error(request, "请选择要申请的补贴项目")
        except DomainError as exc:
            messages.error(request, exc.message)
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "funds/apply_from_record.html",
        {
            "record": record,
            "kind_label": selectors.RECORD_KINDS[kind][2],
            "rows": selectors.record_requests(request.user, kind, record),
        },
    )


def redirect_to_login(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login as to_login

    return to_login(request.get_full_path())
