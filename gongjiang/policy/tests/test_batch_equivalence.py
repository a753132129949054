"""The Polars batch audit gives exactly the quote engine's decisions, for every installed pack.

Each generated batch is audited at once; then every claim is quoted on its own with, as history,
the same beneficiary's earlier claims (by date, then claim_id) that the batch accepted. Both must
agree on acceptance, reason codes (in order), amount and pack version. The claims cover every
benefit of the pack, random histories of up to three beneficiaries, several claims on one date,
the count, group and cap boundaries of the pack's own parameters, and — per pack — an amended copy
with a second version that changes every figure and ends some parameters.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjiang.policy import batch
from gongjiang.policy.batch import audit_claims, engine
from gongjiang.policy.batch.codes import CODES
from gongjiang.policy.loader import PACKS_DIR, installed_packs, load_pack
from gongjiang.policy.model import Benefit, Pack
from gongjiang.policy.quote import quote_many
from gongjiang.policy.reasons import MESSAGES
from gongjiang.policy.rules import RULES

PACKS = installed_packs()
UNKNOWN = "宇航员"
LANZHOU = "lanzhou-xinqu-2025"
BASE_SCHEMA: dict[str, Any] = {
    "claim_id": pl.String,
    "person_id": pl.String,
    "institution": pl.String,
    "date": pl.Date,
    "benefit": pl.String,
}
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


# packs -----------------------------------------------------------------------------------------------
def _amend(pack_id: str, root: Path) -> Pack:
    """A second version half a year in: every money figure ×1.5, every count +1, every ratio +0.1,
    and every sixth parameter (by path) ended — a fixture, not a real amendment."""
    target = root / pack_id
    shutil.copytree(PACKS_DIR / pack_id, target)
    pack = PACKS[pack_id]
    day = pack.first_effective + dt.timedelta(days=183)
    meta = yaml.safe_load((target / "pack.yaml").read_text(encoding="utf-8"))
    meta["versions"].append({"date": day, "document": "测试用修订（虚构）", "note": "fixture"})
    (target / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    ended = set(sorted(pack.parameters)[::6])
    for path in sorted((target / "parameters").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, spec in data.items():
            full = f"{path.stem}.{key}"
            last = spec["values"][max(spec["values"])]
            if full in ended or last is None:
                spec["values"][day] = None
                continue
            spec["values"][day] = _changed(spec["unit"], last)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_pack(target)


def _changed(unit: str, value: dict[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = {"reference": "测试用修订"}
    for bound in ("value", "min", "max"):
        if bound not in value:
            continue
        figure = Decimal(str(value[bound]))
        if unit == "ratio":
            figure += Decimal("0.1")
        elif unit.startswith("yuan"):
            figure = (figure * Decimal("1.5")).quantize(Decimal(1))
        else:
            figure += 1
        changed[bound] = float(figure) if figure != figure.to_integral_value() else int(figure)
    return changed


def _syb_amended(root: Path) -> Pack:
    """新民社发〔2025〕13号 with a second version from 2025-07-01: SYB raised to 1800 and the 20% shortage
    uplift ended (a fixture)."""
    target = root / LANZHOU
    shutil.copytree(PACKS_DIR / LANZHOU, target)
    meta = yaml.safe_load((target / "pack.yaml").read_text(encoding="utf-8"))
    meta["versions"].append(
        {"date": dt.date(2025, 7, 1), "document": "测试用修订（虚构）", "note": "fixture"}
    )
    (target / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    for name, key, value in (
        ("startup", "SYB", {"value": 1800, "reference": "测试用修订 SYB 1800元"}),
        ("uplift", "shortage", None),
    ):
        path = target / "parameters" / f"{name}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[key]["values"][dt.date(2025, 7, 1)] = value
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_pack(target)


def _early(root: Path) -> Pack:
    """新民社发〔2025〕13号 in force from 2022-01-01, so that one person can reach the lifetime cap of 3."""
    target = root / LANZHOU
    shutil.copytree(PACKS_DIR / LANZHOU, target)
    for path in [target / "pack.yaml", *sorted((target / "parameters").glob("*.yaml"))]:
        path.write_text(
            path.read_text(encoding="utf-8").replace("2025-01-01", "2022-01-01"), encoding="utf-8"
        )
    return load_pack(target)


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pack]:
    found = {f"{pack_id}:amended": _amend(pack_id, tmp_path_factory.mktemp(pack_id)) for pack_id in PACKS}
    found[f"{LANZHOU}:early"] = _early(tmp_path_factory.mktemp("early"))
    found[f"{LANZHOU}:syb"] = _syb_amended(tmp_path_factory.mktemp("syb"))
    return found


# strategies ----------------------------------------------------------------------------------------
def _schema(pack: Pack) -> dict[str, Any]:
    schema = dict(BASE_SCHEMA)
    for benefit in pack.benefits.values():
        for name, spec in benefit.facts.items():
            if spec.type == "enum":
                schema[name] = pl.Int64 if all(isinstance(c, int) for c in spec.choices) else pl.String
            else:
                schema[name] = {"int": pl.Int64, "bool": pl.Boolean, "str": pl.String}[spec.type]
    return schema


def _interesting(pack: Pack, benefit: Benefit) -> list[int]:
    """Counts at the pack's own boundaries: every count-like figure ±1, multiples of group sizes,
    and the counts at which a yearly cap is reached."""
    numbers = {0, 1, 2, 3}
    day = max(v.date for v in pack.versions)

    def fixed(path: str | None) -> Decimal | None:
        parameter = pack.parameters.get(path or "")
        value = parameter.at(day) if parameter else None
        return value.amount if value is not None and value.amount is not None else None

    for parameter in pack.parameters.values():
        value = parameter.at(day)
        if parameter.unit in {"count", "months", "years", "hours"} and value and value.amount is not None:
            numbers |= {int(value.amount) - 1, int(value.amount), int(value.amount) + 1}
    config = benefit.config
    size = fixed(config.get("group_size_param")) or Decimal(1)
    for k in (1, 2, 3, 5):
        numbers |= {int(size) * k - 1, int(size) * k, int(size) * k + 1}
    cap = fixed(config.get("annual_cap_param"))
    per = [p for p in (config.get("unit_param"), config.get("junior_intermediate_param")) if p]
    if cap and per:
        parameter = pack.parameters[per[0]]
        value = parameter.at(day)
        unit = (value.amount or value.maximum or value.minimum) if value else None
        if unit:
            to_cap = math.ceil(cap / unit) * int(size)
            numbers |= {to_cap // 2, to_cap // 3 + 1, to_cap - 1, to_cap, to_cap + 1}
    return sorted(n for n in numbers if n >= 0)


def _fact(pack: Pack, benefit: Benefit, name: str) -> st.SearchStrategy[Any]:
    spec = benefit.facts[name]
    if spec.type == "enum":
        values: st.SearchStrategy[Any] = st.sampled_from(list(spec.choices))
    elif spec.type == "bool":
        values = st.booleans()
    elif spec.type == "int":
        low = spec.minimum or 0
        boundary = st.sampled_from([n for n in _interesting(pack, benefit) if n >= low] or [low])
        values = st.one_of(boundary, boundary, boundary, st.integers(low, 200))
    else:  # str: an occupation of the pack's 附件3, or one outside it
        values = st.sampled_from(_occupations(pack))
    return values if spec.required else st.one_of(st.none(), values)


def _occupations(pack: Pack) -> list[str]:
    by_class: dict[str, list[str]] = {}
    for name, cls in sorted(pack.occupation_classes.items()):
        by_class.setdefault(cls, []).append(name)
    return [*[names[0] for names in by_class.values()], UNKNOWN] if by_class else ["某工种"]


def _days(pack: Pack) -> list[dt.date]:
    days = []
    for version in pack.versions:
        days += [version.date - dt.timedelta(days=1), version.date, version.date + dt.timedelta(days=40)]
    first = pack.first_effective
    for year in (first.year, first.year + 1):
        days += [dt.date(year, 12, 31), dt.date(year + 1, 1, 1)]
    return days


@st.composite
def _claim(draw: st.DrawFn, pack: Pack, first_day: dt.date, focus: list[str]) -> dict[str, Any]:
    benefit = pack.benefits[draw(st.sampled_from(focus))]
    last_day = pack.first_effective + dt.timedelta(days=800)
    row: dict[str, Any] = {
        "date": draw(st.one_of(st.sampled_from(_days(pack)), st.dates(first_day, last_day))),
        "benefit": benefit.key,
        "institution": draw(st.sampled_from([None, "机构甲"])),
    }
    for name in benefit.facts:
        row[name] = draw(_fact(pack, benefit, name))
    return row


@st.composite
def _batch(draw: st.DrawFn, pack: Pack, first_day: dt.date) -> pl.DataFrame:
    # a few benefits per batch, so that one beneficiary's claims meet their history checks often
    focus = draw(st.lists(st.sampled_from(sorted(pack.benefits)), min_size=1, max_size=4, unique=True))
    rows = []
    for person in range(draw(st.integers(1, 3))):
        for row in draw(st.lists(_claim(pack, first_day, focus), min_size=1, max_size=12)):
            rows.append({**row, "person_id": f"p{person}"})
    ids = draw(st.permutations(range(len(rows))))
    rows = [{**row, "claim_id": f"c{n:02d}"} for row, n in zip(rows, ids, strict=True)]
    schema = _schema(pack)
    return pl.DataFrame([{**dict.fromkeys(schema), **row} for row in rows], schema=schema)


def _entries(pack: Pack) -> st.SearchStrategy[pl.DataFrame | None]:
    if not pack.occupation_classes:
        return st.none()
    entry = st.fixed_dictionaries(
        {
            "occupation": st.sampled_from(_occupations(pack)),
            "valid_from": st.dates(
                pack.first_effective - dt.timedelta(days=200), pack.first_effective.replace(month=12)
            ),
            "valid_to": st.one_of(
                st.none(), st.dates(pack.first_effective, pack.first_effective + dt.timedelta(days=500))
            ),
        }
    )
    frames = st.lists(entry, max_size=5).map(
        lambda rows: pl.DataFrame(
            rows, schema={"occupation": pl.String, "valid_from": pl.Date, "valid_to": pl.Date}
        )
    )
    return st.one_of(st.none(), frames)


# the oracle ----------------------------------------------------------------------------------------
def _facts(pack: Pack, row: dict[str, Any]) -> dict[str, Any]:
    names = pack.benefits[row["benefit"]].facts
    return {name: row[name] for name in names if row.get(name) is not None}


def _quote(
    claims: pl.DataFrame, result: pl.DataFrame, pack: Pack, entries: pl.DataFrame | None
) -> list[dict]:
    rows = claims.to_dicts()  # the oracle may loop over rows; the engine may not
    accepted = dict(
        zip(result["claim_id"], zip(result["accepted"], result["amount"], strict=True), strict=True)
    )
    history: dict[str, list[dict[str, Any]]] = {}
    requests = {}
    for row in sorted(rows, key=lambda r: (r["person_id"], r["date"], r["claim_id"])):
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


def _assert_equivalent(
    claims: pl.DataFrame, pack: Pack, entries: pl.DataFrame | None = None, **options: Any
) -> pl.DataFrame:
    result = audit_claims(claims, pack, shortage_entries=entries, **options)
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


# the property tests ------------------------------------------------------------------------------
@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_batch_equals_quote_engine(pack_id: str, data: st.DataObject) -> None:
    pack = PACKS[pack_id]
    # given random claims of every benefit of the pack, from shortly before it took effect
    claims = data.draw(_batch(pack, pack.first_effective - dt.timedelta(days=60)))
    entries = data.draw(_entries(pack))
    # then the batch and the quote engine agree claim by claim
    _assert_equivalent(claims, pack, entries)


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize(
    "variant", [*[f"{p}:amended" for p in sorted(PACKS)], f"{LANZHOU}:early", f"{LANZHOU}:syb"]
)
def test_batch_equals_quote_engine_on_other_versions(
    variants: dict[str, Pack], variant: str, data: st.DataObject
) -> None:
    # given a pack with a second version (figures changed, some parameters ended), or in force earlier
    pack = variants[variant]
    first_day = (
        dt.date(2021, 11, 1) if variant.endswith(":early") else pack.first_effective - dt.timedelta(days=60)
    )
    claims = data.draw(_batch(pack, first_day))
    entries = data.draw(_entries(pack))
    # then the batch and the quote engine agree claim by claim
    _assert_equivalent(claims, pack, entries)


def test_every_rule_kind_of_every_pack_is_vectorised() -> None:
    used = {benefit.rule for pack in PACKS.values() for benefit in pack.benefits.values()}
    assert used <= set(batch.rules.BATCH_RULES), used - set(batch.rules.BATCH_RULES)
    assert set(RULES) <= set(batch.rules.BATCH_RULES)
    for pack in PACKS.values():
        assert engine.supported_benefits(pack) == list(pack.benefits)


def test_reason_bits_cover_every_reason_code() -> None:
    assert set(MESSAGES) <= set(CODES)
    assert len(CODES) == len(set(CODES)) <= 30  # bits 30 and 31 stay free


def test_list_state_names_match_the_quote_rule() -> None:
    from gongjiang.policy.rules import lanzhou

    assert (batch.rules.LIST_STATE_FACT, batch.rules.LIST_STATE_DEFAULT) == (
        lanzhou.LIST_STATE_FACT,
        lanzhou.LIST_STATE_DEFAULT,
    )


# hand-worked examples ----------------------------------------------------------------------------------
def _frame(pack: Pack, rows: list[dict[str, Any]]) -> pl.DataFrame:
    schema = _schema(pack)
    return pl.DataFrame([{**dict.fromkeys(schema), **row} for row in rows], schema=schema)


def _syb(claim_id: str, day: dt.date) -> dict[str, Any]:
    return {"claim_id": claim_id, "person_id": claim_id, "date": day, "benefit": "startup_training",
            "course": "SYB", "class_hours": 56}  # fmt: skip


def _welder(claim_id: str, person: str, day: dt.date) -> dict[str, Any]:
    return {"claim_id": claim_id, "person_id": person, "date": day, "benefit": "training_subsidy",
            "training_type": "employment", "occupation": "焊工", "level": "senior", "class_hours": 120,
            "shortage": True, "rural_or_lowincome": False, "training_days": 15}  # fmt: skip


def test_as_of_evaluates_every_claim_under_one_version(variants: dict[str, Pack]) -> None:
    # given SYB claims on each side of an amendment (2025-07-01: SYB 1800, the uplift ended) and
    # shortage training claims
    pack = variants[f"{LANZHOU}:syb"]
    claims = _frame(
        pack,
        [
            _syb("a", dt.date(2025, 6, 30)),
            _syb("b", dt.date(2025, 7, 1)),
            _welder("c", "w", dt.date(2025, 6, 1)),
            _welder("d", "v", dt.date(2025, 8, 1)),
        ],
    )
    # when audited on their own dates, then each side of the amendment uses its version
    own = _assert_equivalent(claims, pack)
    assert [str(a) for a in own["amount"]] == ["1600.00", "1800.00", "2400.00", "0.00"]
    assert own["reasons"].to_list()[3] == ["no_policy_in_force"]
    # when audited as of after and before the amendment
    late = audit_claims(claims, pack, as_of=dt.date(2025, 9, 1))
    early = audit_claims(claims, pack, as_of=dt.date(2025, 3, 1))
    # then the version in force on as_of decides the figures (附件3 A类 高级工 2000 × 1.2 = 2400)
    assert [str(a) for a in late["amount"]] == ["1800.00", "1800.00", "0.00", "0.00"]
    assert late["reasons"].to_list()[2:] == [["no_policy_in_force"], ["no_policy_in_force"]]
    assert set(late["policy_version"]) == {f"{LANZHOU}@2025-07-01"}
    assert [str(a) for a in early["amount"]] == ["1600.00", "1600.00", "2400.00", "2400.00"]
    assert set(early["policy_version"]) == {f"{LANZHOU}@2025-01-01"}


def test_as_of_keeps_the_claims_own_year_for_the_limits() -> None:
    # given one person's training claims from 2023 to 2026 (before the pack, but audited as of 2025)
    pack = PACKS[LANZHOU]

    def claim(claim_id: str, day: dt.date, occupation: str) -> dict[str, Any]:
        return {"claim_id": claim_id, "person_id": "p", "date": day, "benefit": "training_subsidy",
                "training_type": "employment", "occupation": occupation, "level": "cert",
                "class_hours": 120, "shortage": False, "rural_or_lowincome": False,
                "training_days": 0}  # fmt: skip

    claims = _frame(
        pack,
        [
            claim("1", dt.date(2023, 5, 1), "焊工"),
            claim("2", dt.date(2024, 5, 1), "电工"),
            claim("3", dt.date(2024, 9, 1), "中式烹调师"),
            claim("4", dt.date(2025, 5, 1), "西式烹调师"),
            claim("5", dt.date(2026, 5, 1), "车工"),
        ],
    )
    # when audited as of 2025-06-01
    result = audit_claims(claims, pack, as_of=dt.date(2025, 6, 1))
    # then 2023, 2024 and 2025 are paid; the second 2024 claim is once_per_year (备注5); 2026 hits the cap
    assert result["accepted"].to_list() == [True, True, False, True, False]
    assert result["reasons"].to_list()[2] == ["once_per_year"]
    assert result["reasons"].to_list()[4] == ["lifetime_cap"]
    # and without as_of, the claims before 2025 have no policy in force
    assert audit_claims(claims, pack)["reasons"].to_list()[:3] == [["no_policy_in_force"]] * 3


def test_limits_of_note5_match_the_quote_engine(variants: dict[str, Pack]) -> None:
    # given one person's training history over four years on the pack in force from 2022
    pack = variants[f"{LANZHOU}:early"]

    def claim(claim_id: str, day: dt.date, benefit: str = "training_subsidy", **facts: Any) -> dict[str, Any]:
        base = {"training_type": "employment", "occupation": "焊工", "level": "cert", "class_hours": 120,
                "shortage": None, "rural_or_lowincome": True, "training_days": 3}  # fmt: skip
        if benefit == "startup_training":
            base = {"course": "EYB", "class_hours": 48}
        return {"claim_id": claim_id, "person_id": "p", "date": day, "benefit": benefit, **base, **facts}

    claims = _frame(
        pack,
        [
            claim("a", dt.date(2022, 3, 1)),
            claim("b", dt.date(2023, 3, 1)),  # same occupation and level
            claim("c", dt.date(2023, 3, 1), level="senior", class_hours=10),  # short hours, year still free
            claim("d", dt.date(2024, 3, 1), "startup_training"),
            claim("e", dt.date(2025, 3, 1), occupation="电工", level="technician"),
            claim("f", dt.date(2025, 3, 2), level="cert", class_hours=119),  # every history reason at once
        ],
    )
    # when audited, then each claim agrees with the quote engine (备注5: 3 in all, 1 a year, no repeat)
    result = _assert_equivalent(claims, pack)
    assert result["reasons"].to_list() == [
        [],
        ["same_occupation_level"],
        ["hours_below_minimum"],
        [],
        [],
        ["hours_below_minimum", "lifetime_cap", "once_per_year", "same_occupation_level"],
    ]


def test_list_factor_applies_to_the_training_amount_only() -> None:
    # given 新民社发〔2025〕13号 with the 四(三) factors set by a reform: white 1.1, black 0.8
    from gongjiang.policy.reform import Reform, apply_reform

    reform = Reform(
        LANZHOU,
        "黑白名单系数",
        {"list_factor.white": ("set", Decimal("1.1")), "list_factor.black": ("set", Decimal("0.8"))},
    )
    pack = apply_reform(PACKS[LANZHOU], reform)
    courier = {"benefit": "training_subsidy", "training_type": "employment", "occupation": "快递员", "level": "cert",
               "class_hours": 60, "shortage": True, "rural_or_lowincome": True, "training_days": 10}  # fmt: skip
    claims = _frame(
        pack,
        [
            {
                **courier,
                "claim_id": "w",
                "person_id": "a",
                "date": dt.date(2025, 6, 1),
                "institution_list_state": "white",
            },
            {
                **courier,
                "claim_id": "b",
                "person_id": "b",
                "date": dt.date(2025, 6, 1),
                "institution_list_state": "black",
            },
            {**courier, "claim_id": "n", "person_id": "c", "date": dt.date(2025, 6, 1)},
            {**_syb("s", dt.date(2025, 6, 1)), "institution_list_state": "black"},
        ],
    )
    # when audited
    result = _assert_equivalent(claims, pack)
    # then D类合格证 600 × 1.2 (备注2) × factor, plus 10 天 × 30 元 (备注1, not scaled); SYB 1600 × 0.8
    assert [str(a) for a in result["amount"]] == ["1092.00", "876.00", "1020.00", "1280.00"]


def test_annual_cap_of_an_organisation_across_claims() -> None:
    # given one institution's 高技能人才社会培训 claims in 2023 (虞人社〔2023〕19号 三、（二）12:
    # ≥200 人, 每100人 2万元, 每年最高10万元) and one in 2024
    pack = PACKS["shangyu-2023"]

    def claim(claim_id: str, day: dt.date, trainees: int) -> dict[str, Any]:
        return {"claim_id": claim_id, "person_id": "机构A", "date": day,
                "benefit": "high_skill_social_training_reward", "trainees": trainees}  # fmt: skip

    claims = _frame(
        pack,
        [
            claim("1", dt.date(2023, 3, 1), 320),  # 3 groups: 60000
            claim("2", dt.date(2023, 6, 1), 150),  # below the 200 start
            claim("3", dt.date(2023, 9, 1), 300),  # 60000, but only 40000 left this year
            claim("4", dt.date(2023, 9, 1), 400),  # the same day, later claim_id: nothing left
            claim("5", dt.date(2024, 1, 2), 250),  # a new year: 2 groups, 40000
        ],
    )
    # when audited, then each claim agrees with the quote engine and the cap is shared within the year
    result = _assert_equivalent(claims, pack)
    assert [str(a) for a in result["amount"]] == ["60000.00", "0.00", "40000.00", "0.00", "40000.00"]
    assert result["reasons"].to_list() == [[], ["below_threshold"], [], ["annual_cap_reached"], []]


def test_huzhou_highest_title_once() -> None:
    # given one person's titles over time (《关于新时代湖州工匠培育工程的实施意见》 二(二)3 就高不重复)
    pack = PACKS["huzhou-2021"]

    def claim(claim_id: str, day: dt.date, title: str) -> dict[str, Any]:
        return {
            "claim_id": claim_id,
            "person_id": "p",
            "date": day,
            "benefit": "craftsman_award",
            "title": title,
        }

    claims = _frame(
        pack,
        [
            claim("1", dt.date(2022, 1, 5), "湖州青年工匠"),  # 5000
            claim("2", dt.date(2022, 6, 1), "浙江工匠"),  # = 湖州工匠 10000, less 5000 paid
            claim("3", dt.date(2022, 6, 1), "湖州乡村工匠"),  # same rank as 湖州工匠
            claim("4", dt.date(2023, 1, 1), "湖州青年工匠"),  # lower than what was paid
            claim("5", dt.date(2023, 2, 1), "浙江杰出工匠"),  # = 湖州大工匠 200000, less 10000 paid
        ],
    )
    # when audited, then
    result = _assert_equivalent(claims, pack)
    assert [str(a) for a in result["amount"]] == ["5000.00", "5000.00", "0.00", "0.00", "190000.00"]
    assert result["reasons"].to_list() == [[], [], ["already_received"], ["already_higher"], []]


def test_once_only_benefits_and_post_allowance() -> None:
    # given 上虞 岗位补助 (三、（四）21 限享受一次) and 工匠奖励 (每个称号一次) for one person
    pack = PACKS["shangyu-2023"]
    post = {"benefit": "post_allowance", "certificate": "technician", "newly_obtained": True,
            "shortage_occupation": True, "insured_employee": True, "months": 40}  # fmt: skip
    claims = _frame(
        pack,
        [
            {
                **post,
                "claim_id": "1",
                "person_id": "p",
                "date": dt.date(2023, 5, 1),
                "insured_employee": False,
            },
            {**post, "claim_id": "2", "person_id": "p", "date": dt.date(2023, 6, 1)},  # 300 × 36 months
            {**post, "claim_id": "3", "person_id": "p", "date": dt.date(2024, 6, 1), "newly_obtained": False},
            {
                "claim_id": "4",
                "person_id": "p",
                "date": dt.date(2023, 6, 1),
                "benefit": "craftsman_award",
                "title": "浙江工匠",
            },
            {
                "claim_id": "5",
                "person_id": "p",
                "date": dt.date(2024, 6, 1),
                "benefit": "craftsman_award",
                "title": "浙江工匠",
            },
            {
                "claim_id": "6",
                "person_id": "p",
                "date": dt.date(2024, 6, 1),
                "benefit": "craftsman_award",
                "title": "浙江青年工匠",
            },
        ],
    )
    # when audited, then
    result = _assert_equivalent(claims, pack)
    assert [str(a) for a in result["amount"]] == ["0.00", "10800.00", "0.00", "10000.00", "0.00", "10000.00"]
    assert result["reasons"].to_list() == [
        ["not_insured_employee"],
        [],
        ["already_received"],
        [],
        ["already_received"],
        [],
    ]


def test_hash_collisions_fall_back_to_exact_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a beneficiary key that collides for most people (the second key still tells them apart)
    pack = PACKS[LANZHOU]
    monkeypatch.setattr(
        engine,
        "person_hash",
        lambda column, seed: column.hash(seed) % 2 if seed == engine.SEEDS[0] else column.hash(seed),
    )
    claims = _frame(pack, [_welder(f"c{n}", f"p{n % 5}", dt.date(2025, 1 + n % 12, 1)) for n in range(20)])
    # when audited, then the collision is detected and the exact keys give the quote engine's answers
    calls = []
    original = engine._audit

    def spy(*args: Any, **kwargs: Any) -> pl.DataFrame:
        calls.append(kwargs["exact"])
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "_audit", spy)
    result = _assert_equivalent(claims, pack)
    assert calls == [False, True]
    assert result["accepted"].sum() == 5  # one welder claim a person (备注5 once a year, same level)


def test_money_is_half_up_to_the_fen() -> None:
    # amounts × ratios are rounded half-up once, as money.fen: 333 元 × 1.2 × 0.5, and 15 分 × 0.5
    frame = pl.DataFrame({"fen": [33_300, 15]})
    twice = frame.select(x=batch.rules.times_ratio(pl.col("fen"), batch.SCALE + 200_000, batch.SCALE // 2))
    once = frame.select(x=batch.rules.times_ratio(pl.col("fen"), batch.SCALE // 2))
    assert twice["x"].to_list() == [19_980, 9]  # 15 × 1.2 × 0.5 = 9
    assert once["x"].to_list() == [16_650, 8]  # 7.5 分 → 8 分


def test_unsupported_benefit_and_malformed_facts_are_refused() -> None:
    pack = PACKS[LANZHOU]
    with pytest.raises(ValueError, match="支持"):
        audit_claims(
            _frame(
                pack, [{"claim_id": "x", "person_id": "p", "date": dt.date(2025, 6, 1), "benefit": "nope"}]
            ),
            pack,
        )
    bad = _frame(pack, [{**_welder("x", "p", dt.date(2025, 6, 1)), "class_hours": None}])
    with pytest.raises(ValueError, match=r"training_subsidy\.class_hours"):
        audit_claims(bad, pack)
    with pytest.raises(ValueError, match="level"):
        audit_claims(_frame(pack, [{**_welder("x", "p", dt.date(2025, 6, 1)), "level": "grand"}]), pack)


def test_empty_batch() -> None:
    assert audit_claims(_frame(PACKS[LANZHOU], []), PACKS[LANZHOU]).height == 0


def test_engine_is_vectorised_and_independent_of_the_rules() -> None:
    # the batch engine's code never loops over claims in Python, nor calls the single-claim rules
    forbidden_calls = {
        "map_elements",
        "map_rows",
        "iter_rows",
        "rows",
        "to_dicts",
        "apply",
        "quote_many",
        "evaluate",
    }
    for path in sorted(Path(batch.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in forbidden_calls, (path, node.attr)
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                assert not module.startswith(
                    ("..rules", "..quote", "gongjiang.policy.rules", "gongjiang.policy.quote")
                ), (path, module)


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
    claims = synthetic_claims(PACKS[LANZHOU], 3000, seed=7).with_columns(pl.col("date").dt.offset_by("4y"))
    results = _assert_equivalent(claims, PACKS[LANZHOU], entries)
    assert results["accepted"].sum() > 500  # a real mix, not everything refused


def test_text_facts_are_compared_stripped_like_the_quote_engine() -> None:
    # given an occupation with surrounding spaces, and a blank one (the quote engine strips text)
    pack = PACKS[LANZHOU]
    spaced = _frame(pack, [{**_welder("a", "p", dt.date(2025, 6, 1)), "occupation": "  焊工 "}])
    # then it is 焊工 (A类 高级工 2000 × 1.2)
    assert str(_assert_equivalent(spaced, pack)["amount"][0]) == "2400.00"
    blank = _frame(pack, [{**_welder("a", "p", dt.date(2025, 6, 1)), "occupation": "  "}])
    with pytest.raises(ValueError, match=r"training_subsidy\.occupation"):
        audit_claims(blank, pack)
