"""Concurrent closings on PostgreSQL (issue 5, "Done when"): 20 classes closed at once from one range.

Each closing runs in its own thread with its own database connection (Django keeps one per thread in
`django.db.connections`); a `threading.Barrier` releases them together so they really contend for
the range row. The numbers must come out distinct, contiguous from the range's start, none skipped
and none used twice; when the range is too small, the closings that find it exhausted are refused
cleanly and the numbers issued are still an unbroken prefix of the range.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connections

from gongjiang.core.errors import DomainError
from gongjiang.core.models import User
from gongjiang.training.choices import ClassStatus
from gongjiang.training.models import CertificateNumberRange, TrainingCertificate, TrainingClass
from gongjiang.training.services import certificates, closing

from .closing_factories import CLOSING_DAY, closing_class

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="并发测试需要 PostgreSQL（行锁）"
    ),
    pytest.mark.django_db(transaction=True),
]
CLASSES = 20
TRAINEES = 2


def _close_together(class_ids: list[int], reviewer_id: int, today) -> dict[int, str]:
    """Close every class at the same moment, one thread and connection each; class id → outcome."""
    barrier = threading.Barrier(len(class_ids))
    outcomes: dict[int, str] = {}

    def run(class_id: int) -> None:
        connection = connections["default"]  # this thread's own connection
        try:
            reviewer = User.objects.get(pk=reviewer_id)
            training_class = TrainingClass.objects.get(pk=class_id)
            barrier.wait(timeout=60)
            closing.class_close(actor=reviewer, training_class=training_class, today=today)
            outcomes[class_id] = "closed"
        except DomainError as exc:
            outcomes[class_id] = exc.code
        except Exception as exc:
            outcomes[class_id] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in class_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


def _classes(tw) -> list[int]:
    return [closing_class(tw, trainees=TRAINEES).pk for _ in range(CLASSES)]


def test_twenty_concurrent_closings_take_distinct_contiguous_numbers(tw):
    # given the 附件4 ranges and 20 classes of 2 qualified trainees each, waiting for the first centre
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    class_ids = _classes(tw)
    # when the reviewer's 20 approvals run at once
    outcomes = _close_together(class_ids, tw.reviewer.pk, CLOSING_DAY)
    # then every closing succeeded
    assert outcomes == dict.fromkeys(class_ids, "closed")
    # and the 40 numbers are 202251 … 202290: the start of 第一服务中心 2025 就业技能 202251——206250
    numbers = sorted(TrainingCertificate.objects.values_list("number", flat=True))
    assert numbers == [str(n) for n in range(202251, 202251 + CLASSES * TRAINEES)]
    # and each class's numbers are one contiguous block (taken under one lock)
    for class_id in class_ids:
        own = sorted(
            int(n)
            for n in TrainingCertificate.objects.filter(enrolment__training_class_id=class_id).values_list(
                "number", flat=True
            )
        )
        assert own == list(range(own[0], own[0] + TRAINEES))
    number_range = CertificateNumberRange.objects.get(
        service_unit=tw.centre_1, category="employment", year=2025
    )
    assert number_range.next_value == 202291 and number_range.remaining == 4000 - 40


def test_when_the_range_is_too_small_the_losers_are_refused_and_nothing_is_lost(tw):
    # given a range of 25 numbers (800001–800025) and 20 classes needing 2 each (40)
    certificates.number_range_add(
        actor=tw.root,
        jurisdiction=tw.jurisdiction,
        service_unit=tw.centre_1,
        category="employment",
        year=2025,
        first="800001",
        last="800025",
        citation="测试：小号段",
    )
    class_ids = _classes(tw)
    # when all 20 are approved at once
    outcomes = _close_together(class_ids, tw.reviewer.pk, CLOSING_DAY)
    # then 12 closed (24 numbers); 8 were refused because the range was exhausted
    closed = [pk for pk, outcome in outcomes.items() if outcome == "closed"]
    refused = [pk for pk, outcome in outcomes.items() if outcome == "number_range_exhausted"]
    assert (len(closed), len(refused), len(outcomes)) == (12, 8, CLASSES), outcomes
    # and the numbers issued are exactly 800001 … 800024, the 25th still free
    numbers = sorted(TrainingCertificate.objects.values_list("number", flat=True))
    assert numbers == [str(n) for n in range(800001, 800025)]
    assert CertificateNumberRange.objects.get(first_value=800001).next_value == 800025
    # and the refused classes are untouched, still waiting, with no certificates
    for class_id in refused:
        assert TrainingClass.objects.get(pk=class_id).status == ClassStatus.CLOSING
        assert not TrainingCertificate.objects.filter(enrolment__training_class_id=class_id).exists()
