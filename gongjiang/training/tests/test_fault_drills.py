"""Fault drills for certificate-number allocation (issue 8; docs/reliability.md "Fault drills").

A closing runs in a separate worker process (a real `python` process with Django set up against the
test database). The drill holds the audit chain head row locked from another connection; the
closing takes its numbers (locks the range row, moves the counter, inserts the certificates) and
then blocks on its first audit write — the middle of the allocation, before commit. That moment is
seen from outside: the worker's backend waits on a lock, and the range row cannot be locked
(`NOWAIT` fails) because the worker holds it. Then the worker is killed:

- `SIGKILL` of the worker process, or
- `pg_terminate_backend` of the worker's database connection.

After the lock is released and the worker is gone: the counter is where it was, no certificate
exists, the class still waits for its closing, and the integrity checks (audit chain, certificate
numbers) pass. Closing again takes the same first number — nothing lost, nothing doubled.
"""

from __future__ import annotations

import signal
import subprocess

import pytest
from django.conf import settings
from django.db import connection

from gongjiang.core.integrity import run_checks
from gongjiang.core.tests.fault_drill import (
    HeldAuditHead,
    backend_gone,
    rows_locked,
    start_worker,
    waiting_backend,
)
from gongjiang.training.choices import ClassStatus
from gongjiang.training.models import CertificateNumberRange, TrainingCertificate, TrainingClass
from gongjiang.training.services import certificates, closing

from .closing_factories import CLOSING_DAY, closing_class

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="故障演练需要 PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]
WORKER = """
import datetime as dt, django
django.setup()
from gongjiang.core.models import User
from gongjiang.training.models import TrainingClass
from gongjiang.training.services.closing import class_close
class_close(actor=User.objects.get(pk={reviewer}), training_class=TrainingClass.objects.get(pk={klass}),
            today=dt.date(2025, 6, 20))
print("closed")
"""


def _start_worker(tw, training_class) -> subprocess.Popen[str]:
    return start_worker(WORKER.format(reviewer=tw.reviewer.pk, klass=training_class.pk))


def _range_is_locked() -> bool:
    """True when another transaction holds the range row (the worker has taken numbers)."""
    return rows_locked(CertificateNumberRange.objects.filter(year=2025, category="employment"))


def _assert_nothing_happened(training_class) -> None:
    number_range = CertificateNumberRange.objects.get(
        year=2025, category="employment", service_unit__code="centre-1"
    )
    assert number_range.next_value == 202251
    assert not TrainingCertificate.objects.exists()
    assert TrainingClass.objects.get(pk=training_class.pk).status == ClassStatus.CLOSING
    assert all(check.ok for check in run_checks()), [c.detail for c in run_checks()]


@pytest.mark.parametrize("fault", ["sigkill_worker", "terminate_backend"])
def test_a_worker_killed_mid_allocation_loses_and_doubles_nothing(tw, fault):
    # given the 附件4 ranges and a closing of 3 qualified trainees waiting for the unit
    certificates.number_ranges_load_reference(actor=tw.root, jurisdiction=tw.jurisdiction)
    training_class = closing_class(tw, trainees=3)
    # when a worker process runs the closing and is stopped in the middle of the allocation
    with HeldAuditHead() as held:
        worker = _start_worker(tw, training_class)
        backend = waiting_backend()
        assert _range_is_locked(), "the worker should hold the range row (numbers taken, not committed)"
        if fault == "sigkill_worker":
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        held.release()
        backend_gone(backend)
        _out, err = worker.communicate(timeout=60)
    # then the worker failed, and nothing of its closing remains
    assert worker.returncode != 0
    if fault == "terminate_backend":
        assert "terminat" in err.lower()
    _assert_nothing_happened(training_class)
    # when the closing is run again
    closing.class_close(actor=tw.reviewer, training_class=training_class, today=CLOSING_DAY)
    # then it takes the first numbers of the range: none skipped, none twice, checks pass
    assert sorted(TrainingCertificate.objects.values_list("number", flat=True)) == [
        "202251",
        "202252",
        "202253",
    ]
    assert all(check.ok for check in run_checks())
