"""Pages of the talent app: survey rounds (opening, import of paper rounds, closing), the online
调查表 for enterprise clerks, the bureau's supply/demand analysis with shortage proposals, the
high-skill talent database, the records of competitions/studios/titles/platforms, and the public
供求信息 page (aggregates of closed rounds, no log-in). Views only call selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongjiang.catalog.models import Occupation, SkillLevel
from gongjiang.core.errors import DomainError, ImportRejected, PermissionDenied
from gongjiang.core.http import domain_denial_is_403, require_capability, xlsx_download
from gongjiang.core.permissions import has_capability
from gongjiang.registry.models import Enterprise

from . import aggregates, exports, file_templates, selectors, services
from .forms import (
    CompetitionForm,
    CompetitionResultForm,
    DecisionForm,
    ImportForm,
    PlatformForm,
    ProposalForm,
    RecordForm,
    ResponseForm,
    RoundForm,
    StudioAssessmentForm,
    StudioForm,
    TitleForm,
    initial_from,
)
from .models import ShortageProposal


@login_required
@domain_denial_is_403
@require_http_methods(["GET", "POST"])
def round_list_view(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.round_list(request.user).order_by("-year", "-id"))
    can_manage = has_capability(request.user, "talent.manage")
    form = RoundForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require_capability(request, "talent.manage")
        if form is not None and form.is_valid():
            try:
                survey_round = services.survey_round_create(
                    actor=request.user,
                    jurisdiction=selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction")),
                    **form.cleaned_data,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已开始调查：{survey_round.title}")
                return redirect("talent:round_detail", pk=survey_round.pk)
    own: dict[int, Any] = {}
    if has_capability(request.user, "talent.respond"):
        for survey_round in rounds:
            response = selectors.own_response(request.user, survey_round)
            if response is not None:
                own[survey_round.pk] = response
    return render(
        request,
        "talent/round_list.html",
        {
            "rounds": [(r, own.get(r.pk)) for r in rounds],
            "form": form,
            "can_read": has_capability(request.user, "talent.read"),
            "can_respond": has_capability(request.user, "talent.respond"),
        },
    )


@login_required
@domain_denial_is_403
@require_http_methods(["GET", "POST"])
def round_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "talent.read")
    survey_round = selectors.round_get(request.user, pk)
    can_manage = has_capability(request.user, "talent.manage")
    form = ImportForm(request.POST or None, request.FILES or None) if can_manage else None
    row_errors: list[dict[str, Any]] = []
    if request.method == "POST":
        require_capability(request, "talent.manage")
        if form is not None and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = services.survey_import(
                    actor=request.user, survey_round=survey_round, filename=upload.name, data=upload.read()
                )
            except ImportRejected as exc:
                form.add_error(None, exc.message)
                row_errors = exc.errors
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已导入 {len(imported)} 家企业的调查表")
                return redirect("talent:round_detail", pk=survey_round.pk)
    return render(
        request,
        "talent/round_detail.html",
        {
            "round": survey_round,
            "responses": selectors.response_list(request.user, survey_round).prefetch_related(
                "demand_lines__occupation", "demand_lines__level"
            ),
            "form": form if survey_round.is_open else None,
            "row_errors": row_errors,
            "can_manage": can_manage,
        },
    )


@login_required
@domain_denial_is_403
@require_POST
def round_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "talent.manage")
    survey_round = selectors.round_get(request.user, pk)
    try:
        services.survey_round_close(actor=request.user, survey_round=survey_round)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "调查已结束，汇总结果已在公开供求信息页发布")
    return redirect("talent:round_detail", pk=survey_round.pk)


@login_required
@domain_denial_is_403
@require_GET
def import_template_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "talent.manage")
    survey_round = selectors.round_get(request.user, pk)
    return xlsx_download(file_templates.survey_template(survey_round), "talent-survey-template.xlsx")


@login_required
@domain_denial_is_403
@require_http_methods(["GET", "POST"])
def response_form_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The online 调查表: an enterprise clerk fills in their own enterprise's answer."""
    require_capability(request, "talent.respond")
    survey_round = selectors.round_get(request.user, pk)
    existing = selectors.own_response(request.user, survey_round)
    enterprise_id = getattr(request.user, "enterprise_id", None) or -1
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404("账号未关联企业")
    initial: dict[str, Any] = (
        initial_from(existing)
        if existing
        else {
            "ownership": enterprise.ownership,
            "size": enterprise.size,
            "business_field": enterprise.business_field,
        }
    )
    form = ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_response_submit(
                actor=request.user, survey_round=survey_round, data=form.to_data()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "调查表已提交" if existing is None else "调查表已更新")
            return redirect("talent:round_list")
    return render(
        request,
        "talent/response_form.html",
        {"round": survey_round, "form": form, "enterprise": enterprise, "existing": existing},
    )


