"""`audit_claims`: prepare the claims once, evaluate every (benefit, version) partition with its
vectorised rule, resolve the history checks over sorted runs, and assemble the results."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import polars as pl

from ..model import Benefit, FactSpec, Pack
from .codes import MASK_TYPE, NO_POLICY, reason_lists
from .history import CHANGES_AMOUNT, HISTORY_LABELS, KeyCollision, flags, resolve
from .params import BatchUnsupported, Params
from .rules import BATCH_RULES, NONE, Out, Part

OUTPUT_SCHEMA: dict[str, Any] = {
    "claim_id": pl.String,
    "accepted": pl.Boolean,
    "reasons": pl.List(pl.String),
    "amount": pl.Decimal(18, 2),
    "policy_version": pl.String,
}
BASE_COLUMNS = ("claim_id", "person_id", "date", "benefit")
FACT_TYPES: dict[str, Any] = {
    "int": pl.Int64,
    "bool": pl.Boolean,
    "str": pl.String,
    "decimal": pl.Float64,
    "date": pl.Date,
}
NOTE5_RULES = ("lanzhou_training", "lanzhou_project_training", "lanzhou_startup")
TABLE_RULES = ("lanzhou_training", "lanzhou_project_training")
SEEDS = (0x5EED_0001, 0x5EED_0002)
Progress = Callable[[str], None]


def person_hash(column: pl.Expr, seed: int) -> pl.Expr:
    """The beneficiary key: a 64-bit hash of `person_id` (two independent seeds, see `resolve`)."""
    return column.hash(seed)


def _constant(*parts: object) -> int:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


# checks ----------------------------------------------------------------------------------------------
def supported_benefits(pack: Pack) -> list[str]:
    return [key for key, benefit in pack.benefits.items() if benefit.rule in BATCH_RULES]


def _present(claims: pl.DataFrame, pack: Pack) -> tuple[list[str], pl.Series]:
    """The benefits in the file (each supported, the 备注5 set consistent), and each row's benefit code."""
    missing = [c for c in BASE_COLUMNS if c not in claims.columns]
    if missing:
        raise ValueError(f"缺少列：{', '.join(missing)}")
    empty = [c for c in BASE_COLUMNS if claims[c].null_count()]
    if empty:
        raise ValueError(f"列 {', '.join(empty)} 有空值")
    supported, keys = supported_benefits(pack), list(pack.benefits)
    codes = claims.get_column("benefit").cast(pl.String).cast(pl.Enum(keys), strict=False).to_physical()
    present = [keys[code] for code in codes.drop_nulls().unique().sort().to_list()]
    if codes.null_count() or set(present) - set(supported):
        unknown = claims.get_column("benefit").cast(pl.String).filter(codes.is_null()).unique().to_list()
        names = sorted({*unknown, *(set(present) - set(supported))})
        raise BatchUnsupported(
            f"批量审核不支持补贴项目 {', '.join(names)}（{pack.id} 支持：{', '.join(supported)}）"
        )
    note5 = [k for k in present if pack.benefits[k].rule in NOTE5_RULES]
    counted_sets = {frozenset(pack.benefits[k].config.get("counted_benefits", ())) for k in note5}
    if len(counted_sets) > 1:
        raise BatchUnsupported("批量审核要求各培训项目的 counted_benefits 相同")
    counted = set(next(iter(counted_sets))) if counted_sets else set()
    if counted & set(present) != set(note5):
        raise BatchUnsupported("批量审核要求 counted_benefits 中出现的项目恰为培训类项目")
    return present, codes.cast(pl.UInt16).alias("bcode")


def _fact_specs(pack: Pack, present: list[str]) -> dict[str, FactSpec]:
    specs: dict[str, FactSpec] = {}
    for key in present:
        for name, spec in pack.benefits[key].facts.items():
            if name in specs and specs[name].type != spec.type:
                raise BatchUnsupported(f"事实 {name} 在不同补贴项目中类型不同，批量审核无法用一列表示")
            specs.setdefault(name, spec)
    return specs


def _enums(pack: Pack, specs: dict[str, FactSpec]) -> dict[str, list[str]]:
    """Each enum fact's choices across all the pack's benefits (one column carries them all)."""
    enums: dict[str, list[str]] = {}
    for benefit in pack.benefits.values():
        for name, spec in benefit.facts.items():
            if name in specs and spec.type == "enum":
                values = enums.setdefault(name, [])
                values.extend(str(c) for c in spec.choices if str(c) not in values)
    return enums


