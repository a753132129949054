"""Writes of the catalog: occupations and their A/B/C/D class, the shortage directory, imports.

Only a bureau admin (`catalog.manage`) changes the catalog, and only for their own jurisdictions;
`actor=None` is accepted by `catalog_load_reference` alone, for bootstrap (the `catalog_load`
command and the demo loader). Every function is atomic and writes its audit events in the same
transaction; the imports check every row first and write nothing when one row is bad.

The shortage directory (急需紧缺职业(工种)指导目录) is kept as dated entries so that the policy engine
can ask what was in force on the day a class started; entries of one occupation in one
jurisdiction never overlap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongjiang.core.audit import audit_record, diff, snapshot
from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import jurisdiction_ids, require, require_jurisdiction
from gongjiang.core.spreadsheets import read_table, require_columns
from gongjiang.core.validation import validated

from .choices import SubsidyClass
from .importing import (
    OCCUPATION_COLUMNS,
    SHORTAGE_COLUMNS,
    OccupationRow,
    ShortageRow,
    occupation_rows,
    periods_overlap,
    shortage_rows,
)
from .models import (
    CertificateType,
    Occupation,
    OccupationClass,
    ShortageOccupationEntry,
    SkillLevel,
    StartupCourse,
)
from .reference import load_reference

MANAGE = "catalog.manage"
CITATION_MAX = 120


@dataclass(frozen=True)
class LoadSummary:
    occupations_created: int = 0
    classes_created: int = 0
    startup_courses_created: int = 0
    certificate_types_created: int = 0
    skill_levels_created: int = 0


@dataclass(frozen=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _require_manager(actor: Any, jurisdiction: Jurisdiction | None = None) -> None:
    require(actor, MANAGE)
    if jurisdiction is not None:
        require_jurisdiction(actor, jurisdiction.pk)


def _audit_jurisdiction(actor: Any, jurisdiction: Jurisdiction | None) -> int | None:
    """Occupations are national; their events are filed under the acting admin's jurisdiction so
    that the jurisdiction's auditor sees them."""
    if jurisdiction is not None:
        return jurisdiction.pk
    ids = jurisdiction_ids(actor)
    return ids[0] if ids else None


def _audit_create(
    instance: Any, *, actor: Any, event_type: str, jurisdiction: Jurisdiction | None = None, reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        obj=instance,
        action="create",
        event_type=event_type,
        after=snapshot(instance),
        reason=reason,
        jurisdiction_id=_audit_jurisdiction(actor, jurisdiction),
    )


def _audit_update(
    instance: Any,
    before: dict[str, Any],
    *,
    actor: Any,
    event_type: str,
    jurisdiction: Jurisdiction | None = None,
    reason: str = "",
    always: bool = False,
) -> bool:
    """Audit the changed fields; returns whether anything changed. `always` records a no-op request too."""
    old, new = diff(before, snapshot(instance))
    if old or new or always:
        audit_record(
            actor=actor,
            obj=instance,
            action="update",
            event_type=event_type,
            before=old,
            after=new,
            reason=reason,
            jurisdiction_id=_audit_jurisdiction(actor, jurisdiction),
        )
    return bool(old or new)


def _check_class(subsidy_class: str) -> None:
    if subsidy_class not in SubsidyClass.values:
        raise DomainError("invalid_subsidy_class", f"职业类别应为 A、B、C、D 之一，实际为“{subsidy_class}”")


# --- reference data -------------------------------------------------------------------------


def _create_audited(
    instance: Any,
    *,
    actor: Any,
    event_type: str,
    reason: str,
    jurisdiction_id: int | None,
    known_unique: bool = False,
) -> None:
    """Validate, save and audit one new reference row. `known_unique`: the caller has already
    checked the unique fields against rows it preloaded, so `full_clean` need not query each one."""
    if known_unique:
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError:
            validated(instance)
    else:
        validated(instance)
    instance.save()
    audit_record(
        actor=actor,
        obj=instance,
        action="create",
        event_type=event_type,
        after=snapshot(instance),
        reason=reason,
        jurisdiction_id=jurisdiction_id,
    )


