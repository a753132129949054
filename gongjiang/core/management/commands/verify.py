"""`gongjiang verify`: every integrity check (audit chain; the funds ledger once it exists)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongjiang.core.integrity import run_checks


class Command(BaseCommand):
    help = "运行全部完整性核验（审计链等），任一失败则退出码为 1"

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_checks()
        for result in results:
            self.stdout.write(f"{'✓' if result.ok else '✗'} {result.name}: {result.detail}")
        if not all(r.ok for r in results):
            raise CommandError("完整性核验未通过", returncode=1)
