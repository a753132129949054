"""The batch audit's outputs: per-claim results (Parquet, CSV), the Excel report, the stdout summary.

The Excel report has a summary sheet (accepted and rejected counts and amounts per benefit, per
reason, per institution, per month) and a sheet of rejected claims, written in bulk by
`xlsx_stream` (a vectorised chunk of rows at a time). Excel holds 1,048,576 rows a sheet: past that
the sheet ends with a line saying where the full list is (the CSV/Parquet files).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from .xlsx_stream import Workbook

EXCEL_MAX_ROWS = 1_048_576
Progress = Callable[[str], None]


def with_claims(results: pl.DataFrame, claims: pl.DataFrame) -> pl.DataFrame:
    """The claims' identifying columns beside their results (both in the file's row order)."""
    if results.height != claims.height or not results["claim_id"].equals(claims["claim_id"].cast(pl.String)):
        raise ValueError("审核结果与申领记录的行不对应")
    return pl.concat(
        [claims.select("claim_id", "person_id", "institution", "date", "benefit"), results.drop("claim_id")],
        how="horizontal",
    )


def summaries(joined: pl.DataFrame) -> dict[str, pl.DataFrame]:
    frame = joined.lazy().with_columns(
        pl.col("date").dt.strftime("%Y-%m").alias("month"), pl.col("institution").fill_null("（未填）")
    )

    def by(key: str) -> pl.LazyFrame:
        return (
            frame.group_by(key)
            .agg(
                pl.col("accepted").sum().alias("accepted"),
                (~pl.col("accepted")).sum().alias("rejected"),
                pl.col("amount").sum().alias("accepted_amount"),
            )
            .sort(key)
        )

    reasons = (
        frame.filter(~pl.col("accepted"))
        .select("reasons")
        .explode("reasons")
        .group_by("reasons")
        .agg(pl.len().alias("claims"))
        .sort("claims", "reasons", descending=[True, False])
        .rename({"reasons": "reason"})
    )
    titles = ["按补贴项目", "按机构", "按月份", "按原因"]
    tables = pl.collect_all([by("benefit"), by("institution"), by("month"), reasons])
    return dict(zip(titles, tables, strict=True))


def write_outputs(
    joined: pl.DataFrame,
    out: Path,
    *,
    tables: dict[str, pl.DataFrame] | None = None,
    progress: Progress | None = None,
) -> dict[str, Path]:
    step = progress or (lambda _: None)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"parquet": out / "results.parquet", "csv": out / "results.csv", "excel": out / "report.xlsx"}
    step(f"写出 {paths['parquet'].name}")
    joined.write_parquet(paths["parquet"])
    flat = joined.with_columns(pl.col("reasons").list.join(";"))
    step(f"写出 {paths['csv'].name}")
    flat.write_csv(paths["csv"])
    _write_excel(joined, flat, paths, tables or summaries(joined), step)
    return paths


def _write_excel(
    joined: pl.DataFrame,
    flat: pl.DataFrame,
    paths: dict[str, Path],
    tables: dict[str, pl.DataFrame],
    step: Progress,
) -> None:
    total = joined.select(
        pl.col("accepted").sum(), (~pl.col("accepted")).sum().alias("rejected"), pl.col("amount").sum()
    ).row(0)
    rejected = flat.filter(~pl.col("accepted"))
    room = EXCEL_MAX_ROWS - 2  # header + the closing note
    shown = min(rejected.height, room)
    with Workbook(paths["excel"]) as book:
        with book.sheet("汇总") as sheet:
            sheet.write_row(
                ["合计", "通过", total[0], "不通过", total[1], "通过金额", str(total[2])], bold=True
            )
            sheet.write_row([])
            for title, table in tables.items():
                sheet.write_row([title], bold=True)
                sheet.write_row(table.columns, bold=True)
                for values in table.rows():
                    sheet.write_row(
                        [v if isinstance(v, int) else None if v is None else str(v) for v in values]
                    )
                sheet.write_row([])
        with book.sheet("不通过明细") as detail:
            detail.write_row(rejected.columns, bold=True)
            step(f"写出 {paths['excel'].name}：不通过明细 {shown} 行")
            detail.write_frame(
                rejected.head(room).with_columns(pl.all().cast(pl.String)),
                progress=lambda done: step(
                    f"  不通过明细 {done}/{shown} 行（{done * 100 // max(shown, 1)}%）"
                ),
            )
            if rejected.height > room:
                detail.write_row(
                    [
                        f"共 {rejected.height} 条不通过记录，超出 Excel 行数上限；"
                        f"完整清单见 {paths['csv'].name} 与 {paths['parquet'].name}"
                    ]
                )


def stdout_summary(
    joined: pl.DataFrame, paths: dict[str, Path], tables: dict[str, pl.DataFrame] | None = None
) -> str:
    tables = tables or summaries(joined)
    total = joined.height
    accepted = int(joined["accepted"].sum())
    amount = joined["amount"].sum()
    lines = [
        f"共审核 {total} 条：通过 {accepted} 条，不通过 {total - accepted} 条；通过金额 {amount} 元",
        "按补贴项目：",
    ]
    for benefit, ok, bad, money in tables["按补贴项目"].rows():
        lines.append(f"  {benefit:<36} 通过 {ok:>9}  不通过 {bad:>9}  金额 {money}")
    reasons = tables["按原因"]
    if reasons.height:
        lines.append("不通过原因：")
        lines += [f"  {reason:<28} {count:>9}" for reason, count in reasons.rows()]
    lines.append("输出：" + "、".join(str(p) for p in paths.values()))
    return "\n".join(lines)
