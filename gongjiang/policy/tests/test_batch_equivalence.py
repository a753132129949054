"""The Polars batch audit gives exactly the quote engine's decisions (新民社发〔2025〕13号 pack).

Each generated batch is audited at once; then every claim is quoted on its own with, as history,
the same person's earlier claims (by date, then claim_id) that the batch accepted. Both must agree
on acceptance, reason codes (in order) and amount.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.policy import batch
from gongjiang.policy.batch import audit_claims
from gongjiang.policy.loader import PACKS_DIR, load_pack
from gongjiang.policy.model import Pack
from gongjiang.policy.quote import quote_many

PACK_ID = "lanzhou-xinqu-2025"
BASE = load_pack(PACKS_DIR / PACK_ID)
UNKNOWN = "宇航员"
OCCUPATIONS = [
    *[name for cls in "ABCD" for name in [n for n, c in BASE.occupation_classes.items() if c == cls][:2]],
    UNKNOWN,
]
CLASS_MIN = {"A": 120, "B": 100, "C": 80, "D": 60}
COURSE_MIN = {"GYB": 24, "SYB": 56, "IYB": 56, "EYB": 48, "NET": 56, "PRACTICE": 56}
FIXED_DAYS = [
    dt.date(2024, 12, 31),
    dt.date(2025, 1, 1),
    dt.date(2025, 3, 1),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 1),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 1),
]
FACTS = (
    "training_type",
    "occupation",
    "level",
    "class_hours",
    "shortage",
    "rural_or_lowincome",
    "training_days",
    "course",
    "certificate_obtained",
    "employed",
)
SCHEMA: dict[str, Any] = {
    "claim_id": pl.String,
    "person_id": pl.String,
    "institution": pl.String,
    "date": pl.Date,
    "benefit": pl.String,
    **batch.FACT_COLUMNS,
}


# packs -----------------------------------------------------------------------------------------------
def _copy(root: Path) -> Path:
    target = root / PACK_ID
    shutil.copytree(PACKS_DIR / PACK_ID, target)
    return target


def _amended(root: Path) -> Pack:
    """From 2025-07-01: SYB raised to 1800 and the 20% shortage uplift ended (a fixture)."""
    pack_dir = _copy(root)
    meta = yaml.safe_load((pack_dir / "pack.yaml").read_text(encoding="utf-8"))
    meta["versions"].append(
        {"date": dt.date(2025, 7, 1), "document": "测试用修订（虚构）", "note": "fixture"}
    )
    (pack_dir / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    startup = yaml.safe_load((pack_dir / "parameters" / "startup.yaml").read_text(encoding="utf-8"))
    startup["SYB"]["values"][dt.date(2025, 7, 1)] = {"value": 1800, "reference": "测试用修订 SYB 1800元"}
    (pack_dir / "parameters" / "startup.yaml").write_text(
        yaml.safe_dump(startup, allow_unicode=True), encoding="utf-8"
    )
    uplift = yaml.safe_load((pack_dir / "parameters" / "uplift.yaml").read_text(encoding="utf-8"))
    uplift["shortage"]["values"][dt.date(2025, 7, 1)] = None
    (pack_dir / "parameters" / "uplift.yaml").write_text(
        yaml.safe_dump(uplift, allow_unicode=True), encoding="utf-8"
    )
    return load_pack(pack_dir)


def _early(root: Path) -> Pack:
    """The pack in force from 2022-01-01, so that a person can reach the lifetime cap of 3."""
    pack_dir = _copy(root)
    for path in [pack_dir / "pack.yaml", *sorted((pack_dir / "parameters").glob("*.yaml"))]:
        path.write_text(
            path.read_text(encoding="utf-8").replace("2025-01-01", "2022-01-01"), encoding="utf-8"
        )
    return load_pack(pack_dir)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pack]:
    return {
        "base": BASE,
        "amended": _amended(tmp_path_factory.mktemp("amended")),
        "early": _early(tmp_path_factory.mktemp("early")),
    }


# strategies ----------------------------------------------------------------------------------------
def _hours(minimum: int) -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([minimum - 1, minimum, minimum + 1]), st.integers(0, 200))


@st.composite
def _claim(draw: st.DrawFn, first_day: dt.date) -> dict[str, Any]:
    benefit = draw(st.sampled_from(sorted(BASE.benefits)))
    day = draw(st.one_of(st.sampled_from(FIXED_DAYS), st.dates(first_day, dt.date(2026, 2, 1))))
    row: dict[str, Any] = {
        "date": day,
        "benefit": benefit,
        "institution": draw(st.sampled_from([None, "机构甲"])),
    }
    occupation = draw(st.sampled_from(OCCUPATIONS))
    if benefit in ("training_subsidy", "project_training"):
        cls = BASE.occupation_classes.get(occupation)
        minimum = 60 if benefit == "project_training" else CLASS_MIN.get(cls or "", 100)
        row.update(
            training_type=draw(st.sampled_from(["employment", "enterprise_post"])),
            occupation=occupation,
            level=draw(st.sampled_from(["cert", "senior", "technician", "senior_technician"])),
            class_hours=draw(_hours(minimum)),
            shortage=draw(st.sampled_from([None, True, False])),
            rural_or_lowincome=draw(st.booleans()),
            training_days=draw(st.integers(0, 30)),
        )
        if benefit == "project_training":
            row.update(
                certificate_obtained=draw(st.booleans()),
                employed=draw(st.sampled_from([None, True, False])),
                rural_or_lowincome=draw(st.sampled_from([None, True, False])),
                training_days=draw(st.one_of(st.none(), st.integers(0, 30))),
            )
    elif benefit == "startup_training":
        course = draw(st.sampled_from(sorted(COURSE_MIN)))
        row.update(course=course, class_hours=draw(_hours(COURSE_MIN[course])))
    elif benefit == "apprentice_subsidy":
        row.update(
            level=draw(st.sampled_from(["junior", "intermediate", "senior"])),
            occupation=occupation,
            shortage=draw(st.booleans()),
        )
    return row


@st.composite
def _batch(draw: st.DrawFn, first_day: dt.date) -> pl.DataFrame:
    rows = []
    for person in range(draw(st.integers(1, 3))):
        for row in draw(st.lists(_claim(first_day), min_size=1, max_size=12)):
            rows.append({**row, "person_id": f"p{person}"})
    ids = draw(st.permutations(range(len(rows))))
    rows = [{**row, "claim_id": f"c{n:02d}"} for row, n in zip(rows, ids, strict=True)]
    return pl.DataFrame(rows, schema=SCHEMA)


ENTRY = st.fixed_dictionaries(
    {
        "occupation": st.sampled_from(OCCUPATIONS),
        "valid_from": st.dates(dt.date(2024, 6, 1), dt.date(2026, 1, 1)),
        "valid_to": st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2026, 6, 1))),
    }
)
ENTRIES = st.one_of(
    st.none(),
    st.lists(ENTRY, max_size=5).map(
        lambda rows: pl.DataFrame(
            rows, schema={"occupation": pl.String, "valid_from": pl.Date, "valid_to": pl.Date}
        )
    ),
)


# the oracle ----------------------------------------------------------------------------------------
def _facts(pack: Pack, row: dict[str, Any]) -> dict[str, Any]:
    names = pack.benefits[row["benefit"]].facts
    return {name: row[name] for name in FACTS if name in names and row[name] is not None}


def _quote(
    claims: pl.DataFrame, result: pl.DataFrame, pack: Pack, entries: pl.DataFrame | None
) -> list[dict]:
    rows = claims.to_dicts()  # the oracle may loop over rows; the engine may not
    accepted = dict(
        zip(result["claim_id"], zip(result["accepted"], result["amount"], strict=True), strict=True)
    )
    order = sorted(rows, key=lambda r: (r["person_id"], r["date"], r["claim_id"]))
    history: dict[str, list[dict[str, Any]]] = {}
    requests = {}
    for row in order:
        earlier = history.setdefault(row["person_id"], [])
        requests[row["claim_id"]] = {
            "policy": pack.id,
            "date": row["date"].isoformat(),
            "benefit": row["benefit"],
            "facts": _facts(pack, row),
            "history": list(earlier),
        }
        ok, amount = accepted[row["claim_id"]]
        if ok:
            earlier.append(
                {
                    "date": row["date"].isoformat(),
                    "benefit": row["benefit"],
                    "facts": _facts(pack, row),
                    "amount": str(amount),
                }
            )
    entry_rows = entries.to_dicts() if entries is not None else []

    def lookup(_pack: Pack, day: dt.date) -> frozenset[str]:
        return frozenset(
            e["occupation"]
            for e in entry_rows
            if e["valid_from"] <= day and (e["valid_to"] is None or day <= e["valid_to"])
        )

    return quote_many([requests[r["claim_id"]] for r in rows], packs={pack.id: pack}, shortage_lookup=lookup)


def _assert_equivalent(claims: pl.DataFrame, pack: Pack, entries: pl.DataFrame | None) -> pl.DataFrame:
    result = audit_claims(claims, pack, shortage_entries=entries)
    assert result.columns == ["claim_id", "accepted", "reasons", "amount", "policy_version"]
    assert result.schema["amount"] == pl.Decimal(18, 2)
    assert result["claim_id"].to_list() == claims["claim_id"].to_list()
    expected = _quote(claims, result, pack, entries)
    for got, want in zip(result.to_dicts(), expected, strict=True):
        assert (
            got["claim_id"],
            got["accepted"],
            got["reasons"],
            str(got["amount"]),
            got["policy_version"],
        ) == (
            got["claim_id"],
            want["eligible"],
            [r["code"] for r in want["reasons"]],
            want["amount"],
            want["policy_version"],
        )
    return result


# tests ---------------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(claims=_batch(dt.date(2024, 11, 1)), entries=ENTRIES)
def test_batch_equals_quote_engine(claims: pl.DataFrame, entries: pl.DataFrame | None) -> None:
    _assert_equivalent(claims, BASE, entries)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("variant", ["amended", "early"])
def test_batch_equals_quote_engine_on_other_versions(
    packs: dict[str, Pack], variant: str, data: st.DataObject
) -> None:
    # given the amended pack (two versions) or the pack in force from 2022 (the lifetime cap reachable)
    first_day = dt.date(2021, 11, 1) if variant == "early" else dt.date(2024, 11, 1)
    claims = data.draw(_batch(first_day))
    entries = data.draw(ENTRIES)
    # then the batch and the quote engine agree claim by claim
    _assert_equivalent(claims, packs[variant], entries)


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    full = [{**dict.fromkeys(SCHEMA), **row} for row in rows]
    return pl.DataFrame(full, schema=SCHEMA)


def _syb(claim_id: str, day: dt.date) -> dict[str, Any]:
    return {"claim_id": claim_id, "person_id": claim_id, "date": day, "benefit": "startup_training",
            "course": "SYB", "class_hours": 56}  # fmt: skip


def test_amended_pack_prices_each_side_of_the_amendment(packs: dict[str, Pack]) -> None:
    # given SYB claims before and after 2025-07-01, and a shortage training claim after it
    welder = {"person_id": "w", "benefit": "training_subsidy", "training_type": "employment",
              "occupation": "焊工", "level": "senior", "class_hours": 120, "shortage": True,
              "rural_or_lowincome": False, "training_days": 15}  # fmt: skip
    claims = _frame(
        [
            _syb("a", dt.date(2025, 6, 30)),
            _syb("b", dt.date(2025, 7, 1)),
            {**welder, "claim_id": "c", "date": dt.date(2025, 6, 1)},
            {**welder, "claim_id": "d", "person_id": "v", "date": dt.date(2025, 8, 1)},
        ]
    )
    # when audited on their own dates
    result = _assert_equivalent(claims, packs["amended"], None)
    # then each side uses its version
    assert [str(a) for a in result["amount"]] == ["1600.00", "1800.00", "2400.00", "0.00"]
    assert result["reasons"].to_list()[3] == ["no_policy_in_force"]
    assert result["policy_version"].to_list() == [
        "lanzhou-xinqu-2025@2025-01-01",
        "lanzhou-xinqu-2025@2025-07-01",
        "lanzhou-xinqu-2025@2025-01-01",
        "lanzhou-xinqu-2025@2025-07-01",
    ]


def test_as_of_evaluates_every_claim_under_one_version(packs: dict[str, Pack]) -> None:
    # given the same claims as above
    welder = {"person_id": "w", "benefit": "training_subsidy", "training_type": "employment",
              "occupation": "焊工", "level": "senior", "class_hours": 120, "shortage": True,
              "rural_or_lowincome": False, "training_days": 15}  # fmt: skip
    claims = _frame(
        [
            _syb("a", dt.date(2025, 6, 30)),
            _syb("b", dt.date(2025, 7, 1)),
            {**welder, "claim_id": "c", "date": dt.date(2025, 6, 1)},
            {**welder, "claim_id": "d", "person_id": "v", "date": dt.date(2025, 8, 1)},
        ]
    )
    # when audited as of after and before the amendment
    late = audit_claims(claims, packs["amended"], as_of=dt.date(2025, 9, 1))
    early = audit_claims(claims, packs["amended"], as_of=dt.date(2025, 3, 1))
    # then the version in force on as_of decides the figures
    assert [str(a) for a in late["amount"]] == ["1800.00", "1800.00", "0.00", "0.00"]
    assert late["reasons"].to_list()[2:] == [["no_policy_in_force"], ["no_policy_in_force"]]
    assert set(late["policy_version"]) == {"lanzhou-xinqu-2025@2025-07-01"}
    assert [str(a) for a in early["amount"]] == ["1600.00", "1600.00", "2400.00", "2400.00"]
    assert set(early["policy_version"]) == {"lanzhou-xinqu-2025@2025-01-01"}


def test_as_of_keeps_the_claims_own_year_for_the_limits() -> None:
    # given one person's training claims from 2023 to 2026 (before the pack, but audited as of 2025)
    def claim(claim_id: str, day: dt.date, occupation: str) -> dict[str, Any]:
        return {"claim_id": claim_id, "person_id": "p", "date": day, "benefit": "training_subsidy",
                "training_type": "employment", "occupation": occupation, "level": "cert",
                "class_hours": 120, "shortage": False, "rural_or_lowincome": False,
                "training_days": 0}  # fmt: skip

    claims = _frame(
        [
            claim("1", dt.date(2023, 5, 1), "焊工"),
            claim("2", dt.date(2024, 5, 1), "电工"),
            claim("3", dt.date(2024, 9, 1), "中式烹调师"),
            claim("4", dt.date(2025, 5, 1), "西式烹调师"),
            claim("5", dt.date(2026, 5, 1), "车工"),
        ]
    )
    # when audited as of 2025-06-01
    result = audit_claims(claims, BASE, as_of=dt.date(2025, 6, 1))
    # then 2023, 2024 and 2025 are paid; the second 2024 claim is once_per_year; 2026 hits the cap
    assert result["accepted"].to_list() == [True, True, False, True, False]
    assert result["reasons"].to_list()[2] == ["once_per_year"]
    assert result["reasons"].to_list()[4] == ["lifetime_cap"]
    # and without as_of, the claims before 2025 have no policy in force
    plain = audit_claims(claims, BASE)
    assert plain["reasons"].to_list()[:3] == [["no_policy_in_force"]] * 3


def test_money_is_half_up_to_the_fen() -> None:
    # given a shortage apprentice: the uplift is exact, and an odd uplift base rounds half-up
    base = batch.SCALE
    assert (2 * 333 * (base + 200_000) + base) // (2 * base) == int(
        (Decimal(333) * Decimal("1.2")).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    )


def test_unsupported_benefit_is_refused() -> None:
    claims = _frame([{"claim_id": "x", "person_id": "p", "date": dt.date(2025, 6, 1), "benefit": "nope"}])
    with pytest.raises(ValueError, match="支持"):
        audit_claims(claims, BASE)


def test_empty_batch() -> None:
    assert audit_claims(_frame([]), BASE).height == 0


def test_engine_is_vectorised_and_independent_of_the_rules() -> None:
    source = Path(batch.__file__).read_text(encoding="utf-8")
    for forbidden in (
        "map_elements",
        "map_rows",
        "iter_rows",
        "from .rules",
        "import rules",
        "quote_many",
        ".apply(",
    ):
        assert forbidden not in source, forbidden
    assert not re.search(r"^\s*for .* in .*\.(rows|to_dicts|iter)", source, re.MULTILINE)


def test_limits_of_note5_match_the_quote_engine(packs: dict[str, Pack]) -> None:
    # given one person's training history over five years on the pack in force from 2022
    def claim(claim_id: str, day: dt.date, benefit: str = "training_subsidy", **facts: Any) -> dict[str, Any]:
        base = {"training_type": "employment", "occupation": "焊工", "level": "cert", "class_hours": 120,
                "shortage": None, "rural_or_lowincome": True, "training_days": 3}  # fmt: skip
        if benefit == "startup_training":
            base = {"course": "EYB", "class_hours": 48}
        return {"claim_id": claim_id, "person_id": "p", "date": day, "benefit": benefit, **base, **facts}

    claims = _frame(
        [
            claim("a", dt.date(2022, 3, 1)),
            claim("b", dt.date(2023, 3, 1)),  # same occupation and level
            claim("c", dt.date(2023, 3, 1), level="senior", class_hours=10),  # short hours, year still free
            claim("d", dt.date(2024, 3, 1), "startup_training"),
            claim("e", dt.date(2025, 3, 1), occupation="电工", level="technician"),
            claim("f", dt.date(2025, 3, 2), level="cert", class_hours=119),  # every history reason at once
        ]
    )
    # when audited, then each claim agrees with the quote engine
    result = _assert_equivalent(claims, packs["early"], None)
    assert result["reasons"].to_list() == [
        [],
        ["same_occupation_level"],
        ["hours_below_minimum"],
        [],
        [],
        ["hours_below_minimum", "lifetime_cap", "once_per_year", "same_occupation_level"],
    ]


def test_synthetic_file_equals_quote_engine() -> None:
    """The benchmark's generator (every benefit, optional facts left empty, 2021–2025) audited in
    one batch agrees with the quote engine claim by claim."""
    from gongjiang.policy.synthetic import synthetic_claims

    entries = pl.DataFrame(
        {
            "occupation": ["焊工", "电工", "养老护理员"],
            "valid_from": [dt.date(2023, 1, 1)] * 3,
            "valid_to": [None, dt.date(2024, 12, 31), None],
        },
        schema={"occupation": pl.String, "valid_from": pl.Date, "valid_to": pl.Date},
    )
    # The pack starts on 2025-01-01: move the synthetic dates into 2025–2026 so that most claims
    # are in force and the 备注5 limits bite.
    claims = synthetic_claims(BASE, 3000, seed=7).with_columns(pl.col("date").dt.offset_by("4y"))
    results = _assert_equivalent(claims, BASE, entries)
    assert results["accepted"].sum() > 500  # a real mix, not everything refused
