"""The same device check-in arriving twice at the same moment (a terminal retrying on a timeout while
the first request is still being written): one row, both answers name it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from gongjiang.training.models import AttendanceRecord

from .factories import RUN_START, at, check_in, device, running_class, training_world


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_identical_check_ins_at_once_write_one_record(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: real concurrent transactions")
    # given a running class and a terminal
    tw = training_world(world)
    training_class = running_class(tw, trainees=1)
    terminal, _key = device(tw)
    barrier = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            barrier.wait(timeout=30)
            record, created = check_in(
                training_class, terminal, training_class.id_numbers[0], at(RUN_START, "07:55")
            )
            results.append((record.pk, created))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    # when both threads, each with its own connection, post the same check-in together
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then one record; one answer created it, the other returned it
    assert not errors, errors
    assert AttendanceRecord.objects.count() == 1
    assert sorted(created for _pk, created in results) == [False, True]
    assert {pk for pk, _created in results} == {AttendanceRecord.objects.get().pk}