def _fact_problems(benefit: Benefit, enums: dict[str, list[str]], columns: list[str]) -> dict[str, pl.Expr]:
    """The quote engine's fact validation (QuoteInputError) as one boolean column per fact."""
    checks = {}
    for name, spec in benefit.facts.items():
        column = pl.col(name)
        bad = column.is_null() if spec.required else pl.lit(False)
        if spec.type == "enum":
            allowed = [enums[name].index(str(c)) for c in spec.choices]
            bad = bad | (column.is_not_null() & ~column.is_in(allowed))
        elif spec.type == "int" and spec.minimum is not None:
            bad = bad | (column < spec.minimum)
        elif spec.type == "str" and name == "occupation" and "occupation_blank" in columns:
            bad = bad | pl.col("occupation_blank")
        elif spec.type == "str":
            bad = bad | (column.str.strip_chars() == "")
        checks[name] = bad.fill_null(False)
    return checks


# preparation -------------------------------------------------------------------------------------
def _prepare(
    claims: pl.DataFrame,
    pack: Pack,
    as_of: dt.date | None,
    specs: dict[str, FactSpec],
    enums: dict[str, list[str]],
    bcode: pl.Series,
    *,
    exact: bool,
) -> pl.DataFrame:
    person = pl.col("person_id").cast(pl.String)
    if exact:
        keys = [person.rank("dense").cast(pl.UInt64).alias(name) for name in ("pk", "pk2")]
    else:
        keys = [person_hash(person, SEEDS[0]).alias("pk"), person_hash(person, SEEDS[1]).alias("pk2")]
    claim_ids = claims.get_column("claim_id").cast(pl.String)
    # claim order breaks ties on one date; files are usually in claim_id order already
    order = (
        pl.int_range(pl.len(), dtype=pl.UInt32)
        if claim_ids.is_sorted()
        else pl.col("claim_id").cast(pl.String).rank("ordinal").cast(pl.UInt32)
    )
    day = pl.col("date").cast(pl.Date)
    evaluated = pl.lit(as_of, pl.Date) if as_of is not None else day
    seg = pl.sum_horizontal([(evaluated >= v.date).cast(pl.UInt8) for v in pack.versions])
    facts = []
    for name, spec in specs.items():
        if spec.type == "enum":
            source = pl.col(name).cast(pl.String) if name in claims.columns else pl.lit(None, pl.String)
            facts.append(
                source.cast(pl.Enum(enums[name]), strict=False).to_physical().cast(pl.UInt32).alias(name)
            )
            continue
        dtype = FACT_TYPES[spec.type]
        column = pl.col(name).cast(dtype) if name in claims.columns else pl.lit(None, dtype)
        facts.append(
            column.alias(name)
        )  # text is compared stripped (see _fact_problems, _occupation_columns)
    frame = claims.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("idx"),
        *keys,
        order.alias("order"),
        day.alias("date"),
        day.cast(pl.Int32).alias("dnum"),
        day.dt.year().cast(pl.Int32).alias("year"),
        pl.lit(bcode),
        seg.cast(pl.UInt8).alias("seg"),
        *facts,
    )
    invalid = [
        name
        for name, spec in specs.items()
        if spec.type == "enum"
        and name in claims.columns
        and frame[name].null_count() != claims[name].null_count()
    ]
    if invalid:
        raise ValueError("；".join(f"{name}: 取值无效（应为 {'/'.join(enums[name])}）" for name in invalid))
    return frame


def _occupation_columns(
    frame: pl.DataFrame, pack: Pack, present: list[str], entries: pl.DataFrame | None
) -> pl.DataFrame:
    """附件3 class of the occupation, and whether it is in the shortage directory on the claim date
    (only the table rules of 新民社发〔2025〕13号 look at them)."""
    if not any(pack.benefits[k].rule in TABLE_RULES for k in present):
        return frame
    names = sorted(pack.occupation_classes)
    classes = sorted(set(pack.occupation_classes.values()))
    class_of = pl.Series([classes.index(pack.occupation_classes[n]) for n in names], dtype=pl.Int64)
    code = (
        frame.select(pl.col("occupation").cast(pl.Enum(names), strict=False).to_physical().cast(pl.Int64))
        .to_series()
        .alias("occupation_code")
    )
    blank = pl.zeros(frame.height, pl.Boolean, eager=True).alias("occupation_blank")
    # the quote engine strips text facts; only a value that is not a 附件3 name as given can need it
    odd = frame.select(pl.col("idx"), text=pl.col("occupation")).filter(
        code.is_null() & pl.col("text").is_not_null()
    )
    if odd.height:
        odd = odd.with_columns(text=pl.col("text").str.strip_chars())
        code.scatter(
            odd["idx"],
            odd.select(
                pl.col("text").cast(pl.Enum(names), strict=False).to_physical().cast(pl.Int64)
            ).to_series(),
        )
        blank.scatter(odd["idx"], odd["text"] == "")
    frame = frame.with_columns(code, blank).with_columns(
        occupation_class=pl.lit(class_of).gather(pl.col("occupation_code")), in_directory=pl.lit(False)
    )
    if entries is None or entries.height == 0:
        return frame
    listed = entries.select(
        occupation_code=pl.col("occupation")
        .cast(pl.String)
        .cast(pl.Enum(names), strict=False)
        .to_physical()
        .cast(pl.Int64),
        valid_from=pl.col("valid_from").cast(pl.Date),
        valid_to=(pl.col("valid_to") if "valid_to" in entries.columns else pl.lit(None)).cast(pl.Date),
    ).drop_nulls("occupation_code")
    hits = (
        frame.lazy()
        .filter(pl.col("shortage").is_null() & pl.col("occupation_code").is_not_null())
        .select("idx", "date", "occupation_code")
        .join(listed.lazy(), on="occupation_code", how="inner")
        .filter(
            (pl.col("valid_from") <= pl.col("date"))
            & (pl.col("valid_to").is_null() | (pl.col("date") <= pl.col("valid_to")))
        )
        .select("idx")
        .unique()
        .collect()
        .get_column("idx")
    )
    return frame.with_columns(in_directory=pl.col("idx").is_in(hits.implode()))


