"""The roster (培训学员花名册, 附件2 3.1): import from the downloadable template, and withdrawals.

Columns: 姓名, 身份证号, 手机号, 户籍类型 (农村/城镇), 人员类别 (六类人员 and 退役军人/残疾人, several
separated by 、), 城乡低保 (是/否), 工作单位统一社会信用代码, 劳动合同签订日期, 劳动合同期限(月).

A person already in the register is taken as registered: the file's name must match, and the
groups or employment it claims must agree with the register (a clerk cannot make someone eligible
by typing it). A new person is registered from the row. Every row is checked — ID check digit,
duplicates in the file, already on this roster, in another class at overlapping dates, eligibility
for the training type (`eligibility.py`) — and a file with any bad row writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongjiang.core.audit import audit_record, record_create, record_update, snapshot
from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.pii import keyed_hash
from gongjiang.core.spreadsheets import read_table, require_columns
from gongjiang.registry.choices import PRIORITY_GROUP_FIELDS
from gongjiang.registry.models import Enterprise, Person
from gongjiang.registry.services import institution_trainee_register, person_create
from gongjiang.registry.validators import credit_code_clean, phone_clean, resident_id_parse

from .. import events
from ..access import require_editable, require_institution_side
from ..choices import ClassStatus, EnrolmentStatus
from ..eligibility import GROUP_LABELS, Candidate, eligibility
from ..imports import RowErrors, parse_date, parse_positive_int
from ..models import Enrolment, TrainingClass

COLUMNS = (
    "姓名",
    "身份证号",
    "手机号",
    "户籍类型",
    "人员类别",
    "城乡低保",
    "工作单位统一社会信用代码",
    "劳动合同签订日期",
    "劳动合同期限(月)",
)
REQUIRED = ("姓名", "身份证号", "户籍类型", "人员类别")
HOUSEHOLD = {"农村": "rural", "城镇": "urban"}
OTHER_FLAGS = {"退役军人": "is_veteran", "残疾人": "is_disabled"}
FLAG_BY_LABEL = {label: field for field, label in GROUP_LABELS.items()} | OTHER_FLAGS
YES_NO = {"是": True, "否": False, "": False}
# Classes whose dates a new enrolment may not overlap (drafts and refused filings do not count).
BINDING_STATUSES = (
    ClassStatus.SUBMITTED,
    ClassStatus.RETURNED,
    ClassStatus.APPROVED,
    ClassStatus.CLOSING,
    ClassStatus.CLOSED,
)


@dataclass
class RosterRow:
    number: int
    name: str
    id_number: str
    existing: Person | None
    new_person: dict[str, Any]
    basis: str = ""


def _split_groups(raw: str) -> list[str]:
    for sep in ("，", ",", "；", ";", "/", " "):
        raw = raw.replace(sep, "、")
    return [part.strip() for part in raw.split("、") if part.strip()]


def _row_candidate(
    row: Any, training_class: TrainingClass, errors: RowErrors, enterprises: dict[str, Enterprise]
) -> RosterRow | None:
    values, n = row.values, row.number
    before = len(errors.errors)
    name = values.get("姓名", "").strip()
    if not name:
        errors.add(n, "姓名", "姓名不能为空")
    try:
        parsed = resident_id_parse(values.get("身份证号", ""))
    except DomainError as exc:
        errors.add(n, "身份证号", exc.message)
        return None
    flags: dict[str, bool] = {}
    for label in _split_groups(values.get("人员类别", "")):
        field = FLAG_BY_LABEL.get(label)
        if field is None:
            errors.add(n, "人员类别", f"未知人员类别“{label}”（可填：{'、'.join(FLAG_BY_LABEL)}）")
        else:
            flags[field] = True
    dibao = values.get("城乡低保", "").strip()
    if dibao not in YES_NO:
        errors.add(n, "城乡低保", "须填写“是”或“否”")
    elif YES_NO[dibao]:
        flags["is_urban_rural_dibao"] = True
    credit = values.get("工作单位统一社会信用代码", "").strip()
    employer = None
    if credit:
        try:
            employer = enterprises.get(credit_code_clean(credit))
        except DomainError as exc:
            errors.add(n, "工作单位统一社会信用代码", exc.message)
        else:
            if employer is None:
                errors.add(n, "工作单位统一社会信用代码", "该企业未在本辖区登记")
    raw_start = values.get("劳动合同签订日期", "").strip()
    contract_start = parse_date(raw_start) if raw_start else None
    if raw_start and contract_start is None:
        errors.add(n, "劳动合同签订日期", "日期格式应为 YYYY-MM-DD")
    raw_term = values.get("劳动合同期限(月)", "").strip()
    term = parse_positive_int(raw_term) if raw_term else None
    if raw_term and term is None:
        errors.add(n, "劳动合同期限(月)", "须为正整数（月）")
    if credit and not raw_start:
        errors.add(n, "劳动合同签订日期", "填写了工作单位时须填写劳动合同签订日期")
    existing = Person.objects.filter(id_number_hash=keyed_hash(parsed.number), is_deleted=False).first()
    new_person: dict[str, Any] = {}
    if existing is not None:
        _check_against_register(n, existing, name, flags, employer, contract_start, term, errors)
    else:
        household = values.get("户籍类型", "").strip()
        if household not in HOUSEHOLD:
            errors.add(n, "户籍类型", "户籍类型须为“农村”或“城镇”")
        try:
            phone = phone_clean(values.get("手机号", ""))
        except DomainError as exc:
            errors.add(n, "手机号", exc.message)
            phone = ""
        new_person = {
            "name": name,
            "id_number": parsed.number,
            "household_type": HOUSEHOLD.get(household, ""),
            "phone": phone,
            "employer": employer,
            "contract_start": contract_start,
            "contract_term_months": term,
            **flags,
        }
    if len(errors.errors) != before:
        return None
    return RosterRow(n, name, parsed.number, existing, new_person)


def _check_against_register(
    n: int,
    person: Person,
    name: str,
    flags: dict[str, bool],
    employer: Enterprise | None,
    contract_start: dt.date | None,
    term: int | None,
    errors: RowErrors,
) -> None:
    if name and name != person.name:
        errors.add(n, "姓名", f"与登记姓名“{person.name}”不一致")
    missing = [field for field in flags if not getattr(person, field)]
    if missing:
        labels = {v: k for k, v in FLAG_BY_LABEL.items()} | {"is_urban_rural_dibao": "城乡低保"}
        column = "城乡低保" if missing == ["is_urban_rural_dibao"] else "人员类别"
        errors.add(
            n,
            column,
            "登记信息中没有：" + "、".join(labels[f] for f in missing) + "（须先由服务中心核实登记）",
        )
    if employer is not None and person.employer_id != employer.pk:
        errors.add(n, "工作单位统一社会信用代码", "与登记的工作单位不一致")
    if contract_start is not None and person.contract_start != contract_start:
        errors.add(n, "劳动合同签订日期", f"与登记的签订日期（{person.contract_start or '未登记'}）不一致")
    if term is not None and person.contract_term_months != term:
        errors.add(n, "劳动合同期限(月)", "与登记的合同期限不一致")


def _candidate(row: RosterRow) -> Candidate:
    if row.existing is not None:
        p = row.existing
        return Candidate(
            birth_date=p.birth_date,
            groups=frozenset(f for f in PRIORITY_GROUP_FIELDS if getattr(p, f)),
            employer_id=p.employer_id,
            contract_start=p.contract_start,
            contract_term_months=p.contract_term_months,
        )
    data = row.new_person
    employer = data.get("employer")
    return Candidate(
        birth_date=resident_id_parse(row.id_number).birth_date,
        groups=frozenset(f for f in PRIORITY_GROUP_FIELDS if data.get(f)),
        employer_id=employer.pk if employer else None,
        contract_start=data.get("contract_start"),
        contract_term_months=data.get("contract_term_months"),
    )


def _overlapping(training_class: TrainingClass, person: Person) -> Enrolment | None:
    return (
        Enrolment.objects.filter(
            person=person,
            training_class__status__in=BINDING_STATUSES,
            training_class__start_date__lte=training_class.end_date,
            training_class__end_date__gte=training_class.start_date,
        )
        .exclude(training_class=training_class)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("training_class")
        .first()
    )


def _validate(training_class: TrainingClass, rows: list[Any], errors: RowErrors) -> list[RosterRow]:
    enterprises = {
        e.credit_code: e
        for e in Enterprise.objects.filter(jurisdiction=training_class.jurisdiction, is_deleted=False)
    }
    on_roster = dict(training_class.enrolments.values_list("person_id", "status"))
    seen: dict[str, int] = {}
    accepted = []
    for row in rows:
        parsed = _row_candidate(row, training_class, errors, enterprises)
        if parsed is None:
            continue
        n = parsed.number
        if parsed.id_number in seen:
            errors.add(n, "身份证号", f"与第 {seen[parsed.id_number]} 行重复")
            continue
        seen[parsed.id_number] = n
        person = parsed.existing
        if person is not None:
            if person.jurisdiction_id != training_class.jurisdiction_id:
                errors.add(n, "身份证号", "该人员登记在其他辖区")
                continue
            if on_roster.get(person.pk) == EnrolmentStatus.WITHDRAWN:
                errors.add(n, "身份证号", "该学员已在本班退训，不能再次加入")
                continue
            if person.pk in on_roster:
                errors.add(n, "身份证号", "已在本班花名册中")
                continue
            other = _overlapping(training_class, person)
            if other is not None:
                other_class = other.training_class
                errors.add(
                    n,
                    "身份证号",
                    f"已参加 {other_class.code}（{other_class.start_date} 至 {other_class.end_date}），培训时间重叠",
                )
                continue
        basis, problem = eligibility(training_class, _candidate(parsed))
        if problem:
            errors.add(n, "人员类别", problem)
            continue
        parsed.basis = basis or ""
        accepted.append(parsed)
    return accepted


@transaction.atomic
def roster_import(
    *, actor: Any, training_class: TrainingClass, filename: str, data: bytes
) -> list[Enrolment]:
    """Add the file's trainees to the roster: all of them, or — if any row is bad — none."""
    require_institution_side(actor, training_class)
    require_editable(training_class)
    header, rows = read_table(filename, data)
    require_columns(header, REQUIRED)
    errors = RowErrors()
    accepted = _validate(training_class, rows, errors)
    if errors:
        raise ImportRejected(errors.sorted(COLUMNS))
    if not accepted:
        raise ImportRejected([{"row": 1, "column": "姓名", "message": "文件中没有学员"}])
    enrolments = []
    for row in accepted:
        person = row.existing
        if person is None:
            person = person_create(actor=actor, jurisdiction=training_class.jurisdiction, **row.new_person)
        institution_trainee_register(actor=actor, institution=training_class.institution, person=person)
        enrolment = Enrolment.objects.create(
            training_class=training_class, person=person, eligibility=row.basis
        )
        record_create(enrolment, actor=actor, event_type="enrolment_created")
        enrolments.append(enrolment)
    audit_record(
        actor=actor,
        obj=training_class,
        action="import",
        event_type="roster_imported",
        after={"file": filename, "enrolments": [e.pk for e in enrolments]},
    )
    events.roster_imported(training_class, actor, len(enrolments), filename)
    return enrolments


@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: Enrolment, reason: str) -> Enrolment:
    """A trainee leaves the class (退训). Kept on the roster with the reason; never deleted."""
    training_class = enrolment.training_class
    require_institution_side(actor, training_class)
    if not reason.strip():
        raise DomainError("reason_required", "退训必须填写原因")
    if training_class.status in {
        ClassStatus.CLOSING,
        ClassStatus.CLOSED,
        ClassStatus.CANCELLED,
        ClassStatus.REJECTED,
    }:
        raise DomainError("not_editable", f"“{training_class.get_status_display()}”的培训班不能办理退训")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError("not_enrolled", f"该学员状态为“{enrolment.get_status_display()}”，不能退训")
    before = snapshot(enrolment)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_reason = reason.strip()[:200]
    enrolment.save(update_fields=["status", "withdrawn_reason"])
    record_update(
        enrolment, before, actor=actor, event_type="enrolment_withdrawn", reason=reason, action="transition"
    )
    events.enrolment_withdrawn(training_class, actor, enrolment.person.name, reason.strip())
    return enrolment
