"""`make bench`: every benchmark; results are copied by hand into docs/performance.md."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.exit(subprocess.call([sys.executable, str(HERE / "batch_audit.py"), *sys.argv[1:]]))  # noqa: S603
