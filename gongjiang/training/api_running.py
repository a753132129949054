"""REST operations of a running class (附件2 3.2): device check-ins, manual check-ins, attended hours,
spot checks, anomaly flags and attendance devices.

`POST /api/attendance` is the terminals' endpoint: authenticated by the device key in the
`X-Device-Key` header (no session, so no CSRF token), body as `CheckInIn` — unknown fields are
refused, so an image or a template cannot be sent along. 201 for a new check-in, 200 with the first
record for a replay of the same (device, person, time). Every other operation uses the session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from ninja.security import APIKeyHeader
from pydantic import ConfigDict, Field

from gongjiang.core.errors import DomainError, NotAuthenticated, PermissionDenied
from gongjiang.core.permissions import has_capability
from gongjiang.registry.models import Institution

from .api import router
from .models import AttendanceDevice, AttendanceRecord
from .selectors import (
    SPOT_CHECKS_MIN,
    anomaly_get,
    anomaly_queue,
    class_get,
    device_for_key,
    device_get,
    device_list,
    hours_table,
    spot_check_list,
)
from .services import anomalies, attendance, spot_checks


class DeviceKey(APIKeyHeader):
    """`X-Device-Key: <key shown once at registration>`. A missing or unknown key → 401."""

    param_name = "X-Device-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> AttendanceDevice:
        device = device_for_key(key or "")
        if device is None:
            raise NotAuthenticated("设备密钥缺失或无效")
        return device


class CheckInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    serial: str = Field(max_length=64, description="设备编号")
    id_number: str = Field(max_length=32, description="学员身份证号（设备人脸/指纹库的索引）")
    class_code: str = Field(max_length=20, description="班级编号")
    occurred_at: dt.datetime = Field(description="签到时间；不带时区时按北京时间")
    method: str = Field(description="face（人脸识别）或 fingerprint（指纹）")
    match_score: Decimal = Field(max_digits=5, decimal_places=2, description="设备比对得分 0–100")


class CheckInOut(Schema):
    id: int
    class_code: str
    enrolment_id: int
    occurred_at: dt.datetime
    method: str
    match_score: Decimal | None
    replay: bool


class ManualCheckInIn(Schema):
    enrolment_id: int
    occurred_at: dt.datetime
    reason: str


class RecordOut(Schema):
    id: int
    enrolment_id: int
    occurred_at: dt.datetime
    method: str
    manual_reason: str


class HoursOut(Schema):
    enrolment_id: int
    person_id: int
    name: str
    status: str
    attended_hours: int
    required_hours: int
    meets_minimum: bool


class SpotCheckIn(Schema):
    checked_on: dt.date
    mode: str
    present_count: int = Field(ge=0)
    findings: str
    outcome: str


class SpotCheckOut(Schema):
    id: int
    checked_on: dt.date
    mode: str
    present_count: int
    findings: str
    outcome: str
    reviewer: str


class SpotChecksOut(Schema):
    count: int
    minimum: int
    enough: bool
    items: list[SpotCheckOut]


class AnomalyOut(Schema):
    id: int
    class_id: int
    class_code: str
    kind: str
    day: dt.date
    person_id: int | None
    device_id: int | None
    detail: dict[str, Any]
    status: str
    resolution_note: str


class ResolveIn(Schema):
    status: str
    note: str


class ScanOut(Schema):
    added: int


class DeviceIn(Schema):
    institution_id: int
    serial: str
    name: str
    method: str


class DeviceOut(Schema):
    id: int
    institution_id: int
    serial: str
    name: str
    method: str
    is_active: bool


class DeviceCreatedOut(DeviceOut):
    key: str = Field(description="设备密钥，仅此一次显示")


class DeactivateIn(Schema):
    reason: str


def _check_in_out(record: AttendanceRecord, replay: bool) -> dict[str, Any]:
    return {
        "id": record.pk,
        "class_code": record.training_class.code,
        "enrolment_id": record.enrolment_id,
        "occurred_at": record.occurred_at,
        "method": record.method,
        "match_score": record.match_score,
        "replay": replay,
    }


def _device_out(device: AttendanceDevice) -> dict[str, Any]:
    return {name: getattr(device, name) for name in DeviceOut.model_fields}


def _anomaly_out(flag: Any) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "class_id": flag.training_class_id,
        "class_code": flag.training_class.code,
        "kind": flag.kind,
        "day": flag.day,
        "person_id": flag.person_id,
        "device_id": flag.device_id,
        "detail": flag.detail,
        "status": flag.status,
        "resolution_note": flag.resolution_note,
    }


def _spot_check_out(check: Any) -> dict[str, Any]:
    fields = ("id", "checked_on", "mode", "present_count", "findings", "outcome")
    return {
        **{name: getattr(check, name) for name in fields},
        "reviewer": check.reviewer.display_name or check.reviewer.username,
    }


def _readable(request: HttpRequest) -> Any:
    if not has_capability(request.user, "training.read"):
        raise PermissionDenied()
    return request.user


@router.post("/attendance", auth=DeviceKey(), response={200: CheckInOut, 201: CheckInOut}, tags=["考勤设备"])
def post_attendance(request: HttpRequest, payload: CheckInIn) -> Any:
    """A device check-in (附件2 3.2 "每日组织学员签到(人脸识别或指纹考勤)")."""
    record, created = attendance.attendance_record_device(
        device=request.auth,  # type: ignore[attr-defined]
        serial=payload.serial,
        id_number=payload.id_number,
        class_code=payload.class_code,
        occurred_at=payload.occurred_at,
        method=payload.method,
        match_score=payload.match_score,
    )
    return Status(201 if created else 200, _check_in_out(record, replay=not created))


@router.post("/training/classes/{class_id}/manual-check-ins", response={201: RecordOut})
def post_manual_check_in(request: HttpRequest, class_id: int, payload: ManualCheckInIn) -> Any:
    training_class = class_get(_readable(request), class_id)
    enrolment = training_class.enrolments.filter(pk=payload.enrolment_id).first()
    if enrolment is None:
        raise DomainError("unknown_enrolment", "该学员不在本班花名册中")
    record = attendance.attendance_record_manual(
        actor=request.user, enrolment=enrolment, occurred_at=payload.occurred_at, reason=payload.reason
    )
    return Status(201, record)


@router.get("/training/classes/{class_id}/attended-hours", response=list[HoursOut])
def get_attended_hours(request: HttpRequest, class_id: int) -> Any:
    """Each trainee's attended class hours against the class minimum (closing refuses fewer)."""
    training_class = class_get(_readable(request), class_id)
    return [
        {
            "enrolment_id": row.enrolment.pk,
            "person_id": row.enrolment.person_id,
            "name": row.enrolment.person.name,
            "status": row.enrolment.status,
            "attended_hours": row.attended_hours,
            "required_hours": row.required_hours,
            "meets_minimum": row.meets_minimum,
        }
        for row in hours_table(training_class)
    ]


