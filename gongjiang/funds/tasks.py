"""Background tasks of the funds app (django-tasks; see gongjiang.core.tasks)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("gongjiang.funds")


@task()
def overdue_digest_task(day: str | None = None) -> dict[str, object]:
    """The daily digest of items past their working-day deadline (附件2 4.2: review 15, notice 5,
    payment 5), per jurisdiction; kept with the task result and logged for the bureau."""
    from gongjiang.core.models import Jurisdiction

    from .selectors import overdue_items

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    digest: dict[str, object] = {"date": today.isoformat()}
    for jurisdiction in Jurisdiction.objects.order_by("id"):
        found = overdue_items(today, jurisdiction.pk)
        if not found.total:
            continue
        digest[jurisdiction.code] = {
            "reviews": [a.number for a in found.reviews],
            "notices": [n.number for n in found.notices],
            "payments": [f"{line.application.number}/{line.pk}" for line in found.payments],
        }
        logger.warning("funds overdue digest %s %s: %s items", today, jurisdiction.code, found.total)
    return digest


@task()
def instalments_fall_due_task(day: str | None = None) -> dict[str, int]:
    """Daily: instalments whose month has come (monthly allowances, yearly awards) fall due for the
    next batch, in every jurisdiction."""
    from gongjiang.core.models import Jurisdiction

    from .services import instalments_fall_due

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    return {
        j.code: instalments_fall_due(actor=None, jurisdiction=j, today=today)
        for j in Jurisdiction.objects.order_by("id")
    }
