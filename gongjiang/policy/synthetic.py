"""Synthetic `lanzhou-xinqu-2025` claims for benchmarks and large-file checks (vectorised, seeded).

About N/2.5 people, dates 2021–2025, every benefit of the pack, ~15% explicit shortage claims,
~30% rural or low-income trainees, class hours spread around each class minimum.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from .model import Pack

BENEFIT_WEIGHTS = {
    "training_subsidy": 0.55,
    "project_training": 0.08,
    "startup_training": 0.15,
    "apprentice_subsidy": 0.12,
    "evaluation_subsidy": 0.06,
    "special_ability_assessment_subsidy": 0.04,
}
COURSES = ["GYB", "SYB", "IYB", "EYB", "NET", "PRACTICE"]
START, END = dt.date(2021, 1, 1), dt.date(2025, 12, 31)


def _uniform(k: int, seed: int) -> pl.Expr:
    """A deterministic pseudo-random number in [0, 1) per row, stream k."""
    return (pl.col("i").hash(seed * 1000 + k) % 1_000_000) / 1_000_000


def synthetic_claims(pack: Pack, n: int, seed: int = 2025) -> pl.DataFrame:
    names = sorted(pack.occupation_classes)
    people = max(1, int(n / 2.5))
    days = (END - START).days
    benefits = list(BENEFIT_WEIGHTS)
    cumulative, total = [], 0.0
    for key in benefits:
        total += BENEFIT_WEIGHTS[key]
        cumulative.append(total)
    frame = pl.DataFrame({"i": pl.int_range(0, n, eager=True)})

    def r(k: int) -> pl.Expr:
        return _uniform(k, seed)

    benefit_expr: Any = pl.when(r(1) < cumulative[0]).then(pl.lit(benefits[0]))
    for key, edge in zip(benefits[1:], cumulative[1:], strict=True):
        benefit_expr = benefit_expr.when(r(1) < edge).then(pl.lit(key))
    frame = frame.with_columns(
        pl.format("C{}", pl.col("i").cast(pl.Utf8).str.zfill(9)).alias("claim_id"),
        pl.format("P{}", (r(2) * people).cast(pl.Int64)).alias("person_id"),
        pl.format("机构{}", (r(3) * 40).cast(pl.Int64)).alias("institution"),
        (pl.lit(START) + pl.duration(days=(r(4) * days).cast(pl.Int64))).alias("date"),
        benefit_expr.otherwise(pl.lit(benefits[-1])).alias("benefit"),
        pl.when(r(5) < 0.7)
        .then(pl.lit("employment"))
        .otherwise(pl.lit("enterprise_post"))
        .alias("training_type"),
        (r(6) * len(names)).cast(pl.Int64).alias("occupation_index"),
        pl.when(r(7) < 0.6)
        .then(pl.lit("cert"))
        .when(r(7) < 0.8)
        .then(pl.lit("senior"))
        .when(r(7) < 0.93)
        .then(pl.lit("technician"))
        .otherwise(pl.lit("senior_technician"))
        .alias("level"),
        (50 + (r(8) * 90).cast(pl.Int64)).alias("class_hours"),
        pl.when(r(9) < 0.15).then(True).when(r(9) < 0.25).then(None).otherwise(False).alias("shortage"),
        (r(10) < 0.3).alias("rural_or_lowincome"),
        (5 + (r(11) * 25).cast(pl.Int64)).alias("training_days"),
        (r(12) < 0.8).alias("certificate_obtained"),
        (r(13) < 0.7).alias("employed"),
        (r(14) * len(COURSES)).cast(pl.Int64).alias("course_index"),
        pl.when(r(15) < 0.4)
        .then(pl.lit("junior"))
        .when(r(15) < 0.75)
        .then(pl.lit("intermediate"))
        .otherwise(pl.lit("senior"))
        .alias("apprentice_level"),
    )
    occupations = pl.DataFrame(
        {"occupation_index": range(len(names)), "occupation": names},
        schema={"occupation_index": pl.Int64, "occupation": pl.Utf8},
    )
    courses = pl.DataFrame(
        {"course_index": range(len(COURSES)), "course": COURSES},
        schema={"course_index": pl.Int64, "course": pl.Utf8},
    )
    frame = frame.join(occupations, on="occupation_index", how="left").join(
        courses, on="course_index", how="left"
    )
    is_training = pl.col("benefit").is_in(["training_subsidy", "project_training"])
    return frame.sort("i").select(
        "claim_id",
        "person_id",
        "institution",
        "date",
        "benefit",
        pl.when(is_training).then(pl.col("training_type")).alias("training_type"),
        pl.when(is_training | (pl.col("benefit") == "apprentice_subsidy"))
        .then(pl.col("occupation"))
        .alias("occupation"),
        pl.when(is_training)
        .then(pl.col("level"))
        .when(pl.col("benefit") == "apprentice_subsidy")
        .then(pl.col("apprentice_level"))
        .alias("level"),
        pl.when(is_training)
        .then(pl.col("class_hours"))
        .when(pl.col("benefit") == "startup_training")
        .then(pl.col("class_hours") // 2)
        .alias("class_hours"),
        pl.when(is_training)
        .then(pl.col("shortage"))
        .when(pl.col("benefit") == "apprentice_subsidy")
        .then(pl.col("shortage").fill_null(False))
        .alias("shortage"),
        pl.when(is_training).then(pl.col("rural_or_lowincome")).alias("rural_or_lowincome"),
        pl.when(is_training).then(pl.col("training_days")).alias("training_days"),
        pl.when(pl.col("benefit") == "project_training")
        .then(pl.col("certificate_obtained"))
        .alias("certificate_obtained"),
        pl.when(pl.col("benefit") == "project_training").then(pl.col("employed")).alias("employed"),
        pl.when(pl.col("benefit") == "startup_training").then(pl.col("course")).alias("course"),
    )