@transaction.atomic
def catalog_load_reference(*, actor: Any, jurisdiction: Jurisdiction) -> LoadSummary:
    """Load a jurisdiction's built-in reference file (兰州新区: 新民社发〔2025〕13号).

    Idempotent: rows that already exist are kept as they are, including any change the bureau
    made since (a reload never overwrites the bureau's own maintenance). Each created row gets its
    audit event, and one summary event on the jurisdiction records the run itself.
    """
    if actor is not None:
        _require_manager(actor, jurisdiction)
    data = load_reference(jurisdiction.code)
    reason = f"{data.document} 参考数据"
    jid = jurisdiction.pk
    counts = dict.fromkeys(asdict(LoadSummary()), 0)

    # Preloaded once: 337 occupations would otherwise cost two look-ups each.
    occupations = {o.name: o for o in Occupation.objects.select_for_update()}
    classified = set(
        OccupationClass.objects.filter(jurisdiction=jurisdiction).values_list("occupation_id", flat=True)
    )
    for item in data.occupations:
        occupation = occupations.get(item.name)
        if occupation is None:
            occupation = Occupation(
                name=item.name,
                is_digital=item.is_digital,
                is_green=item.is_green,
                is_special_ability_item=item.is_special_ability_item,
            )
            _create_audited(
                occupation,
                actor=actor,
                event_type="occupation_created",
                reason=reason,
                jurisdiction_id=jid,
                known_unique=True,
            )
            occupations[item.name] = occupation
            counts["occupations_created"] += 1
        if occupation.pk not in classified:
            row = OccupationClass(
                jurisdiction=jurisdiction,
                occupation=occupation,
                subsidy_class=item.subsidy_class,
                citation=item.citation,
            )
            _create_audited(
                row,
                actor=actor,
                event_type="occupation_class_set",
                reason=reason,
                jurisdiction_id=jid,
                known_unique=True,
            )
            classified.add(occupation.pk)
            counts["classes_created"] += 1

    for course in data.startup_courses:
        if not StartupCourse.objects.filter(code=course.code).exists():
            obj = StartupCourse(
                code=course.code,
                name=course.name,
                min_class_hours=course.min_class_hours,
                min_days=course.min_days,
            )
            _create_audited(
                obj, actor=actor, event_type="startup_course_created", reason=reason, jurisdiction_id=jid
            )
            counts["startup_courses_created"] += 1

    for certificate in data.certificate_types:
        if not CertificateType.objects.filter(code=certificate.code).exists():
            cert = CertificateType(code=certificate.code, name=certificate.name)
            _create_audited(
                cert, actor=actor, event_type="certificate_type_created", reason=reason, jurisdiction_id=jid
            )
            counts["certificate_types_created"] += 1

    for level in data.skill_levels:
        if not SkillLevel.objects.filter(code=level.code).exists():
            skill = SkillLevel(code=level.code, name=level.name, alias=level.alias, rank=level.rank)
            _create_audited(
                skill, actor=actor, event_type="skill_level_created", reason=reason, jurisdiction_id=jid
            )
            counts["skill_levels_created"] += 1

    summary = LoadSummary(**counts)
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="import",
        event_type="catalog_reference_loaded",
        after=asdict(summary),
        reason=reason,
        jurisdiction_id=jid,
    )
    return summary


# --- occupations and their class ------------------------------------------------------------


@transaction.atomic
def occupation_create(
    *,
    actor: Any,
    name: str,
    is_digital: bool = False,
    is_green: bool = False,
    is_special_ability_item: bool = False,
) -> Occupation:
    _require_manager(actor)
    name = name.strip()
    if Occupation.objects.filter(name=name).exists():
        raise DomainError("duplicate_occupation", f"职业“{name}”已存在")
    occupation = Occupation(
        name=name, is_digital=is_digital, is_green=is_green, is_special_ability_item=is_special_ability_item
    )
    validated(occupation)
    occupation.save()
    _audit_create(occupation, actor=actor, event_type="occupation_created")
    return occupation


