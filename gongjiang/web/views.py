"""Pages shared by every role: sign-in, the dashboard, the audit trail and the public landing page."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjiang.core.choices import AuditAction
from gongjiang.core.permissions import has_capability
from gongjiang.core.selectors import audit_event_list
from gongjiang.core.views import LoginView  # noqa: F401  (password, second factor, lock-out)

from .navigation import navigation_for

AUDIT_PAGE_SIZE = 50
# A before/after snapshot longer than this is folded behind a <details> toggle.
AUDIT_INLINE_JSON_CHARS = 120

# What each navigation target is for, shown on the dashboard cards.
CARD_DESCRIPTIONS: dict[str, str] = {
    "registry:person_list": "人员档案、重点群体标识与就业信息",
    "registry:enterprise_list": "企业基本信息、参保人数与在职人员",
    "registry:institution_list": "培训机构备案状态、培训评价范围与名单状态",
    "registry:teacher_list": "备案师资、授课职业与所属机构",
    "catalog:occupation_list": "职业(工种)目录及补贴类别",
    "catalog:shortage_list": "急需紧缺职业(工种)指导目录",
    "training:class_list": "开班备案、花名册与补贴预审、过程管理、结班发证与跟踪服务",
    "training:review_queue": "待审核的开班备案，按法定工作日显示剩余期限",
    "training:anomaly_queue": "考勤异常待核查：同时段两班签到、设备秒级连签、课表外签到、当天无影像",
    "training:device_list": "人脸/指纹考勤设备登记、设备密钥与停用",
    "training:number_ranges": "培训合格证书号段（附件4）：剩余数量、添加与增加号段的申请",
    "policy:trial": "按政策包试算补贴金额、依据条款与不符合原因",
    "policy:simulate": "上传申领记录，按政策调整方案测算人数与资金变化",
    "web:audit_list": "全部变更的留痕记录，可按对象与操作筛选",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cards = [
        {"label": item.label, "url": item.url, "description": CARD_DESCRIPTIONS.get(item.url_name, "")}
        for item in navigation_for(request.user)
        if item.url_name != "web:home"
    ]
    return render(request, "web/home.html", {"cards": cards})


class LogoutView(auth_views.LogoutView):
    pass


def _compact_json(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, "audit.read"):
        raise PermissionDenied
    scoped = audit_event_list(request.user)
    object_types = list(scoped.order_by("object_type").values_list("object_type", flat=True).distinct())

    object_type = request.GET.get("object_type", "")
    action = request.GET.get("action", "")
    events = scoped
    if object_type:
        events = events.filter(object_type=object_type)
    if action:
        events = events.filter(action=action)

    page = Paginator(events.order_by("-occurred_at", "-id"), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for event in page.object_list:
        before, after = _compact_json(event.before), _compact_json(event.after)
        rows.append(
            {
                "event": event,
                "before": before,
                "after": after,
                "folded": len(before) + len(after) > AUDIT_INLINE_JSON_CHARS,
            }
        )
    return render(
        request,
        "web/audit_list.html",
        {
            "page": page,
            "rows": rows,
            "object_types": object_types,
            "actions": AuditAction.choices,
            "selected_object_type": object_type,
            "selected_action": action,
            "querystring": _querystring_without_page(request),
        },
    )


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def public_home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/public_home.html")
