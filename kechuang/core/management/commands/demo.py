"""``kechuang demo``: migrate, load the demo data and serve on 127.0.0.1:8000."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据并启动服务（--no-serve 只载入不启动）"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只迁移和载入演示数据，不启动服务")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="服务地址，默认 127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, addr: str, **options):
        # The composer knows every app, so it lives at the top level (kechuang/demo.py), not in core.
        from kechuang.demo import load_everything

        self.stdout.write("1/3 迁移数据库 …")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("2/3 载入演示数据 …")
        summary = load_everything(self.stdout.write)
        self.stdout.write(self.style.SUCCESS(summary))
        if no_serve:
            return
        self.stdout.write(f"3/3 启动服务：http://{addr}/ （Ctrl+C 停止）")
        call_command("runserver", addr, use_reloader=False)
