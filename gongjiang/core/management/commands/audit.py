"""`gongjiang audit verify` checks the hash chain; `gongjiang audit head` prints the chain head."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.core.audit import audit_head, audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，head 输出链头哈希"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "head"], help="verify 或 head")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            self.stdout.write(audit_head())
            return
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"审计链断裂：第一处异常在事件 #{result.broken_event_id}（{result.problem}）；此前已校验 {result.checked} 条",
                returncode=1,
            )
        self.stdout.write(f"审计链完整：共 {result.checked} 条事件，链头 {result.head_hash}")
