"""Load on the production stack (issue 8): locust on loopback against gunicorn + PostgreSQL + Redis.

    .venv/bin/python benchmarks/load.py [--workers 2] [--users 16] [--seconds 60]

Starts the prod-check stack (`scripts/prod_stack.py`: a database of its own, created and dropped),
seeds reviewers with TOTP secrets, institution clerks and a few hundred people (and, with
`GONGJIANG_LOAD_ATTENDANCE=1`, a running class with a face terminal for device check-ins), runs
`benchmarks/locustfile.py` headless, and prints per request type: requests, failures, throughput
and p50/p95/p99; and the CPU time each group of processes used during the run (app workers,
PostgreSQL, Redis, the load generator), which names the bottleneck. The load generator and the app
share this machine's cores: the figures are for that, and say so.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from prod_stack import BIN, Browser, ProdStack, reachable  # noqa: E402

PG_URL = os.environ.get("DATABASE_URL_PG", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

SEED = r"""
import json, os
import pyotp
from gongjiang.core.models import Jurisdiction, TotpDevice, User
from gongjiang.core.pii import encrypt
from gongjiang.core.services import user_create
from gongjiang.registry import services
from gongjiang.registry.validators import credit_code_with_check_digit, resident_id_with_check_digit
from django.utils import timezone

j = Jurisdiction.objects.get(code="lanzhou-xinqu")
admin = User.objects.get(username="prodcheck-admin")
institution = services.institution_create(
    actor=admin, jurisdiction=j, name="负载测试培训学校", credit_code=credit_code_with_check_digit("91620100MA0000001"),
    filing_status="filed",
)
for i in range(int(os.environ["N_PEOPLE"])):
    person = services.person_create(
        actor=admin, jurisdiction=j, name=f"学员{i:04d}", household_type="rural",
        id_number=resident_id_with_check_digit(f"6201{i // 999 + 10:02d}19900101{i % 999:03d}"),
        phone=f"138{i:08d}",
    )
    services.institution_trainee_register(actor=admin, institution=institution, person=person)
users = {"reviewers": [], "clerks": []}
for i in range(int(os.environ["N_REVIEWERS"])):
    password, secret = f"load reviewer pass {i:03d}", pyotp.random_base32()
    user = user_create(actor=admin, username=f"reviewer{i:03d}", password=password, role="centre_reviewer", jurisdictions=[j])
    TotpDevice.objects.create(user=user, secret_encrypted=encrypt(secret), confirmed_at=timezone.now())
    users["reviewers"].append({"username": user.username, "password": password, "secret": secret})
for i in range(int(os.environ["N_CLERKS"])):
    password = f"load clerk pass {i:03d}"
    user = user_create(actor=admin, username=f"clerk{i:03d}", password=password, role="institution_clerk",
                       jurisdictions=[j], institution=institution)
    users["clerks"].append({"username": user.username, "password": password})
if os.environ.get("GONGJIANG_LOAD_ATTENDANCE") == "1":
    # Device users (issue 5): a running class of N_TRAINEES and one face terminal with its key.
    from gongjiang.training.smoke import running_class_for_checks

    users["device"] = running_class_for_checks(
        actor=admin, jurisdiction=j, trainees=int(os.environ.get("N_TRAINEES", "40")), tag="88"
    )
if os.environ.get("GONGJIANG_LOAD_ATTENDANCE") == "1":
    # The reviewers' funds queue (issue 6): N_APPLICATIONS training-subsidy applications of the
    # institution, 10 trainees each, submitted and waiting for review (附件3 A类 焊工 lines).
    import datetime as dt
    from decimal import Decimal
    from gongjiang.core.models import User as _User
    from gongjiang.funds import config as funds_config, services as funds
    from gongjiang.funds.models import FundSource
    from gongjiang.registry.models import Person

    funds.funds_config_load(actor=admin, jurisdiction=j)
    fund = FundSource.objects.get(jurisdiction=j, code="lanzhou_skill_upgrade")
    funds.fund_budget_set(actor=admin, fund_source=fund, year=2025, amount=Decimal("10000000.00"), note="负载测试")
    clerk = _User.objects.get(username="clerk000")
    materials = {item["code"]: True for item in funds_config.checklist_for("training_subsidy")}
    people = list(Person.objects.filter(jurisdiction=j, name__startswith="学员").order_by("id"))
    facts = {"training_type": "employment", "occupation": "焊工", "level": "cert", "class_hours": 120,
             "rural_or_lowincome": False, "training_days": 15}
    for a in range(int(os.environ.get("N_APPLICATIONS", "20"))):
        application = funds.application_create(
            actor=clerk, applicant_kind="institution", applicant=institution, policy="lanzhou-xinqu-2025",
            benefit="training_subsidy", claim_date=dt.date(2025, 11, 14),
        )
        for person in people[a * 10:(a + 1) * 10]:
            funds.application_line_add(actor=clerk, application=application, person=person, facts=dict(facts))
        funds.application_checklist_set(actor=clerk, application=application, items=materials)
        funds.application_submit(actor=clerk, application=application, today=dt.date(2025, 11, 14))
