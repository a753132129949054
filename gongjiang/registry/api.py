"""REST endpoints of the registry (mounted at /api/registry). Reads go through the scoped selectors;
writes through the services. Identifiers are masked in every read (a person reading their own
record excepted); a role allowed to see them unmasks one record with `POST …/reveal`, stating a
purpose that is kept in the audit trail."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from gongjiang.core.choices import RevealPurpose
from gongjiang.core.errors import PermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import has_capability, jurisdiction_ids
from gongjiang.core.spreadsheets import write_xlsx

from . import selectors, services
from .imports import person_import

router = Router(tags=["登记"])


class PersonOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    bank_account: str
    sex: str
    birth_date: dt.date
    household_type: str
    employer_id: int | None
    is_graduate_of_year: bool
    is_poverty_monitoring: bool
    is_unenrolled_graduate: bool
    is_rural_migrant_worker: bool
    is_registered_unemployed: bool
    is_employment_difficulty: bool
    is_urban_rural_dibao: bool
    is_veteran: bool
    is_disabled: bool


class PersonIn(Schema):
    name: str
    id_number: str
    household_type: str
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
    is_graduate_of_year: bool = False
    is_poverty_monitoring: bool = False
    is_unenrolled_graduate: bool = False
    is_rural_migrant_worker: bool = False
    is_registered_unemployed: bool = False
    is_employment_difficulty: bool = False
    is_urban_rural_dibao: bool = False
    is_veteran: bool = False
    is_disabled: bool = False


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    ownership: str
    size: str
    business_field: str
    insured_headcount: int


class EnterpriseIn(Schema):
    name: str
    credit_code: str
    ownership: str
    size: str
    business_field: str = ""
    insured_headcount: int = 0


class InstitutionOut(Schema):
    id: int
    name: str
    credit_code: str
    filing_status: str
    evaluation_qualification: str
    list_state: str
    service_unit_id: int | None


class ListStateIn(Schema):
    state: str
    reason: str


class TeacherOut(Schema):
    id: int
    name: str
    id_number_masked: str
    filing_number: str
    filed_on: dt.date
    qualification: str


class ImportResult(Schema):
    created: int


class RevealIn(Schema):
    purpose: RevealPurpose
    note: str = ""


class PersonIdentifiersOut(Schema):
    id_number: str
    phone: str
    bank_account: str


class TeacherIdentifiersOut(Schema):
    id_number: str
    phone: str


def _person_out(user: Any, person: Any, *, in_list: bool = False) -> dict[str, Any]:
    data = {f: getattr(person, f) for f in PersonOut.model_fields if hasattr(person, f)}
    if in_list:
        data.update(selectors.person_identifiers_masked(person))
    else:
        data.update(selectors.person_identifiers(user, person))
    return data


def _home_jurisdiction(user: Any) -> Jurisdiction:
    ids = jurisdiction_ids(user)
    if not ids:
        raise PermissionDenied("您的账号未分配辖区")
    return Jurisdiction.objects.get(pk=ids[0])


def _require_read(request: HttpRequest, capability: str) -> Any:
    if not has_capability(request.user, capability):
        raise PermissionDenied()
    return request.user


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request: HttpRequest, q: str = "") -> Any:
    user = _require_read(request, "registry.read")
    qs = selectors.person_list(user)
    if q:
        qs = selectors.person_search(qs, q)
    return [_person_out(user, p, in_list=True) for p in qs]


@router.get("/people/export.xlsx")
def export_people(request: HttpRequest) -> Any:
    """The people this user may see, identifiers masked for every role."""
    user = _require_read(request, "registry.read")
    header = ["姓名", "身份证号", "性别", "户籍类型", "手机号", "开户行", "银行账号", "工作单位"]
    rows = []
    for person in selectors.person_list(user):
        ids = selectors.person_identifiers_masked(person)
        rows.append(
            [
                person.name,
                ids["id_number"],
                person.get_sex_display(),
                person.get_household_type_display(),
                ids["phone"],
                person.bank_name,
                ids["bank_account"],
                person.employer.name if person.employer else "",
            ]
        )
    response = HttpResponse(
        write_xlsx({"人员": (header, rows)}),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename=people.xlsx"
    return response


@router.get("/people/{int:person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> Any:
    user = _require_read(request, "registry.read")
    return _person_out(user, selectors.person_get(user, person_id))


@router.post("/people/{int:person_id}/reveal", response=PersonIdentifiersOut)
def reveal_person(request: HttpRequest, person_id: int, payload: RevealIn) -> Any:
    """Full ID number, phone and bank account of one person, for a role allowed to see them; the
    stated purpose and the unmasking are recorded in the audit trail."""
    person = selectors.person_get(_require_read(request, "registry.read"), person_id)
    return services.person_reveal_identifiers(
        actor=request.user, person=person, purpose=payload.purpose, note=payload.note
    )


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Any:
    person = services.person_create(
        actor=request.user, jurisdiction=_home_jurisdiction(request.user), **payload.dict()
    )
    return Status(201, _person_out(request.user, person))


@router.post("/people/import", response={201: ImportResult})
def import_people(request: HttpRequest, file: File[UploadedFile]) -> Any:
    created = person_import(
        actor=request.user,
        jurisdiction=_home_jurisdiction(request.user),
        filename=file.name or "",
        data=file.read(),
    )
    return Status(201, {"created": len(created)})


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(LimitOffsetPagination)
def list_enterprises(request: HttpRequest) -> Any:
    return selectors.enterprise_list(_require_read(request, "registry.read_enterprises"))


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut)
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Any:
    return selectors.enterprise_get(_require_read(request, "registry.read_enterprises"), enterprise_id)


@router.post("/enterprises", response={201: EnterpriseOut})
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Any:
    enterprise = services.enterprise_create(
        actor=request.user, jurisdiction=_home_jurisdiction(request.user), **payload.dict()
    )
    return Status(201, enterprise)


@router.get("/institutions", response=list[InstitutionOut])
@paginate(LimitOffsetPagination)
def list_institutions(request: HttpRequest) -> Any:
    return selectors.institution_list(_require_read(request, "registry.read_institutions"))


@router.get("/institutions/{institution_id}", response=InstitutionOut)
def get_institution(request: HttpRequest, institution_id: int) -> Any:
    return selectors.institution_get(_require_read(request, "registry.read_institutions"), institution_id)


@router.post("/institutions/{institution_id}/list-state", response=InstitutionOut)
def set_institution_list_state(request: HttpRequest, institution_id: int, payload: ListStateIn) -> Any:
    institution = selectors.institution_get(
        _require_read(request, "registry.read_institutions"), institution_id
    )
    return services.institution_set_list_state(
        actor=request.user, institution=institution, state=payload.state, reason=payload.reason
    )


@router.get("/teachers", response=list[TeacherOut])
@paginate(LimitOffsetPagination)
def list_teachers(request: HttpRequest) -> Any:
    return selectors.teacher_list(_require_read(request, "registry.read_teachers"))


@router.get("/teachers/{teacher_id}", response=TeacherOut)
def get_teacher(request: HttpRequest, teacher_id: int) -> Any:
    return selectors.teacher_get(_require_read(request, "registry.read_teachers"), teacher_id)


@router.post("/teachers/{teacher_id}/reveal", response=TeacherIdentifiersOut)
def reveal_teacher(request: HttpRequest, teacher_id: int, payload: RevealIn) -> Any:
    """Full ID number and phone of one teacher, as for people."""
    teacher = selectors.teacher_get(_require_read(request, "registry.read_teachers"), teacher_id)
    return services.teacher_reveal_identifiers(
        actor=request.user, teacher=teacher, purpose=payload.purpose, note=payload.note
    )
