"""``kechuang import {achievements,demands,experts} FILE``: import a registry file with a progress bar.

All or nothing by default; ``--valid-only`` writes the good rows. Prints the per-row report and one
summary line: rows read, inserted, duplicates and rejected.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.common.imports import ImportFileError
from kechuang.core.models import Region, User
from kechuang.market.importers import IMPORTERS, PRESETS, make_importer


class Command(BaseCommand):
    help = "导入科技成果、技术需求或专家（xlsx/csv/jsonl）；默认全部无误才写入"

    def add_arguments(self, parser):
        parser.add_argument("registry", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--valid-only", action="store_true", help="只导入无误的行，报告其余行")
        parser.add_argument("--preset", choices=sorted(PRESETS), help="已知文件的列映射预设，如 csl")
        parser.add_argument("--map", action="append", default=[], metavar="文件列=模板列",
                            help="列映射，可重复，如 --map 项目名称=成果名称")
        parser.add_argument("--user", help="以该用户的权限导入（默认：系统，不限范围）")
        parser.add_argument("--region", help="占位单位所在区域的区划代码（默认：市级区域）")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, registry, file: Path, valid_only, preset, map, user, region, no_progress, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        acting = None
        if user:
            acting = User.objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"用户不存在：{user}")
        place = Region.objects.filter(code=region).first() if region else None
        if region and place is None:
            raise CommandError(f"未知的区划代码：{region}")
        try:
            importer, mapping = make_importer(registry, acting, preset, place)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        for pair in map:
            if "=" not in pair:
                raise CommandError(f"列映射应为 文件列=模板列：{pair}")
            source, target = pair.split("=", 1)
            mapping[source.strip()] = target.strip()
        bar = tqdm(desc=f"导入{importer.label}", unit="行", disable=no_progress, file=cast(TextIO, self.stderr._out))  # the command's stderr stream
        try:
            report = importer.run(file, file.name, valid_only=valid_only, mapping=mapping, progress=bar.update)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        for problem in report.problems[:200]:
            self.stdout.write(f"  第 {problem.row} 行 [{problem.column}] {problem.message}")
        if len(report.problems) > 200:
            self.stdout.write(f"  …… 另有 {len(report.problems) - 200} 处错误")
        for dup in report.duplicate_rows[:20]:
            self.stdout.write(f"  第 {dup.row} 行 重复：{dup.message}")
        if report.ignored_headers:
            self.stdout.write(f"  未使用的列：{'、'.join(report.ignored_headers)}")
        line = report.summary()
        if report.problems and not report.written:
            raise CommandError(line + "；请修正后重新导入，或使用 --valid-only 只导入无误的行")
        self.stdout.write(self.style.SUCCESS(line))
