"""Batch audit benchmark (issue 4): the scan floor, the batch audit and the single-claim engine.

For each N: generate N synthetic lanzhou-xinqu-2025 claims to Parquet, then time in separate child
processes (so peak memory is each stage's own): reading the file and aggregating every column (the
floor), the batch audit with as_of 2025-06-30, and the single-claim engine on a 10,000-claim sample
(extrapolated per claim). Prints a Markdown table with ratios to the floor measured in the same run.

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


def _pack():
    from gongjiang.policy.loader import PACKS_DIR, load_pack

    return load_pack(PACKS_DIR / "lanzhou-xinqu-2025")


def stage(name: str, path: str) -> dict[str, float]:
    import polars as pl

    start = time.perf_counter()
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
        start = time.perf_counter()
        quote_many(requests, packs={"lanzhou-xinqu-2025": _pack()})
        rows = len(requests)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rows": rows, "peak_mb": peak_mb}


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

    print("| N | stage | seconds | claims/s | peak MB | ratio to floor |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = str(Path(tmp) / f"claims-{n}.parquet")
            synthetic_claims(_pack(), n).write_parquet(path)
            floor = run_child("floor", path)
            batch = run_child("batch", path)
            single = run_child("single", path)
            per_claim = single["seconds"] / single["rows"]
            single_total = per_claim * n
            for label, result, seconds in (
                ("scan floor", floor, floor["seconds"]),
                ("batch audit", batch, batch["seconds"]),
                (f"single-claim (×{n // SAMPLE} extrapolated)", single, single_total),
            ):
                print(
                    f"| {n:,} | {label} | {seconds:.2f} | {n / seconds:,.0f} | {result['peak_mb']:.0f} | "
                    f"{seconds / floor['seconds']:.1f}× |",
                    flush=True,
                )
            print(
                f"| {n:,} | batch speed-up over single-claim | | | | {single_total / batch['seconds']:.0f}× |",
                flush=True,
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--stage":
        print(json.dumps(stage(sys.argv[2], sys.argv[3])))
    else:
        main([int(float(a)) for a in sys.argv[1:]] or [100_000, 1_000_000, 10_000_000])
