"""The harness of the fault drills (issue 8; docs/reliability.md "Fault drills").

A drill runs one step in a separate worker process (a real `python -c` with Django set up against
the test database), holds the audit chain head row locked so the step stops at its first audit write
— after its own writes, before commit — sees that moment from outside, and then kills the worker
(SIGKILL) or its connection (`pg_terminate_backend`). Each drill (training: certificate numbers;
funds: payment batches) supplies the worker script and its own checks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction

from gongjiang.core.models import AuditChainHead

REPO_ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class HeldAuditHead:
    """Hold the audit chain head row locked from a connection of our own until `release()`."""

    def __init__(self) -> None:
        self.locked, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.select_for_update().get(pk=1)
                self.locked.set()
                self.done.wait(timeout=120)
        finally:
            connections["default"].close()

    def __enter__(self) -> HeldAuditHead:
        self.thread.start()
        assert self.locked.wait(timeout=30)
        return self

    def release(self) -> None:
        self.done.set()
        self.thread.join(timeout=30)

    def __exit__(self, *exc: object) -> None:
        self.release()


def start_worker(script: str) -> subprocess.Popen[str]:
    """Run `script` in a new interpreter on the test database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url()}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def waiting_backend(timeout: float = 60) -> int:
    """The pid of the backend waiting on a lock for the audit head (the worker, mid-step)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE %s AND pid <> pg_backend_pid()",
                ["%core_auditchainhead%"],
            )
            row = cursor.fetchone()
            if row:
                return int(row[0])
            time.sleep(0.2)
    raise AssertionError("the worker never reached the audit write")


def rows_locked(queryset: Any) -> bool:
    """True when another transaction holds a row of `queryset` (`FOR UPDATE NOWAIT` fails)."""
    try:
        with transaction.atomic():
            list(queryset.select_for_update(nowait=True))
    except DatabaseError:
        return True
    return False


def backend_gone(pid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.2)
    raise AssertionError(f"backend {pid} still there")
