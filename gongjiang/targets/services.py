"""Writes of the targets app: task tables, goals, and the skill-upgrade subsidy recipients.

Only a bureau admin (`targets.manage`) writes, and only for their own jurisdictions; `actor=None` is
accepted by `targets_load_reference` alone (bootstrap: the `targets_load` command and the demo).
Every function is atomic, validates everything before the first write, and records its audit
events in the same transaction; an import with one bad row writes nothing (`ImportRejected`).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction

from gongjiang.core.audit import audit_record, record_create, snapshot
from gongjiang.core.errors import DomainError, ImportRejected
from gongjiang.core.models import Jurisdiction
from gongjiang.core.permissions import require, require_jurisdiction
from gongjiang.core.pii import encrypt, keyed_hash, mask_id_number
from gongjiang.core.spreadsheets import read_table, require_columns
from gongjiang.core.validation import validated
from gongjiang.registry.models import Person, ServiceUnit

from .choices import COLUMN_ORDER, TableSource, TargetColumn
from .imports import (
    RECIPIENT_COLUMNS,
    TABLE_COLUMNS,
    Figures,
    figure_problems,
    recipient_rows,
    table_rows,
)
from .models import RecipientImport, SkillUpgradeRecipient, TargetCell, TargetGoal, TargetTable
from .reference import TableData, load_targets

MANAGE = "targets.manage"


@dataclass(frozen=True)
class LoadSummary:
    tables_created: int = 0
    tables_kept: int = 0
    goals_created: int = 0
    goals_kept: int = 0


def _require_manager(actor: Any, jurisdiction: Jurisdiction) -> None:
    require(actor, MANAGE)
    require_jurisdiction(actor, jurisdiction.pk)


def _grid(table: TargetTable) -> dict[str, dict[str, int | None]]:
    """A table's cells as {unit id: {column: value}} (string keys: it goes into the audit JSON)."""
    grid: dict[str, dict[str, int | None]] = {}
    for cell in table.cells.order_by("service_unit_id", "column"):
        grid.setdefault(str(cell.service_unit_id), {})[cell.column] = cell.value
    return grid


def _write_cells(table: TargetTable, figures: dict[int, Figures]) -> None:
    """Make the table's cells exactly `figures` (unit rows not given are removed)."""
    table.cells.exclude(service_unit_id__in=list(figures)).delete()
    existing = {(c.service_unit_id, c.column): c for c in table.cells.all()}
    for unit_id, row in figures.items():
        for column in COLUMN_ORDER:
            cell = existing.get((unit_id, column))
            value = row.get(column)
            if cell is None:
                cell = TargetCell(table=table, service_unit_id=unit_id, column=column, value=value)
                validated(cell)
                cell.save()
            elif cell.value != value:
                cell.value = value
                validated(cell)
                cell.save(update_fields=["value"])


def _check_units(jurisdiction: Jurisdiction, figures: dict[int, Figures]) -> None:
    if not figures:
        raise DomainError("no_units", "任务分解表至少要有一个单位的任务数")
    known = dict(ServiceUnit.objects.filter(jurisdiction=jurisdiction).values_list("pk", "name"))
    unknown = [str(u) for u in figures if u not in known]
    if unknown:
        raise DomainError("unknown_unit", "以下单位不在本辖区：" + "、".join(unknown))
    problems = []
    for unit_id, row in figures.items():
        bad = [c for c in row if c not in COLUMN_ORDER]
        if bad:
            raise DomainError("unknown_column", "未知的指标：" + "、".join(bad))
        for column in COLUMN_ORDER:
            value = row.get(column)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise DomainError(
                    "invalid_figure", f"{known[unit_id]} {TargetColumn(column).label}：应为不小于 0 的整数"
                )
        problems += [f"{known[unit_id]} {label}：{message}" for label, message in figure_problems(row)]
    if problems:
        raise DomainError("figures_inconsistent", "；".join(problems))


