"""Reading a claims file for the batch audit: CSV (UTF-8 or GBK), Excel or Parquet, checked whole.

Columns are documented in docs/formats/claims.md: `claim_id`, `person_id`, `institution`, `date`,
`benefit`, then the facts of the pack's benefits as columns. Every row is checked with vectorised
Polars expressions; a file with any bad row is refused with each bad row's number, column and
reason (the first 100, then a count) — nothing is audited from a partly bad file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from gongjiang.core.errors import DomainError
from gongjiang.core.spreadsheets import decode_text, read_xlsx

from .model import FactSpec, Pack

BASE_COLUMNS = ("claim_id", "person_id", "institution", "date", "benefit")
MAX_LISTED = 100
TRUE_WORDS = ["true", "1", "是", "yes", "y"]
FALSE_WORDS = ["false", "0", "否", "no", "n"]
POLARS_TYPES = {
    "int": pl.Int64,
    "bool": pl.Boolean,
    "enum": pl.Utf8,
    "str": pl.Utf8,
    "decimal": pl.Float64,
    "date": pl.Date,
}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


class ClaimsFileRejected(DomainError):
    def __init__(self, problems: list[RowProblem], total: int) -> None:
        listed = "\n".join(f"第 {p.row} 行 {p.column}：{p.message}" for p in problems)
        more = f"\n…另有 {total - len(problems)} 处错误未列出" if total > len(problems) else ""
        super().__init__(
            "claims_rejected",
            f"文件有 {total} 处错误，未做任何审核：\n{listed}{more}",
            details=[p.__dict__ for p in problems],
        )
        self.problems = problems
        self.total = total


def fact_specs(pack: Pack) -> dict[str, FactSpec]:
    """Every fact column of the pack (a fact shared by benefits has one column)."""
    specs: dict[str, FactSpec] = {}
    for benefit in pack.benefits.values():
        for name, spec in benefit.facts.items():
            specs.setdefault(name, spec)
    return specs


def template_columns(pack: Pack) -> list[str]:
    return [*BASE_COLUMNS, *fact_specs(pack)]


def read_raw(path: Path) -> pl.DataFrame:
    """All columns as text (Parquet keeps its types and is cast to text for the same checks)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = pl.read_parquet(path)
        return frame.with_columns([pl.col(c).cast(pl.Utf8) for c, t in frame.schema.items() if t != pl.Utf8])
    data = path.read_bytes()
    if suffix == ".csv":
        return pl.read_csv(io.StringIO(decode_text(data)), infer_schema=False)
    if suffix == ".xlsx":
        header, rows = read_xlsx(data)
        names = [h for h in header if h]
        return pl.DataFrame(
            {n: [r.values.get(n, "") for r in rows] for n in names}, schema={n: pl.Utf8 for n in names}
        )
    raise DomainError("bad_file_type", "只支持 .csv、.xlsx 或 .parquet 文件")


def _typed(column: str, spec_type: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars()
    if spec_type == "int":
        return text.cast(pl.Int64, strict=False)
    if spec_type == "bool":
        lowered = text.str.to_lowercase()
        return pl.when(lowered.is_in(TRUE_WORDS)).then(True).when(lowered.is_in(FALSE_WORDS)).then(False)
    if spec_type == "decimal":
        return text.cast(pl.Float64, strict=False)
    if spec_type == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)
    return text


def parse_claims(raw: pl.DataFrame, pack: Pack) -> pl.DataFrame:
    """Typed claims, or ClaimsFileRejected listing every bad row (row numbers count the header as 1)."""
    specs = fact_specs(pack)
    missing = [c for c in ("claim_id", "person_id", "date", "benefit") if c not in raw.columns]
    unknown = [c for c in raw.columns if c not in BASE_COLUMNS and c not in specs]
    if missing or unknown:
        problems = [RowProblem(1, c, "缺少必需列") for c in missing] + [
            RowProblem(1, c, f"未知列（{pack.id} 的事实列为 {', '.join(specs)}）") for c in unknown
        ]
        raise ClaimsFileRejected(problems, len(problems))
    frame = raw.with_columns(
        [pl.lit(None, pl.Utf8).alias(c) for c in (*BASE_COLUMNS, *specs) if c not in raw.columns]
    )
    frame = frame.with_columns([pl.col(c).str.strip_chars().replace("", None) for c in frame.columns])
    frame = frame.with_row_index("row", offset=2)
    typed = frame.select(
        "row",
        pl.col("claim_id"),
        pl.col("person_id"),
        pl.col("institution"),
        _typed("date", "date").alias("date"),
        pl.col("benefit"),
        *[_typed(name, spec.type).alias(name) for name, spec in specs.items()],
    )
    checks: list[tuple[str, pl.Expr, str]] = [
        ("claim_id", pl.col("claim_id").is_null(), "不能为空"),
        ("claim_id", pl.col("claim_id").is_duplicated() & pl.col("claim_id").is_not_null(), "与其他行重复"),
        ("person_id", pl.col("person_id").is_null(), "不能为空"),
        ("date", pl.col("date").is_null(), "应为 YYYY-MM-DD 日期"),
        ("benefit", ~pl.col("benefit").is_in(list(pack.benefits)), f"{pack.id} 没有该补贴项目"),
    ]
    raw_values = frame.select([pl.col(c).alias(f"raw_{c}") for c in ("date", *specs)])
    both = pl.concat([typed, raw_values], how="horizontal")
    for name, spec in specs.items():
        given = pl.col(f"raw_{name}").is_not_null()
        checks.append((name, given & pl.col(name).is_null(), _type_message(spec)))
        for benefit in pack.benefits.values():
            # One column may carry different enumerations per benefit (level: cert… or junior…).
            own = benefit.facts.get(name)
            if own is not None and own.type == "enum":
                allowed = [str(c) for c in own.choices]
                wrong = (pl.col("benefit") == benefit.key) & given & ~pl.col(name).is_in(allowed)
                checks.append((name, wrong, "取值应为 " + "/".join(allowed)))
        if spec.minimum is not None and spec.type == "int":
            checks.append((name, pl.col(name) < spec.minimum, f"不能小于 {spec.minimum}"))
        required_for = [b.key for b in pack.benefits.values() if name in b.facts and b.facts[name].required]
        if required_for:
            checks.append((name, pl.col("benefit").is_in(required_for) & ~given, "该补贴项目必须填写"))
    found = pl.concat(
        [
            both.filter(condition.fill_null(False)).select(
                "row", pl.lit(column).alias("column"), pl.lit(message).alias("message")
            )
            for column, condition, message in checks
        ]
    ).sort("row", "column")
    if found.height:
        listed = [RowProblem(int(r), str(c), str(m)) for r, c, m in found.head(MAX_LISTED).iter_rows()]
        raise ClaimsFileRejected(listed, found.height)
    for name, spec in specs.items():
        if spec.type == "enum" and all(isinstance(c, int) for c in spec.choices):
            typed = typed.with_columns(pl.col(name).cast(pl.Int64))
    return typed.drop("row")


def _type_message(spec: FactSpec) -> str:
    return {
        "int": "应为整数",
        "bool": "应为 是/否（true/false）",
        "decimal": "应为数值",
        "date": "应为 YYYY-MM-DD 日期",
    }.get(spec.type, "格式错误")
