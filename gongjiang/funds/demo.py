"""The demo's funds: called by `gongjiang.web.demo` (the lead wires it) after the jurisdiction exists.

    load_demo_funds(jurisdiction, admin, year)   fund sources and benefit → fund mapping from
                                                 data/<code>.yaml, and a budget for each fund

The budgets are demo figures (the documents set none): 2 000 000 元 per fund and year.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import FundBudget, FundSource
from .services import fund_budget_set, funds_config_load

DEMO_BUDGET = Decimal("2000000.00")


def load_demo_funds(jurisdiction: Any, *, admin: Any, year: int) -> list[FundBudget]:
    funds_config_load(actor=admin, jurisdiction=jurisdiction)
    return [
        fund_budget_set(actor=admin, fund_source=fund, year=year, amount=DEMO_BUDGET, note="演示数据预算")
        for fund in FundSource.objects.filter(jurisdiction=jurisdiction)
    ]
