"""Follow-up after closing (新民社发〔2025〕13号 附件2 3.3 取证与就业服务).

Within one quarter of closing (three calendar months, `kpis.follow_up_due_date`) the institution
records, for its qualified trainees:
- the certificates they obtained — one of the five kinds of 四(三) (职业资格证书, 职业技能等级证书,
  专项职业能力证书, 特种作业操作证, 特种设备作业人员证); each is stored once on the person's record
  (`registry.PersonCertificate`, the talent database reads it) and linked to the enrolment;
- for employment-skill classes, at least 3 就业推介 sessions, each with its record as evidence;
- each trainee's employment or business start, with its evidence (劳动合同, 聘用协议, 实习协议,
  营业执照, 工资流水: 附件2 4.1 创业就业凭证).

Records may be made after the deadline (late evidence still belongs on file) but only what falls
inside the period counts towards the class's rates (see `kpis`).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from gongjiang.catalog.models import CertificateType, Occupation, SkillLevel
from gongjiang.core.audit import audit_record, record_create
from gongjiang.core.errors import DomainError
from gongjiang.core.validation import validated
from gongjiang.registry.choices import CertificateSource
from gongjiang.registry.models import Enterprise, PersonCertificate

from .. import events
from ..access import require_institution_side
from ..choices import ClassStatus, EmploymentKind, EnrolmentStatus, EvidenceKind, TrainingType
from ..models import EmploymentPromotion, EmploymentRecord, Enrolment, TrainingClass
from . import evidence

PROMOTION_STATUSES = frozenset({ClassStatus.APPROVED, ClassStatus.CLOSING, ClassStatus.CLOSED})


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", f"须填写{label}")
    return value


def _qualified_enrolment(actor: Any, enrolment: Enrolment) -> TrainingClass:
    training_class = enrolment.training_class
    require_institution_side(actor, training_class)
    if training_class.status != ClassStatus.CLOSED:
        raise DomainError(
            "class_not_closed",
            f"培训班当前状态为“{training_class.get_status_display()}”，结班后才能登记取证和就业情况",
        )
    if enrolment.status != EnrolmentStatus.QUALIFIED:
        raise DomainError(
            "not_qualified", f"{enrolment.person.name}不是培训合格学员，不登记取证和就业情况（附件2 3.3）"
        )
    return training_class


def _within_class_and_today(day: dt.date, training_class: TrainingClass, today: dt.date, label: str) -> None:
    if day > today:
        raise DomainError("future_date", f"{label} {day} 晚于今天")
    if day < training_class.start_date:
        raise DomainError(
            "before_class",
            f"{label} {day} 早于开班日期 {training_class.start_date}：培训前的情况不计入本班（附件2 3.3 培训后）",
        )


@transaction.atomic
def certificate_record(
    *,
    actor: Any,
    enrolment: Enrolment,
    certificate_type: CertificateType,
    number: str,
    issued_on: dt.date,
    issuer: str,
    occupation: Occupation | None = None,
    level: SkillLevel | None = None,
    today: dt.date | None = None,
) -> PersonCertificate:
    """A certificate a qualified trainee obtained after the class. A certificate already on the
    person's record (same type and number) is linked rather than stored twice."""
    enrolment = (
        Enrolment.objects.select_for_update().select_related("training_class", "person").get(pk=enrolment.pk)
    )
    training_class = _qualified_enrolment(actor, enrolment)
    number = _text(number, "证书编号")
    issuer = _text(issuer, "发证机构")
    _within_class_and_today(issued_on, training_class, today or timezone.localdate(), "发证日期")
    certificate = PersonCertificate.objects.filter(certificate_type=certificate_type, number=number).first()
    if certificate is not None and certificate.person_id != enrolment.person_id:
        raise DomainError(
            "certificate_taken", f"{certificate_type.name} {number} 已登记在他人名下，请核对证书编号"
        )
    if certificate is not None and enrolment.obtained_certificates.filter(pk=certificate.pk).exists():
        raise DomainError("certificate_already_recorded", f"{certificate_type.name} {number} 已登记")
    if certificate is not None and certificate.issued_on != issued_on:
        raise DomainError(
            "certificate_date_differs",
            f"{certificate_type.name} {number} 已登记的发证日期为 {certificate.issued_on}，与填写的 {issued_on} 不一致",
        )
    if certificate is None:
        certificate = PersonCertificate(
            person=enrolment.person,
            certificate_type=certificate_type,
            occupation=occupation,
            level=level,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            source=CertificateSource.TRAINING_FOLLOW_UP,
            recorded_by=actor,
        )
        validated(certificate)
        certificate.save()
        record_create(
            certificate,
            actor=actor,
            event_type="person_certificate_recorded",
            jurisdiction_id=training_class.jurisdiction_id,
        )
    enrolment.obtained_certificates.add(certificate)
    audit_record(
        actor=actor,
        obj=enrolment,
        action="update",
        event_type="certificate_recorded",
        after={"obtained_certificate": certificate.pk, "type": certificate_type.code, "number": number},
        jurisdiction_id=training_class.jurisdiction_id,
    )
    events.certificate_recorded(
        training_class, actor, enrolment.person.name, f"{certificate_type.name}（{number}，{issued_on}）"
    )
    return certificate


