"""`make bench`: every benchmark; results are copied by hand into docs/performance.md.

make bench                      # batch audit, then the load test on the production stack
.venv/bin/python benchmarks/run.py load      # only the load test (benchmarks/load.py)
.venv/bin/python benchmarks/run.py batch_audit [args]
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["batch_audit", "load"]

if __name__ == "__main__":
    args = sys.argv[1:]
    chosen = [args.pop(0)] if args and args[0] in BENCHMARKS else BENCHMARKS
    status = 0
    for name in chosen:
        extra = args if len(chosen) == 1 else []
        status |= subprocess.call([sys.executable, str(HERE / f"{name}.py"), *extra])  # noqa: S603
    sys.exit(status)
