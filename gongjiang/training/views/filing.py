"""Pages of the filing and its review (附件2 3.1): class list, new filing, the class's overview,
roster with pre-check, timetable, materials, timeline, and the reviewer's queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.errors import PermissionDenied as DomainPermissionDenied
from gongjiang.core.permissions import has_capability, role_of

from .. import file_templates
from ..access import EDITABLE
from ..checklist import filing_checklist, filing_warnings
from ..choices import ClassStatus, EvidenceKind
from ..forms import ClassForm, EvidenceForm, ReviewForm, UploadForm
from ..models import ClassEvidence
from ..prechecks import roster_prechecks
from ..selectors import (
    class_list,
    class_timeline,
    classes_with_roster_counts,
    enrolment_list,
    practice_share,
    review_queue,
)
from ..services import evidence, filing, roster, timetable
from ..services.evidence import ALLOWED_STATUSES, BY_REVIEWER
from .common import render_class_page, require_capability, run_action, scoped_class

PAGE_SIZE = 25


def _is_institution_side(request: HttpRequest, training_class: Any) -> bool:
    user = request.user
    if not has_capability(user, "training.file"):
        return False
    return role_of(user) != "institution_clerk" or user.institution_id == training_class.institution_id  # type: ignore[union-attr]


@login_required
def class_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.read")
    classes = classes_with_roster_counts(class_list(request.user))
    status = request.GET.get("status", "")
    if status in ClassStatus.values:
        classes = classes.filter(status=status)
    q = request.GET.get("q", "").strip()[:60]
    if q:
        classes = classes.filter(name__icontains=q) | classes.filter(code__icontains=q)
    page = Paginator(classes.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "training/class_list.html",
        {
            "page": page,
            "statuses": ClassStatus.choices,
            "selected_status": status,
            "q": q,
            "querystring": params.urlencode(),
            "can_file": has_capability(request.user, "training.file"),
        },
    )


@login_required
def class_create_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.file")
    form = ClassForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            training_class = filing.class_create(
                actor=request.user, institution=form.cleaned_data["institution"], **form.service_arguments()
            )
        except DomainPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"已创建开班备案草稿 {training_class.code}，请继续导入课程表、花名册并上传材料"
            )
            return redirect("training:class_detail", training_class.pk)
    return render(request, "training/class_form.html", {"form": form, "title": "新建开班备案"})


@login_required
def class_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    if not _is_institution_side(request, training_class):
        raise PermissionDenied
    initial = {
        field: getattr(training_class, field)
        for field in ClassForm.base_fields
        if field not in {"institution"} and hasattr(training_class, field)
    }
    initial["institution"] = training_class.institution_id
    form = ClassForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            filing.class_update(actor=request.user, training_class=training_class, **form.service_arguments())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "备案信息已保存")
            return redirect("training:class_detail", training_class.pk)
    return render(
        request,
        "training/class_form.html",
        {"form": form, "title": f"修改 {training_class.code}", "editing": True},
    )


@login_required
def class_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    institution_side = _is_institution_side(request, training_class)
    can_review = (
        has_capability(request.user, "training.review") and training_class.status == ClassStatus.SUBMITTED
    )
    share = practice_share(training_class)
    return render_class_page(
        request,
        training_class,
        "overview",
        "training/class_detail.html",
        {
            "checklist": filing_checklist(training_class),
            "warnings": filing_warnings(training_class),
            "practice_share": share,
            "can_edit": institution_side and training_class.status in EDITABLE,
            "can_cancel": institution_side
            and training_class.status in {ClassStatus.DRAFT, ClassStatus.RETURNED, ClassStatus.SUBMITTED},
            "can_review": can_review,
            "review_form": ReviewForm() if can_review else None,
            "teachers": training_class.teachers.all(),
        },
    )


@login_required
@require_POST
def class_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    return run_action(
        request,
        lambda: filing.class_submit(actor=request.user, training_class=training_class),
        "已提交开班备案，等待服务中心审核",
        reverse("training:class_detail", args=[pk]),
    )


@login_required
@require_POST
def class_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    reason = request.POST.get("reason", "")
    return run_action(
        request,
        lambda: filing.class_cancel(actor=request.user, training_class=training_class, reason=reason),
        "已撤销该开班备案",
        reverse("training:class_detail", args=[pk]),
    )


@login_required
@require_POST
def class_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    form = ReviewForm(request.POST)
    back = reverse("training:class_detail", args=[pk])
    if not form.is_valid():
        messages.error(request, "请选择审核结论")
        return redirect(back)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    actions = {
        "approve": (
            lambda: filing.class_approve(actor=request.user, training_class=training_class, note=note),
            "备案已通过",
        ),
        "return": (
            lambda: filing.class_return(actor=request.user, training_class=training_class, reason=note),
            "已退回修改",
        ),
        "reject": (
            lambda: filing.class_reject(actor=request.user, training_class=training_class, reason=note),
            "已作不予备案处理",
        ),
    }
    action, success = actions[decision]
    return run_action(request, action, success, back)


def _upload_page(
    request: HttpRequest,
    pk: int,
    *,
    tab: str,
    template: str,
    service: Any,
    success: str,
    extra: Any,
) -> HttpResponse:
    training_class = scoped_class(request, pk)
    can_upload = _is_institution_side(request, training_class) and training_class.status in EDITABLE
    form = UploadForm(request.POST or None, request.FILES or None)
    row_errors: list[dict[str, Any]] = []
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                service(
                    actor=request.user,
                    training_class=training_class,
                    filename=upload.name,
                    data=upload.read(),
                )
            except ImportRejected as exc:
                row_errors = exc.errors
                messages.error(request, exc.message)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, success)
                return redirect(request.path)
    context = {"form": form, "can_upload": can_upload, "row_errors": row_errors, **extra(training_class)}
    return render_class_page(request, training_class, tab, template, context)


def _roster_context(training_class: Any) -> dict[str, Any]:
    enrolments = list(enrolment_list(training_class))
    live = training_class.status in EDITABLE
    checks = roster_prechecks(training_class) if live else {}
    rows = [{"enrolment": e, "precheck": checks.get(e.pk) if live else e.precheck} for e in enrolments]
    return {"rows": rows, "precheck_live": live}


@login_required
def class_roster_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_page(
        request,
        pk,
        tab="roster",
        template="training/class_roster.html",
        service=roster.roster_import,
        success="花名册已导入",
        extra=_roster_context,
    )


@login_required
def class_timetable_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload_page(
        request,
        pk,
        tab="timetable",
        template="training/class_timetable.html",
        service=timetable.timetable_import,
        success="课程表已导入",
        extra=lambda c: {"sessions": c.sessions.select_related("teacher")},
    )


@login_required
def class_evidence_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    reviewer = has_capability(request.user, "training.review")
    institution_side = _is_institution_side(request, training_class)
    kinds = [
        kind
        for kind, statuses in ALLOWED_STATUSES.items()
        if training_class.status in statuses and (reviewer if kind in BY_REVIEWER else institution_side)
    ]
    form = EvidenceForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST":
        if not kinds:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                evidence.evidence_add(
                    actor=request.user,
                    training_class=training_class,
                    kind=form.cleaned_data["kind"],
                    name=upload.name,
                    stream=upload,
                    taken_on=form.cleaned_data["taken_on"],
                    note=form.cleaned_data["note"],
                )
            except DomainPermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "材料已上传")
                return redirect(request.path)
    files = training_class.evidence.select_related("uploaded_by").order_by("kind", "taken_on", "id")
    return render_class_page(
        request,
        training_class,
        "evidence",
        "training/class_evidence.html",
        {"form": form, "can_upload": bool(kinds), "files": files, "kinds": EvidenceKind.choices},
    )


@login_required
def evidence_download_view(request: HttpRequest, pk: int) -> FileResponse:
    require_capability(request, "training.read")
    item = get_object_or_404(ClassEvidence, pk=pk, training_class__in=class_list(request.user))
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def class_timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = scoped_class(request, pk)
    return render_class_page(
        request,
        training_class,
        "timeline",
        "training/class_timeline.html",
        {"events": class_timeline(training_class)},
    )


@login_required
def review_queue_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.review")
    return render(request, "training/review_queue.html", {"items": review_queue(request.user)})


@login_required
def roster_template_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.read")
    return _xlsx(file_templates.roster_template(), "花名册模板.xlsx")


@login_required
def timetable_template_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "training.read")
    return _xlsx(file_templates.timetable_template(), "课程表模板.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)
