"""The `gongjiang` console script: manage.py with the project's settings default.

`gongjiang audit verify`, `gongjiang demo_load`, `gongjiang catalog_load …` and every later domain
command are Django management commands, so they share settings, database and error handling.
Misuse exits with code 2 and a message on stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    argv = ["gongjiang", *sys.argv[1:]]
    if len(argv) >= 2 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")  # `gongjiang audit-claims` runs the audit_claims command
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
