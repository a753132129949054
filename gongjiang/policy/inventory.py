"""Every money figure in the five policy texts, and the inventory that accounts for each.

`extract_figures(text)` finds each amount as written — "500元", "500-800元", "2000、1000、500元",
"50万元、30万元", "300-500万元", "5000 元-9000 元" — and yields one `Figure` per number, in yuan.
`packs/INVENTORY.yaml` maps each figure (by file, amount and a fragment of its context) to a
parameter path, or to `not_a_benefit: <why>`. Tests hold both directions: no figure unmapped, no
entry that matches nothing, and every mapped parameter carries that amount.

    python -m gongjiang.policy.inventory ../shared/seeds/002_*.txt   # list figures with context
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

NUMBER = r"\d+(?:\.\d+)?"
SEPARATOR = r"\s*(?:、|-|—|－|~|～|至)\s*"
FIGURE = re.compile(rf"(?:{NUMBER}\s*万?\s*元?(?:/人)?{SEPARATOR})*{NUMBER}\s*万?\s*元")
ONE = re.compile(rf"({NUMBER})\s*(万)?")
INVENTORY_PATH = Path(__file__).resolve().parent / "packs" / "INVENTORY.yaml"


@dataclass(frozen=True)
class Figure:
    file: str
    amount: Decimal
    start: int
    written: str
    context: str


def extract_figures(text: str, file: str = "") -> list[Figure]:
    figures = []
    for match in FIGURE.finditer(text):
        written = match.group(0)
        whole_wan = re.search(r"万\s*元$", written) is not None
        for number in ONE.finditer(written):
            value = Decimal(number.group(1))
            if number.group(2) or (whole_wan and "元" not in written[number.end() : number.end() + 3]):
                value *= 10000
            start = match.start() + number.start()
            context = re.sub(r"\s+", " ", text[max(0, start - 40) : start + 30])
            figures.append(Figure(file, value, start, written, context))
    return figures


def load_inventory(path: Path = INVENTORY_PATH) -> dict[str, list[dict[str, object]]]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def main(argv: list[str]) -> int:
    for name in argv:
        text = Path(name).read_text(encoding="utf-8")
        for figure in extract_figures(text, Path(name).name):
            print(f"{figure.amount:>12}  {figure.written!r:30}  …{figure.context}…")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
