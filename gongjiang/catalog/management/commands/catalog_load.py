"""`manage.py catalog_load --jurisdiction lanzhou-xinqu`: load a jurisdiction's built-in catalog.

Idempotent (rows already there are kept). Runs as bootstrap (no acting user); every created row
is still audited. An unknown jurisdiction, or one without a reference file, exits with code 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.catalog.reference import REFERENCE_FILES
from gongjiang.catalog.services import catalog_load_reference
from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction


class Command(BaseCommand):
    help = "加载辖区内置的职业目录参考数据（职业及类别、创业培训课程、证书类型、技能等级）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jurisdiction",
            required=True,
            help="辖区代码，可选：" + "、".join(sorted(REFERENCE_FILES)),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["jurisdiction"]
        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        if jurisdiction is None:
            raise CommandError(f"辖区“{code}”不存在，请先创建辖区", returncode=2)
        try:
            summary = catalog_load_reference(actor=None, jurisdiction=jurisdiction)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(
            f"{jurisdiction.name}：新增职业 {summary.occupations_created} 个，职业类别 {summary.classes_created} 条，"
            f"创业培训课程 {summary.startup_courses_created} 门，证书类型 {summary.certificate_types_created} 种，"
            f"技能等级 {summary.skill_levels_created} 级"
        )
