"""The monthly report (月度报表): one workbook laid out like 附件1 of 新民社发〔2025〕13号.

Four sheets with the same layout — the two-row header of 附件1 with its merged cells, one row per
unit and the 合计 row — so that an officer can print any one of them and compare it with the
document line by line:

    本月完成   done in the month (the classes closed in it, the subsidy recipients paid in it)
    累计完成   done from 1 January to the end of the month (or today, for the current month)
    年度任务   the year's table
    完成进度   累计 ÷ 任务 in percent, against the share of the year gone; lagging cells are shaded

Written with XlsxWriter with formulas and URLs off; every text cell goes through
`core.spreadsheets.neutralise`, so a unit called “=HYPERLINK(…)” stays text.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from gongjiang.core.spreadsheets import neutralise

from .choices import COLUMN_ORDER
from .models import TargetTable
from .progress import (
    Row,
    Scope,
    build_rows,
    month_bounds,
    period_counts,
    year_elapsed_percent,
)

SHEETS = ("本月完成", "累计完成", "年度任务", "完成进度")
NATIONAL_BASE = "其中：国家级高技能人才培训基地承接培训"
# The second header row, column by column after 单位 (附件1 with its column order fixed).
SUB_HEADINGS = (
    "合计",
    "就业技能培训",
    NATIONAL_BASE,
    "岗位技能培训",
    NATIONAL_BASE,
    "创业培训",
    "合计",
    NATIONAL_BASE,
)
# Headings spanning both header rows (columns J–M).
TALL_HEADINGS = (
    "其中：康养类职业技能培训",
    "其中：电商类职业技能培训",
    "其中：劳务品牌职业技能培训",
    "其中：防止返贫监测对象培训",
)
FIRST_DATA_ROW = 4


@dataclass(frozen=True)
class MonthlyReport:
    table: TargetTable
    year: int
    month: int
    month_start: dt.date
    end: dt.date  # the last day counted: the month's end, or today in the current month
    elapsed: Any
    month_rows: list[Row]
    ytd_rows: list[Row]

    @property
    def filename(self) -> str:
        return f"{self.table.jurisdiction.code}-{self.year}-{self.month:02d}-monthly-report.xlsx"


def monthly_report(scope: Scope, table: TargetTable, month: int, today: dt.date) -> MonthlyReport:
    year = table.year
    month_start, month_end = month_bounds(year, month)
    end = min(month_end, today) if month_start <= today else month_end
    elapsed = year_elapsed_percent(year, end)
    month_counts = period_counts(scope, month_start, end)
    ytd_counts = period_counts(scope, dt.date(year, 1, 1), end)
    return MonthlyReport(
        table=table,
        year=year,
        month=month,
        month_start=month_start,
        end=end,
        elapsed=elapsed,
        month_rows=build_rows(table, month_counts, elapsed),
        ytd_rows=build_rows(table, ytd_counts, elapsed),
    )


def _header(sheet: Any, formats: dict[str, Any]) -> None:
    head = formats["head"]
    sheet.merge_range(2, 0, 3, 0, "单位", head)
    sheet.merge_range(2, 1, 2, 6, "培训任务", head)
    sheet.merge_range(2, 7, 2, 8, "其中：高技能人才培训", head)
    for offset, heading in enumerate(SUB_HEADINGS):
        sheet.write(3, 1 + offset, heading, head)
    for offset, heading in enumerate(TALL_HEADINGS):
        sheet.merge_range(2, 9 + offset, 3, 9 + offset, heading, head)


def _sheet(
    workbook: Any,
    formats: dict[str, Any],
    name: str,
    report: MonthlyReport,
    subtitle: str,
    rows: list[Row],
    value: str,
) -> None:
    sheet = workbook.add_worksheet(name)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 12, 11)
    sheet.set_row(3, 66)
    title = f"{report.table.title}完成情况月度报表（{report.year}年{report.month}月）"
    sheet.merge_range(0, 0, 0, 12, neutralise(title), formats["title"])
    sheet.merge_range(1, 0, 1, 9, neutralise(subtitle), formats["left"])
    sheet.merge_range(
        1,
        10,
        1,
        12,
        "单位：%" if value == "percent" else f"单位：{report.table.measure_unit}",
        formats["right"],
    )
    _header(sheet, formats)
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        is_total = row.unit_id is None
        sheet.write(r, 0, neutralise(row.unit_name), formats["total_name" if is_total else "name"])
        for c, column in enumerate(COLUMN_ORDER, start=1):
            cell = row.cells[column]
            fmt = formats["total_cell" if is_total else "cell"]
            if value == "target":
                if cell.target is None:
                    sheet.write(r, c, "/", fmt)
                else:
                    sheet.write_number(r, c, cell.target, fmt)
            elif value == "percent":
                pct = cell.percent
                if pct is None:
                    sheet.write(r, c, "/", fmt)
                else:
                    fmt = formats["lagging" if cell.lagging else ("total_pct" if is_total else "pct")]
                    sheet.write_number(r, c, float(pct), fmt)
            else:
                sheet.write_number(r, c, cell.done, fmt)
    note_row = FIRST_DATA_ROW + len(rows) + 1
    notes = [
        "统计口径：培训班结班（服务中心审核合格学员）日期在统计期内的培训合格学员，每人每班计1人次；"
        "项目化培训按其类别计入就业或岗位技能培训，企业新型学徒制计入岗位技能培训；"
        "高技能人才培训指高级工及以上等级的培训班。",
        f"任务依据：{report.table.citation}。",
    ]
    if report.table.counts_skill_upgrade_recipients:
        notes.append(
            f"备注：{report.table.note or '领取失业保险技能提升补贴人员纳入培训人员统计范围'}"
            "（按领取日期计入合计、岗位技能培训，高级工及以上计入高技能人才培训，并按职业计入康养类、电商类）。"
        )
    if value == "percent":
        notes.append(
            f"时间进度：{report.elapsed}%（截至 {report.end:%Y年%m月%d日}）；完成进度低于时间进度10个百分点以上的单元格已标出。"
        )
    for i, note in enumerate(notes):
        sheet.merge_range(note_row + i, 0, note_row + i, 12, neutralise(note), formats["note"])
    sheet.freeze_panes(FIRST_DATA_ROW, 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def monthly_report_xlsx(report: MonthlyReport) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    border = {"border": 1, "valign": "vcenter"}
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "left": workbook.add_format({"align": "left"}),
        "right": workbook.add_format({"align": "right"}),
        "head": workbook.add_format(
            {**border, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#EEF2F7"}
        ),
        "name": workbook.add_format({**border, "text_wrap": True}),
        "total_name": workbook.add_format({**border, "bold": True, "align": "center"}),
        "cell": workbook.add_format({**border, "align": "right", "num_format": "0"}),
        "total_cell": workbook.add_format({**border, "align": "right", "bold": True, "num_format": "0"}),
        "pct": workbook.add_format({**border, "align": "right", "num_format": "0.0"}),
        "total_pct": workbook.add_format({**border, "align": "right", "bold": True, "num_format": "0.0"}),
        "lagging": workbook.add_format(
            {**border, "align": "right", "num_format": "0.0", "bg_color": "#FDECEA", "font_color": "#A02020"}
        ),
        "note": workbook.add_format({"text_wrap": True, "valign": "top", "font_size": 9}),
    }
    month_label = f"{report.month_start:%Y-%m-%d} 至 {report.end:%Y-%m-%d}"
    ytd_label = f"{report.year}-01-01 至 {report.end:%Y-%m-%d}"
    _sheet(workbook, formats, SHEETS[0], report, f"本月完成：{month_label}", report.month_rows, "done")
    _sheet(workbook, formats, SHEETS[1], report, f"年度累计完成：{ytd_label}", report.ytd_rows, "done")
    _sheet(
        workbook, formats, SHEETS[2], report, f"年度任务：{report.table.citation}", report.ytd_rows, "target"
    )
    _sheet(
        workbook,
        formats,
        SHEETS[3],
        report,
        f"完成进度：累计完成 ÷ 年度任务（时间进度 {report.elapsed}%）",
        report.ytd_rows,
        "percent",
    )
    workbook.close()
    return buffer.getvalue()
