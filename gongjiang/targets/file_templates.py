"""Downloadable templates for the two imports: the columns the import expects, the jurisdiction's
units already filled in, and one example row for the recipients."""

from __future__ import annotations

from typing import Any

from gongjiang.core.spreadsheets import write_xlsx
from gongjiang.registry.models import ServiceUnit

from .imports import RECIPIENT_COLUMNS, TABLE_COLUMNS


def table_template(jurisdiction: Any) -> bytes:
    units = ServiceUnit.objects.filter(jurisdiction=jurisdiction, kind="service_centre").order_by("id")
    rows = [[unit.name, *([""] * (len(TABLE_COLUMNS) - 1))] for unit in units]
    rows.append(["合计", *([""] * (len(TABLE_COLUMNS) - 1))])
    return write_xlsx({"任务分解表": (TABLE_COLUMNS, rows)})


def recipient_template(jurisdiction: Any) -> bytes:
    unit = ServiceUnit.objects.filter(jurisdiction=jurisdiction).order_by("id").first()
    example = [
        "张三",
        "（18位身份证号）",
        unit.name if unit else "（服务中心名称）",
        "养老护理员",
        "高级工",
        "（证书编号）",
        "2025-06-01",
        "2000",
    ]
    return write_xlsx({"技能提升补贴人员": (RECIPIENT_COLUMNS, [example])})
