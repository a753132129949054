"""Daily check-ins (附件2 3.2 过程管理: "机构每日组织学员签到(人脸识别或指纹考勤)").

Devices. An institution clerk (or a bureau admin for the institution) registers a face or fingerprint
terminal. Its key is made here (`secrets.token_urlsafe`, 256 bits), shown once, and stored only as
its SHA-256 (a random key of that length needs no slow hash). A deactivated device is refused.

Device check-ins (`POST /api/attendance`). The terminal sends its serial, the trainee's resident ID
number (what a face or fingerprint library is keyed by; looked up through the keyed hash of
`gongjiang.core.pii`, never stored in clear), the class code, the time, the method and its match
score — never an image or a template. Idempotent on (device, person, time): a replay returns the
first record. Refused, with nothing written, when:

    the serial is not the authenticated device's, or the device is inactive    (403)
    the device belongs to another institution than the class's                 (403)
    the class is not approved (running), or the time is outside its dates     (400)
    the time is more than CLOCK_SKEW in the future                             (400)
    the person is not an active trainee of the class                          (400)
    the method is not the device's, or the score is below MIN_MATCH_SCORE       (400)

MIN_MATCH_SCORE: the documents give no figure. Terminals report a similarity of 0–100; 80 is the
usual factory setting for 1:N identification on the face terminals sold for 实名制 attendance, and
below it a match is not an identification. It is a named constant so the bureau can change it.

Manual check-ins: the institution's clerk records one with a reason (a terminal was down, the
trainee's fingerprint would not read), on the class's timeline; the same refusals apply.

After each new check-in the anomaly patterns that depend on check-ins alone run in the same
transaction (`anomaly_detection.detect_after_check_in`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongjiang.core.audit import record_create, record_update, snapshot
from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.permissions import require, require_jurisdiction, role_of
from gongjiang.core.pii import keyed_hash
from gongjiang.core.validation import validated
from gongjiang.registry.models import Institution, Person
from gongjiang.registry.validators import resident_id_parse

from .. import events
from ..access import require_institution_side
from ..anomaly_detection import detect_after_check_in
from ..choices import AttendanceMethod, ClassStatus, EnrolmentStatus
from ..models import AttendanceDevice, AttendanceRecord, Enrolment, TrainingClass
from ..selectors import device_key_hash

MIN_MATCH_SCORE = Decimal("80.00")
CLOCK_SKEW = dt.timedelta(minutes=5)
DEVICE_METHODS = (AttendanceMethod.FACE, AttendanceMethod.FINGERPRINT)
RUNNING = (ClassStatus.APPROVED,)
MIN_REASON = 4


def _require_device_manager(actor: Any, institution: Institution) -> None:
    require(actor, "training.devices")
    require_jurisdiction(actor, institution.jurisdiction_id)
    if role_of(actor) == Role.INSTITUTION_CLERK and actor.institution_id != institution.pk:
        raise PermissionDenied("只能管理本机构的考勤设备")


@transaction.atomic
def device_register(
    *, actor: Any, institution: Institution, serial: str, name: str, method: str
) -> tuple[AttendanceDevice, str]:
    """Register a terminal; returns the device and its key in clear — the only time it exists."""
    _require_device_manager(actor, institution)
    serial = (serial or "").strip()
    if method not in DEVICE_METHODS:
        raise DomainError("invalid_method", "识别方式须为人脸识别或指纹")
    if not serial:
        raise DomainError("serial_required", "请填写设备编号")
    if AttendanceDevice.objects.filter(serial=serial).exists():
        raise DomainError("duplicate_serial", f"设备编号 {serial} 已登记")
    key = secrets.token_urlsafe(32)
    device = AttendanceDevice(
        jurisdiction_id=institution.jurisdiction_id,
        institution=institution,
        serial=serial,
        name=(name or "").strip(),
        method=method,
        key_hash=device_key_hash(key),
    )
    validated(device)
    device.save()
    record_create(device, actor=actor, event_type="device_registered")
    return device, key


@transaction.atomic
def device_deactivate(*, actor: Any, device: AttendanceDevice, reason: str) -> AttendanceDevice:
    """Stop a terminal (lost, replaced, key leaked): its key is refused from now on."""
    locked = AttendanceDevice.objects.select_for_update().select_related("institution").get(pk=device.pk)
    _require_device_manager(actor, locked.institution)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DomainError("reason_required", f"请填写停用原因（至少{MIN_REASON}个字）")
    if not locked.is_active:
        raise DomainError("already_inactive", "该设备已停用")
    before = snapshot(locked)
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    record_update(locked, before, actor=actor, event_type="device_deactivated", reason=reason)
    return locked


def _check_class_time(training_class: TrainingClass, occurred_at: dt.datetime, now: dt.datetime) -> None:
    if training_class.status not in RUNNING:
        raise DomainError(
            "class_not_running", f"培训班“{training_class.get_status_display()}”，不在培训期间，不能签到"
        )
    if occurred_at > now + CLOCK_SKEW:
        raise DomainError("time_in_future", "签到时间晚于当前时间，请校准设备时钟")
    day = timezone.localtime(occurred_at).date()
    if not training_class.start_date <= day <= training_class.end_date:
        raise DomainError(
            "outside_class_dates",
            f"签到日期 {day} 不在培训期间（{training_class.start_date} 至 {training_class.end_date}）内",
        )


def _active_enrolment(training_class: TrainingClass, person: Person | None) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(
            training_class=training_class, person=person, status=EnrolmentStatus.ENROLLED
        )
        .select_related("person")
        .first()
        if person is not None
        else None
    )
    if enrolment is None:
        # The same answer for "unknown ID number" and "not on this roster": a device cannot probe
        # the register.
        raise DomainError("not_enrolled", "该人员不是本班在训学员，不能签到")
    return enrolment


def _aware(occurred_at: dt.datetime) -> dt.datetime:
    """A terminal's clock without a zone is local time (Asia/Shanghai); seconds are what it keeps."""
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at, timezone.get_default_timezone())
    return occurred_at.replace(microsecond=0)


