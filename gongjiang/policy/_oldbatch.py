"""Batch audit: the quote engine's decisions for a whole table of claims at once, in Polars.

`audit_claims` gives, for every claim of the 兰州新区 2025 pack (新民社发〔2025〕13号 附件3 and
四(三)), exactly what the quote engine (`quote.py`) would give for it when its history is the same
person's earlier claims that this batch accepted: `accepted`, the reason codes in `reasons.ORDER` order, the
amount and the pack version. It never calls the single-claim rules; each rule is re-expressed as
column expressions, and parameters are read from the `Pack` into small lookup tables, one row per
pack version (parameter values only change on version dates, the loader checks it).

Claims of one person are taken in (date, claim_id) order; "earlier" means strictly before in that
order. Only two things depend on earlier decisions:

- 备注5 (training_subsidy, project_training, startup_training and anything else in the benefit's
  `counted_benefits`): at most `limits.lifetime_cap` claims, one a calendar year, never the same
  occupation and level twice — counted over the earlier *accepted* claims;
- 备注4 apprenticeship: one accepted apprentice_subsidy a calendar year.

Everything else is static: the hours minimum (by occupation class, project or course), a senior
level in enterprise post training, an unknown occupation, no certificate, not employed, and any
parameter not in force (`no_policy_in_force`). The history-dependent acceptance is resolved in
rounds::

    candidates = claims with no static reason (and a price), per (person, history group)
    repeat until no candidate is undecided:
        heads   = per (person, group) the earliest undecided candidate      -- one group_by
        history = the accepted claims of the same person and group so far   -- one join
        accept a head iff it breaks no limit against that history; mark it decided

Every accepted claim earlier than a head was decided in an earlier round, so each head sees exactly
the history the quote engine would. The number of rounds is the largest number of candidates one
person has in one group (a handful). Finally the history reasons are computed for *every* claim
(also the statically rejected ones: the quote engine lists every reason) against the final
accepted set of strictly earlier claims.

Money is integer fen (Int64): a percentage uplift is `base × (S + u) / S` with `S = 10⁶` rounded
half-up, which is the quote engine's `fen(base × (1 + u) + allowance)` because the base and the
allowance are whole fen. The result's `amount` is `Decimal(18, 2)`.

`as_of` evaluates every claim under the pack version in force on that date (parameters included);
the calendar-year tests still use each claim's own date, and so does the shortage directory.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import polars as pl

from .model import Pack
from .reasons import ORDER

TRAINING, PROJECT, STARTUP, APPRENTICE, CHOICE = (
    "lanzhou_training",
    "lanzhou_project_training",
    "lanzhou_startup",
    "lanzhou_apprentice",
    "choice",
)
COUNTED_RULES = (TRAINING, PROJECT, STARTUP)
SUPPORTED_RULES = (*COUNTED_RULES, APPRENTICE, CHOICE)
# Codes outside reasons.ORDER, in the order the training rule emits them.
EXTRA_CODES = ("no_certificate", "not_employed")
FACT_COLUMNS: dict[str, Any] = {
    "training_type": pl.String,
    "occupation": pl.String,
    "level": pl.String,
    "class_hours": pl.Int64,
    "shortage": pl.Boolean,
    "rural_or_lowincome": pl.Boolean,
    "training_days": pl.Int64,
    "course": pl.String,
    "certificate_obtained": pl.Boolean,
    "employed": pl.Boolean,
}
SCALE = 1_000_000  # ratios as integers over SCALE
OUTPUT_SCHEMA: dict[str, Any] = {
    "claim_id": pl.String,
    "accepted": pl.Boolean,
    "reasons": pl.List(pl.String),
    "amount": pl.Decimal(18, 2),
    "policy_version": pl.String,
}


# parameters ----------------------------------------------------------------------------------------
def _value(pack: Pack, path: str, day: dt.date) -> Any:
    parameter = pack.parameters.get(path)
    return parameter.at(day) if parameter else None


def _count(pack: Pack, path: str, day: dt.date) -> int | None:
    """`ctx.amount` of a count or hours parameter, as the least integer meeting it (None: missing)."""
    value = _value(pack, path, day)
    if value is None or value.amount is None:
        return None
    return math.ceil(value.amount)


def _fen(amount: Decimal, path: str) -> int:
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{path}: 金额 {amount} 不是整分，批量审核无法精确计算")
    return int(fen)


def _fixed_fen(pack: Pack, path: str, day: dt.date) -> int | None:
    """`ctx.amount` of a money parameter in fen (None: missing or a range)."""
    value = _value(pack, path, day)
    if value is None or value.amount is None:
        return None
    return _fen(value.amount, path)


def _priced_fen(pack: Pack, path: str, day: dt.date) -> int | None:
    """`amount_of`: the amount, or a range's upper bound (its lower where there is none)."""
    value = _value(pack, path, day)
    if value is None:
        return None
    chosen = value.amount if value.amount is not None else value.maximum
    if chosen is None:
        chosen = value.minimum or Decimal(0)
    return _fen(chosen, path)


