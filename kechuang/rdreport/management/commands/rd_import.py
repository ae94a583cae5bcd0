"""``kechuang rd_import FILE.xlsx [--year YYYY] [--user USERNAME]``: import R&D reports with a progress bar.

All or nothing: every report is pre-reviewed as on the page, and nothing is written unless every report
is good. Prints the per-row report and one summary line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.common.imports import ImportFileError
from kechuang.core.models import User
from kechuang.rdreport.importers import ReportImporter


class Command(BaseCommand):
    help = "导入研发投入统计报表（xlsx，「107-2」及可选的「107-1项目」工作表）；全部无误才写入"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, help="报告年度（文件没有“报告年度”列时使用；其他年度的行将被拒绝）")
        parser.add_argument("--user", help="以该用户的权限导入（默认：系统，不限范围）")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: Path, year: int | None, user: str | None, no_progress: bool, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        acting = None
        if user:
            acting = User.objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"用户不存在：{user}")
        bar = tqdm(desc="读取与预审", unit="张", disable=no_progress, file=cast(TextIO, self.stderr._out))  # the command's stderr stream
        try:
            report = ReportImporter(acting, year).run(file, file.name, progress=bar)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        for problem in report.problems[:200]:
            self.stdout.write(f"  第 {problem.row} 行 [{problem.column}] {problem.message}")
        if len(report.problems) > 200:
            self.stdout.write(f"  …… 另有 {len(report.problems) - 200} 处问题")
        if report.ignored_headers:
            self.stdout.write(f"  未使用的列：{'、'.join(report.ignored_headers)}")
        line = report.summary()
        if not report.written:
            raise CommandError(line + "；请修正后重新导入")
        self.stdout.write(self.style.SUCCESS(f"{line}，用时 {report.seconds:.1f} 秒"))
