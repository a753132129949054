"""Reads of the catalog.

The catalog is reference data every logged-in role may read (`catalog.read`). Occupation names,
certificate types and skill levels are national; a subsidy class (`OccupationClass`) and a
shortage entry belong to one jurisdiction and are shown only within the user's jurisdictions.

The policy engine does not go through a user: it asks `occupation_class_of`,
`shortage_occupations_on` or `catalog_snapshot` for one jurisdiction on one date, so that a quote
can be recomputed later against the catalog as it stood then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from gongjiang.core.errors import PermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import has_capability, jurisdiction_ids, require_jurisdiction
from gongjiang.core.spreadsheets import write_xlsx

from .models import (
    CertificateType,
    Occupation,
    OccupationClass,
    ShortageOccupationEntry,
    SkillLevel,
    StartupCourse,
)

READ = "catalog.read"


def _require_read(user: Any) -> None:
    if not has_capability(user, READ):
        raise PermissionDenied()


def scope_jurisdiction(user: Any, jurisdiction_id: int | None = None) -> int | None:
    """The jurisdiction a page shows: the one asked for (if the user's), else the user's first."""
    _require_read(user)
    if jurisdiction_id is not None:
        require_jurisdiction(user, jurisdiction_id)
        return jurisdiction_id
    ids = jurisdiction_ids(user)
    return ids[0] if ids else None


def user_jurisdictions(user: Any) -> QuerySet[Jurisdiction]:
    _require_read(user)
    return Jurisdiction.objects.filter(pk__in=jurisdiction_ids(user))


def in_force(on: dt.date) -> Q:
    """Shortage entries in force on a day: valid_from <= day <= valid_to (open end = still in force)."""
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _class_scope(user: Any, jurisdiction_id: int | None) -> int:
    """The jurisdiction whose classes are shown; 0 (no such id) for a user without a jurisdiction."""
    scope = scope_jurisdiction(user, jurisdiction_id)
    return scope if scope is not None else 0


def _with_class(occupations: QuerySet[Occupation], jurisdiction_id: int) -> QuerySet[Occupation]:
    class_rows = OccupationClass.objects.filter(jurisdiction_id=jurisdiction_id, occupation=OuterRef("pk"))
    return occupations.annotate(
        subsidy_class=Subquery(class_rows.values("subsidy_class")[:1]),
        class_citation=Subquery(class_rows.values("citation")[:1]),
    )


def occupation_list(
    user: Any,
    *,
    q: str = "",
    subsidy_class: str = "",
    jurisdiction_id: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Occupation]:
    """Occupations, each annotated with `subsidy_class` and `class_citation` in the scope jurisdiction."""
    scope = _class_scope(user, jurisdiction_id)
    occupations = Occupation.objects.all()
    if not include_inactive:
        occupations = occupations.filter(is_active=True)
    if q.strip():
        occupations = occupations.filter(name__contains=q.strip())
    if subsidy_class:
        occupations = occupations.filter(classes__jurisdiction_id=scope, classes__subsidy_class=subsidy_class)
    return _with_class(occupations, scope).order_by(F("subsidy_class").asc(nulls_last=True), "id")


def occupation_get(user: Any, pk: int, *, jurisdiction_id: int | None = None) -> Occupation:
    """One occupation with its class in the scope jurisdiction; `Occupation.DoesNotExist` if none."""
    return _with_class(Occupation.objects.all(), _class_scope(user, jurisdiction_id)).get(pk=pk)


def occupation_choices(user: Any) -> QuerySet[Occupation]:
    _require_read(user)
    return Occupation.objects.filter(is_active=True).order_by("name")


def occupation_class_of(jurisdiction: Jurisdiction, name: str) -> str | None:
    """The A/B/C/D class of an occupation in a jurisdiction, or None when it is not classified."""
    return (
        OccupationClass.objects.filter(jurisdiction=jurisdiction, occupation__name=name)
        .values_list("subsidy_class", flat=True)
        .first()
    )


def shortage_occupations_on(jurisdiction: Jurisdiction, date: dt.date) -> set[str]:
    """Names of the occupations in the jurisdiction's shortage directory on `date`."""
    return set(
        ShortageOccupationEntry.objects.filter(in_force(date), jurisdiction=jurisdiction).values_list(
            "occupation__name", flat=True
        )
    )


def shortage_entry_list(
    user: Any, *, on: dt.date | None = None, jurisdiction_id: int | None = None
) -> QuerySet[ShortageOccupationEntry]:
    """Entries in the user's jurisdictions (or one of them); `on` keeps those in force that day."""
    _require_read(user)
    if jurisdiction_id is not None:
        require_jurisdiction(user, jurisdiction_id)
        ids = [jurisdiction_id]
    else:
        ids = jurisdiction_ids(user)
    entries = ShortageOccupationEntry.objects.filter(jurisdiction_id__in=ids).select_related(
        "occupation", "jurisdiction"
    )
    if on is not None:
        entries = entries.filter(in_force(on))
    return entries.order_by("-valid_from", "occupation__name", "id")


def shortage_entry_get(user: Any, pk: int) -> ShortageOccupationEntry:
    """`ShortageOccupationEntry.DoesNotExist` for an entry outside the user's jurisdictions."""
    return shortage_entry_list(user).get(pk=pk)


def certificate_type_list(user: Any) -> QuerySet[CertificateType]:
    _require_read(user)
    return CertificateType.objects.order_by("id")


def skill_level_list(user: Any) -> QuerySet[SkillLevel]:
    _require_read(user)
    return SkillLevel.objects.order_by("rank")


def startup_course_list(user: Any) -> QuerySet[StartupCourse]:
    _require_read(user)
    return StartupCourse.objects.order_by("id")


def catalog_snapshot(jurisdiction: Jurisdiction, date: dt.date) -> dict[str, dict[str, Any]]:
    """The catalog as the policy engine sees it on `date`: name → class, digital, green, shortage.

    Every active occupation is listed; `class` is None where the jurisdiction has not classified it.
    """
    classes = dict(
        OccupationClass.objects.filter(jurisdiction=jurisdiction).values_list(
            "occupation_id", "subsidy_class"
        )
    )
    shortage = shortage_occupations_on(jurisdiction, date)
    return {
        occupation.name: {
            "class": classes.get(occupation.pk),
            "digital": occupation.is_digital,
            "green": occupation.is_green,
            "shortage": occupation.name in shortage,
        }
        for occupation in Occupation.objects.filter(is_active=True).order_by("id")
    }


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def catalog_export_xlsx(user: Any, jurisdiction: Jurisdiction) -> bytes:
    """The catalog of one jurisdiction as a workbook whose first two sheets re-import as they are."""
    _require_read(user)
    require_jurisdiction(user, jurisdiction.pk)
    occupations = occupation_list(user, jurisdiction_id=jurisdiction.pk, include_inactive=True)
    entries = shortage_entry_list(user, jurisdiction_id=jurisdiction.pk)
    return write_xlsx(
        {
            "职业目录": (
                ["职业名称", "职业类别", "数字职业", "绿色职业", "专项职业能力考核项目", "启用", "依据"],
                [
                    [
                        o.name,
                        o.subsidy_class or "",  # type: ignore[attr-defined]
                        _yes_no(o.is_digital),
                        _yes_no(o.is_green),
                        _yes_no(o.is_special_ability_item),
                        _yes_no(o.is_active),
                        o.class_citation or "",  # type: ignore[attr-defined]
                    ]
                    for o in occupations
                ],
            ),
            "急需紧缺职业": (
                ["职业名称", "起始日期", "截止日期", "目录来源"],
                [
                    [e.occupation.name, e.valid_from, e.valid_to or "", e.source]
                    for e in entries.order_by("id")
                ],
            ),
            "证书类型": (
                ["代码", "名称"],
                [[c.code, c.name] for c in certificate_type_list(user)],
            ),
            "技能等级": (
                ["等级序号", "代码", "名称", "别称"],
                [[s.rank, s.code, s.name, s.alias] for s in skill_level_list(user)],
            ),
        }
    )
