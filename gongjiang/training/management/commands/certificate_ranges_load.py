"""`manage.py certificate_ranges_load --jurisdiction lanzhou-xinqu`: load the 培训合格证 number ranges
of 新民社发〔2025〕13号 附件4 (data/certificate_number_ranges.yaml).

Idempotent (a range already there is kept). Runs as bootstrap (no acting user); every created range
is still audited. An unknown jurisdiction, one without built-in ranges, or a file naming a service
unit the jurisdiction lacks, exits with code 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction
from gongjiang.training.services.certificates import number_ranges_load_reference


class Command(BaseCommand):
    help = "加载内置的培训合格证书号段（新民社发〔2025〕13号 附件4）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jurisdiction", required=True, help="辖区代码，如 lanzhou-xinqu")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["jurisdiction"]
        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        if jurisdiction is None:
            raise CommandError(f"辖区“{code}”不存在，请先创建辖区", returncode=2)
        try:
            summary = number_ranges_load_reference(actor=None, jurisdiction=jurisdiction)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(f"{jurisdiction.name}：新增号段 {summary.created} 个（保留 {summary.kept} 个）")