print("USERS=" + json.dumps(users))
"""


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / CLOCK_TICKS


def pids_named(name: str) -> list[int]:
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == name:
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


QUOTE = {
    "policy": "lanzhou-xinqu-2025",
    "date": "2025-06-01",
    "benefit": "training_subsidy",
    "facts": {
        "training_type": "employment",
        "occupation": "快递员",
        "level": "cert",
        "class_hours": 60,
        "rural_or_lowincome": True,
        "training_days": 20,
    },
    "history": [],
}


def calibrate(
    stack: ProdStack, reviewer: dict, clerk: dict, device: dict | None, rounds: int = 30
) -> dict[str, float]:
    """CPU milliseconds the app processes spend per request of each kind, one request at a time.

    CPU time, unlike wall time, hardly depends on what else the machine is doing, so this is the
    figure to size cores with; the locust run below shows latency and throughput under contention."""
    app = stack.app_pids()
    browser = Browser(stack.base_url)
    browser.log_in(reviewer["username"], reviewer["password"], reviewer["secret"])

    def per_request(fn, n: int) -> float:
        before = cpu_seconds(app)
        for _ in range(n):
            fn()
        return round((cpu_seconds(app) - before) * 1000 / n, 1)

    def clerk_log_in() -> None:
        other = Browser(stack.base_url)
        other.get("/login/")
        status, _h, _b = other.post(
            "/login/", form={"username": clerk["username"], "password": clerk["password"]}
        )
        assert status == 302, status

    figures = {
        "GET /api/core/health": per_request(lambda: browser.get("/api/core/health"), rounds * 2),
        "POST /api/quote": per_request(lambda: browser.post("/api/quote", json_body=QUOTE), rounds * 2),
        "GET /registry/people/": per_request(lambda: browser.get("/registry/people/"), rounds),
        "log-in (clerk: GET + POST /login/)": per_request(clerk_log_in, max(3, rounds // 6)),
    }
    if device:
        terminal = Browser(stack.base_url)
        moments = iter(range(10**6))

        def check_in() -> None:
            # Distinct people and seconds from the locust users' (who start at 07:30): 06:00 onwards.
            n = next(moments)
            body = {
                "serial": device["serial"],
                "id_number": device["id_numbers"][n % len(device["id_numbers"])],
                "class_code": device["class_code"],
                "occurred_at": f"{device['day']}T06:{n // 60 % 60:02d}:{n % 60:02d}+08:00",
                "method": "face",
                "match_score": "93.00",
            }
            status, _h, text = terminal.post(
                "/api/attendance", json_body=body, headers={"X-Device-Key": device["key"]}
            )
            assert status == 201, (status, text[:200])

        figures["POST /api/attendance (device)"] = per_request(check_in, rounds * 2)
        for path in ("/training/anomalies/", "/training/review/", "/funds/review-queue/"):
            figures[f"GET {path}"] = per_request(lambda path=path: browser.get(path), rounds)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--people", type=int, default=300)
    options = parser.parse_args()
    if not reachable(PG_URL, 5432) or not reachable(REDIS_URL, 6379):
        print("负载测试需要 PostgreSQL 与 Redis", file=sys.stderr)
        return 1
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    with ProdStack(PG_URL, REDIS_URL, workers=options.workers, label="load") as stack:
        stack.keep_logs_in = out / f"logs-w{options.workers}"
        seed_env = {
            **stack.env,
            "N_REVIEWERS": str(options.users + 1),
            "N_CLERKS": "4",
            "N_PEOPLE": str(options.people),
        }
        seeded = subprocess.run(  # noqa: S603
            [str(BIN / "gongjiang"), "shell", "-c", SEED],
            cwd=ROOT,
            env=seed_env,
            capture_output=True,
            text=True,
            check=True,
        )
        users_all = json.loads(
            next(line[6:] for line in seeded.stdout.splitlines() if line.startswith("USERS="))
        )
        # The first reviewer calibrates; locust gets the others (a TOTP code works once per user).
        calibration = calibrate(
            stack, users_all["reviewers"][0], users_all["clerks"][0], users_all.get("device")
        )
        users = json.dumps(
            {
                "reviewers": users_all["reviewers"][1:],
                "clerks": users_all["clerks"],
                "device": users_all.get("device"),
            }
        )
        if users_all.get("device"):
            print(
                "考勤上报：Device 用户向 /api/attendance 发送设备签到（GONGJIANG_LOAD_ATTENDANCE=1）。",
                flush=True,
            )
        else:
            print("考勤上报：未启用（设置 GONGJIANG_LOAD_ATTENDANCE=1 以加入 Device 用户）。", flush=True)
        app = stack.app_pids()
        groups = {
            "app workers": lambda: app,
            "db_worker": lambda: [stack.worker_pid()],
            "postgres": lambda: pids_named("postgres"),
            "redis": lambda: pids_named("redis-server"),
        }
        before = {name: cpu_seconds(get()) for name, get in groups.items()}
        csv_prefix = out / f"load-w{options.workers}"
        locust = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(options.users),
                "--spawn-rate",
                str(max(1, options.users // 2)),
                "--run-time",
                f"{options.seconds}s",
                "--host",
                stack.base_url,
                "--csv",
                str(csv_prefix),
                "--only-summary",
                "--stop-timeout",
                "5",
            ],
            cwd=ROOT,
            env={**os.environ, "GONGJIANG_LOAD_USERS": users},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started = time.monotonic()
        locust_cpu = 0.0
        while locust.poll() is None:
            locust_cpu = max(locust_cpu, cpu_seconds([locust.pid]))
            time.sleep(0.5)
            if time.monotonic() - started > options.seconds + 60:
                locust.kill()
                print("locust 超时，已强制结束", file=sys.stderr)
                return 1
        wall = time.monotonic() - started
        after = {name: cpu_seconds(get()) for name, get in groups.items()}
        stderr = locust.stderr.read().decode() if locust.stderr else ""
        if locust.returncode not in (0, 1):  # 1: some requests failed, still a result
            print(stderr[-3000:], file=sys.stderr)
            return 1
    rows = list(csv.DictReader((csv_prefix.with_name(csv_prefix.name + "_stats.csv")).open()))
    cpu = {name: after[name] - before[name] for name in groups}
    cpu["locust"] = locust_cpu
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "workers": options.workers,
        "users": options.users,
        "seconds": options.seconds,
        "wall_seconds": round(wall, 1),
        "cores": os.cpu_count(),
        "cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
        "cpu_ms_per_request_sequential": calibration,
        "stats": [
            {
                "name": (r["Name"] if " " in r["Name"] else f"{r['Type']} {r['Name']}")
                if r["Name"] != "Aggregated"
                else "all",
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "rps": float(r["Requests/s"]),
                "p50": r["50%"],
                "p95": r["95%"],
                "p99": r["99%"],
            }
            for r in rows
        ],
    }
    (out / f"load-w{options.workers}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(
        f"\n{options.workers} 个应用进程，{options.users} 个并发用户，{options.seconds}s；本机 {os.cpu_count()} 核由负载生成器与应用共用"
    )
    print("| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for s in report["stats"]:
        print(
            f"| {s['name']} | {s['requests']} | {s['failures']} | {s['rps']:.1f} | {s['p50']} | {s['p95']} | {s['p99']} |"
        )
    print(
        f"\nCPU seconds during the run (wall {wall:.0f}s × {os.cpu_count()} cores = {wall * (os.cpu_count() or 1):.0f} core-seconds):"
    )
    for name, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<12} {seconds:7.1f}")
    print("\nApp CPU ms per request, one at a time (sizing basis):")
    for name, ms in calibration.items():
        print(f"  {name:<36} {ms:7.1f} ms  → about {1000 / ms if ms else 0:,.0f} per second per app core")
    print(f"\n结果：{out / f'load-w{options.workers}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
