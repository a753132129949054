"""Load the 兰州新区 demo data set if the database is empty; print the demo log-ins either way."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from gongjiang.web.demo import demo_is_loaded, demo_load
from gongjiang.web.demo_training import DEMO_TODAY


class Command(BaseCommand):
    help = "数据库为空时载入兰州新区演示数据，并输出演示账号"

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.VAR_DIR / "demo-logins.txt"
        if demo_is_loaded():
            self.stdout.write("数据库已有数据，未重复载入演示数据。")
        else:
            demo_load(path)
            self.stdout.write(self.style.SUCCESS("已载入兰州新区演示数据。"))
        if path.exists():
            self.stdout.write(f"演示账号（密码为本机生成，保存在 {path}）：")
            self.stdout.write(path.read_text(encoding="utf-8"))
        self.stdout.write(
            f"演示数据的“今天”为 {DEMO_TODAY:%Y-%m-%d}：任务进度请看 /targets/?year={DEMO_TODAY.year}&as_of={DEMO_TODAY}"
        )
