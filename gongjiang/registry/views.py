"""Read-only registry pages. Every row comes from `selectors`, so what a user sees is scoped there.

Lists never decrypt: they show the masked ID number stored with each row. Searching by ID number
hashes the query with the keyed hash and compares it with `id_number_hash` (exact match only).
Detail pages show identifiers masked too; a role allowed to see them states a purpose in a small
form (htmx) and gets this one record's numbers, and the unmasking is audited (`*_reveal`).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from gongjiang.core.choices import RevealPurpose
from gongjiang.core.errors import DomainError
from gongjiang.core.http import require_capability
from gongjiang.core.permissions import has_capability
from gongjiang.core.pii import keyed_hash

from . import selectors, services
from .choices import PRIORITY_GROUP_FIELDS
from .models import Person

PAGE_SIZE = 25

# 18-digit resident ID (last character may be X) or the old 15-digit form.
ID_NUMBER_RE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")

# Short labels for the six priority groups, shown as tags in lists.
PRIORITY_GROUP_TAGS: dict[str, str] = {
    "is_graduate_of_year": "高校毕业生",
    "is_poverty_monitoring": "防返贫监测",
    "is_unenrolled_graduate": "未升学毕业生",
    "is_rural_migrant_worker": "农村转移就业",
    "is_registered_unemployed": "登记失业",
    "is_employment_difficulty": "就业困难",
}
OTHER_FLAG_FIELDS = ("is_urban_rural_dibao", "is_veteran", "is_disabled")


def _search_term(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:60]


def _is_id_number(term: str) -> bool:
    return bool(ID_NUMBER_RE.match(term))


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Page:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _list_context(request: HttpRequest, page: Page, q: str, **extra: Any) -> dict[str, Any]:
    return {"page": page, "q": q, "querystring": _querystring_without_page(request), **extra}


def _priority_tags(person: Person) -> list[str]:
    return [label for field, label in PRIORITY_GROUP_TAGS.items() if getattr(person, field)]


def _flags(person: Person, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "label": getattr(Person._meta.get_field(field), "verbose_name", field),
            "value": getattr(person, field),
        }
        for field in fields
    ]


# People ---------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    require_capability(request, "registry.read")
    q = _search_term(request)
    people = selectors.person_list(request.user)
    if q:
        if _is_id_number(q):
            people = people.filter(id_number_hash=keyed_hash(q))
        else:
            people = people.filter(name__icontains=q)
    page = _page(request, people)
    rows = [{"person": person, "tags": _priority_tags(person)} for person in page.object_list]
    return render(request, "registry/person_list.html", _list_context(request, page, q, rows=rows))


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "registry.read")
    person = selectors.person_get(request.user, pk)
    institutions = selectors.institution_list(request.user).filter(trainees=person)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "identifiers": selectors.person_identifiers(request.user, person),
            **_reveal_context(request, "registry:person_reveal", person.pk),
            "priority_flags": _flags(person, PRIORITY_GROUP_FIELDS),
            "other_flags": _flags(person, OTHER_FLAG_FIELDS),
            "institutions": institutions,
        },
    )


# Enterprises ----------------------------------------------------------------------------------


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    require_capability(request, "registry.read_enterprises")
    q = _search_term(request)
    enterprises = selectors.enterprise_list(request.user)
    if q:
        enterprises = enterprises.filter(Q(name__icontains=q) | Q(credit_code__iexact=q))
    page = _page(request, enterprises)
    return render(request, "registry/enterprise_list.html", _list_context(request, page, q))


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "registry.read_enterprises")
    enterprise = selectors.enterprise_get(request.user, pk)
    employees = selectors.person_list(request.user).filter(employer=enterprise)
    page = _page(request, employees)
    return render(
        request,
        "registry/enterprise_detail.html",
        {"enterprise": enterprise, "page": page, "querystring": _querystring_without_page(request)},
    )


# Institutions ---------------------------------------------------------------------------------


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    require_capability(request, "registry.read_institutions")
    q = _search_term(request)
    institutions = selectors.institution_list(request.user)
    if q:
        institutions = institutions.filter(Q(name__icontains=q) | Q(credit_code__iexact=q))
    page = _page(request, institutions)
    return render(request, "registry/institution_list.html", _list_context(request, page, q))


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "registry.read_institutions")
    institution = selectors.institution_get(request.user, pk)
    return render(
        request,
        "registry/institution_detail.html",
        {
            "institution": institution,
            "scopes": institution.scopes.select_related("occupation", "level").order_by(
                "occupation__name", "id"
            ),
            "list_changes": institution.list_changes.select_related("changed_by").all(),
            "teachers": selectors.teacher_list(request.user).filter(institutions=institution),
            "trainee_count": selectors.person_list(request.user).filter(institutions=institution).count(),
        },
    )


# Teachers -------------------------------------------------------------------------------------


@login_required
def teacher_list(request: HttpRequest) -> HttpResponse:
    require_capability(request, "registry.read_teachers")
    q = _search_term(request)
    teachers = selectors.teacher_list(request.user).prefetch_related("occupations")
    if q:
        if _is_id_number(q):
            teachers = teachers.filter(id_number_hash=keyed_hash(q))
        else:
            teachers = teachers.filter(Q(name__icontains=q) | Q(filing_number__iexact=q))
    page = _page(request, teachers)
    return render(request, "registry/teacher_list.html", _list_context(request, page, q))


@login_required
def teacher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "registry.read_teachers")
    teacher = selectors.teacher_get(request.user, pk)
    return render(
        request,
        "registry/teacher_detail.html",
        {
            "teacher": teacher,
            "identifiers": {"id_number": teacher.id_number_masked, "phone": teacher.phone_masked},
            **_reveal_context(request, "registry:teacher_reveal", teacher.pk),
            "occupations": teacher.occupations.all(),
            "institutions": selectors.institution_list(request.user).filter(teachers=teacher),
        },
    )


# Unmasking with a stated purpose ----------------------------------------------------------------


def _reveal_context(request: HttpRequest, url_name: str, pk: int) -> dict[str, Any]:
    return {
        "can_reveal": has_capability(request.user, "pii.reveal"),
        "reveal_url_name": url_name,
        "reveal_pk": pk,
        "purposes": RevealPurpose.choices,
    }


def _reveal(request: HttpRequest, record: Any, url_name: str, reveal: Any, fields: list[str]) -> HttpResponse:
    context: dict[str, Any] = {
        **_reveal_context(request, url_name, record.pk),
        "identifiers": {f: getattr(record, f"{f}_masked") for f in fields},
        "show_bank": "bank_account" in fields,
    }
    status = 200
    try:
        context["identifiers"] = reveal(
            actor=request.user,
            purpose=request.POST.get("purpose", ""),
            note=request.POST.get("note", "")[:300],
        )
        context["revealed"] = True
    except DomainError as exc:
        context["reveal_error"] = exc.message
        # htmx swaps only 2xx answers; a plain form post gets the honest status.
        status = 200 if request.htmx else 400  # type: ignore[attr-defined]
    return render(request, "registry/_identifiers.html", context, status=status)


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "pii.reveal")
    person = selectors.person_get(request.user, pk)

    def reveal(**kwargs: Any) -> dict[str, str]:
        return services.person_reveal_identifiers(person=person, **kwargs)

    return _reveal(request, person, "registry:person_reveal", reveal, ["id_number", "phone", "bank_account"])


@login_required
@require_POST
def teacher_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request, "pii.reveal")
    teacher = selectors.teacher_get(request.user, pk)

    def reveal(**kwargs: Any) -> dict[str, str]:
        return services.teacher_reveal_identifiers(teacher=teacher, **kwargs)

    return _reveal(request, teacher, "registry:teacher_reveal", reveal, ["id_number", "phone"])