def _save_table(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    year: int,
    title: str,
    document: str,
    citation: str,
    note: str,
    counts_skill_upgrade_recipients: bool,
    figures: dict[int, Figures],
    source: str,
    reason: str,
) -> TargetTable:
    _check_units(jurisdiction, figures)
    table = TargetTable.objects.select_for_update().filter(jurisdiction=jurisdiction, year=year).first()
    creating = table is None
    if table is None:
        table = TargetTable(jurisdiction=jurisdiction, year=year, source=source, created_by=actor)
    elif not reason.strip():
        raise DomainError("reason_required", f"{year} 年的任务分解表已存在，修改必须填写原因")
    before = {**snapshot(table), "cells": _grid(table)} if not creating else None
    table.title = title.strip()
    table.document = document.strip()
    table.citation = citation.strip()
    table.note = note.strip()
    table.counts_skill_upgrade_recipients = counts_skill_upgrade_recipients
    if not creating:
        table.source = source
    validated(table)
    table.save()
    _write_cells(table, figures)
    after = {**snapshot(table), "cells": _grid(table)}
    if before is None:
        audit_record(actor=actor, obj=table, action="create", event_type="target_table_created", after=after)
    else:
        changed = [k for k in after if before.get(k) != after.get(k) and k != "updated_at"]
        audit_record(
            actor=actor,
            obj=table,
            action="update",
            event_type="target_table_changed",
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
            reason=reason.strip(),
        )
    return table


@transaction.atomic
def target_table_save(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    year: int,
    title: str,
    document: str,
    citation: str,
    figures: dict[int, Figures],
    note: str = "",
    counts_skill_upgrade_recipients: bool = False,
    reason: str = "",
) -> TargetTable:
    """Enter a year's task table through the page (or change one, with a reason).

    `figures`: {service unit id: {column: value or None (“/”)}}. Each unit row must satisfy
    合计 = 就业 + 岗位 + 创业 and “其中” ≤ the column it is part of (附件1)."""
    _require_manager(actor, jurisdiction)
    return _save_table(
        actor=actor,
        jurisdiction=jurisdiction,
        year=year,
        title=title,
        document=document,
        citation=citation,
        note=note,
        counts_skill_upgrade_recipients=counts_skill_upgrade_recipients,
        figures=figures,
        source=TableSource.ENTERED,
        reason=reason,
    )


@transaction.atomic
def target_table_import(
    *,
    actor: Any,
    jurisdiction: Jurisdiction,
    year: int,
    title: str,
    document: str,
    citation: str,
    filename: str,
    data: bytes,
    note: str = "",
    counts_skill_upgrade_recipients: bool = False,
    reason: str = "",
) -> TargetTable:
    """Import a year's task table from Excel/CSV (the template of `file_templates.table_template`):
    every row checked first, row-level errors, all or nothing."""
    _require_manager(actor, jurisdiction)
    header, rows = read_table(filename, data)
    require_columns(header, TABLE_COLUMNS)
    parsed, errors = table_rows(jurisdiction, rows)
    if errors:
        raise ImportRejected(errors.sorted(TABLE_COLUMNS))
    return _save_table(
        actor=actor,
        jurisdiction=jurisdiction,
        year=year,
        title=title,
        document=document,
        citation=citation,
        note=note,
        counts_skill_upgrade_recipients=counts_skill_upgrade_recipients,
        figures=parsed.figures,
        source=TableSource.IMPORTED,
        reason=reason,
    )


def _figures_from_reference(jurisdiction: Jurisdiction, table: TableData) -> dict[int, Figures]:
    units = {u.code: u for u in ServiceUnit.objects.filter(jurisdiction=jurisdiction)}
    figures: dict[int, Figures] = {}
    for row in table.units:
        unit = units.get(row.unit_code)
        if unit is None:
            raise DomainError(
                "unit_missing",
                f"{table.title}：本辖区没有代码为“{row.unit_code}”的服务单位（{row.unit_name}），请先登记",
            )
        figures[unit.pk] = dict(row.figures)
    return figures


