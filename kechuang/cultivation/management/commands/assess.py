"""``kechuang assess FILE.json``: one enterprise's figures in, verdicts, score ranges and coaching out
(both JSON; the input format is docs/assess_input.md). Touches no database."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from kechuang.cultivation.services import ConfigError, bureau_config, check_year
from kechuang.engines.cultivation.codec import CodecError, assessment_to_json, load_assessment_input


class Command(BaseCommand):
    help = "评估一家企业：读入 JSON 格式的企业数据（见 docs/assess_input.md），输出 JSON 格式的结论与精准辅导"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="企业数据 JSON 文件；- 表示标准输入")
        parser.add_argument("--out", help="结果写入该文件（默认标准输出）")

    def handle(self, *args, file: str, out: str | None, **options):
        try:
            source = sys.stdin.buffer.read() if file == "-" else file
            document = load_assessment_input(source, base_config=bureau_config())
            check_year(document.evaluation_date.year)
            result = assessment_to_json(document.assess())
        except CodecError as exc:
            raise CommandError(f"{file}：{exc}") from exc
        except (OSError, LookupError, ValueError, ConfigError) as exc:
            raise CommandError(f"{file}：{exc}") from exc
        if document.evaluation_date_defaulted:
            result["notes_zh"] = [f"未给出 evaluation_date，按 {document.evaluation_date} 评估"]
        text = json.dumps(result, ensure_ascii=False, indent=2)
        if out:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        else:
            self.stdout.write(text)
