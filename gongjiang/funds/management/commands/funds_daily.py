"""`manage.py funds_daily [--date YYYY-MM-DD]`: enqueue the funds' daily work (run it from cron or a
systemd timer, as docs/deploy.md says): instalments whose month has come fall due, and the digest of
items past their working-day deadline. The work runs in a worker (`gongjiang db_worker`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.funds.tasks import instalments_fall_due_task, overdue_digest_task


class Command(BaseCommand):
    help = "每日资金任务：到期分期转待拨付、超期事项提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="按该日期运行（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or None
        if day is not None:
            try:
                dt.date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD", returncode=2) from exc
        fall_due = instalments_fall_due_task.enqueue(day=day)
        digest = overdue_digest_task.enqueue(day=day)
        self.stdout.write(f"已提交：到期分期 {fall_due.id}，超期提醒 {digest.id}")
