"""补贴试算: choose a pack and a benefit, fill in the facts, see the amount with reasons and clauses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjiang.core.errors import DomainError
from gongjiang.core.permissions import has_capability

from .forms import TrialForm
from .loader import PackError
from .quote import QuoteInputError
from .selectors import pack_list, quote_requests, simulate_upload


@login_required
def trial(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, "policy.quote"):
        raise PermissionDenied
    packs = pack_list()
    pack = next((p for p in packs if p.id == request.GET.get("pack")), packs[0])
    benefit = pack.benefits.get(request.GET.get("benefit", "")) or next(iter(pack.benefits.values()))
    form = TrialForm(request.POST or None, benefit=benefit)
    result, problems, body = None, [], None
    if request.method == "POST" and form.is_valid():
        body = form.request_body(pack.id)
        try:
            result = quote_requests([body])[0]
        except QuoteInputError as exc:
            problems = exc.problems
    context = {
        "packs": packs,
        "pack": pack,
        "benefit": benefit,
        "form": form,
        "result": result,
        "problems": problems,
    }
    partial = request.headers.get("HX-Request") == "true" and request.method == "POST"
    template = "policy/_trial_result.html" if partial else "policy/trial.html"
    return render(request, template, context)


@login_required
def simulate(request: HttpRequest) -> HttpResponse:
    """补贴测算 for a bureau admin: an uploaded claims file re-run under a reform (as `gongjiang simulate`)."""
    if not has_capability(request.user, "policy.simulate"):
        raise PermissionDenied
    context: dict[str, object] = {"packs": pack_list(), "reform_text": "", "error": "", "tables": None}
    if request.method == "POST":
        upload = request.FILES.get("claims")
        context["reform_text"] = request.POST.get("reform", "")
        try:
            if upload is None:
                raise DomainError("missing_file", "请上传申领记录文件")
            context.update(simulate_upload(upload.name or "", upload.read(), str(context["reform_text"])))
        except (DomainError, PackError) as exc:
            context["error"] = getattr(exc, "message", str(exc))
    return render(request, "policy/simulate.html", context)
