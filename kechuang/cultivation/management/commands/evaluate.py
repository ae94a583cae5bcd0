"""``kechuang evaluate --year YYYY``: evaluate every enterprise for a year and store the results."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation, Region
from kechuang.cultivation.services import ConfigError, evaluate_year
from kechuang.cultivation.templatetags.cultivation import rule_version_text


class Command(BaseCommand):
    help = "按官方条件评估全部企业（科技型中小企业、高新技术企业、瞪羚企业）并保存结果与所用规则版本"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="评估年度，如 2026")
        parser.add_argument("--region", help="只评估该区划代码（含下级）的企业，如 511722")

    def handle(self, *args, year: int, region: str | None, **options):
        enterprises = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, cultivation_profile__isnull=False)
        if region:
            root = Region.objects.filter(code=region).first()
            if root is None:
                raise CommandError(f"找不到区划代码 {region}")
            enterprises = enterprises.filter(region__path__startswith=root.path)
        total = enterprises.count()
        started = time.perf_counter()
        try:
            with tqdm(total=total, desc=f"{year} 年度评估", unit="家", disable=options["verbosity"] == 0) as bar:
                run = evaluate_year(year, enterprises, progress=bar.update)
        except (LookupError, ValueError, ConfigError) as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        versions = "；".join(rule_version_text(v) for v in sorted(run.rule_versions)) or "—"
        self.stdout.write(self.style.SUCCESS(
            f"已评估 {run.evaluated} 家企业（{seconds:.1f} 秒），评价规则：{versions}；跳过 {len(run.skipped)} 家"))
        for name, why in list(run.skipped.items())[:20]:
            self.stdout.write(f"  跳过 {name}：{why}")
