"""Role-appropriate navigation: each item names the capability that shows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from gongjiang.core.permissions import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("首页", "web:home", "catalog.read"),
    NavItem("人员", "registry:person_list", "registry.read"),
    NavItem("企业", "registry:enterprise_list", "registry.read_enterprises"),
    NavItem("培训机构", "registry:institution_list", "registry.read_institutions"),
    NavItem("师资", "registry:teacher_list", "registry.read_teachers"),
    NavItem("职业目录", "catalog:occupation_list", "catalog.read"),
    NavItem("急需紧缺职业", "catalog:shortage_list", "catalog.read"),
    NavItem("培训班", "training:class_list", "training.read"),
    NavItem("开班审核", "training:review_queue", "training.review"),
    NavItem("考勤异常", "training:anomaly_queue", "training.review"),
    NavItem("考勤设备", "training:device_list", "training.devices"),
    NavItem("证书号段", "training:number_ranges", "training.number_ranges"),
    NavItem("取证就业指标", "training:kpi", "training.kpi"),
    NavItem("黑白名单", "training:list_proposals", "training.list_decide"),
    NavItem("任务进度", "targets:dashboard", "targets.read"),
    NavItem("资金申请", "funds:application_list", "funds.read"),
    NavItem("资金审核", "funds:review_queue", "funds.review"),
    NavItem("资金拨付", "funds:batch_list", "funds.pay"),
    NavItem("人才调查", "talent:round_list", "talent.read"),
    NavItem("人才调查", "talent:round_list", "talent.respond"),
    NavItem("高技能人才库", "talent:talent_list", "talent.read"),
    NavItem("补贴试算", "policy:trial", "policy.quote"),
    NavItem("政策测算", "policy:simulate", "policy.simulate"),
    NavItem("审计日志", "web:audit_list", "audit.read"),
)


def navigation_for(user: Any) -> list[NavItem]:
    return [item for item in NAV_ITEMS if has_capability(user, item.capability)]