# evaluation ----------------------------------------------------------------------------------------
def _group_columns(out: Out, bcode: int, *, exact: bool) -> list[pl.Expr]:
    scope = _constant(out.hist, bcode if out.per_benefit else -1)
    extras = [e.cast(pl.Int64) for e in out.group]
    if len(extras) > 3:
        raise BatchUnsupported("once_by 超过 3 个事实，批量审核不支持")
    if exact:  # exact group columns; `resolve` numbers the groups after sorting on them
        padded = [*extras, *[pl.lit(0, pl.Int64)] * (3 - len(extras))]
        return [
            pl.col("pk").alias("g0"),
            pl.lit(scope, pl.UInt64).alias("g1"),
            *[e.fill_null(-(2**62)).alias(f"g{n + 2}") for n, e in enumerate(padded)],
        ]
    keys = []
    for name, person, seed in (("gk", "pk", SEEDS[0]), ("gk2", "pk2", SEEDS[1])):
        scoped = pl.col(person) ^ pl.lit(_constant(seed, scope), pl.UInt64)
        keys.append((pl.struct([scoped, *extras]).hash(seed) if extras else scoped).alias(name))
    return keys


def _query(
    part: pl.LazyFrame, rule: Part, bcode: int, *, exact: bool
) -> tuple[tuple[int, int], pl.LazyFrame]:
    """The partition's evaluation as one select; the key says which history check it joins."""
    out = BATCH_RULES[rule.benefit.rule](rule)
    seq = out.seq
    columns = [
        pl.col("idx"),
        seq.bits.alias("bits"),
        seq.tail.alias("tail"),
        out.fen.cast(pl.Int64).alias("fen"),
    ]
    part = seq.staged(part)
    if out.hist == NONE:
        return (NONE, 0), part.select(columns).pipe(_finish_static)
    optional = {"key": out.key, "cap": out.cap, "aux": out.aux}
    reach = seq.reach if seq.reach is not None else pl.lit(True)
    columns += [
        flags(seq.bits, seq.tail, reach).alias("flags"),
        *_group_columns(out, bcode, exact=exact),
        pl.col("dnum"),
        pl.col("order"),
        pl.col("year").cast(pl.Int16),
        *[e.cast(pl.Int64).alias(n) for n, e in optional.items() if e is not None],
    ]
    return (out.hist, out.hbit), part.select(columns)


def _finish_static(frame: pl.LazyFrame) -> pl.LazyFrame:
    bits = pl.col("bits") | pl.when(pl.col("tail") & (pl.col("bits") == 0)).then(
        pl.lit(NO_POLICY, MASK_TYPE)
    ).otherwise(pl.lit(0, MASK_TYPE))
    return frame.with_columns(bits=bits).select(
        "idx", "bits", fen=pl.when(pl.col("bits") == 0).then(pl.col("fen")).otherwise(0).cast(pl.Int64)
    )


