"""``kechuang load_regions FILE.csv``: load another city's region tree (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.models import Region
from kechuang.core.regions import RegionFileError, load_regions


class Command(BaseCommand):
    help = "从 CSV 文件（code,name,level,parent）载入行政区划树；有错误时不写入任何数据"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在或不是文件：{file}")
        try:
            report = load_regions(Region, file)
        except RegionFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{file.name}：新建 {report.created}，更新 {report.updated}，未变 {report.unchanged}"))
