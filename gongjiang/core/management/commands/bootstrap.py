"""`gongjiang bootstrap`: the first jurisdiction and bureau admin of a new production install.

    GONGJIANG_BOOTSTRAP_PASSWORD=… gongjiang bootstrap --jurisdiction lanzhou-xinqu \\
        --jurisdiction-name 兰州新区 --region-code 620171 --admin admin

The password comes from GONGJIANG_BOOTSTRAP_PASSWORD or, when unset, is asked for on the terminal
(never a command-line argument, which other users can read in the process list). With production
settings the admin enrols their authenticator at the first log-in.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongjiang.core.choices import Role
from gongjiang.core.errors import DomainError
from gongjiang.core.models import Jurisdiction, User
from gongjiang.core.services import jurisdiction_create, user_create


class Command(BaseCommand):
    help = (
        "新装系统：创建首个辖区与人社局管理员账号（密码取自环境变量 GONGJIANG_BOOTSTRAP_PASSWORD 或终端输入）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jurisdiction", required=True, help="辖区代码，如 lanzhou-xinqu")
        parser.add_argument("--jurisdiction-name", required=True, help="辖区名称，如 兰州新区")
        parser.add_argument("--region-code", default="", help="行政区划代码")
        parser.add_argument("--admin", required=True, help="管理员用户名")
        parser.add_argument("--display-name", default="系统管理员")

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["admin"]).exists():
            raise CommandError(f"用户 {options['admin']} 已存在", returncode=2)
        password = os.environ.get("GONGJIANG_BOOTSTRAP_PASSWORD") or getpass.getpass("管理员密码：")
        jurisdiction = Jurisdiction.objects.filter(code=options["jurisdiction"]).first()
        try:
            if jurisdiction is None:
                jurisdiction = jurisdiction_create(
                    actor=None,
                    code=options["jurisdiction"],
                    name=options["jurisdiction_name"],
                    region_code=options["region_code"],
                )
            user_create(
                actor=None,
                username=options["admin"],
                password=password,
                role=Role.BUREAU_ADMIN,
                jurisdictions=[jurisdiction],
                display_name=options["display_name"],
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages), returncode=2) from exc
        self.stdout.write(f"已创建辖区“{jurisdiction.name}”的管理员 {options['admin']}")