def _ratio(pack: Pack, path: str, day: dt.date) -> int | None:
    """A ratio parameter × SCALE (`uplift.amount or 0`); None when not in force."""
    value = _value(pack, path, day)
    if value is None:
        return None
    scaled = (value.amount or Decimal(0)) * SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{path}: 比例 {value.amount} 精度超出批量审核支持范围")
    return int(scaled)


def _choices(pack: Pack, rule: str, fact: str) -> list[str]:
    for benefit in pack.benefits.values():
        if benefit.rule == rule and fact in benefit.facts:
            return [str(c) for c in benefit.facts[fact].choices]
    return []


def _tables(pack: Pack, benefits: list[str]) -> dict[str, pl.DataFrame]:
    """Lookup tables keyed by `seg` (index of the pack version in force)."""
    classes = sorted(set(pack.occupation_classes.values()))
    levels = _choices(pack, TRAINING, "level") or _choices(pack, PROJECT, "level")
    courses = _choices(pack, STARTUP, "course")
    apprentice_levels = _choices(pack, APPRENTICE, "level")
    scalars, by_class, table, startup, apprentice, choice = [], [], [], [], [], []
    for seg, version in enumerate(pack.versions):
        day = version.date
        scalars.append(
            {
                "seg": seg,
                "policy_version": f"{pack.id}@{day.isoformat()}",
                "cap": _count(pack, "limits.lifetime_cap", day),
                "project_min": _count(pack, "project.min_hours", day),
                "uplift": _ratio(pack, "uplift.shortage", day),
                "living": _fixed_fen(pack, "living_allowance.per_day", day),
                "app_uplift": _ratio(pack, "apprentice.shortage_uplift", day),
            }
        )
        for cls in classes:
            by_class.append({"seg": seg, "cls": cls, "class_min": _count(pack, f"min_hours.{cls}", day)})
            for column in ("employment", "enterprise_post"):
                for level in levels:
                    path = f"training.{column}.{cls}.{level}"
                    table.append(
                        {
                            "seg": seg,
                            "column": column,
                            "cls": cls,
                            "level": level,
                            "table_fen": _priced_fen(pack, path, day),
                        }
                    )
        for course in courses:
            startup.append(
                {
                    "seg": seg,
                    "course": course,
                    "course_min": _count(pack, f"startup.min_hours.{course}", day),
                    "course_fen": _priced_fen(pack, f"startup.{course}", day),
                }
            )
        for level in apprentice_levels:
            apprentice.append(
                {"seg": seg, "level": level, "app_fen": _priced_fen(pack, f"apprentice.{level}", day)}
            )
        for key in benefits:
            benefit = pack.benefits[key]
            if benefit.rule == CHOICE:
                choice.append(
                    {
                        "seg": seg,
                        "benefit": key,
                        "choice_fen": _priced_fen(pack, benefit.config["param"], day),
                    }
                )
    seg_schema = {"seg": pl.Int32}
    return {
        "scalars": pl.DataFrame(
            scalars,
            schema={
                **seg_schema,
                "policy_version": pl.String,
                "cap": pl.Int64,
                "project_min": pl.Int64,
                "uplift": pl.Int64,
                "living": pl.Int64,
                "app_uplift": pl.Int64,
            },
        ),
        "by_class": pl.DataFrame(by_class, schema={**seg_schema, "cls": pl.String, "class_min": pl.Int64}),
        "table": pl.DataFrame(
            table,
            schema={
                **seg_schema,
                "column": pl.String,
                "cls": pl.String,
                "level": pl.String,
                "table_fen": pl.Int64,
            },
        ),
        "startup": pl.DataFrame(
            startup,
            schema={**seg_schema, "course": pl.String, "course_min": pl.Int64, "course_fen": pl.Int64},
        ),
        "apprentice": pl.DataFrame(
            apprentice, schema={**seg_schema, "level": pl.String, "app_fen": pl.Int64}
        ),
        "choice": pl.DataFrame(choice, schema={**seg_schema, "benefit": pl.String, "choice_fen": pl.Int64}),
    }


