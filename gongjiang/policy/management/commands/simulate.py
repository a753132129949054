"""`gongjiang simulate --reform REFORM.yaml FILE --policy PACK [--out report.xlsx]`: the budget delta
of a reform — the claims audited under the pack as it is and as the reform changes it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.core.errors import DomainError
from gongjiang.core.spreadsheets import write_xlsx
from gongjiang.policy.batch import audit_claims
from gongjiang.policy.claims_io import parse_claims, read_raw
from gongjiang.policy.loader import PackError, installed_packs
from gongjiang.policy.management.commands.audit_claims import shortage_entries
from gongjiang.policy.reform import apply_reform, budget_delta, read_reform


class Command(BaseCommand):
    help = "补贴政策调整测算：按改革方案重算申领记录，输出人数与金额的变化"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="申领记录文件（.csv/.xlsx/.parquet）")
        parser.add_argument("--reform", required=True, help="改革方案 YAML")
        parser.add_argument("--policy", default="lanzhou-xinqu-2025")
        parser.add_argument("--out", default="simulation.xlsx", help="Excel 报表路径")

    def handle(self, *args: Any, **options: Any) -> None:
        pack = installed_packs().get(options["policy"])
        if pack is None:
            raise CommandError(f"未知政策包 {options['policy']!r}", returncode=2)
        try:
            reform = read_reform(Path(options["reform"]))
            reformed = apply_reform(pack, reform)
            claims = parse_claims(read_raw(Path(options["file"])), pack)
        except (PackError, DomainError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc)), returncode=2) from exc
        entries = shortage_entries(pack.jurisdiction)
        before = audit_claims(claims, pack, shortage_entries=entries)
        after = audit_claims(claims, reformed, shortage_entries=entries)
        tables = budget_delta(before, after, claims)
        sheets = {title: (table.columns, table.rows()) for title, table in tables.items()}
        Path(options["out"]).write_bytes(write_xlsx(sheets))
        totals = (
            tables["按补贴项目"]
            .select("accepted_before", "accepted_after", "amount_before", "amount_after", "amount_delta")
            .sum()
            .row(0)
        )
        self.stdout.write(f"改革方案：{reform.title or options['reform']}")
        self.stdout.write(
            f"通过 {totals[0]} → {totals[1]} 条；金额 {totals[2]} → {totals[3]} 元（变化 {totals[4]} 元）"
        )
        self.stdout.write("按补贴项目：")
        for row in tables["按补贴项目"].rows(named=True):
            self.stdout.write(
                f"  {row['benefit']:<36} 通过 {row['accepted_before']}→{row['accepted_after']}  "
                f"金额 {row['amount_before']}→{row['amount_after']}（{row['amount_delta']:+}）"
            )
        self.stdout.write(f"报表：{options['out']}")
