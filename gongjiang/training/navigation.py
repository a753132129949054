"""The sub-pages of a class, shown as tabs on every class page. Each feature adds its own line;
`capability` decides who sees the tab (the page itself checks again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from gongjiang.core.permissions import has_capability


@dataclass(frozen=True)
class ClassTab:
    key: str
    label: str
    url_name: str
    capability: str = "training.read"


CLASS_TABS: list[ClassTab] = [
    ClassTab("overview", "备案信息", "training:class_detail"),
    ClassTab("roster", "花名册与预审", "training:class_roster"),
    ClassTab("timetable", "课程表", "training:class_timetable"),
    ClassTab("evidence", "材料与影像", "training:class_evidence"),
    ClassTab("attendance", "考勤", "training:class_attendance"),
    ClassTab("spot_checks", "抽查", "training:class_spot_checks"),
    ClassTab("closing", "结班与发证", "training:class_closing"),
    ClassTab("follow_up", "取证与就业跟踪", "training:class_follow_up"),
    ClassTab("timeline", "时间线", "training:class_timeline"),
]


def class_tabs(user: Any, training_class: Any, current: str) -> list[dict[str, Any]]:
    return [
        {
            "label": tab.label,
            "url": reverse(tab.url_name, args=[training_class.pk]),
            "current": tab.key == current,
        }
        for tab in CLASS_TABS
        if has_capability(user, tab.capability)
    ]
