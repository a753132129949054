"""Batch audit benchmark (issue 4): the scan floor, the batch audit and the single-claim engine.

For each N: generate N synthetic lanzhou-xinqu-2025 claims to Parquet, then time in separate child
processes (so peak memory is each stage's own): reading the file and aggregating every column (the
floor), the batch audit with as_of 2025-06-30, and the single-claim engine on a 10,000-claim sample
(extrapolated per claim). Prints a Markdown table with ratios to the floor measured in the same run.

Also measured, beside the targets and clearly labelled (they change no baseline): each stage's CPU
seconds (user + system, the machine is shared), the load average before each N, and a second
single-claim figure where each sampled claim is quoted *with its history* (the same person's earlier
accepted claims, as the batch sees them) — the existing single-claim figure quotes without history.

    python benchmarks/batch_audit.py 100000 1000000 10000000
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_OF = dt.date(2025, 6, 30)
SAMPLE = 10_000
BASE = {"claim_id", "person_id", "institution", "date", "benefit"}


def _pack():
    from gongjiang.policy.loader import PACKS_DIR, load_pack

    return load_pack(PACKS_DIR / "lanzhou-xinqu-2025")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _with_history(path: str) -> list[dict]:
    """About SAMPLE claims of whole persons (every claim of the first persons in the file), each with
    the same person's earlier claims that the batch accepts as history (the quote contract)."""
    import polars as pl

    from gongjiang.policy.batch import audit_claims

    claims = pl.read_parquet(path)
    persons = claims.get_column("person_id").unique(maintain_order=True).head(SAMPLE // 2)
    sample = claims.filter(pl.col("person_id").is_in(persons.implode())).head(SAMPLE)
    results = audit_claims(sample, _pack(), as_of=AS_OF)
    rows = sorted(
        zip(sample.to_dicts(), results.to_dicts(), strict=True),
        key=lambda pair: (pair[0]["person_id"], pair[0]["date"], pair[0]["claim_id"]),
    )
    history: dict[str, list[dict]] = {}
    requests = []
    for row, result in rows:
        facts = {k: v for k, v in row.items() if k not in BASE and v is not None}
        earlier = history.setdefault(row["person_id"], [])
        requests.append(
            {
                "policy": "lanzhou-xinqu-2025",
                "date": AS_OF.isoformat(),
                "benefit": row["benefit"],
                "facts": facts,
                "history": list(earlier),
            }
        )
        if result["accepted"]:
            earlier.append(
                {
                    "date": row["date"].isoformat(),
                    "benefit": row["benefit"],
                    "facts": facts,
                    "amount": str(result["amount"]),
                }
            )
    return requests


def stage(name: str, path: str) -> dict[str, float]:
    import polars as pl

    if name == "single_history":
        from gongjiang.policy.quote import quote_many

        requests = _with_history(path)
        start, cpu = time.perf_counter(), _cpu()
        quote_many(requests, packs={"lanzhou-xinqu-2025": _pack()})
        return {
            "seconds": time.perf_counter() - start,
            "cpu": _cpu() - cpu,
            "rows": len(requests),
            "history": sum(len(r["history"]) for r in requests),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    start, cpu = time.perf_counter(), _cpu()
    if name == "floor":
        frame = pl.read_parquet(path)
        frame.select(pl.all().n_unique()).row(0)
        rows = frame.height
    elif name == "batch":
        from gongjiang.policy.batch import audit_claims

        claims = pl.read_parquet(path)
        result = audit_claims(claims, _pack(), as_of=AS_OF)
        result.select(pl.col("amount").sum()).row(0)
        rows = claims.height
    else:
        from gongjiang.policy.quote import quote_many

        claims = pl.read_parquet(path).head(SAMPLE)
        requests = []
        for row in claims.to_dicts():  # the single-claim engine's own input shape
            facts = {
                k: v
                for k, v in row.items()
                if k not in {"claim_id", "person_id", "institution", "date", "benefit"}
            }
            requests.append(
                {
                    "policy": "lanzhou-xinqu-2025",
                    "date": AS_OF.isoformat(),
                    "benefit": row["benefit"],
                    "facts": {k: v for k, v in facts.items() if v is not None},
                }
            )
        start, cpu = time.perf_counter(), _cpu()
        quote_many(requests, packs={"lanzhou-xinqu-2025": _pack()})
        rows = len(requests)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": _cpu() - cpu, "rows": rows, "peak_mb": peak_mb}


def run_child(name: str, path: str) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--stage", name, path],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "POLARS_MAX_THREADS": os.environ.get("POLARS_MAX_THREADS", "2")},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    from gongjiang.policy.synthetic import synthetic_claims

    print("| N | stage | seconds | claims/s | peak MB | ratio to floor | CPU s (extra) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = str(Path(tmp) / f"claims-{n}.parquet")
            synthetic_claims(_pack(), n).write_parquet(path)
            load = os.getloadavg()
            floor = run_child("floor", path)
            batch = run_child("batch", path)
            single = run_child("single", path)
            per_claim = single["seconds"] / single["rows"]
            single_total = per_claim * n
            for label, result, seconds, cpu in (
                ("scan floor", floor, floor["seconds"], floor["cpu"]),
                ("batch audit", batch, batch["seconds"], batch["cpu"]),
                (
                    f"single-claim (×{n // SAMPLE} extrapolated)",
                    single,
                    single_total,
                    single["cpu"] / single["rows"] * n,
                ),
            ):
                print(
                    f"| {n:,} | {label} | {seconds:.2f} | {n / seconds:,.0f} | {result['peak_mb']:.0f} | "
                    f"{seconds / floor['seconds']:.1f}× | {cpu:.1f} |",
                    flush=True,
                )
            print(
                f"| {n:,} | batch speed-up over single-claim | | | | {single_total / batch['seconds']:.0f}× | "
                f"{single['cpu'] / single['rows'] * n / batch['cpu']:.0f}× |",
                flush=True,
            )
            history = run_child("single_history", path)
            with_history = history["seconds"] / history["rows"] * n
            print(
                f"| {n:,} | (extra) single-claim with history, {history['rows']:,} claims, "
                f"{history['history']:,} history items (×{n / history['rows']:.0f} extrapolated) | "
                f"{with_history:.2f} | {n / with_history:,.0f} | {history['peak_mb']:.0f} | "
                f"{with_history / floor['seconds']:.1f}× | {history['cpu'] / history['rows'] * n:.1f} |",
                flush=True,
            )
            print(
                f"| {n:,} | (extra) batch speed-up over single-claim with history | | | | "
                f"{with_history / batch['seconds']:.0f}× | |",
                flush=True,
            )
            print(
                f"| {n:,} | (extra) load average before this N (1, 5, 15 min) | {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} | | | | |",
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--stage":
        print(json.dumps(stage(sys.argv[2], sys.argv[3])))
    else:
        main([int(float(a)) for a in sys.argv[1:]] or [100_000, 1_000_000, 10_000_000])
