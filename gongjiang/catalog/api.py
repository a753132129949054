"""REST endpoints of the catalog (mounted at /api/catalog).

Reads are open to every logged-in role; the jurisdiction-specific parts (a class, a shortage entry)
are scoped to the caller's jurisdictions. Writes (shortage entries, imports) need `catalog.manage`
and go through the services; a rejected import answers 422 with every row's problem.
"""

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from gongjiang.core.errors import PermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import require

from . import selectors, services
from .models import Occupation, ShortageOccupationEntry

router = Router(tags=["目录"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OccupationOut(Schema):
    id: int
    name: str
    subsidy_class: str | None
    class_citation: str | None
    is_digital: bool
    is_green: bool
    is_special_ability_item: bool
    is_active: bool


class ShortageEntryOut(Schema):
    id: int
    jurisdiction_id: int
    occupation_id: int
    occupation_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str

    @staticmethod
    def resolve_occupation_name(obj: ShortageOccupationEntry) -> str:
        return obj.occupation.name


class ShortageEntryIn(Schema):
    occupation_id: int
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: str
    jurisdiction_id: int | None = None


class ShortageEndIn(Schema):
    valid_to: dt.date
    reason: str = ""


class CertificateTypeOut(Schema):
    id: int
    code: str
    name: str


class SkillLevelOut(Schema):
    id: int
    code: str
    name: str
    alias: str
    rank: int


class StartupCourseOut(Schema):
    id: int
    code: str
    name: str
    min_class_hours: int
    min_days: int


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


def _jurisdiction(user: Any, jurisdiction_id: int | None) -> Jurisdiction:
    scope = selectors.scope_jurisdiction(user, jurisdiction_id)
    if scope is None:
        raise PermissionDenied("您的账号未分配辖区")
    return Jurisdiction.objects.get(pk=scope)


@router.get("/occupations", response=list[OccupationOut], summary="职业(工种)目录")
@paginate(LimitOffsetPagination)
def occupation_list(
    request: HttpRequest,
    q: str = "",
    subsidy_class: Literal["A", "B", "C", "D", ""] = "",
    jurisdiction_id: int | None = None,
) -> Any:
    return selectors.occupation_list(
        request.user, q=q, subsidy_class=subsidy_class, jurisdiction_id=jurisdiction_id
    )


@router.get("/occupations/{occupation_id}", response=OccupationOut, summary="职业(工种)详情")
def occupation_get(request: HttpRequest, occupation_id: int, jurisdiction_id: int | None = None) -> Any:
    try:
        return selectors.occupation_get(request.user, occupation_id, jurisdiction_id=jurisdiction_id)
    except Occupation.DoesNotExist as exc:
        raise Http404("职业不存在") from exc


@router.get("/shortage", response=list[ShortageEntryOut], summary="急需紧缺职业目录")
def shortage_list(request: HttpRequest, on: dt.date | None = None, jurisdiction_id: int | None = None) -> Any:
    return list(selectors.shortage_entry_list(request.user, on=on, jurisdiction_id=jurisdiction_id))


@router.post("/shortage", response={201: ShortageEntryOut}, summary="新增急需紧缺职业条目")
def shortage_add(request: HttpRequest, payload: ShortageEntryIn) -> Any:
    require(request.user, services.MANAGE)
    jurisdiction = _jurisdiction(request.user, payload.jurisdiction_id)
    try:
        occupation = Occupation.objects.get(pk=payload.occupation_id)
    except Occupation.DoesNotExist as exc:
        raise Http404("职业不存在") from exc
    entry = services.shortage_entry_add(
        actor=request.user,
        jurisdiction=jurisdiction,
        occupation=occupation,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        source=payload.source,
    )
    return Status(201, entry)


@router.post("/shortage/{entry_id}/end", response=ShortageEntryOut, summary="结束急需紧缺职业条目")
def shortage_end(request: HttpRequest, entry_id: int, payload: ShortageEndIn) -> Any:
    require(request.user, services.MANAGE)
    try:
        entry = selectors.shortage_entry_get(request.user, entry_id)
    except ShortageOccupationEntry.DoesNotExist as exc:
        raise Http404("条目不存在") from exc
    return services.shortage_entry_end(
        actor=request.user, entry=entry, valid_to=payload.valid_to, reason=payload.reason
    )


@router.get("/certificate-types", response=list[CertificateTypeOut], summary="证书类型")
def certificate_type_list(request: HttpRequest) -> Any:
    return list(selectors.certificate_type_list(request.user))


@router.get("/skill-levels", response=list[SkillLevelOut], summary="技能等级")
def skill_level_list(request: HttpRequest) -> Any:
    return list(selectors.skill_level_list(request.user))


@router.get("/startup-courses", response=list[StartupCourseOut], summary="创业培训课程")
def startup_course_list(request: HttpRequest) -> Any:
    return list(selectors.startup_course_list(request.user))


@router.get("/export.xlsx", summary="导出目录（Excel）")
def export_xlsx(request: HttpRequest, jurisdiction_id: int | None = None) -> HttpResponse:
    jurisdiction = _jurisdiction(request.user, jurisdiction_id)
    content = selectors.catalog_export_xlsx(request.user, jurisdiction)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="catalog-{jurisdiction.code}.xlsx"'
    return response


@router.post("/import", response=ImportOut, summary="导入职业目录或急需紧缺职业（Excel/CSV）")
def import_file(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[Literal["occupations", "shortage"]] = "occupations",
    jurisdiction_id: Form[int | None] = None,
) -> Any:
    require(request.user, services.MANAGE)
    jurisdiction = _jurisdiction(request.user, jurisdiction_id)
    run = services.catalog_import_occupations if kind == "occupations" else services.shortage_import
    return run(actor=request.user, jurisdiction=jurisdiction, filename=file.name or "", data=file.read())
