"""Quoting from the platform: the pure engine plus the catalog's dated snapshot.

When a claim does not say whether its occupation is a shortage occupation, the engine is given the
shortage directory of the pack's jurisdiction as in force on the claim date (issue 3: the +20%
applies automatically). The CLI, the API and the 补贴试算 page all call `quote_requests`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongjiang.catalog.selectors import shortage_occupations_on
from gongjiang.core.models import Jurisdiction

from .loader import installed_packs
from .model import Pack
from .quote import quote_many


def shortage_lookup(pack: Pack, day: dt.date) -> frozenset[str]:
    jurisdiction = Jurisdiction.objects.filter(code=pack.jurisdiction).first()
    if jurisdiction is None:
        return frozenset()
    return frozenset(shortage_occupations_on(jurisdiction, day))


def quote_requests(requests: list[Any]) -> list[dict[str, Any]]:
    return quote_many(requests, packs=installed_packs(), shortage_lookup=shortage_lookup)


def pack_list() -> list[Pack]:
    return sorted(installed_packs().values(), key=lambda p: p.id)
