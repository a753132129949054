"""`gongjiang restore DIR [--yes]`: replace the database and uploaded files with a backup, then
verify row counts and integrity checks (exit 1 if any fails). Stop the app and the workers first."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gongjiang.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "从备份目录恢复数据库与上传文件（会覆盖现有数据），并核验行数与审计链"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="备份目录（gongjiang backup 的输出）")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            manifest = read_manifest(source)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        name = str(connection.settings_dict["NAME"])
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("恢复会覆盖现有数据：非交互运行时请加 --yes", returncode=2)
            answer = input(
                f"将用 {manifest['created_at']} 的备份覆盖数据库 {name} 与上传文件。输入数据库名确认："
            )
            if answer.strip() != name:
                raise CommandError("未确认，未做任何改动", returncode=2)
        try:
            report = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("恢复后核验未通过", returncode=1)
        self.stdout.write(f"已从 {source} 恢复并核验通过")
