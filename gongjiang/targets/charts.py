"""The dashboard's charts: server-side SVG drawn by pygal (a package, see docs/dependencies.md), put
inline in the page. No JavaScript and nothing from a CDN: pygal's optional tooltip script is switched
off (`js=[]`) and the inline config `<script>` it always writes is removed, so a chart is plain SVG
with its CSS. Every bar and point is a link (`xlink:href`) to the drill-down of the figure it shows.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from .choices import TargetColumn
from .progress import Row, UnitRates

# pygal appends a `sys.meta_path` finder for its map plugins (which we do not use) that has no
# `find_spec`, so every import that reaches it raises ImportWarning on Python 3.11 (an error under
# the test settings) and would fail on 3.12+. Take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
MONTHS = [f"{m}月" for m in range(1, 13)]
KIND_SERIES = (
    (TargetColumn.EMPLOYMENT, "就业技能培训"),
    (TargetColumn.POST, "岗位技能培训"),
    (TargetColumn.STARTUP, "创业培训"),
    (TargetColumn.HIGH_SKILL, "高技能人才培训"),
)
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2328",
    foreground_strong="#1f2328",
    foreground_subtle="#5c6570",
    colors=("#1f4e8c", "#b3261e", "#2e7d4f", "#c98a00", "#6b4fa0"),
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    title_font_size=15,
    legend_font_size=12,
    label_font_size=11,
    major_label_font_size=11,
    value_font_size=10,
)
COMMON: dict[str, Any] = {
    "js": [],
    "disable_xml_declaration": True,
    "style": STYLE,
    "width": 760,
    "height": 340,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 4,
    "print_values": True,
    "truncate_label": -1,
}
DrillUrl = Callable[..., str]


def render(chart: Any) -> SafeString:
    """Inline SVG without scripts or comments (pygal's output is built with ElementTree, so every
    label and link is escaped)."""
    svg = chart.render(is_unicode=True)
    return mark_safe(COMMENT.sub("", SCRIPT.sub("", svg)))  # noqa: S308 - pygal-escaped SVG, scripts removed


def _point(value: Any, href: str, label: str) -> dict[str, Any]:
    return {"value": value, "xlink": {"href": href, "target": "_top"}, "label": label}


def progress_chart(
    cumulative: Sequence[int | None], target: int | None, drill: DrillUrl, title: str
) -> SafeString:
    """Cumulative done by month against the linear target line (target × month ÷ 12)."""
    chart = pygal.Line(title=title, x_labels=MONTHS, show_dots=True, dots_size=4, **COMMON)
    chart.add(
        "累计完成",
        [
            None if v is None else _point(v, drill(month=None, upto=m), f"截至{m}月累计 {v}")
            for m, v in enumerate(cumulative, start=1)
        ],
    )
    if target:
        chart.add(
            "按时间进度应完成",
            [round(target * m / 12) for m in range(1, 13)],
            show_dots=False,
            stroke_style={"dasharray": "6,4"},
        )
    return render(chart)


def units_chart(rows: list[Row], drill: DrillUrl, *, show_targets: bool) -> SafeString:
    """Per unit and training type: completion % of the year's target (or done counts for a clerk)."""
    units = [r for r in rows if r.unit_id is not None]
    title = "各单位分类型完成进度（%）" if show_targets else "本机构分类型完成人次"
    chart = pygal.Bar(
        title=title, x_labels=[u.unit_name.replace("兰州新区社会保障", "") for u in units], **COMMON
    )
    for column, label in KIND_SERIES:
        values = []
        for unit in units:
            cell = unit.cells[column]
            href = drill(unit=unit.unit_id, column=column)
            if show_targets:
                pct = cell.percent
                values.append(None if pct is None else _point(float(pct), href, f"{cell.done}/{cell.target}"))
            else:
                values.append(_point(cell.done, href, f"{cell.done} 人次"))
        chart.add(label, values)
    return render(chart)


def rates_chart(unit_rates: list[UnitRates], drill: DrillUrl) -> SafeString:
    """Certification (≥ 40%) and employment (≥ 50%) rates per unit (新民社发〔2025〕13号 四(三))."""
    chart = pygal.Bar(
        title="取证率（不低于40%）与就业率（不低于50%）",
        x_labels=[r.unit_name.replace("兰州新区社会保障", "") for r in unit_rates],
        range=(0, 100),
        **COMMON,
    )
    for name, attribute, column, basis in (
        ("取证率", "certification", TargetColumn.TOTAL, "certified"),
        ("就业率", "employment", TargetColumn.EMPLOYMENT, "employed"),
    ):
        values = []
        for unit in unit_rates:
            rate = getattr(unit, attribute)
            pct = rate.percent
            href = drill(unit=unit.unit_id, column=column, basis=basis)
            values.append(
                None if pct is None else _point(float(pct), href, f"{rate.numerator}/{rate.denominator}")
            )
        chart.add(name, values)
    return render(chart)
