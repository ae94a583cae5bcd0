"""``kechuang bench import --rows N``: time importing N achievement rows from an xlsx file.

The rows are the shared CSL records (``--source``, default ../shared/data/csl/csl_records.jsonl
beside the checkout) repeated with numbered titles, or generated text when that file is absent. The
import runs in a transaction that is rolled back, so the database is left as it was. The last line
printed is one JSON object: rows, seconds, rows_per_s, inserted.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

from django.db import transaction
from openpyxl import Workbook

from kechuang.common.export import first_sheet, xlsx_bytes
from kechuang.core.choices import RegionLevel
from kechuang.market.importers import AchievementImporter

DEFAULT_SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "csl" / "csl_records.jsonl"


def _records(source: Path, rows: int) -> list[dict]:
    base = []
    if source.exists():
        with source.open(encoding="utf-8") as fh:
            base = [json.loads(line) for line in fh if line.strip()]
    if not base:
        base = [{"title": "示例成果", "abstract": "一种用于测试导入速度的示例成果。", "keywords": ["测试", "导入"]}]
    return [dict(base[i % len(base)], title=f"{base[i % len(base)]['title']}（{i + 1}）") for i in range(rows)]


def build_workbook(records: list[dict]) -> bytes:
    """An xlsx in the achievements template layout, owner left to a placeholder row value."""
    book = Workbook()
    sheet = first_sheet(book)
    sheet.title = "科技成果"
    sheet.append(["成果名称", "成果简介", "关键词", "学科", "成果类型", "成果所有方", "状态", "数据来源", "来源编号"])
    for i, record in enumerate(records):
        sheet.append([record["title"], record.get("abstract", ""), "；".join(record.get("keywords", [])),
                      record.get("discipline", ""), "论文", "", "已发布", "基准测试", f"bench-{i}"])
    return xlsx_bytes(book)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kechuang bench import")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    from kechuang.core.models import Region

    data = build_workbook(_records(args.source, args.rows))
    print(f"生成 {args.rows} 行 xlsx（{len(data) / 1e6:.1f} MB），开始导入 …")
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("pk").first()
    importer = AchievementImporter(None, placeholder_owner_region=city)
    started = time.perf_counter()
    with transaction.atomic():
        report = importer.run(io.BytesIO(data), "bench.xlsx")
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    print(report.summary() + "（基准测试，已回滚）")
    print(json.dumps({"rows": args.rows, "seconds": round(elapsed, 2), "rows_per_s": round(args.rows / elapsed, 1),
                      "inserted": report.inserted, "problems": len(report.problems)}, ensure_ascii=False))
    return 0 if report.ok else 1