@transaction.atomic
def promotion_record(
    *,
    actor: Any,
    training_class: TrainingClass,
    held_on: dt.date,
    title: str,
    employers: str,
    attendee_count: int,
    file_name: str,
    stream: IO[bytes],
    today: dt.date | None = None,
) -> EmploymentPromotion:
    """A 就业推介 session of an employment-skill class, with its record (sign-in sheet, photos as a
    PDF…) as evidence; it may be held while the class runs or after it."""
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    require_institution_side(actor, training_class)
    if training_class.category != TrainingType.EMPLOYMENT:
        raise DomainError("not_employment_class", "就业推介只针对就业技能培训班登记（附件2 3.3）")
    if training_class.status not in PROMOTION_STATUSES:
        raise DomainError(
            "wrong_status", f"培训班当前状态为“{training_class.get_status_display()}”，不能登记就业推介"
        )
    title = _text(title, "推介内容")
    employers = _text(employers, "参与用人单位")
    _within_class_and_today(held_on, training_class, today or timezone.localdate(), "推介日期")
    trainees = training_class.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
    if not 0 < attendee_count <= trainees:
        raise DomainError("invalid_attendees", f"参加学员数须在 1 至 {trainees}（本班在册学员数）之间")
    record = evidence.evidence_add(
        actor=actor,
        training_class=training_class,
        kind=EvidenceKind.PROMOTION,
        name=file_name,
        stream=stream,
        taken_on=held_on,
        note=title,
    )
    promotion = EmploymentPromotion(
        training_class=training_class,
        held_on=held_on,
        title=title,
        employers=employers,
        attendee_count=attendee_count,
        evidence=record,
        recorded_by=actor,
    )
    validated(promotion)
    promotion.save()
    record_create(
        promotion,
        actor=actor,
        event_type="promotion_recorded",
        jurisdiction_id=training_class.jurisdiction_id,
    )
    events.promotion_recorded(training_class, actor, held_on.isoformat(), title)
    return promotion


@transaction.atomic
def employment_record(
    *,
    actor: Any,
    enrolment: Enrolment,
    kind: str,
    employer_name: str,
    started_on: dt.date,
    file_name: str,
    stream: IO[bytes],
    enterprise: Enterprise | None = None,
    today: dt.date | None = None,
) -> EmploymentRecord:
    """A qualified trainee's employment or business start after the class, with its evidence."""
    enrolment = (
        Enrolment.objects.select_for_update().select_related("training_class", "person").get(pk=enrolment.pk)
    )
    training_class = _qualified_enrolment(actor, enrolment)
    if kind not in EmploymentKind.values:
        raise DomainError("invalid_kind", "凭证类型须为：" + "、".join(str(k.label) for k in EmploymentKind))
    employer_name = _text(employer_name, "就业单位/创业主体")
    _within_class_and_today(started_on, training_class, today or timezone.localdate(), "就业/创业日期")
    if enterprise is not None and enterprise.jurisdiction_id != training_class.jurisdiction_id:
        raise DomainError("wrong_jurisdiction", "企业不在本辖区")
    duplicate = EmploymentRecord.objects.filter(
        enrolment=enrolment, kind=kind, employer_name=employer_name, started_on=started_on
    ).exists()
    if duplicate:
        raise DomainError("employment_already_recorded", f"{enrolment.person.name}的这条就业记录已登记")
    record = evidence.evidence_add(
        actor=actor,
        training_class=training_class,
        kind=EvidenceKind.EMPLOYMENT,
        name=file_name,
        stream=stream,
        taken_on=started_on,
        note=f"{enrolment.person.name} {EmploymentKind(kind).label}",
        enrolment=enrolment,
    )
    employment = EmploymentRecord(
        enrolment=enrolment,
        kind=kind,
        employer_name=employer_name,
        enterprise=enterprise,
        started_on=started_on,
        evidence=record,
        recorded_by=actor,
    )
    validated(employment)
    employment.save()
    record_create(
        employment,
        actor=actor,
        event_type="employment_recorded",
        jurisdiction_id=training_class.jurisdiction_id,
    )
    events.employment_recorded(training_class, actor, enrolment.person.name, employer_name)
    return employment
