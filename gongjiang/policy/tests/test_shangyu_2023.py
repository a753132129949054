"""虞人社〔2023〕19号 (shangyu-2023): the YAML cases, the pack's citations and its money inventory.

The cases in cases/shangyu-2023.yaml are worked by hand from the text, each citing its clause; here
they run through the quote contract (`quote_many`), which needs no database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gongjiang.policy.loader import PACKS_DIR, load_pack
from gongjiang.policy.quote import quote_many
from gongjiang.policy.reasons import MESSAGES
from gongjiang.policy.tests.casebook import check, load_cases

PACK_ID = "shangyu-2023"
DOCUMENT = "虞人社〔2023〕19号"
CASES = load_cases(PACK_ID)


@pytest.fixture(scope="module")
def pack():
    return load_pack(PACKS_DIR / PACK_ID)


def _quote(pack, request: dict[str, Any]) -> dict[str, Any]:
    return quote_many([request], packs={PACK_ID: pack})[0]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(pack, case):
    # given a claim worked by hand from the clause it cites; when quoted; then as worked
    result = check(PACK_ID, case, pack)
    assert result["policy_version"] == (f"{PACK_ID}@2023-01-01" if case["date"].year >= 2023 else None)


def test_worked_example_post_allowance_36_monthly_instalments(pack):
    # given a newly obtained shortage-occupation 技师, an insured on-post employee, 36 months
    request = {
        "policy": PACK_ID,
        "date": "2023-06-15",
        "benefit": "post_allowance",
        "facts": {
            "certificate": "technician",
            "newly_obtained": True,
            "shortage_occupation": True,
            "insured_employee": True,
            "months": 36,
        },
    }
    # when quoted
    result = _quote(pack, request)
    # then 300 × 36 = 10800.00, in 36 monthly instalments of 300.00 from the claim month
    assert result["eligible"] is True
    assert result["amount"] == "10800.00"
    schedule = result["schedule"]
    assert [item["amount"] for item in schedule] == ["300.00"] * 36
    assert schedule[0]["due"] == "2023-06"
    assert schedule[7]["due"] == "2024-01"
    assert schedule[-1]["due"] == "2026-05"
    assert all(step["citation"].startswith(DOCUMENT) for step in result["trace"])


def test_cases_cite_the_document_and_use_known_reason_codes(pack):
    for case in CASES:
        assert case["clause"].startswith(DOCUMENT), case["name"]
        assert case["benefit"] in pack.benefits, case["name"]
        for code in case["output"].get("reasons", []):
            assert code in MESSAGES, (case["name"], code)
    assert len({c["name"] for c in CASES}) == len(CASES)


def test_every_benefit_has_a_case(pack):
    assert set(pack.benefits) == {case["benefit"] for case in CASES}


def test_pack_identity(pack):
    assert pack.id == PACK_ID
    assert pack.jurisdiction == "shangyu"
    assert pack.document == DOCUMENT
    assert [v.date for v in pack.versions] == [dt.date(2023, 1, 1)]
    assert pack.versions[0].document == DOCUMENT
    assert "effective_date" in {i["id"] for i in pack.interpretations}


def test_every_parameter_has_a_reference_to_the_document(pack):
    for parameter in pack.parameters.values():
        assert parameter.description.strip(), parameter.path
        for value in parameter.values:
            assert value.reference.startswith(DOCUMENT + " "), parameter.path
            assert not value.is_range or value.maximum is not None or value.minimum is not None


def _valid_facts(benefit) -> list[dict[str, Any]]:
    """One set of valid facts per enum choice (every choice must be quotable)."""
    base: dict[str, Any] = {}
    enum = None
    for name, spec in benefit.facts.items():
        if spec.type == "enum":
            enum = name
            base[name] = spec.choices[0]
        elif spec.type == "bool":
            base[name] = True
        else:  # int: above every threshold and group size of the document
            base[name] = 200
    if "in_province_outside_district" in base:  # the outside-district hires are among the qualifying
        base.update(in_province_outside_district=50, out_of_province=50)
    if enum is None:
        return [base]
    return [{**base, enum: choice} for choice in benefit.facts[enum].choices]


def test_every_benefit_is_quotable_with_valid_facts(pack):
    for key, benefit in pack.benefits.items():
        for facts in _valid_facts(benefit):
            # given valid facts for the benefit
            request = {"policy": PACK_ID, "date": "2023-06-15", "benefit": key, "facts": facts}
            # when quoted
            result = _quote(pack, request)
            # then it is payable, with a positive amount and a cited trace
            assert result["eligible"] is True, (key, facts, result["reasons"])
            assert Decimal(result["amount"]) > 0, (key, facts)
            assert result["trace"], key
            assert benefit.citation.startswith(DOCUMENT), key
