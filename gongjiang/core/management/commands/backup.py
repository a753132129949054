"""`gongjiang backup [--out DIR]`: database and uploaded files into a backup directory
(`gongjiang.core.backup`). Default: var/backups/<UTC time>/."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.core.backup import BackupError, backup, default_backup_dir


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个目录（含清单、行数、审计链头与校验和）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="", help="备份目录（默认 var/backups/<时间>/）")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"]) if options["out"] else default_backup_dir()
        try:
            manifest = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"已备份到 {out}：{manifest['vendor']}，{rows} 行，审计链头 {manifest['audit_head'][:16]}…"
        )