# input ---------------------------------------------------------------------------------------------
def _check_benefits(claims: pl.DataFrame, pack: Pack) -> list[str]:
    supported = sorted(k for k, b in pack.benefits.items() if b.rule in SUPPORTED_RULES)
    present = claims.get_column("benefit").unique().drop_nulls().to_list()
    unknown = sorted(set(present) - set(supported)) + (["(空)"] if claims["benefit"].null_count() else [])
    if unknown:
        raise ValueError(
            f"批量审核不支持补贴项目 {', '.join(unknown)}（{pack.id} 支持：{', '.join(supported)}）"
        )
    for key in present:
        benefit = pack.benefits[key]
        if benefit.rule == CHOICE and (
            benefit.config.get("fact") or benefit.config.get("once") or benefit.config.get("multiplier_param")
        ):
            raise ValueError(f"批量审核不支持补贴项目 {key}（choice 规则仅支持单一参数）")
    counted_sets = {
        frozenset(pack.benefits[k].config.get("counted_benefits", ()))
        for k in present
        if pack.benefits[k].rule in COUNTED_RULES
    }
    if len(counted_sets) > 1:
        raise ValueError("批量审核要求各培训项目的 counted_benefits 相同")
    counted = set(next(iter(counted_sets))) if counted_sets else set()
    counted_rule_keys = {k for k in present if pack.benefits[k].rule in COUNTED_RULES}
    if counted & set(present) != counted_rule_keys:
        raise ValueError("批量审核要求 counted_benefits 中出现的项目恰为培训类项目")
    return present


def _check_facts(frame: pl.DataFrame, pack: Pack, present: list[str]) -> None:
    """The quote engine's fact validation, as one filter per (benefit, fact)."""
    problems = []
    for key in present:
        rows = frame.filter(pl.col("benefit") == key)
        for name, spec in pack.benefits[key].facts.items():
            column = pl.col(name)
            # An optional fact starts from an always-false column (not pl.lit: it must be row-shaped).
            bad = column.is_null() if spec.required else column.is_not_null() & column.is_null()
            if spec.type == "str":
                bad = bad | (column.is_not_null() & (column.str.strip_chars() == ""))
            if spec.type == "enum":
                bad = bad | (column.is_not_null() & ~column.is_in([str(c) for c in spec.choices]))
            if spec.type == "int" and spec.minimum is not None:
                bad = bad | (column < spec.minimum)
            ids = rows.filter(bad.fill_null(False)).get_column("claim_id").head(5).to_list()
            if ids:
                problems.append(f"{key}.{name}: 缺失或取值无效（如 {', '.join(map(str, ids))}）")
    if problems:
        raise ValueError("；".join(problems))