@transaction.atomic
def occupation_update(
    *,
    actor: Any,
    occupation: Occupation,
    name: str | None = None,
    is_digital: bool | None = None,
    is_green: bool | None = None,
    is_special_ability_item: bool | None = None,
    is_active: bool | None = None,
    reason: str = "",
) -> Occupation:
    """Change the given fields (`None` keeps a field). Renaming checks the new name is free."""
    _require_manager(actor)
    occupation = Occupation.objects.select_for_update().get(pk=occupation.pk)
    before = snapshot(occupation)
    if name is not None:
        name = name.strip()
        if Occupation.objects.filter(name=name).exclude(pk=occupation.pk).exists():
            raise DomainError("duplicate_occupation", f"职业“{name}”已存在")
        occupation.name = name
    changes = {
        "is_digital": is_digital,
        "is_green": is_green,
        "is_special_ability_item": is_special_ability_item,
        "is_active": is_active,
    }
    for field_name, value in changes.items():
        if value is not None:
            setattr(occupation, field_name, value)
    validated(occupation)
    occupation.save()
    # always=True: even a request that changed nothing is on record.
    _audit_update(
        occupation, before, actor=actor, event_type="occupation_updated", reason=reason, always=True
    )
    return occupation


def _class_set(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    occupation: Occupation,
    subsidy_class: str,
    citation: str,
    always_audit: bool = False,
) -> OccupationClass:
    """Create or change one class row, auditing the change."""
    row = (
        OccupationClass.objects.select_for_update()
        .filter(jurisdiction=jurisdiction, occupation=occupation)
        .first()
    )
    if row is None:
        row = OccupationClass(
            jurisdiction=jurisdiction, occupation=occupation, subsidy_class=subsidy_class, citation=citation
        )
        validated(row)
        row.save()
        _audit_create(row, actor=actor, event_type="occupation_class_set", jurisdiction=jurisdiction)
        return row
    before = snapshot(row)
    row.subsidy_class = subsidy_class
    row.citation = citation
    validated(row)
    row.save()
    _audit_update(
        row,
        before,
        actor=actor,
        event_type="occupation_class_set",
        jurisdiction=jurisdiction,
        always=always_audit,
    )
    return row


@transaction.atomic
def occupation_class_set(
    *, actor: Any, jurisdiction: Jurisdiction, occupation: Occupation, subsidy_class: str, citation: str
) -> OccupationClass:
    """Put an occupation in class A/B/C/D for one jurisdiction, citing the document that says so."""
    _require_manager(actor, jurisdiction)
    _check_class(subsidy_class)
    if not citation.strip():
        raise DomainError("citation_required", "设置职业类别必须填写依据（文号及附件）")
    return _class_set(
        actor=actor,
        jurisdiction=jurisdiction,
        occupation=occupation,
        subsidy_class=subsidy_class,
        citation=citation.strip(),
        always_audit=True,
    )


# --- the shortage directory -----------------------------------------------------------------


def _overlapping(
    *,
    jurisdiction: Jurisdiction,
    occupation: Occupation,
    valid_from: dt.date,
    valid_to: dt.date | None,
    exclude_pk: int | None = None,
) -> ShortageOccupationEntry | None:
    entries = ShortageOccupationEntry.objects.filter(jurisdiction=jurisdiction, occupation=occupation)
    if exclude_pk is not None:
        entries = entries.exclude(pk=exclude_pk)
    for entry in entries:
        if periods_overlap(valid_from, valid_to, entry.valid_from, entry.valid_to):
            return entry
    return None


def _period_text(valid_from: dt.date, valid_to: dt.date | None) -> str:
    return f"{valid_from.isoformat()} 至 {valid_to.isoformat() if valid_to else '长期'}"


