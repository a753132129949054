"""lanzhou-xinqu-2024 (新政办发〔2024〕31号): the cases in cases/lanzhou-xinqu-2024.yaml,
quoted through `quote_many` exactly as the API does."""

from __future__ import annotations

import pytest

from gongjiang.policy.loader import PACKS_DIR, load_pack
from gongjiang.policy.model import Pack
from gongjiang.policy.tests.casebook import check, load_cases, parameters_named_by_benefits

PACK_ID = "lanzhou-xinqu-2024"
CASES = load_cases(PACK_ID)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACKS_DIR / PACK_ID)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(pack, case):
    # given a claim as the bureau would enter it; when quoted; then as worked by hand from the clause
    check(PACK_ID, case, pack)


def test_every_parameter_is_quotable_through_a_benefit(pack):
    assert set(pack.parameters) == parameters_named_by_benefits(pack)
