"""The downloadable Excel templates of the training imports (columns defined beside each import)."""

from __future__ import annotations

from gongjiang.core.spreadsheets import write_xlsx

from .services.roster import COLUMNS as ROSTER_COLUMNS
from .services.timetable import COLUMNS as TIMETABLE_COLUMNS


def roster_template() -> bytes:
    # Birth dates no test factory uses, so an example number never equals a seeded person's.
    example = [
        ["张三", "620102199001021239", "13812345678", "农村", "农村转移就业劳动者", "否", "", "", ""],
        [
            "李四",
            "620102199203041234",
            "13912345678",
            "城镇",
            "",
            "否",
            "91620100MA0000001X",
            "2025-03-01",
            "36",
        ],
    ]
    return write_xlsx({"花名册": (ROSTER_COLUMNS, example)})


def timetable_template() -> bytes:
    example = [
        ["2025-05-06", "08:30", "11:30", "理论", "4", "安全生产与职业道德", "XQSZ-2025-001"],
        ["2025-05-06", "13:30", "16:30", "实操", "4", "平焊基本操作", "XQSZ-2025-001"],
    ]
    return write_xlsx({"课程表": (TIMETABLE_COLUMNS, example)})
