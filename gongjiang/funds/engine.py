"""What the funds workflow asks of the policy engine: the quote of one line, with the
beneficiary's history taken from the funds themselves (lines approved, noticed or paid).

The quote contract is `gongjiang.policy.quote`; a training class's facts come from
`gongjiang.training.policy_link` as for the roster pre-check (`training/prechecks.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from gongjiang.policy.quote import QuoteInputError, quote_many

from .choices import LineStatus

# Lines that count as "already received" for caps (备注5) and once-only benefits.
COUNTED = (LineStatus.APPROVED, LineStatus.IN_NOTICE, LineStatus.PAYABLE, LineStatus.PAID)


def history_for(
    person_id: int | None,
    *,
    organisation: Any = None,
    record: str = "",
    exclude_line_id: int | None = None,
) -> list[dict[str, Any]]:
    """What the beneficiary already received: for a benefit paid per talent record (a studio's grant,
    a prize of one result) that record's lines and the person's own; else a person's lines, or the
    unit's own lines (an enterprise's yearly cap, a base "once per unit")."""
    from .models import ApplicationLine

    if record:
        # paid per record: what was paid for the record (whoever received it: 上虞's studio grant and
        # its master's share are one sum), and a person's own history as well
        either = Q(record=record) | Q(person_id=person_id) if person_id is not None else Q(record=record)
        lines = ApplicationLine.objects.filter(either, status__in=COUNTED)
    elif person_id is not None:
        lines = ApplicationLine.objects.filter(person_id=person_id, status__in=COUNTED)
    else:
        kind = organisation._meta.model_name  # "enterprise" | "institution"
        lines = ApplicationLine.objects.filter(
            person__isnull=True, status__in=COUNTED, **{f"application__{kind}": organisation}
        )
    if exclude_line_id is not None:
        lines = lines.exclude(pk=exclude_line_id)
    lines = lines.select_related("application").order_by("application__claim_date", "id")
    return [
        {
            "date": line.application.claim_date.isoformat(),
            "benefit": line.benefit,
            "facts": line.facts,
            "amount": str(line.amount),
        }
        for line in lines
    ]


def _paid_per_record(policy: str, benefit: str) -> bool:
    """Whether the pack's payment key is the talent record (each studio its own grant) rather than
    the unit (湖州 "每个单位每类基地只享受一次"): then the record's history is what counts."""
    from gongjiang.core.errors import DomainError

    from .config import needs_record

    try:
        return needs_record(policy, benefit)
    except DomainError:  # not configured for the funds yet: the unit's history, as before
        return False


def quote_line(
    *,
    policy: str,
    benefit: str,
    claim_date: dt.date,
    facts: dict[str, Any],
    person_id: int | None,
    organisation: Any = None,
    record: str = "",
    exclude_line_id: int | None = None,
) -> dict[str, Any]:
    """The engine's answer for one line; malformed facts raise `QuoteInputError`."""
    from gongjiang.policy.selectors import shortage_lookup

    request = {
        "policy": policy,
        "date": claim_date.isoformat(),
        "benefit": benefit,
        "facts": facts,
        "history": history_for(
            person_id,
            organisation=organisation,
            record=record if _paid_per_record(policy, benefit) else "",
            exclude_line_id=exclude_line_id,
        ),
    }
    return quote_many([request], shortage_lookup=shortage_lookup)[0]


__all__ = ["COUNTED", "QuoteInputError", "history_for", "quote_line"]
