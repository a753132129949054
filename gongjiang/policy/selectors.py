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


def simulate_upload(filename: str, data: bytes, reform_text: str) -> dict[str, Any]:
    """Budget delta of a reform (YAML text) on an uploaded claims file; nothing is stored."""
    import tempfile
    from pathlib import Path

    from .batch import audit_claims
    from .claims_io import parse_claims, read_raw
    from .reform import apply_reform, budget_delta, read_reform

    with tempfile.TemporaryDirectory() as tmp:
        reform_path = Path(tmp) / "reform.yaml"
        reform_path.write_text(reform_text, encoding="utf-8")
        reform = read_reform(reform_path)
        pack = installed_packs().get(reform.policy)
        if pack is None:
            from .loader import PackError

            raise PackError(f"未知政策包 {reform.policy!r}")
        claims_path = Path(tmp) / Path(filename).name
        claims_path.write_bytes(data)
        claims = parse_claims(read_raw(claims_path), pack)
    entries = _shortage_entries(pack)
    before = audit_claims(claims, pack, shortage_entries=entries)
    after = audit_claims(claims, apply_reform(pack, reform), shortage_entries=entries)
    tables = budget_delta(before, after, claims)
    return {
        "title": reform.title,
        "tables": {title: {"columns": t.columns, "rows": t.rows()} for title, t in tables.items()},
    }


def _shortage_entries(pack: Pack) -> Any:
    from gongjiang.policy.management.commands.audit_claims import shortage_entries

    return shortage_entries(pack.jurisdiction)