def _prepare(claims: pl.DataFrame, pack: Pack, as_of: dt.date | None) -> pl.DataFrame:
    missing = {"claim_id", "person_id", "date", "benefit"} - set(claims.columns)
    if missing:
        raise ValueError(f"缺少列：{', '.join(sorted(missing))}")
    frame = claims.with_row_index("idx").with_columns(
        [
            pl.col(name).cast(dtype) if name in claims.columns else pl.lit(None, dtype).alias(name)
            for name, dtype in FACT_COLUMNS.items()
        ]
    )
    eval_date = pl.lit(as_of, pl.Date) if as_of is not None else pl.col("date")
    seg = pl.sum_horizontal([(eval_date >= v.date).cast(pl.Int32) for v in pack.versions]) - 1
    rules = pl.DataFrame(
        {"benefit": list(pack.benefits), "rule": [b.rule for b in pack.benefits.values()]},
        schema={"benefit": pl.String, "rule": pl.String},
    )
    classes = pl.DataFrame(
        {"occ": list(pack.occupation_classes), "cls": list(pack.occupation_classes.values())},
        schema={"occ": pl.String, "cls": pl.String},
    )
    frame = (
        frame.with_columns(
            seg=seg.cast(pl.Int32),
            occ=pl.col("occupation").str.strip_chars(),
            year=pl.col("date").dt.year(),
        )
        .join(rules, on="benefit", how="left")
        .join(classes, on="occ", how="left")
        .sort("person_id", "date", "claim_id", "idx")
        .with_columns(pos=pl.int_range(pl.len()).over("person_id"))
    )
    return frame


def _directory(frame: pl.DataFrame, entries: pl.DataFrame | None) -> pl.DataFrame:
    """`in_directory`: the claim's occupation is in the shortage directory on the claim date."""
    if entries is None or entries.height == 0:
        return frame.with_columns(in_directory=pl.lit(False))
    entries = entries.select(
        occ=pl.col("occupation").cast(pl.String),
        valid_from=pl.col("valid_from").cast(pl.Date),
        valid_to=(pl.col("valid_to") if "valid_to" in entries.columns else pl.lit(None)).cast(pl.Date),
    )
    hits = (
        frame.select("idx", "occ", "date")
        .join(entries, on="occ", how="inner")
        .filter(
            (pl.col("valid_from") <= pl.col("date"))
            & (pl.col("valid_to").is_null() | (pl.col("date") <= pl.col("valid_to")))
        )
        .select("idx")
        .unique()
    )
    return frame.with_columns(in_directory=pl.col("idx").is_in(hits.get_column("idx").implode()))


# history ------------------------------------------------------------------------------------------
def _history(targets: pl.DataFrame, accepted: pl.DataFrame) -> pl.DataFrame:
    """Per target idx: how many accepted claims of its history group precede it, whether one is in
    the same calendar year, whether one (a training claim) has the same occupation and level."""
    joined = (
        targets.select("idx", "person_id", "group", "pos", "year", "occ", "level")
        .join(
            accepted.select(
                "person_id",
                "group",
                a_pos="pos",
                a_year="year",
                a_occ=pl.when(pl.col("rule").is_in([TRAINING, PROJECT])).then(pl.col("occ")),
                a_level="level",
            ),
            on=["person_id", "group"],
            how="inner",
        )
        .filter(pl.col("a_pos") < pl.col("pos"))
        .group_by("idx")
        .agg(
            h_count=pl.len().cast(pl.Int64),
            h_year=(pl.col("a_year") == pl.col("year")).any(),
            h_same=((pl.col("a_occ") == pl.col("occ")) & (pl.col("a_level") == pl.col("level")))
            .fill_null(False)
            .any(),
        )
    )
    return (
        targets.select("idx")
        .join(joined, on="idx", how="left")
        .with_columns(
            h_count=pl.col("h_count").fill_null(0),
            h_year=pl.col("h_year").fill_null(False),
            h_same=pl.col("h_same").fill_null(False),
        )
    )


def _blocked() -> pl.Expr:
    """The history reasons as one flag, for rows carrying h_count/h_year/h_same."""
    counted = pl.col("rule").is_in(COUNTED_RULES)
    return (
        (counted & (pl.col("h_count") >= pl.col("cap")))
        | pl.col("h_year")
        | (pl.col("rule").is_in([TRAINING, PROJECT]) & pl.col("h_same"))
    )


