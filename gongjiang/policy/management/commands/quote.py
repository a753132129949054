"""`gongjiang quote FILE|-`: quote one claim (a JSON object) or many (a list); print the same shape.

Exit 0 whether or not eligible; malformed input exits 2 with every problem on stderr and nothing
quoted.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from gongjiang.policy.quote import QuoteInputError
from gongjiang.policy.selectors import quote_requests


class Command(BaseCommand):
    help = "按政策包试算补贴：读取 JSON（对象或数组），输出同样结构的结果"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON 文件路径，或 - 表示标准输入")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"无法读取 {source}：{exc.strerror}", returncode=2) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}", returncode=2
            ) from exc
        single = isinstance(data, dict)
        try:
            results = quote_requests([data] if single else data if isinstance(data, list) else [data])
        except QuoteInputError as exc:
            raise CommandError("输入有误：\n" + "\n".join(exc.problems), returncode=2) from exc
        except DatabaseError as exc:
            # The shortage directory lives in the database; quoting without it could under-pay.
            raise CommandError(
                "数据库未初始化：请先运行 gongjiang migrate（急需紧缺职业目录在数据库中）"
            ) from exc
        self.stdout.write(json.dumps(results[0] if single else results, ensure_ascii=False, indent=2))
