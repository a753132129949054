#!/usr/bin/env python
"""`make test`: every stage in order, each timed, the first failure stops the run.

Stages: ruff lint, ruff format check, mypy, Django checks (incl. prod --deploy), makemigrations
--check, pytest on SQLite (with browser tests), pytest on PostgreSQL (all but browser tests), and
the production stack check (`scripts/prod_check.py`: gunicorn ×2 + db_worker on PostgreSQL and
Redis, exercised over HTTP).

PostgreSQL at DATABASE_URL_PG (default postgres://postgres@127.0.0.1:5432/test) and Redis at
REDIS_URL (default redis://127.0.0.1:6379/0): when unreachable, the stages that need them are
skipped with one line, except under CI=true where that is a failure.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# No stage may take CI's whole budget: one that runs this long is stopped and reported as failed.
STAGE_TIMEOUT = int(os.environ.get("GONGJIANG_STAGE_TIMEOUT", "2400"))
PG_URL = os.environ.get("DATABASE_URL_PG", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "GONGJIANG_SECRET_KEY": "check-only-" + os.urandom(24).hex(),
    "GONGJIANG_ID_HASH_KEY": os.urandom(16).hex(),
    "GONGJIANG_FIELD_KEY": "A" * 43 + "=",
    "DATABASE_URL": "sqlite:///:memory:",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3
        ):
            return True
    except OSError:
        return False


def pg_reachable() -> bool:
    return reachable(PG_URL, 5432)


def pytest_stage(extra_env: dict[str, str], args: list[str]) -> tuple[list[str], dict[str, str]]:
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", **extra_env}
    # A test stuck for 10 minutes prints every thread's stack, so a hang is diagnosable from the log;
    # the 15 slowest tests are listed, so a stage creeping towards its time limit shows where.
    return [
        str(BIN / "pytest"),
        "-q",
        "-p",
        "no:randomly",
        "-o",
        "faulthandler_timeout=600",
        "--durations=15",
        *args,
    ], env


def stages() -> list[tuple[str, list[str] | None, dict[str, str]]]:
    test_env = {"DJANGO_SETTINGS_MODULE": "config.settings.test"}
    manage = [str(BIN / "python"), "manage.py"]
    sqlite_cmd, sqlite_env = pytest_stage({}, [])
    pg: list[str] | None
    pg, pg_env = pytest_stage({"DATABASE_URL": PG_URL}, ["-m", "not browser"])
    if not pg_reachable():
        if os.environ.get("CI") == "true":
            print(f"PostgreSQL 不可达（{PG_URL}）：CI=true 时这是失败。", file=sys.stderr)
            sys.exit(1)
        print(f"跳过 PostgreSQL 测试：{PG_URL} 不可达（设置 DATABASE_URL_PG 指定其他地址）。")
        pg = None
    prod_check: list[str] | None = [str(BIN / "python"), "scripts/prod_check.py"]
    if pg is None or not reachable(REDIS_URL, 6379):
        if os.environ.get("CI") == "true":
            print(f"Redis 或 PostgreSQL 不可达（{REDIS_URL}）：CI=true 时这是失败。", file=sys.stderr)
            sys.exit(1)
        print(f"跳过生产环境检查：PostgreSQL 或 Redis（{REDIS_URL}）不可达。")
        prod_check = None
    return [
        ("lint", [str(BIN / "ruff"), "check", "."], {}),
        ("format", [str(BIN / "ruff"), "format", "--check", "."], {}),
        ("mypy", [str(BIN / "mypy"), "gongjiang", "config", "benchmarks"], test_env),
        ("check", [*manage, "check", "--fail-level", "WARNING"], test_env),
        ("check-deploy", [*manage, "check", "--deploy", "--fail-level", "WARNING"], PROD_ENV),
        ("migrations", [*manage, "makemigrations", "--check", "--dry-run"], test_env),
        (
            "engine-coverage",
            [
                str(BIN / "pytest"),
                "-q",
                "gongjiang/policy",
                "--ignore=gongjiang/policy/tests/test_batch_equivalence.py",
                "--cov",
                "--cov-config=.coveragerc-engine",
                "--cov-branch",
                "--cov-report=term-missing:skip-covered",
                "--cov-fail-under=100",
            ],
            test_env,
        ),
        ("chromium", [str(ROOT / "scripts" / "ensure-chromium")], {}),
        ("pytest-sqlite", sqlite_cmd, sqlite_env),
        ("pytest-postgres", pg, pg_env),
        ("prod-check", prod_check, {}),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="逗号分隔的阶段名")
    options = parser.parse_args()
    only = {s for s in options.only.split(",") if s}
    timings: list[tuple[str, float, str]] = []
    for name, cmd, env in stages():
        if only and name not in only:
            continue
        if cmd is None:
            timings.append((name, 0.0, "skipped"))
            continue
        print(f"==> {name}: {' '.join(cmd[-3:])}", flush=True)
        start = time.monotonic()
        try:
            result = subprocess.run(  # noqa: S603
                cmd, cwd=ROOT, env={**os.environ, **env}, check=False, timeout=STAGE_TIMEOUT
            )
            returncode = result.returncode
        except subprocess.TimeoutExpired:
            print(f"阶段 {name} 超过 {STAGE_TIMEOUT} 秒，已终止。", file=sys.stderr, flush=True)
            returncode = -1
        elapsed = time.monotonic() - start
        status = "ok" if returncode == 0 else f"FAILED ({returncode})"
        timings.append((name, elapsed, status))
        print(f"<== {name}: {status} in {elapsed:.1f}s", flush=True)
        if returncode != 0:
            break
    print("\nstage times:")
    for name, elapsed, status in timings:
        print(f"  {name:<16} {elapsed:8.1f}s  {status}")
    failed = [t for t in timings if t[2].startswith("FAILED")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
