"""The demo's targets: called by `gongjiang.web.demo` (the lead wires it) after the jurisdiction's
service units exist.

    load_demo_targets(jurisdiction)   兰州新区: the 2025 附件1 table (新民社发〔2025〕13号) and the goals
                                      of 新民社发〔2025〕13号 and 新政办发〔2024〕31号; for 台儿庄区, 上虞区
                                      and 湖州市 their documents' goals (they have no task table).

Idempotent, through `services.targets_load_reference` (audited, bootstrap actor unless given).
The dashboard's progress then comes from the demo's closed classes — nothing is stored here.
"""

from __future__ import annotations

from typing import Any

from .services import LoadSummary, targets_load_reference


def load_demo_targets(jurisdiction: Any, *, actor: Any = None) -> LoadSummary:
    return targets_load_reference(actor=actor, jurisdiction=jurisdiction)