@router.get("/training/classes/{class_id}/spot-checks", response=SpotChecksOut)
def get_spot_checks(request: HttpRequest, class_id: int) -> Any:
    training_class = class_get(_readable(request), class_id)
    items = [_spot_check_out(c) for c in spot_check_list(training_class)]
    return {
        "count": len(items),
        "minimum": SPOT_CHECKS_MIN,
        "enough": len(items) >= SPOT_CHECKS_MIN,
        "items": items,
    }


@router.post("/training/classes/{class_id}/spot-checks", response={201: SpotCheckOut})
def post_spot_check(request: HttpRequest, class_id: int, payload: SpotCheckIn) -> Any:
    training_class = class_get(_readable(request), class_id)
    check = spot_checks.spot_check_record(actor=request.user, training_class=training_class, **payload.dict())
    return Status(201, _spot_check_out(check))


@router.post("/training/classes/{class_id}/anomaly-scan", response=ScanOut)
def post_anomaly_scan(request: HttpRequest, class_id: int) -> Any:
    training_class = class_get(_readable(request), class_id)
    return {"added": len(anomalies.anomaly_scan(actor=request.user, training_class=training_class))}


@router.get("/training/anomalies", response=list[AnomalyOut])
def get_anomalies(request: HttpRequest, status: str = "open") -> Any:
    """The reviewer's queue of attendance anomalies (open ones unless `status` says otherwise)."""
    if not has_capability(request.user, "training.review"):
        raise PermissionDenied()
    return [_anomaly_out(flag) for flag in anomaly_queue(request.user, status=status)[:500]]


@router.post("/training/anomalies/{flag_id}/resolve", response=AnomalyOut)
def resolve_anomaly(request: HttpRequest, flag_id: int, payload: ResolveIn) -> Any:
    if not has_capability(request.user, "training.review"):
        raise PermissionDenied()
    flag = anomalies.anomaly_resolve(
        actor=request.user, flag=anomaly_get(request.user, flag_id), status=payload.status, note=payload.note
    )
    return _anomaly_out(flag)


@router.get("/training/devices", response=list[DeviceOut])
def get_devices(request: HttpRequest) -> Any:
    if not has_capability(request.user, "training.devices"):
        raise PermissionDenied()
    return [_device_out(d) for d in device_list(request.user)]


@router.post("/training/devices", response={201: DeviceCreatedOut})
def post_device(request: HttpRequest, payload: DeviceIn) -> Any:
    institution = Institution.objects.filter(pk=payload.institution_id).first()
    if institution is None:
        raise DomainError("unknown_institution", "培训机构不存在")
    device, key = attendance.device_register(
        actor=request.user,
        institution=institution,
        serial=payload.serial,
        name=payload.name,
        method=payload.method,
    )
    return Status(201, {**_device_out(device), "key": key})


@router.post("/training/devices/{device_id}/deactivate", response=DeviceOut)
def deactivate_device(request: HttpRequest, device_id: int, payload: DeactivateIn) -> Any:
    if not has_capability(request.user, "training.devices"):
        raise PermissionDenied()
    device = attendance.device_deactivate(
        actor=request.user, device=device_get(request.user, device_id), reason=payload.reason
    )
    return _device_out(device)