@transaction.atomic
def targets_load_reference(*, actor: Any, jurisdiction: Jurisdiction) -> LoadSummary:
    """Load a jurisdiction's built-in tables and goals (data/*.yaml). Idempotent: a table of a year
    that already exists, or a goal whose key exists, is kept as it is (a reload never overwrites the
    bureau's own changes). One summary event on the jurisdiction records the run."""
    if actor is not None:
        _require_manager(actor, jurisdiction)
    counts = dict.fromkeys(asdict(LoadSummary()), 0)
    documents = []
    for targets_file in load_targets(jurisdiction.code):
        documents.append(targets_file.document)
        for table_data in targets_file.tables:
            if TargetTable.objects.filter(jurisdiction=jurisdiction, year=table_data.year).exists():
                counts["tables_kept"] += 1
                continue
            note = table_data.note
            _save_table(
                actor=actor,
                jurisdiction=jurisdiction,
                year=table_data.year,
                title=table_data.title,
                document=targets_file.document,
                citation=table_data.citation,
                note=note,
                counts_skill_upgrade_recipients=table_data.counts_skill_upgrade_recipients,
                figures=_figures_from_reference(jurisdiction, table_data),
                source=TableSource.REFERENCE,
                reason="",
            )
            counts["tables_created"] += 1
        existing = set(TargetGoal.objects.filter(jurisdiction=jurisdiction).values_list("key", flat=True))
        for goal_data in targets_file.goals:
            if goal_data.key in existing:
                counts["goals_kept"] += 1
                continue
            goal = TargetGoal(
                jurisdiction=jurisdiction,
                key=goal_data.key,
                document=targets_file.document,
                clause=goal_data.clause,
                quote=goal_data.quote,
                title=goal_data.title,
                comparator=goal_data.comparator,
                value=goal_data.value,
                unit=goal_data.unit,
                year_from=goal_data.year_from,
                year_to=goal_data.year_to,
                per_year=goal_data.per_year,
                measure=goal_data.measure,
                interpretation=goal_data.interpretation,
                position=goal_data.position,
            )
            validated(goal)
            goal.save()
            record_create(goal, actor=actor, event_type="target_goal_created")
            counts["goals_created"] += 1
    summary = LoadSummary(**counts)
    audit_record(
        actor=actor,
        obj=jurisdiction,
        action="import",
        event_type="targets_reference_loaded",
        after=asdict(summary),
        reason="、".join(documents) or "无内置任务目标文件",
        jurisdiction_id=jurisdiction.pk,
    )
    return summary


@transaction.atomic
def recipient_import(
    *, actor: Any, jurisdiction: Jurisdiction, year: int, filename: str, data: bytes
) -> RecipientImport:
    """Import a year's unemployment-insurance skill-upgrade subsidy recipients (附件1 备注). ID numbers
    are stored as the registry stores them (keyed hash, ciphertext, masked copy) and linked to the
    registered person with the same number, if any."""
    _require_manager(actor, jurisdiction)
    if not 2000 <= year <= 2100:
        raise DomainError("invalid_year", "年度应在 2000—2100 之间")
    header, rows = read_table(filename, data)
    require_columns(header, RECIPIENT_COLUMNS)
    parsed, errors = recipient_rows(jurisdiction, year, rows)
    if errors:
        raise ImportRejected(errors.sorted(RECIPIENT_COLUMNS))
    batch = RecipientImport(
        jurisdiction=jurisdiction,
        year=year,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        row_count=len(parsed),
        imported_by=actor,
    )
    validated(batch)
    batch.save()
    people = dict(
        Person.objects.filter(
            jurisdiction=jurisdiction, id_number_hash__in=[keyed_hash(r.id_number) for r in parsed]
        ).values_list("id_number_hash", "pk")
    )
    for row in parsed:
        digest = keyed_hash(row.id_number)
        recipient = SkillUpgradeRecipient(
            jurisdiction=jurisdiction,
            year=year,
            service_unit=row.unit,
            name=row.name,
            id_number_hash=digest,
            id_number_encrypted=encrypt(row.id_number),
            id_number_masked=mask_id_number(row.id_number),
            person_id=people.get(digest),
            occupation=row.occupation,
            level=row.level,
            certificate_number=row.certificate_number,
            paid_on=row.paid_on,
            amount=row.amount,
            batch=batch,
        )
        validated(recipient)
        recipient.save()
        record_create(recipient, actor=actor, event_type="skill_upgrade_recipient_imported")
    audit_record(
        actor=actor,
        obj=batch,
        action="import",
        event_type="skill_upgrade_recipients_imported",
        after=snapshot(batch),
    )
    return batch