def _analysis_context(survey_round: Any) -> dict[str, Any]:
    return {
        "round": survey_round,
        "structure": aggregates.structure(survey_round),
        "demand": aggregates.demand_supply(survey_round),
        "wages": aggregates.wage_levels(survey_round),
    }


@login_required
@domain_denial_is_403
@require_GET
def supply_demand_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "talent.read")
    survey_round = selectors.round_get(request.user, pk)
    context = _analysis_context(survey_round)
    context.update(
        {
            "candidates": {r.occupation_id for r in aggregates.shortage_candidates(survey_round)},
            "proposals": survey_round.proposals.select_related("occupation", "shortage_entry"),
            "can_manage": has_capability(request.user, "talent.manage"),
            "decision_form": DecisionForm(),
        }
    )
    return render(request, "talent/supply_demand.html", context)


@login_required
@domain_denial_is_403
@require_GET
def supply_demand_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "talent.read")
    survey_round = selectors.round_get(request.user, pk)
    return xlsx_download(exports.supply_demand_xlsx(survey_round), f"supply-demand-{survey_round.pk}.xlsx")


@login_required
@domain_denial_is_403
@require_POST
def proposal_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "talent.manage")
    survey_round = selectors.round_get(request.user, pk)
    form = ProposalForm(request.POST)
    occupation = (
        Occupation.objects.filter(pk=form.data.get("occupation") or 0).first() if form.is_valid() else None
    )
    if occupation is None:
        messages.error(request, "请选择要提议的职业(工种)")
    else:
        try:
            services.shortage_proposal_create(
                actor=request.user,
                survey_round=survey_round,
                occupation=occupation,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已提议将“{occupation.name}”列入急需紧缺职业目录")
    return redirect("talent:supply_demand", pk=survey_round.pk)


@login_required
@domain_denial_is_403
@require_POST
def proposal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "talent.manage")
    proposal = ShortageProposal.objects.filter(pk=pk).select_related("survey_round").first()
    if proposal is None:
        raise Http404("提议不存在")
    survey_round = selectors.round_get(request.user, proposal.survey_round_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "决定无效")
    else:
        data = form.cleaned_data
        try:
            services.shortage_proposal_decide(
                actor=request.user,
                proposal=proposal,
                accept=data["decision"] == "accept",
                effective_from=data.get("effective_from"),
                reason=data.get("reason", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已记录决定")
    return redirect("talent:supply_demand", pk=survey_round.pk)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _talent_filter(request: HttpRequest) -> selectors.TalentFilter:
    return selectors.TalentFilter(
        occupation_id=_int(request.GET.get("occupation")),
        min_rank=_int(request.GET.get("level")) or 3,
        enterprise_id=_int(request.GET.get("enterprise")),
        name=request.GET.get("name", "")[:60],
    )


@login_required
@domain_denial_is_403
@require_GET
def talent_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "talent.read")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    flt = _talent_filter(request)
    rows = selectors.talent_list(request.user, jurisdiction, flt)
    return render(
        request,
        "talent/talent_list.html",
        {
            "jurisdiction": jurisdiction,
            "rows": rows,
            "filter": flt,
            "occupations": Occupation.objects.filter(is_active=True).order_by("name"),
            "levels": SkillLevel.objects.filter(rank__gte=3).order_by("rank"),
            "enterprises": Enterprise.objects.filter(jurisdiction=jurisdiction, is_deleted=False).order_by(
                "name"
            ),
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
@domain_denial_is_403
@require_GET
def talent_export_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "talent.read")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    rows = selectors.talent_list(request.user, jurisdiction, _talent_filter(request))
    return xlsx_download(exports.talent_xlsx(rows), "high-skill-talent.xlsx")


@login_required
@domain_denial_is_403
@require_GET
def record_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request, "talent.read")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    return render(
        request,
        "talent/record_list.html",
        {
            "jurisdiction": jurisdiction,
            "competitions": selectors.competition_list(request.user, jurisdiction),
            "studios": selectors.studio_list(request.user, jurisdiction),
            "titles": selectors.title_list(request.user, jurisdiction),
            "platforms": selectors.platform_list(request.user, jurisdiction),
            "can_manage": has_capability(request.user, "talent.manage"),
            "may_apply_funds": has_capability(request.user, "funds.apply"),  # 发起资金申请 links
        },
    )


@require_GET
def public_supply_demand_view(request: HttpRequest) -> HttpResponse:
    """供求信息 (台人社发〔2021〕17号 措施7): aggregates of a closed round; no log-in, no personal data."""
    rounds = list(selectors.public_rounds())
    chosen = None
    wanted = _int(request.GET.get("round"))
    if wanted is not None:
        chosen = next((r for r in rounds if r.pk == wanted), None)
        if chosen is None:
            raise Http404("没有该期供求信息")
    elif rounds:
        chosen = rounds[0]
    context: dict[str, Any] = {"rounds": rounds, "round": chosen}
    if chosen is not None:
        context.update(_analysis_context(chosen))
        context["xlsx_url"] = reverse("talent_public:supply_demand_xlsx") + f"?round={chosen.pk}"
    return render(request, "talent/public_supply_demand.html", context)


@require_GET
def public_supply_demand_xlsx_view(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.public_rounds())
    wanted = _int(request.GET.get("round"))
    chosen = (
        next((r for r in rounds if r.pk == wanted), None)
        if wanted is not None
        else (rounds[0] if rounds else None)
    )
    if chosen is None:
        raise Http404("没有已发布的供求信息")
    return xlsx_download(exports.supply_demand_xlsx(chosen), f"supply-demand-{chosen.pk}.xlsx")


# --- entering competitions, results, studios, assessments, titles and platforms ----------------


@dataclass(frozen=True)
class Entry:
    """One entry page: its form, the service that writes (keyword arguments = the form's fields),
    whether the service takes the page's jurisdiction, and where the record is listed."""

    form: type[RecordForm]
    write: Callable[..., Any]
    title: str
    anchor: str
    with_jurisdiction: bool = True
    intro: str = ""


ENTRIES: dict[str, Entry] = {
    "competition": Entry(CompetitionForm, services.competition_create, "登记职业技能竞赛", "competitions"),
    "competition_result": Entry(
        CompetitionResultForm,
        services.competition_result_record,
        "录入竞赛成绩",
        "competitions",
        with_jurisdiction=False,
        intro="台人社发〔2021〕17号 三(二)6：取得一、二、三等奖的选手，按其竞赛日已持有的该职业(工种)"
        "最高技能等级晋升一个等级，由系统自动计算。",
    ),
    "studio": Entry(StudioForm, services.studio_create, "登记技能大师工作室", "studios"),
    "studio_assessment": Entry(
        StudioAssessmentForm, services.studio_assess, "录入工作室考核", "studios", with_jurisdiction=False
    ),
    "title": Entry(
        TitleForm,
        services.title_award,
        "登记工匠、首席技师、技术能手",
        "titles",
        with_jurisdiction=False,
        intro="所在企业不填时取人员登记的工作单位。",
    ),
    "platform": Entry(PlatformForm, services.platform_create, "登记培训基地与示范企业", "platforms"),
}
# A service's refusal shown at the field it concerns (others above the form).
ERROR_FIELDS = {
    "invalid_rank": "rank",
    "duplicate_result": "person",
    "invalid_year": "year",
    "duplicate_assessment": "year",
    "holder_required": "enterprise",
}


def _show_refusal(form: RecordForm, exc: DomainError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for name, problems in details.items():
        if name in form.fields:
            form.add_error(name, problems)
            placed = True
    if not placed:
        field = ERROR_FIELDS.get(exc.code)
        form.add_error(field if field in form.fields else None, exc.message)


def _records_url(jurisdiction: Any, anchor: str) -> str:
    return f"{reverse('talent:record_list')}?jurisdiction={jurisdiction.pk}#{anchor}"


def _done_message(kind: str, record: Any) -> str:
    if kind == "competition_result":
        promoted = (
            f"，{record.level_before.alias or record.level_before.name}晋升为"
            f"{record.promoted_to.alias or record.promoted_to.name}"
            if record.promoted_to
            else ""
        )
        return f"已录入：{record.person.name} 第{record.rank}名{promoted}"
    if kind == "studio_assessment":
        return f"已录入：{record.studio.name} {record.year} 年度考核{record.get_result_display()}"
    return f"已登记：{record}"


@login_required
@domain_denial_is_403
@require_http_methods(["GET", "POST"])
def record_entry_view(request: HttpRequest, kind: str) -> HttpResponse:
    """The entry page of one kind of record (`ENTRIES`); bureau admins of the jurisdiction only.
    Bad input is shown at its field and nothing is written; the service audits what it writes."""
    require_capability(request, "talent.manage")
    entry = ENTRIES[kind]
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    initial = {name: request.GET[name] for name in ("competition", "studio") if request.GET.get(name)}
    form = entry.form(request.POST or None, initial=initial, user=request.user, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        place = {"jurisdiction": jurisdiction} if entry.with_jurisdiction else {}
        try:
            record = entry.write(actor=request.user, **place, **form.cleaned_data)
        except PermissionDenied:
            raise  # a 403 (domain_denial_is_403), not a form error
        except DomainError as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, _done_message(kind, record))
            return redirect(_records_url(jurisdiction, entry.anchor))
    return render(
        request,
        "talent/record_form.html",
        {
            "entry": entry,
            "form": form,
            "jurisdiction": jurisdiction,
            "records_url": _records_url(jurisdiction, entry.anchor),
        },
    )


PICK_LIMIT = 20


@login_required
@domain_denial_is_403
@require_GET
def pick_view(request: HttpRequest, pick: str) -> HttpResponse:
    """The picker's search (htmx): people by name or full ID number, enterprises by name or credit
    code, of the page's jurisdiction; people are shown with their masked ID number only."""
    from gongjiang.registry import selectors as registry

    require_capability(request, "talent.manage")
    jurisdiction = selectors.user_jurisdiction(request.user, request.GET.get("jurisdiction"))
    field = request.GET.get("field") or pick
    if not field.isidentifier():
        raise Http404("未知的选择项")
    q = request.GET.get("q", "").strip()[:60]
    items: list[Any] = []
    if q and pick == "person":
        people = registry.person_list(request.user).filter(jurisdiction=jurisdiction)
        items = list(registry.person_search(people, q).order_by("name", "pk")[:PICK_LIMIT])
    elif q:
        enterprises = registry.enterprise_list(request.user).filter(jurisdiction=jurisdiction)
        items = list(
            enterprises.filter(Q(name__contains=q) | Q(credit_code=q.upper())).order_by("name")[:PICK_LIMIT]
        )
    return render(
        request,
        "talent/_pick_results.html",
        {"field_name": field, "pick": pick, "items": items, "q": q, "limit": PICK_LIMIT},
    )