@transaction.atomic
def shortage_entry_add(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    occupation: Occupation,
    valid_from: dt.date,
    valid_to: dt.date | None,
    source: str,
) -> ShortageOccupationEntry:
    """Put an occupation in the directory for a period; periods of one occupation never overlap."""
    _require_manager(actor, jurisdiction)
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("invalid_period", "截止日期不能早于起始日期")
    if not source.strip():
        raise DomainError("source_required", "必须填写目录来源（文件名称或文号）")
    # Lock the occupation so two concurrent additions cannot both pass the overlap check.
    occupation = Occupation.objects.select_for_update().get(pk=occupation.pk)
    clash = _overlapping(
        jurisdiction=jurisdiction, occupation=occupation, valid_from=valid_from, valid_to=valid_to
    )
    if clash is not None:
        raise DomainError(
            "overlapping_period",
            f"“{occupation.name}”在 {_period_text(clash.valid_from, clash.valid_to)} 已列入急需紧缺职业目录，"
            "与新增期间重叠",
        )
    entry = ShortageOccupationEntry(
        jurisdiction=jurisdiction,
        occupation=occupation,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source.strip(),
    )
    validated(entry)
    entry.save()
    _audit_create(entry, actor=actor, event_type="shortage_entry_added", jurisdiction=jurisdiction)
    return entry


@transaction.atomic
def shortage_entry_end(
    *, actor: Any, entry: ShortageOccupationEntry, valid_to: dt.date, reason: str = ""
) -> ShortageOccupationEntry:
    """Set the last day an entry is in force (the occupation left the directory)."""
    _require_manager(actor, entry.jurisdiction)
    entry = ShortageOccupationEntry.objects.select_for_update().get(pk=entry.pk)
    if valid_to < entry.valid_from:
        raise DomainError("invalid_period", "截止日期不能早于起始日期")
    clash = _overlapping(
        jurisdiction=entry.jurisdiction,
        occupation=entry.occupation,
        valid_from=entry.valid_from,
        valid_to=valid_to,
        exclude_pk=entry.pk,
    )
    if clash is not None:
        raise DomainError(
            "overlapping_period",
            f"新的截止日期与 {_period_text(clash.valid_from, clash.valid_to)} 的目录条目重叠",
        )
    before = snapshot(entry)
    entry.valid_to = valid_to
    validated(entry)
    entry.save()
    _audit_update(
        entry,
        before,
        actor=actor,
        event_type="shortage_entry_ended",
        jurisdiction=entry.jurisdiction,
        reason=reason,
        always=True,
    )
    return entry


# --- spreadsheet imports --------------------------------------------------------------------


def _import_citation(filename: str) -> str:
    return f"导入文件 {filename}"[:CITATION_MAX]


def _apply_occupation_row(
    *, actor: Any, jurisdiction: Jurisdiction, row: OccupationRow, citation: str
) -> str:
    """Write one checked row; returns "created", "updated" or "unchanged"."""
    occupation = Occupation.objects.select_for_update().filter(name=row.name).first()
    outcome = "unchanged"
    if occupation is None:
        occupation = Occupation(name=row.name, is_digital=row.is_digital, is_green=row.is_green)
        validated(occupation)
        occupation.save()
        _audit_create(
            occupation,
            actor=actor,
            event_type="occupation_created",
            jurisdiction=jurisdiction,
            reason=citation,
        )
        outcome = "created"
    elif (occupation.is_digital, occupation.is_green) != (row.is_digital, row.is_green):
        before = snapshot(occupation)
        occupation.is_digital, occupation.is_green = row.is_digital, row.is_green
        validated(occupation)
        occupation.save()
        _audit_update(
            occupation,
            before,
            actor=actor,
            event_type="occupation_updated",
            jurisdiction=jurisdiction,
            reason=citation,
        )
        outcome = "updated"
    current = OccupationClass.objects.filter(jurisdiction=jurisdiction, occupation=occupation).first()
    if current is None or current.subsidy_class != row.subsidy_class:
        _class_set(
            actor=actor,
            jurisdiction=jurisdiction,
            occupation=occupation,
            subsidy_class=row.subsidy_class,
            citation=citation,
        )
        if outcome == "unchanged":
            outcome = "updated"
    return outcome


