"""What the funds workflow asks of the policy engine: the quote of one line, with the
beneficiary's history taken from the funds themselves (lines approved, noticed or paid).

The quote contract is `gongjiang.policy.quote`; a training class's facts come from
`gongjiang.training.policy_link` as for the roster pre-check (`training/prechecks.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongjiang.policy.quote import QuoteInputError, quote_many

from .choices import LineStatus

# Lines that count as "already received" for caps (备注5) and once-only benefits.
COUNTED = (LineStatus.APPROVED, LineStatus.IN_NOTICE, LineStatus.PAYABLE, LineStatus.PAID)


def history_for(
    person_id: int | None, *, organisation: Any = None, exclude_line_id: int | None = None
) -> list[dict[str, Any]]:
    """What the beneficiary already received: a person's lines, or (no person) the unit's own lines."""
    from .models import ApplicationLine

    if person_id is not None:
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


def quote_line(
    *,
    policy: str,
    benefit: str,
    claim_date: dt.date,
    facts: dict[str, Any],
    person_id: int | None,
    organisation: Any = None,
    exclude_line_id: int | None = None,
) -> dict[str, Any]:
    """The engine's answer for one line; malformed facts raise `QuoteInputError`."""
    from gongjiang.policy.selectors import shortage_lookup

    request = {
        "policy": policy,
        "date": claim_date.isoformat(),
        "benefit": benefit,
        "facts": facts,
        "history": history_for(person_id, organisation=organisation, exclude_line_id=exclude_line_id),
    }
    return quote_many([request], shortage_lookup=shortage_lookup)[0]


__all__ = ["COUNTED", "QuoteInputError", "history_for", "quote_line"]
