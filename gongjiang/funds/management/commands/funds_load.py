"""`manage.py funds_load --jurisdiction lanzhou-xinqu`: load a jurisdiction's fund sources and which
fund pays which benefit (`gongjiang/funds/data/<jurisdiction>.yaml`).

Idempotent. Runs as bootstrap (no acting user); every change is still audited. An unknown
jurisdiction, or one without a funds file, exits with code 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction
from gongjiang.funds.services import funds_config_load


class Command(BaseCommand):
    help = "加载辖区的资金来源及补贴资金渠道配置"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jurisdiction", required=True, help="辖区代码，如 lanzhou-xinqu")

    def handle(self, *args: Any, **options: Any) -> None:
        jurisdiction = Jurisdiction.objects.filter(code=options["jurisdiction"]).first()
        if jurisdiction is None:
            raise CommandError(f"辖区“{options['jurisdiction']}”不存在，请先创建辖区", returncode=2)
        try:
            mappings = funds_config_load(actor=None, jurisdiction=jurisdiction)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(f"{jurisdiction.name}：补贴资金渠道 {len(mappings)} 项")
