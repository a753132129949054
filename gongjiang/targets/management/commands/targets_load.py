"""`manage.py targets_load --jurisdiction lanzhou-xinqu`: load a jurisdiction's built-in task tables
and goals (data/*.yaml).

Idempotent (a year's table or a goal already there is kept). Runs as bootstrap (no acting user);
every created row is still audited. An unknown jurisdiction, one without targets files, or a file
that names a service unit the jurisdiction lacks, exits with code 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction
from gongjiang.targets.reference import REFERENCE_FILES
from gongjiang.targets.services import targets_load_reference


class Command(BaseCommand):
    help = "加载辖区内置的任务分解表和工作目标（依据政策文件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jurisdiction", required=True, help="辖区代码，可选：" + "、".join(sorted(REFERENCE_FILES))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["jurisdiction"]
        if code not in REFERENCE_FILES:
            raise CommandError(f"辖区“{code}”没有内置的任务目标文件", returncode=2)
        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        if jurisdiction is None:
            raise CommandError(f"辖区“{code}”不存在，请先创建辖区", returncode=2)
        try:
            summary = targets_load_reference(actor=None, jurisdiction=jurisdiction)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(
            f"{jurisdiction.name}：新增任务分解表 {summary.tables_created} 张（保留 {summary.tables_kept} 张），"
            f"工作目标 {summary.goals_created} 条（保留 {summary.goals_kept} 条）"
        )
