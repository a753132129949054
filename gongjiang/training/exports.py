"""The KPI workbook (附件2 3.3, 四(三)): one sheet per institution figures, one per class. Written by
`core.spreadsheets.write_xlsx`, which neutralises formula injection in every text cell (a class or
institution name starting with = + - @ is written as text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gongjiang.core.spreadsheets import write_xlsx

from .kpis import ClassKpi, institution_kpis, percent

INSTITUTION_HEADER = (
    "培训机构",
    "名单状态",
    "结班班数",
    "跟踪期已满班数",
    "合格人数(取证)",
    "取证人数",
    "取证率(目标≥40%)",
    "合格人数(就业技能)",
    "就业人数",
    "就业率(目标≥50%)",
    "考勤异常",
    "确认违规异常",
    "严重违规抽查",
    "逾期未完成跟踪",
)
CLASS_HEADER = (
    "班级编号",
    "培训班",
    "培训机构",
    "培训类型",
    "结班日期",
    "跟踪期限",
    "跟踪状态",
    "合格人数",
    "取证人数",
    "取证率",
    "就业推介次数",
    "就业人数",
    "就业率",
    "考勤异常",
    "未达要求",
)


def kpi_workbook(class_kpis: Iterable[ClassKpi], *, today: dt.date) -> bytes:
    class_kpis = list(class_kpis)
    institutions = institution_kpis(class_kpis)
    institution_rows = [
        (
            k.institution.name,
            k.institution.get_list_state_display(),
            k.classes_closed,
            k.classes_final,
            k.qualified,
            k.certified,
            percent(k.certification_rate),
            k.employment_qualified,
            k.employed,
            percent(k.employment_rate),
            k.anomalies,
            k.anomalies_confirmed,
            k.serious_findings,
            k.overdue_follow_ups,
        )
        for k in institutions
    ]
    class_rows = [
        (
            k.training_class.code,
            k.training_class.name,
            k.training_class.institution.name,
            k.training_class.get_training_type_display(),
            k.training_class.closed_on,
            k.due,
            k.state_label,
            k.qualified,
            k.certified if k.certification_applies else "—",
            percent(k.certification_rate),
            k.promotions if k.employment_applies else "—",
            k.employed if k.employment_applies else "—",
            percent(k.employment_rate),
            k.anomalies,
            "；".join(k.missing),
        )
        for k in class_kpis
    ]
    return write_xlsx(
        {
            f"机构指标（{today.isoformat()}）": (INSTITUTION_HEADER, institution_rows),
            "培训班指标": (CLASS_HEADER, class_rows),
        }
    )