def audit_claims(
    claims: pl.DataFrame,
    pack: Pack,
    *,
    as_of: dt.date | None = None,
    shortage_entries: pl.DataFrame | None = None,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """One row per claim, in input order: claim_id, accepted, reasons, amount, policy_version."""
    if claims.height == 0:
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    try:
        return _audit(claims, pack, as_of, shortage_entries, progress, exact=False)
    except KeyCollision:
        return _audit(claims, pack, as_of, shortage_entries, progress, exact=True)


def _audit(
    claims: pl.DataFrame,
    pack: Pack,
    as_of: dt.date | None,
    entries: pl.DataFrame | None,
    progress: Progress | None,
    *,
    exact: bool,
) -> pl.DataFrame:
    step = progress or (lambda _: None)
    present, bcode = _present(claims, pack)
    specs = _fact_specs(pack, present)
    enums = _enums(pack, specs)
    step("审核：读入并编码")
    frame = _prepare(claims, pack, as_of, specs, enums, bcode, exact=exact)
    frame = _occupation_columns(frame, pack, present, entries)
    benefits = list(pack.benefits.values())
    combos = (
        frame.select((pl.col("bcode").cast(pl.UInt32) * 256 + pl.col("seg")).unique().sort().alias("c"))
        .select(bcode=pl.col("c") // 256, seg=pl.col("c") % 256)
        .with_columns(len=pl.lit(0))
    )
    lazy = frame.lazy()
    checks, queries, kinds = [], [], []
    for bcode, seg, _ in zip(*combos.get_columns(), strict=True):
        part = lazy.filter((pl.col("bcode") == bcode) & (pl.col("seg") == seg))
        if seg == 0:  # no version in force on the date: the quote engine runs no rule
            kinds.append((NONE, 0))
            queries.append(part.select("idx", bits=pl.lit(NO_POLICY, MASK_TYPE), fen=pl.lit(0, pl.Int64)))
            continue
        benefit = benefits[bcode]
        problems = _fact_problems(benefit, enums, frame.columns)
        if problems:
            checks.append((benefit, part.select("idx", *[e.alias(n) for n, e in problems.items()])))
        rule = Part(pack, benefit, Params(pack, pack.versions[seg - 1].date), enums)
        kind, query = _query(part, rule, bcode, exact=exact)
        kinds.append(kind)
        queries.append(query)
    _raise_problems(claims, checks)
    step(f"审核：{combos.height} 组（补贴项目 × 政策版本）逐项规则")
    evaluated = pl.collect_all(queries)
    bits = pl.zeros(frame.height, MASK_TYPE, eager=True).alias("bits")
    fen = pl.zeros(frame.height, pl.Int64, eager=True).alias("fen")
    history: dict[tuple[int, int], list[pl.DataFrame]] = {}
    for kind, result in zip(kinds, evaluated, strict=True):
        if kind[0] == NONE:
            bits.scatter(result["idx"], result["bits"])
            fen.scatter(result["idx"], result["fen"])
        else:
            history.setdefault(kind, []).append(result)
    for (hist, hbit), frames in sorted(history.items()):
        step(f"审核：历史规则（{HISTORY_LABELS[hist]}）")
        merged = pl.concat(frames, how="vertical_relaxed")
        fen.scatter(merged["idx"], merged["fen"])  # in partition order: nearly sequential
        resolved = resolve(merged.drop("bits", "tail"), hist, hbit, exact=exact)
        bits.scatter(resolved["idx"], resolved["bits"])
        if hist in CHANGES_AMOUNT:
            fen.scatter(resolved["idx"], resolved["fen"])
    step("审核：汇总结果")
    versions = pl.Series([None, *[f"{pack.id}@{v.date.isoformat()}" for v in pack.versions]], dtype=pl.String)
    table = pl.DataFrame([claims.get_column("claim_id").cast(pl.String), bits, fen, frame.get_column("seg")])
    accepted_fen = pl.when(pl.col("bits") == 0).then(pl.col("fen")).otherwise(0)
    return table.select(
        "claim_id",
        accepted=pl.col("bits") == 0,
        reasons=reason_lists(bits),
        # fen × 0.01 in decimal arithmetic: the integer is kept, the scale becomes 2 — exact
        amount=(accepted_fen.cast(pl.Decimal(18, 0)) * pl.lit(Decimal("0.01"), pl.Decimal(3, 2))).cast(
            pl.Decimal(18, 2)
        ),
        policy_version=pl.lit(versions).gather(pl.col("seg")),
    )


def _raise_problems(claims: pl.DataFrame, checks: list[tuple[Benefit, pl.LazyFrame]]) -> None:
    flagged = pl.collect_all([query.select(pl.exclude("idx").any()) for _, query in checks])
    problems = []
    for (benefit, query), row in zip(checks, flagged, strict=True):
        for name, bad in row.row(0, named=True).items():
            if bad:
                rows = query.filter(pl.col(name)).select("idx").head(5).collect().get_column("idx")
                ids = ", ".join(claims.get_column("claim_id").gather(rows).cast(pl.String).to_list())
                problems.append(f"{benefit.key}.{name}: 缺失或取值无效（如 {ids}）")
    if problems:
        raise ValueError("；".join(problems))