def _resolve(frame: pl.DataFrame) -> pl.Series:
    """The accepted flag of every history-group candidate, round by round (see module docstring)."""
    candidates = frame.filter(pl.col("static_ok") & pl.col("group").is_not_null())
    accepted = candidates.clear()
    undecided = candidates
    while undecided.height:
        heads = undecided.filter(pl.col("pos") == pl.col("pos").min().over("person_id", "group"))
        flags = heads.join(_history(heads, accepted), on="idx", how="left")
        accepted = pl.concat([accepted, flags.filter(~_blocked()).select(candidates.columns)])
        undecided = undecided.filter(~pl.col("idx").is_in(heads.get_column("idx").implode()))
    return accepted.get_column("idx")


# the audit -----------------------------------------------------------------------------------------
def audit_claims(
    claims: pl.DataFrame,
    pack: Pack,
    *,
    as_of: dt.date | None = None,
    shortage_entries: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per claim, in input order: claim_id, accepted, reasons, amount, policy_version."""
    if claims.height == 0:
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    present = _check_benefits(claims, pack)
    frame = _prepare(claims, pack, as_of)
    _check_facts(frame, pack, present)
    tables = _tables(pack, present)
    frame = _directory(frame, shortage_entries)
    training_type, level, rule = pl.col("training_type"), pl.col("level"), pl.col("rule")
    column = (
        pl.when((training_type == "enterprise_post") & (level == "cert"))
        .then(pl.lit("enterprise_post"))
        .otherwise(pl.lit("employment"))
    )
    frame = (
        frame.join(tables["scalars"], on="seg", how="left")
        .join(tables["by_class"], on=["seg", "cls"], how="left")
        .with_columns(column=column)
        .join(tables["table"], on=["seg", "column", "cls", "level"], how="left")
        .join(tables["startup"], on=["seg", "course"], how="left")
        .join(tables["apprentice"], on=["seg", "level"], how="left")
        .join(tables["choice"], on=["seg", "benefit"], how="left")
    )
    has_version = pl.col("seg") >= 0
    is_training, is_project = rule == TRAINING, rule == PROJECT
    is_table = is_training | is_project
    is_counted = rule.is_in(COUNTED_RULES)
    hours = pl.col("class_hours")
    # stage 1: the first parameter each rule reads; when it is missing the claim stops there
    minimum = (
        pl.when(is_project)
        .then(pl.col("project_min"))
        .when(is_training)
        .then(pl.col("class_min"))
        .when(rule == STARTUP)
        .then(pl.col("course_min"))
    )
    needs_minimum = is_project | (is_training & pl.col("cls").is_not_null()) | (rule == STARTUP)
    first_missing = (needs_minimum & minimum.is_null()) | ((rule == APPRENTICE) & pl.col("app_fen").is_null())
    stop = ~has_version | first_missing
    # stage 2: hours; then the limits parameter (missing: what was found so far + no_policy_in_force)
    shortage = (
        pl.when(is_table)
        .then(pl.col("shortage").fill_null(pl.col("in_directory")))
        .otherwise(pl.col("shortage").fill_null(False))
    )
    living_applies = (training_type == "employment") & pl.col("rural_or_lowincome").fill_null(False)
    frame = frame.with_columns(
        stop=stop,
        r_hours=~stop & needs_minimum & (hours < minimum).fill_null(False),
        cap_missing=~stop & is_counted & pl.col("cap").is_null(),
        is_shortage=shortage,
        living_applies=is_table & living_applies,
    )
    go = ~pl.col("stop") & ~pl.col("cap_missing")
    frame = frame.with_columns(
        r_level=go & is_table & (training_type == "enterprise_post") & (level == "senior"),
        r_unknown=go & is_table & pl.col("cls").is_null(),
        r_certificate=go & is_project & ~pl.col("certificate_obtained").fill_null(False),
        r_employed=go & is_project & (training_type == "employment") & ~pl.col("employed").fill_null(False),
        price_missing=(
            (
                is_table
                & (
                    pl.col("table_fen").is_null()
                    | (pl.col("is_shortage") & pl.col("uplift").is_null())
                    | (pl.col("living_applies") & pl.col("living").is_null())
                )
            )
            | ((rule == STARTUP) & pl.col("course_fen").is_null())
            | ((rule == APPRENTICE) & pl.col("is_shortage") & pl.col("app_uplift").is_null())
            | ((rule == CHOICE) & pl.col("choice_fen").is_null())
        ),
        group=pl.when(is_counted)
        .then(pl.lit("counted"))
        .when(rule == APPRENTICE)
        .then(pl.concat_str(pl.lit("apprentice:"), pl.col("benefit"))),
    )
    static = (
        pl.col("r_hours")
        | pl.col("r_level")
        | pl.col("r_unknown")
        | pl.col("r_certificate")
        | pl.col("r_employed")
    )
    frame = frame.with_columns(
        static_ok=~pl.col("stop")
        & ~pl.col("cap_missing")
        & ~static
        & ~pl.col("price_missing").fill_null(False)
    )
    accepted_idx = _resolve(frame)
    accepted = frame.filter(pl.col("idx").is_in(accepted_idx.implode()))
    history_rows = frame.filter(pl.col("group").is_not_null())
    frame = frame.join(_history(history_rows, accepted), on="idx", how="left").with_columns(
        pl.col("h_count").fill_null(0), pl.col("h_year").fill_null(False), pl.col("h_same").fill_null(False)
    )
    frame = frame.with_columns(
        r_cap=go & is_counted & (pl.col("h_count") >= pl.col("cap")),
        r_year=go & pl.col("group").is_not_null() & pl.col("h_year"),
        r_same=go & is_table & pl.col("h_same"),
    )
    any_reason = static | pl.col("r_cap") | pl.col("r_year") | pl.col("r_same")
    frame = frame.with_columns(
        r_policy=pl.col("stop")
        | pl.col("cap_missing")
        | (~any_reason & pl.col("price_missing").fill_null(False)),
    )
    flags = {
        "hours_below_minimum": "r_hours",
        "lifetime_cap": "r_cap",
        "once_per_year": "r_year",
        "same_occupation_level": "r_same",
        "level_not_subsidised": "r_level",
        "unknown_occupation": "r_unknown",
        "no_policy_in_force": "r_policy",
        "no_certificate": "r_certificate",
        "not_employed": "r_employed",
    }
    codes = [code for code in [*ORDER, *EXTRA_CODES] if code in flags]
    reasons = pl.concat_list(
        [pl.when(pl.col(flags[c])).then(pl.lit(c)).otherwise(pl.lit(None, pl.String)) for c in codes]
    ).list.drop_nulls()
    frame = frame.with_columns(reasons=reasons).with_columns(accepted=pl.col("reasons").list.len() == 0)

    # amounts in fen
    def raised(base: pl.Expr, ratio: pl.Expr) -> pl.Expr:
        return (2 * base * (SCALE + ratio) + SCALE) // (2 * SCALE)

    table_amount = pl.when(pl.col("is_shortage")).then(
        raised(pl.col("table_fen"), pl.col("uplift"))
    ).otherwise(pl.col("table_fen")) + pl.when(pl.col("living_applies")).then(
        pl.col("living") * pl.col("training_days").fill_null(0)
    ).otherwise(0)
    fen = (
        pl.when(~pl.col("accepted"))
        .then(pl.lit(0, pl.Int64))
        .when(is_table)
        .then(table_amount)
        .when(rule == STARTUP)
        .then(pl.col("course_fen"))
        .when(rule == APPRENTICE)
        .then(
            pl.when(pl.col("is_shortage"))
            .then(raised(pl.col("app_fen"), pl.col("app_uplift")))
            .otherwise(pl.col("app_fen"))
        )
        .otherwise(pl.col("choice_fen"))
    ).cast(pl.Int64)
    amount = pl.format("{}.{}", fen // 100, (fen % 100).cast(pl.String).str.zfill(2)).cast(pl.Decimal(18, 2))
    return frame.sort("idx").select(
        pl.col("claim_id").cast(pl.String),
        "accepted",
        "reasons",
        amount=amount,
        policy_version=pl.col("policy_version"),
    )
