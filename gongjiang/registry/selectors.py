"""Reads of the registry, scoped to what the user may see.

| role                         | people                         | enterprises   | institutions  | teachers            |
|------------------------------|--------------------------------|---------------|---------------|---------------------|
| bureau staff, auditor        | their jurisdictions            | jurisdictions | jurisdictions | jurisdictions       |
| institution clerk            | trainees of their institution  | none          | their own     | their institution's |
| enterprise clerk             | employees of their enterprise  | their own     | none          | none                |
| person                       | themselves                     | none          | none          | none                |
| anonymous / unknown role     | none                           | none          | none          | none                |

Soft-deleted rows are hidden everywhere except `include_deleted=True` for bureau staff and auditors.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongjiang.core.choices import Role
from gongjiang.core.permissions import JURISDICTION_READERS, jurisdiction_ids, role_of

from .models import Enterprise, Institution, Person, ServiceUnit, Teacher


def _live(qs: QuerySet[Any], user: Any, include_deleted: bool) -> QuerySet[Any]:
    if include_deleted and role_of(user) in JURISDICTION_READERS:
        return qs
    return qs.filter(is_deleted=False)


def person_list(user: Any, *, include_deleted: bool = False) -> QuerySet[Person]:
    role = role_of(user)
    qs = Person.objects.select_related("employer", "jurisdiction")
    if role in JURISDICTION_READERS:
        qs = qs.filter(jurisdiction_id__in=jurisdiction_ids(user))
    elif role == Role.INSTITUTION_CLERK and user.institution_id:
        qs = qs.filter(institutiontrainee__institution_id=user.institution_id)
    elif role == Role.ENTERPRISE_CLERK and user.enterprise_id:
        qs = qs.filter(employer_id=user.enterprise_id)
    elif role == Role.PERSON and user.person_id:
        qs = qs.filter(pk=user.person_id)
    else:
        return qs.none()
    return _live(qs, user, include_deleted)


def enterprise_list(user: Any, *, include_deleted: bool = False) -> QuerySet[Enterprise]:
    role = role_of(user)
    qs = Enterprise.objects.select_related("jurisdiction")
    if role in JURISDICTION_READERS:
        qs = qs.filter(jurisdiction_id__in=jurisdiction_ids(user))
    elif role == Role.ENTERPRISE_CLERK and user.enterprise_id:
        qs = qs.filter(pk=user.enterprise_id)
    else:
        return qs.none()
    return _live(qs, user, include_deleted)


def institution_list(user: Any, *, include_deleted: bool = False) -> QuerySet[Institution]:
    role = role_of(user)
    qs = Institution.objects.select_related("jurisdiction", "service_unit")
    if role in JURISDICTION_READERS:
        qs = qs.filter(jurisdiction_id__in=jurisdiction_ids(user))
    elif role == Role.INSTITUTION_CLERK and user.institution_id:
        qs = qs.filter(pk=user.institution_id)
    else:
        return qs.none()
    return _live(qs, user, include_deleted)


def teacher_list(user: Any, *, include_deleted: bool = False) -> QuerySet[Teacher]:
    role = role_of(user)
    qs = Teacher.objects.select_related("jurisdiction")
    if role in JURISDICTION_READERS:
        qs = qs.filter(jurisdiction_id__in=jurisdiction_ids(user))
    elif role == Role.INSTITUTION_CLERK and user.institution_id:
        qs = qs.filter(institutions__id=user.institution_id)
    else:
        return qs.none()
    return _live(qs, user, include_deleted)


def service_unit_list(user: Any) -> QuerySet[ServiceUnit]:
    if role_of(user) is None:
        return ServiceUnit.objects.none()
    return ServiceUnit.objects.filter(jurisdiction_id__in=jurisdiction_ids(user))


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        # The same answer for "does not exist" and "not yours": no probing of other scopes.
        raise Http404("记录不存在或无权查看")
    return obj


def person_get(user: Any, pk: Any) -> Person:
    return _get(person_list(user), pk)


def enterprise_get(user: Any, pk: Any) -> Enterprise:
    return _get(enterprise_list(user), pk)


def institution_get(user: Any, pk: Any) -> Institution:
    return _get(institution_list(user), pk)


def teacher_get(user: Any, pk: Any) -> Teacher:
    return _get(teacher_list(user), pk)


def person_identifiers(user: Any, person: Person) -> dict[str, str]:
    """ID, phone and bank account as shown without a stated purpose: clear only to the person
    themselves, masked for every other role. Roles allowed to see identifiers unmask one record at
    a time through `services.person_reveal_identifiers` (purpose stated, audited)."""
    from gongjiang.core.pii import decrypt

    if role_of(user) == Role.PERSON and user.person_id == person.pk:
        return {
            "id_number": decrypt(person.id_number_encrypted),
            "phone": decrypt(person.phone_encrypted),
            "bank_account": decrypt(person.bank_account_encrypted),
        }
    return {
        "id_number": person.id_number_masked,
        "phone": person.phone_masked,
        "bank_account": person.bank_account_masked,
    }


def person_identifiers_masked(person: Person) -> dict[str, str]:
    """For lists and exports: masked for every role, the person themselves included."""
    return {
        "id_number": person.id_number_masked,
        "phone": person.phone_masked,
        "bank_account": person.bank_account_masked,
    }


def person_search(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """By name fragment, or — for an 18-character query — by exact ID through the keyed hash."""
    from gongjiang.core.pii import keyed_hash

    q = q.strip()
    if len(q) == 18 and q[:17].isdigit():
        return qs.filter(id_number_hash=keyed_hash(q))
    return qs.filter(name__contains=q)
