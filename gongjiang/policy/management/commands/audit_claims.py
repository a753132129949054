"""`gongjiang audit-claims FILE --policy PACK [--as-of DATE] [--out DIR]`, and `--template`.

Reads a claims file (CSV in UTF-8 or GBK, Excel, Parquet), refuses it whole if any row is bad,
audits every claim with the vectorised batch engine, and writes results.parquet, results.csv and
report.xlsx to DIR, with a one-screen summary on stdout. Misuse exits 2 with a message on stderr.
"""

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from gongjiang.core.errors import DomainError
from gongjiang.policy.audit_report import stdout_summary, summaries, with_claims, write_outputs
from gongjiang.policy.batch import audit_claims
from gongjiang.policy.claims_io import parse_claims, read_raw, template_columns
from gongjiang.policy.loader import PACKS_DIR, installed_packs


def shortage_entries(jurisdiction_code: str) -> pl.DataFrame | None:
    from gongjiang.catalog.models import ShortageOccupationEntry

    try:
        rows = list(
            ShortageOccupationEntry.objects.filter(jurisdiction__code=jurisdiction_code).values_list(
                "occupation__name", "valid_from", "valid_to"
            )
        )
    except DatabaseError:
        return None
    return pl.DataFrame(
        rows, schema={"occupation": pl.Utf8, "valid_from": pl.Date, "valid_to": pl.Date}, orient="row"
    )


class Progress:
    """A line per stage on stderr with the elapsed time: reading, checking, each (benefit, version)
    partition and history check of the audit, and the outputs (the Excel detail sheet in 100,000-row
    steps with a percentage) — enough to watch a 10-million-row run."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.monotonic()

    def __call__(self, stage: str) -> None:
        if not self.quiet:
            print(f"[{time.monotonic() - self.start:7.1f}s] {stage}", file=sys.stderr, flush=True)


class Command(BaseCommand):
    help = "批量审核补贴申领记录：读取 CSV/Excel/Parquet，输出逐条结果与汇总报表"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="申领记录文件（.csv/.xlsx/.parquet）")
        parser.add_argument("--policy", default="lanzhou-xinqu-2025", help="政策包")
        parser.add_argument("--as-of", dest="as_of", help="按该日有效的政策版本审核全部记录（YYYY-MM-DD）")
        parser.add_argument("--out", default="audit-out", help="输出目录")
        parser.add_argument(
            "--template", action="store_true", help="输出该政策包的模板文件（CSV，含示例行）到标准输出"
        )
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(self, *args: Any, **options: Any) -> None:
        pack = installed_packs().get(options["policy"])
        if pack is None:
            raise CommandError(f"未知政策包 {options['policy']!r}", returncode=2)
        if options["template"]:
            example = PACKS_DIR / pack.id / "claims-template.csv"
            self.stdout.write(
                example.read_text(encoding="utf-8") if example.exists() else ",".join(template_columns(pack))
            )
            return
        if not options["file"]:
            raise CommandError("请指定申领记录文件，或使用 --template 获取模板", returncode=2)
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError("--as-of 应为 YYYY-MM-DD 日期", returncode=2) from exc
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}", returncode=2)
        progress = Progress(options["quiet"])
        try:
            progress(f"读取 {path}")
            raw = read_raw(path)
            progress(f"校验 {raw.height} 行")
            claims = parse_claims(raw, pack)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        progress(f"审核 {claims.height} 条（{pack.id}）")
        try:
            results = audit_claims(
                claims,
                pack,
                as_of=as_of,
                shortage_entries=shortage_entries(pack.jurisdiction),
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        progress("汇总")
        joined = with_claims(results, claims)
        tables = summaries(joined)
        paths = write_outputs(joined, Path(options["out"]), tables=tables, progress=progress)
        progress("完成")
        self.stdout.write(stdout_summary(joined, paths, tables))
