"""The batch audit's outputs: per-claim results (Parquet, CSV), the Excel report, the stdout summary.

The Excel report has a summary sheet (accepted and rejected counts and amounts per benefit, per
reason, per institution, per month) and a sheet of rejected claims. Excel holds 1,048,576 rows a
sheet: past that the sheet ends with a line saying where the full list is (the CSV/Parquet files).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from gongjiang.core.spreadsheets import neutralise

EXCEL_MAX_ROWS = 1_048_576


def with_claims(results: pl.DataFrame, claims: pl.DataFrame) -> pl.DataFrame:
    return claims.select("claim_id", "person_id", "institution", "date", "benefit").join(
        results, on="claim_id", how="left", maintain_order="left"
    )


def summaries(joined: pl.DataFrame) -> dict[str, pl.DataFrame]:
    frame = joined.with_columns(
        pl.col("date").dt.strftime("%Y-%m").alias("month"), pl.col("institution").fill_null("（未填）")
    )

    def by(key: str) -> pl.DataFrame:
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
        .explode("reasons")
        .group_by("reasons")
        .agg(pl.len().alias("claims"))
        .sort("claims", "reasons", descending=[True, False])
        .rename({"reasons": "reason"})
    )
    return {
        "按补贴项目": by("benefit"),
        "按机构": by("institution"),
        "按月份": by("month"),
        "按原因": reasons,
    }


def write_outputs(joined: pl.DataFrame, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    flat = joined.with_columns(pl.col("reasons").list.join(";"))
    paths = {"parquet": out / "results.parquet", "csv": out / "results.csv", "excel": out / "report.xlsx"}
    joined.write_parquet(paths["parquet"])
    flat.write_csv(paths["csv"])
    _write_excel(joined, flat, paths)
    return paths


def _write_excel(joined: pl.DataFrame, flat: pl.DataFrame, paths: dict[str, Path]) -> None:
    workbook = xlsxwriter.Workbook(
        str(paths["excel"]), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet("汇总")
    row = 0
    total = joined.select(
        pl.col("accepted").sum(), (~pl.col("accepted")).sum().alias("rejected"), pl.col("amount").sum()
    ).row(0)
    sheet.write_row(row, 0, ["合计", "通过", total[0], "不通过", total[1], "通过金额", str(total[2])], bold)
    row += 2
    for title, table in summaries(joined).items():
        sheet.write(row, 0, title, bold)
        row += 1
        sheet.write_row(row, 0, table.columns, bold)
        row += 1
        for values in table.rows():
            sheet.write_row(row, 0, [neutralise(str(v)) if v is not None else "" for v in values])
            row += 1
        row += 1
    rejected = flat.filter(~pl.col("accepted"))
    detail = workbook.add_worksheet("不通过明细")
    detail.write_row(0, 0, rejected.columns, bold)
    room = EXCEL_MAX_ROWS - 2  # header + the closing note
    for r, values in enumerate(rejected.head(room).rows(), start=1):
        detail.write_row(r, 0, [neutralise(str(v)) if v is not None else "" for v in values])
    if rejected.height > room:
        detail.write(
            room + 1,
            0,
            f"共 {rejected.height} 条不通过记录，超出 Excel 行数上限；完整清单见 {paths['csv'].name} 与 {paths['parquet'].name}",
        )
    workbook.close()


def stdout_summary(joined: pl.DataFrame, paths: dict[str, Path]) -> str:
    total = joined.height
    accepted = int(joined["accepted"].sum())
    amount = joined["amount"].sum()
    lines = [
        f"共审核 {total} 条：通过 {accepted} 条，不通过 {total - accepted} 条；通过金额 {amount} 元",
        "按补贴项目：",
    ]
    for benefit, ok, bad, money in summaries(joined)["按补贴项目"].rows():
        lines.append(f"  {benefit:<36} 通过 {ok:>9}  不通过 {bad:>9}  金额 {money}")
    reasons = summaries(joined)["按原因"]
    if reasons.height:
        lines.append("不通过原因：")
        lines += [f"  {reason:<28} {count:>9}" for reason, count in reasons.rows()]
    lines.append("输出：" + "、".join(str(p) for p in paths.values()))
    return "\n".join(lines)