@transaction.atomic
def catalog_import_occupations(
    *, actor: Any, jurisdiction: Jurisdiction, filename: str, data: bytes
) -> ImportSummary:
    """Import 职业目录 rows: create missing occupations, update flags and the jurisdiction's class.

    All rows are checked first; any bad row → `ImportRejected` listing every problem, nothing written.
    """
    _require_manager(actor, jurisdiction)
    header, rows = read_table(filename, data)
    require_columns(header, OCCUPATION_COLUMNS)
    parsed, errors = occupation_rows(rows)
    if errors:
        raise ImportRejected(errors.sorted())
    if not parsed:
        raise DomainError("empty_file", "文件中没有数据行")
    citation = _import_citation(filename)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in parsed:
        outcome = _apply_occupation_row(actor=actor, jurisdiction=jurisdiction, row=row, citation=citation)
        counts[outcome] += 1
    summary = ImportSummary(**counts)
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="import",
        event_type="catalog_occupations_imported",
        after={"filename": filename, "rows": len(parsed), **asdict(summary)},
        jurisdiction_id=jurisdiction.pk,
    )
    return summary


def _check_shortage_against_database(
    jurisdiction: Jurisdiction, parsed: list[ShortageRow]
) -> tuple[list[tuple[ShortageRow, Occupation]], list[dict[str, Any]], int]:
    """Known occupation, no overlap in the file or with stored entries. Exact repeats are skipped."""
    errors: list[dict[str, Any]] = []
    ready: list[tuple[ShortageRow, Occupation]] = []
    repeats = 0
    occupations = {o.name: o for o in Occupation.objects.filter(name__in=[r.name for r in parsed])}
    accepted: dict[str, list[ShortageRow]] = {}
    for row in parsed:
        occupation = occupations.get(row.name)
        if occupation is None:
            errors.append(
                {
                    "row": row.row,
                    "column": "职业名称",
                    "message": f"职业目录中没有“{row.name}”，请先导入职业目录",
                }
            )
            continue
        same_file = next(
            (
                other
                for other in accepted.get(row.name, [])
                if periods_overlap(row.valid_from, row.valid_to, other.valid_from, other.valid_to)
            ),
            None,
        )
        if same_file is not None:
            errors.append(
                {"row": row.row, "column": "起始日期", "message": f"与第 {same_file.row} 行的期间重叠"}
            )
            continue
        accepted.setdefault(row.name, []).append(row)
        stored = _overlapping(
            jurisdiction=jurisdiction, occupation=occupation, valid_from=row.valid_from, valid_to=row.valid_to
        )
        if stored is None:
            ready.append((row, occupation))
        elif (stored.valid_from, stored.valid_to, stored.source) == (
            row.valid_from,
            row.valid_to,
            row.source,
        ):
            repeats += 1
        else:
            errors.append(
                {
                    "row": row.row,
                    "column": "起始日期",
                    "message": f"与已有条目 {_period_text(stored.valid_from, stored.valid_to)} 重叠",
                }
            )
    return ready, errors, repeats


@transaction.atomic
def shortage_import(*, actor: Any, jurisdiction: Jurisdiction, filename: str, data: bytes) -> ImportSummary:
    """Import 急需紧缺职业 entries; a row identical to a stored entry counts as unchanged."""
    _require_manager(actor, jurisdiction)
    header, rows = read_table(filename, data)
    require_columns(header, SHORTAGE_COLUMNS)
    parsed, row_errors = shortage_rows(rows)
    ready, db_errors, repeats = _check_shortage_against_database(jurisdiction, parsed)
    errors = row_errors.items + db_errors
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e["row"], e["column"])))
    if not parsed:
        raise DomainError("empty_file", "文件中没有数据行")
    for row, occupation in ready:
        entry = ShortageOccupationEntry(
            jurisdiction=jurisdiction,
            occupation=occupation,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            source=row.source,
        )
        validated(entry)
        entry.save()
        _audit_create(
            entry,
            actor=actor,
            event_type="shortage_entry_added",
            jurisdiction=jurisdiction,
            reason=_import_citation(filename),
        )
    summary = ImportSummary(created=len(ready), unchanged=repeats)
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="import",
        event_type="shortage_entries_imported",
        after={"filename": filename, "rows": len(parsed), **asdict(summary)},
        jurisdiction_id=jurisdiction.pk,
    )
    return summary