@transaction.atomic
def attendance_record_device(
    *,
    device: AttendanceDevice,
    serial: str,
    id_number: str,
    class_code: str,
    occurred_at: dt.datetime,
    method: str,
    match_score: Decimal,
    now: dt.datetime | None = None,
) -> tuple[AttendanceRecord, bool]:
    """One check-in from an authenticated device; (record, created). A replay of the same (device,
    person, time) returns the first record with created=False and writes nothing."""
    now = now or timezone.now()
    if serial != device.serial:
        raise PermissionDenied("设备编号与设备密钥不符")
    if not device.is_active:
        raise PermissionDenied("该考勤设备已停用")
    occurred_at = _aware(occurred_at)
    try:
        number = resident_id_parse(id_number).number
    except DomainError as exc:
        raise DomainError("invalid_id_number", exc.message) from exc
    person = Person.objects.filter(id_number_hash=keyed_hash(number), is_deleted=False).first()
    if person is not None:
        replay = AttendanceRecord.objects.filter(
            device=device, person=person, occurred_at=occurred_at
        ).first()
        if replay is not None:
            return replay, False
    training_class = TrainingClass.objects.filter(code=(class_code or "").strip()).first()
    if training_class is None:
        raise DomainError("unknown_class", f"培训班 {class_code} 不存在")
    if device.institution_id != training_class.institution_id:
        raise PermissionDenied("该设备不属于本班的培训机构")
    _check_class_time(training_class, occurred_at, now)
    enrolment = _active_enrolment(training_class, person)
    if method != device.method:
        raise DomainError(
            "method_mismatch", f"识别方式与设备不符：该设备登记为“{device.get_method_display()}”"
        )
    if match_score is None or not Decimal("0") <= match_score <= Decimal("100"):
        raise DomainError("invalid_score", "比对得分须在 0 至 100 之间")
    if match_score < MIN_MATCH_SCORE:
        raise DomainError(
            "score_too_low", f"比对得分 {match_score} 低于阈值 {MIN_MATCH_SCORE}，未能确认身份，请重新识别"
        )
    record = AttendanceRecord(
        training_class=training_class,
        enrolment=enrolment,
        person=enrolment.person,
        device=device,
        occurred_at=occurred_at,
        method=method,
        match_score=match_score,
    )
    # Constraints are left to the database: a concurrent identical check-in must surface as the
    # IntegrityError below (→ the first record), not as a validation error.
    try:
        record.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise DomainError("invalid", "；".join(exc.messages)) from exc
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # The same check-in arrived twice at once: the other request wrote it first.
        return AttendanceRecord.objects.get(
            device=device, person=enrolment.person, occurred_at=occurred_at
        ), False
    record_create(
        record,
        actor=None,
        event_type="attendance_device",
        reason=f"考勤设备 {device.serial}",
        jurisdiction_id=training_class.jurisdiction_id,
    )
    detect_after_check_in(record)
    return record, True


@transaction.atomic
def attendance_record_manual(
    *,
    actor: Any,
    enrolment: Enrolment,
    occurred_at: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
) -> AttendanceRecord:
    """A clerk's check-in for a trainee, with the reason (补签); on the timeline and audited."""
    now = now or timezone.now()
    training_class = TrainingClass.objects.select_for_update().get(pk=enrolment.training_class_id)
    require_institution_side(actor, training_class)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise DomainError("reason_required", f"请填写补签原因（至少{MIN_REASON}个字）")
    occurred_at = _aware(occurred_at)
    _check_class_time(training_class, occurred_at, now)
    enrolment = _active_enrolment(training_class, enrolment.person)
    if AttendanceRecord.objects.filter(
        enrolment=enrolment, occurred_at=occurred_at, method=AttendanceMethod.MANUAL
    ).exists():
        raise DomainError("duplicate_check_in", "该学员在此时间已有补签记录")
    record = AttendanceRecord(
        training_class=training_class,
        enrolment=enrolment,
        person=enrolment.person,
        occurred_at=occurred_at,
        method=AttendanceMethod.MANUAL,
        manual_reason=reason[:200],
        recorded_by=actor,
    )
    validated(record)
    record.save()
    record_create(
        record,
        actor=actor,
        event_type="attendance_manual",
        reason=reason,
        jurisdiction_id=training_class.jurisdiction_id,
    )
    local = timezone.localtime(occurred_at)
    events.manual_check_in(training_class, actor, enrolment.person.name, f"{local:%Y-%m-%d %H:%M}", reason)
    detect_after_check_in(record, actor)
    return record
