"""``kechuang match --all-open --out FILE.xlsx``: the list for a matchmaking fair — for every published
demand, its best achievements, experts and institutions, with scores and reasons."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from openpyxl import Workbook
from openpyxl.styles import Font
from tqdm import tqdm

from kechuang.common.export import first_sheet, xlsx_bytes
from kechuang.core.models import User
from kechuang.market.choices import DemandStatus
from kechuang.market.models import Demand
from kechuang.matchmaking.collections import COLLECTIONS, DIRECTIONS
from kechuang.matchmaking.services import matches_for


class Command(BaseCommand):
    help = "为所有已发布的技术需求生成对接推荐清单（xlsx）"

    def add_arguments(self, parser):
        parser.add_argument("--all-open", action="store_true", required=True, help="所有已发布的需求")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--top", type=int, default=5, help="每个方向取前几名（默认 5）")
        parser.add_argument("--user", help="以该用户的可见范围生成（默认：超级管理员视角）")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, all_open, out: Path, top, user, no_progress, **options):
        acting = User.objects.filter(username=user).first() if user else \
            User.objects.filter(is_superuser=True).first() or User(is_superuser=True, is_active=True)
        if user and acting is None:
            raise CommandError(f"用户不存在：{user}")
        demands = Demand.objects.filter(status=DemandStatus.PUBLISHED).select_related("enterprise", "field", "region")
        book = Workbook()
        sheet = first_sheet(book)
        sheet.title = "对接推荐"
        sheet.append(["需求编号", "技术需求", "需求企业", "所在区域", "推荐类别", "名次", "推荐对象", "所属单位", "得分",
                      "命中词", "推荐理由"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        rows = 0
        stream = cast(TextIO, self.stderr._out)  # the command's stderr stream
        for demand in tqdm(demands, desc="生成对接清单", unit="项", disable=no_progress, file=stream):
            for collection in DIRECTIONS[Demand]:
                for match in matches_for(demand, collection, acting, top):
                    record = match.record
                    unit = getattr(getattr(record, "owner", None), "name", "") or \
                        getattr(getattr(record, "organisation", None), "name", "")
                    sheet.append([demand.pk, demand.title, demand.enterprise.name, demand.region.name,
                                  COLLECTIONS[collection].label, match.rank, str(record), unit, round(match.score, 3),
                                  "、".join(match.matched_terms), match.summary])
                    rows += 1
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(xlsx_bytes(book))  # text like 「=…」 stays text
        self.stdout.write(self.style.SUCCESS(f"已写入 {out}：{demands.count()} 项需求，{rows} 条推荐"))
