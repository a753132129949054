"""Every money figure of the five texts is accounted for (issue 3, INVENTORY.yaml).

packs/INVENTORY.yaml maps each seed file to its figures: a parameter path whose value (or range
bound) is that amount, or `not_a_benefit` with the reason. The figures are extracted from the texts
themselves when ../shared/seeds exists (CI has it), so a figure the inventory misses fails here.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from gongjiang.policy.inventory import extract_figures, load_inventory
from gongjiang.policy.loader import installed_packs

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
PACK_OF_FILE = {
    "000_300a128483aeb037.txt": "lanzhou-xinqu-2024",
    "001_8f240bce2d11571c.txt": "taierzhuang-2021",
    "002_88eeb03758740620.txt": "shangyu-2023",
    "003_9bac5caab1762fea.txt": "huzhou-2021",
    "004_5605efb67bc5a9a2.txt": "lanzhou-xinqu-2025",
}


def _figures(name: str):
    return extract_figures((SEEDS / name).read_text(encoding="utf-8"), name)


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not beside this checkout")
@pytest.mark.parametrize("name", sorted(PACK_OF_FILE))
def test_every_figure_in_the_text_is_in_the_inventory(name):
    # given the figures as they occur in the text, numbered per amount
    seen: Counter[Decimal] = Counter()
    occurrences = []
    for figure in _figures(name):
        seen[figure.amount] += 1
        occurrences.append((figure.amount, seen[figure.amount], figure.written))
    entries = {(Decimal(str(e["amount"])), int(e.get("nth", 1))): e for e in load_inventory()[name]}
    # then each occurrence has an entry quoting it exactly, and no entry is left over
    missing = [(str(a), n, w) for a, n, w in occurrences if (a, n) not in entries]
    assert not missing, f"{name}: figures not in INVENTORY.yaml: {missing}"
    for amount, nth, written in occurrences:
        assert entries[(amount, nth)]["written"] == written, (name, amount, nth)
    extra = set(entries) - {(a, n) for a, n, _ in occurrences}
    assert not extra, f"{name}: inventory entries matching no figure: {sorted(extra)}"


@pytest.mark.parametrize("name", sorted(PACK_OF_FILE))
def test_every_inventory_entry_maps_to_a_parameter_with_that_amount(name):
    pack = installed_packs()[PACK_OF_FILE[name]]
    for entry in load_inventory()[name]:
        if "not_a_benefit" in entry:
            assert str(entry["not_a_benefit"]).strip(), entry
            assert "parameter" not in entry, entry
            continue
        parameter = pack.parameters.get(str(entry["parameter"]))
        assert parameter is not None, f"{name}: unknown parameter {entry['parameter']}"
        amount = Decimal(str(entry["amount"]))
        carried = (
            {v.amount for v in parameter.values}
            | {v.minimum for v in parameter.values}
            | {v.maximum for v in parameter.values}
        )
        assert amount in carried, f"{name}: {entry['parameter']} does not carry {amount}"


def test_every_parameter_has_a_citation():
    for pack in installed_packs().values():
        for parameter in pack.parameters.values():
            for value in parameter.values:
                assert value.ended or value.reference.strip(), f"{pack.id} {parameter.path} {value.start}"


def test_inventory_counts_about_the_issue_estimate():
    # the issue counts "about 110" figures across the five texts
    total = sum(len(entries) for entries in load_inventory().values())
    assert 100 <= total <= 140


MONEY_UNITS = {"yuan", "yuan_per_day", "yuan_per_month", "yuan_per_year"}


def test_money_parameters_and_only_they_are_inventory_figures():
    # The inventory tracks money figures (元): every parameter in yuan carries a figure of its text,
    # and no ratio, count, hours or months parameter is mapped as one. A ratio such as the
    # 四(三) 黑白名单 factors (新民社发〔2025〕13号 gives no figure: 1, pending) is not a money figure.
    mapped = {
        (PACK_OF_FILE[name], str(entry["parameter"]))
        for name, entries in load_inventory().items()
        for entry in entries
        if "parameter" in entry
    }
    for pack in installed_packs().values():
        for parameter in pack.parameters.values():
            key = (pack.id, parameter.path)
            assert (key in mapped) == (parameter.unit in MONEY_UNITS), (key, parameter.unit)
    factors = [
        p
        for p in installed_packs()["lanzhou-xinqu-2025"].parameters.values()
        if p.path.startswith("list_factor.")
    ]
    assert [(p.path, p.unit, p.values[0].amount) for p in factors] == [
        ("list_factor.white", "ratio", Decimal(1)),
        ("list_factor.normal", "ratio", Decimal(1)),
        ("list_factor.black", "ratio", Decimal(1)),
    ]
