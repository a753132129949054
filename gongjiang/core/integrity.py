"""Integrity checks run after a restore, by `gongjiang verify`, and by the nightly report.

Each app may have an `integrity.py` with `CHECKS`: functions returning a `CheckResult`. The core
app checks the audit hash chain; the funds ledger (issue 6) adds its own check the same way, and
`run_checks` finds it without a change here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

import gongjiang


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


def audit_chain() -> CheckResult:
    from .audit import audit_verify

    result = audit_verify()
    detail = (
        f"审计链完整：{result.checked} 条事件"
        if result.ok
        else f"审计链断裂于事件 #{result.broken_event_id}：{result.problem}"
    )
    return CheckResult(
        "audit_chain",
        result.ok,
        detail,
        {"checked": result.checked, "head": result.head_hash, "broken_event_id": result.broken_event_id},
    )


CHECKS: list[Callable[[], CheckResult]] = [audit_chain]


def discovered_checks() -> list[Callable[[], CheckResult]]:
    found: list[Callable[[], CheckResult]] = []
    for module_info in pkgutil.iter_modules(gongjiang.__path__):
        try:
            module = importlib.import_module(f"gongjiang.{module_info.name}.integrity")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, "CHECKS", []))
    return found


def run_checks() -> list[CheckResult]:
    return [check() for check in discovered_checks()]


def row_counts() -> dict[str, int]:
    """Rows per table of every gongjiang model (and users), for backup manifests and restore drills."""
    counts: dict[str, int] = {}
    for model in apps.get_models():
        if model._meta.app_label in {"contenttypes", "admin", "sessions"} or model._meta.proxy:
            continue
        counts[model._meta.label_lower] = model._default_manager.count()
    return dict(sorted(counts.items()))
