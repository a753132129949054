"""培训合格证 number ranges (新民社发〔2025〕13号 附件4, "号段不足时可申请增加").

- `number_ranges_load_reference`: the 附件4 ranges for 2025 from data/certificate_number_ranges.yaml
  (idempotent; the command `certificate_ranges_load` and the demo call it).
- `number_range_add`: a bureau admin adds an approved range (another unit, column or year).
- `number_range_request`: a unit's reviewer (or a bureau admin) asks for more numbers; it waits as
  "待批准" until `number_range_decide`, by a bureau admin, approves or refuses it.

No two live ranges of the same width overlap anywhere in the jurisdiction (see `numbering`); the
jurisdiction row is locked while checking, so two concurrent additions cannot both pass the check.
Numbers are taken from the ranges by `numbering.allocate`, inside the closing (services/closing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjiang.core.audit import audit_record, record_create, record_update, snapshot
from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError, PermissionDenied
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import require, require_jurisdiction, role_of
from gongjiang.core.validation import validated
from gongjiang.registry.models import ServiceUnit

from ..choices import NumberRangeStatus
from ..models import CertificateNumberRange
from ..numbering import RANGE_CATEGORIES, category_label, overlapping, parse_bounds, read_ranges_file

MIN_YEAR, MAX_YEAR = 2000, 2100


def _checked_range(
    *,
    jurisdiction: Jurisdiction,
    service_unit: ServiceUnit,
    category: str,
    year: int,
    first: str,
    last: str,
    exclude_pk: int | None = None,
) -> tuple[int, int, int]:
    if service_unit.jurisdiction_id != jurisdiction.pk:
        raise DomainError("wrong_jurisdiction", "单位不在该辖区")
    if category not in RANGE_CATEGORIES:
        raise DomainError(
            "invalid_category", "号段类别须为 就业技能培训、岗位技能培训 或 创业培训（附件4 的三列）"
        )
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise DomainError("invalid_year", f"年度须在 {MIN_YEAR}—{MAX_YEAR} 之间")
    low, high, width = parse_bounds(first, last)
    clash = overlapping(jurisdiction.pk, width, low, high, exclude_pk=exclude_pk)
    if clash is not None:
        raise DomainError(
            "range_overlap",
            f"号段 {first}—{last} 与 {clash.year} 年{clash.service_unit.name}"
            f"{category_label(clash.category)}号段 {clash.format(clash.first_value)}—"
            f"{clash.format(clash.last_value)}（{clash.get_status_display()}）重叠：证书编号终身唯一，号段不能重叠",
        )
    return low, high, width


def _lock_jurisdiction(jurisdiction: Jurisdiction) -> None:
    Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).first()


def _save_range(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    service_unit: ServiceUnit,
    category: str,
    year: int,
    first: str,
    last: str,
    citation: str,
    status: str,
    reason: str = "",
    event_type: str,
) -> CertificateNumberRange:
    _lock_jurisdiction(jurisdiction)
    low, high, width = _checked_range(
        jurisdiction=jurisdiction,
        service_unit=service_unit,
        category=category,
        year=year,
        first=first,
        last=last,
    )
    approved = status == NumberRangeStatus.APPROVED
    number_range = CertificateNumberRange(
        jurisdiction=jurisdiction,
        service_unit=service_unit,
        category=category,
        year=int(year),
        width=width,
        first_value=low,
        last_value=high,
        next_value=low,
        status=status,
        citation=citation.strip()[:120],
        reason=reason.strip()[:200],
        requested_by=actor if getattr(actor, "pk", None) else None,
        decided_by=actor if approved and getattr(actor, "pk", None) else None,
        decided_at=timezone.now() if approved else None,
    )
    validated(number_range)
    number_range.save()
    record_create(number_range, actor=actor, event_type=event_type, reason=reason)
    return number_range


@transaction.atomic
def number_range_add(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    service_unit: ServiceUnit,
    category: str,
    year: int,
    first: str,
    last: str,
    citation: str,
) -> CertificateNumberRange:
    """A bureau admin adds an approved range, with its basis (a document and clause)."""
    require(actor, "training.number_ranges_approve")
    require_jurisdiction(actor, jurisdiction.pk)
    if not citation.strip():
        raise DomainError("citation_required", "须填写号段依据（文件及条款）")
    return _save_range(
        actor=actor,
        jurisdiction=jurisdiction,
        service_unit=service_unit,
        category=category,
        year=year,
        first=first,
        last=last,
        citation=citation,
        status=NumberRangeStatus.APPROVED,
        event_type="number_range_added",
    )


@transaction.atomic
def number_range_request(
    *,
    actor: Any,
    service_unit: ServiceUnit,
    category: str,
    year: int,
    first: str,
    last: str,
    reason: str,
) -> CertificateNumberRange:
    """附件4 注 "号段不足时可申请增加": the unit asks for a further range; a bureau admin decides."""
    require(actor, "training.number_ranges")
    jurisdiction = service_unit.jurisdiction
    require_jurisdiction(actor, jurisdiction.pk)
    own_unit = getattr(actor, "service_unit_id", None)
    if role_of(actor) == Role.CENTRE_REVIEWER and own_unit and own_unit != service_unit.pk:
        raise PermissionDenied("只能为本单位申请增加号段")
    if not reason.strip():
        raise DomainError("reason_required", "申请增加号段须填写理由")
    return _save_range(
        actor=actor,
        jurisdiction=jurisdiction,
        service_unit=service_unit,
        category=category,
        year=year,
        first=first,
        last=last,
        citation="新民社发〔2025〕13号 附件4 注：号段不足时可申请增加",
        status=NumberRangeStatus.REQUESTED,
        reason=reason,
        event_type="number_range_requested",
    )


@transaction.atomic
def number_range_decide(
    *, actor: Any, number_range: CertificateNumberRange, approve: bool, note: str = ""
) -> CertificateNumberRange:
    """Approve (the range becomes usable at once) or refuse, with a reason, a requested range."""
    require(actor, "training.number_ranges_approve")
    require_jurisdiction(actor, number_range.jurisdiction_id)
    _lock_jurisdiction(number_range.jurisdiction)
    locked = CertificateNumberRange.objects.select_for_update().get(pk=number_range.pk)
    if locked.status != NumberRangeStatus.REQUESTED:
        raise DomainError("not_requested", f"该号段当前为“{locked.get_status_display()}”，不在待批准状态")
    if not approve and not note.strip():
        raise DomainError("reason_required", "不予批准须填写理由")
    if approve:
        _checked_range(
            jurisdiction=locked.jurisdiction,
            service_unit=locked.service_unit,
            category=locked.category,
            year=locked.year,
            first=locked.format(locked.first_value),
            last=locked.format(locked.last_value),
            exclude_pk=locked.pk,
        )
    before = snapshot(locked)
    locked.status = NumberRangeStatus.APPROVED if approve else NumberRangeStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    record_update(
        locked,
        before,
        actor=actor,
        event_type="number_range_approved" if approve else "number_range_refused",
        reason=note.strip(),
        action="transition",
    )
    return locked


@dataclass(frozen=True)
class LoadSummary:
    created: int
    kept: int


@transaction.atomic
def number_ranges_load_reference(*, actor: Any, jurisdiction: Jurisdiction) -> LoadSummary:
    """Load the 附件4 ranges (data/certificate_number_ranges.yaml) for the jurisdiction it names.

    Idempotent: a range already there with the same unit, column, year and bounds is kept. Runs as
    bootstrap (`actor=None`) from the command; a bureau admin otherwise."""
    if actor is not None:
        require(actor, "training.number_ranges_approve")
        require_jurisdiction(actor, jurisdiction.pk)
    data = read_ranges_file()
    if data.jurisdiction != jurisdiction.code:
        raise DomainError("no_reference_ranges", f"辖区“{jurisdiction.name}”没有内置的培训合格证号段")
    created = kept = 0
    for row in data.ranges:
        unit = ServiceUnit.objects.filter(jurisdiction=jurisdiction, code=row.unit).first()
        if unit is None:
            raise DomainError("unknown_unit", f"号段文件中的单位“{row.unit}”在{jurisdiction.name}不存在")
        low, high, width = parse_bounds(row.first, row.last)
        exists = CertificateNumberRange.objects.filter(
            jurisdiction=jurisdiction,
            service_unit=unit,
            category=row.category,
            year=row.year,
            width=width,
            first_value=low,
            last_value=high,
        ).exists()
        if exists:
            kept += 1
            continue
        _save_range(
            actor=actor,
            jurisdiction=jurisdiction,
            service_unit=unit,
            category=row.category,
            year=row.year,
            first=row.first,
            last=row.last,
            citation=data.citation,
            status=NumberRangeStatus.APPROVED,
            event_type="number_range_loaded",
        )
        created += 1
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="import",
        event_type="number_ranges_reference_loaded",
        after={"document": data.document, "created": created, "kept": kept},
        jurisdiction_id=jurisdiction.pk,
    )
    return LoadSummary(created, kept)
