"""``kechuang demo``: migrate, load the demo data and serve on 127.0.0.1:8000."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kechuang.core.choices import OrganisationKind
from kechuang.core.demo import DEMO_PASSWORD, load_demo, login_table, outside_note
from kechuang.cultivation.demo import load_cultivation_demo
from kechuang.market.demo import load_market_demo
from kechuang.pairing.demo import load_pairing_demo
from kechuang.rdreport.demo import load_rd_demo


class Command(BaseCommand):
    help = "迁移数据库、载入演示数据并启动服务（--no-serve 只载入不启动）"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只迁移和载入演示数据，不启动服务")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="服务地址，默认 127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, addr: str, **options):
        self.stdout.write("1/3 迁移数据库 …")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("2/3 载入演示数据 …")
        report = load_demo()
        labels = dict(OrganisationKind.choices)
        counts = "，".join(f"{labels[k]} {n}" for k, n in report.organisations.items())
        self.stdout.write(f"    行政区域 {report.regions} 个；组织机构：{counts}；联系人 {report.contacts} 人")
        if report.outside:
            self.stdout.write(f"    {outside_note(report.outside)}")
        self.stdout.write(f"    演示账号（密码均为 {DEMO_PASSWORD}）：")
        for line in login_table(report.users):
            self.stdout.write(f"      {line}")
        market = load_market_demo()
        load_pairing_demo()
        self.stdout.write(f"    技术市场：{market.describe()}")
        cultivated = load_cultivation_demo()
        if cultivated:
            self.stdout.write(f"    梯度培育：{cultivated} 家企业的多年度数据，近三个年度的评估结果")
        self.stdout.write(f"    研发投入：{load_rd_demo().describe()}")
        total = sum(report.organisations.values())
        achievements, demands, experts = market.totals
        summary = (f"演示数据已就绪：{total} 个组织机构，{len(report.users)} 个演示账号，"
                   f"成果 {achievements} 项、需求 {demands} 项、专家 {experts} 人")
        self.stdout.write(self.style.SUCCESS(summary))
        if no_serve:
            return
        self.stdout.write(f"3/3 启动服务：http://{addr}/ （Ctrl+C 停止）")
        call_command("runserver", addr, use_reloader=False)
