"""``kechuang index rebuild [COLLECTION …]``: rebuild the matching indexes from the database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.matchmaking import suggest
from kechuang.matchmaking.collections import COLLECTIONS
from kechuang.matchmaking.index_store import store


class Command(BaseCommand):
    help = "重建匹配索引（默认全部：" + "、".join(COLLECTIONS) + "）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("collections", nargs="*", help="只重建这些索引")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, action, collections, no_progress, **options):
        names = collections or list(COLLECTIONS)
        unknown = [n for n in names if n not in COLLECTIONS]
        if unknown:
            raise CommandError(f"未知的索引：{'、'.join(unknown)}（可选：{'、'.join(COLLECTIONS)}）")
        total = 0
        for name in names:
            spec = COLLECTIONS[name]
            started = time.perf_counter()
            with tqdm(total=spec.eligible().count(), desc=f"索引 {spec.label}", unit="条", disable=no_progress,
                      file=self.stderr._out) as bar:
                count = store().rebuild(name, bar.update)
            total += count
            self.stdout.write(f"  {spec.label}：{count} 条，用时 {time.perf_counter() - started:.1f} 秒")
        trained = suggest.train()
        model_note = f"已用 {trained} 条记录训练" if trained else "已有领域的记录太少，未训练"
        self.stdout.write(f"  技术领域建议模型：{model_note}")
        self.stdout.write(self.style.SUCCESS(f"已重建 {len(names)} 个索引，共 {total} 条"))
