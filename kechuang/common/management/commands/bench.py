"""``kechuang bench NAME [ARGS …]``: run an engine's benchmark; its last line is one JSON object.

Benchmarks are registered by name below; each is a ``main(argv) -> int`` function in a framework-free
engine module, so it can also be run as ``python -m <module>``.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError

BENCHMARKS = {
    "pairing": "kechuang.engines.pairing.bench",
    "matchmaking": "kechuang.engines.matchmaking.bench",
    "cultivation": "kechuang.engines.cultivation.bench",
    "rdreport": "kechuang.engines.rdreport.bench",
    "import": "kechuang.market.bench",
}
"""Benchmark name (the engine's, which is its app's) → module with ``main(argv) -> int``."""
ALIASES = {"assignment": "pairing", "matching": "matchmaking", "rdstats": "rdreport"}
"""The engines' former names, kept so that the commands behind the README's published figures still run."""


class Command(BaseCommand):
    help = (f"运行性能基准：kechuang bench {{{','.join(BENCHMARKS)}}} [参数 …]（参数见 kechuang bench NAME --help；"
            f"旧名 {', '.join(f'{old}={new}' for old, new in ALIASES.items())} 仍可用）")

    def run_from_argv(self, argv: list[str]) -> None:
        # Everything after the name belongs to the benchmark's own parser.
        if len(argv) < 3 or argv[2] in {"-h", "--help"}:
            self.stdout.write(self.help)
            return
        name, rest = argv[2], argv[3:]
        try:
            code = self.run_benchmark(name, rest)
        except CommandError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(1) from exc
        if code:
            raise SystemExit(code)

    def run_benchmark(self, name: str, argv: list[str]) -> int:
        name = ALIASES.get(name, name)
        if name not in BENCHMARKS:
            raise CommandError(f"未知的基准：{name}（可选：{', '.join(BENCHMARKS)}）")
        try:
            module = importlib.import_module(BENCHMARKS[name])
        except ImportError as exc:
            raise CommandError(f"基准 {name} 不可用：{exc}") from exc
        return int(module.main(argv) or 0)

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - run_from_argv does the work
        raise CommandError("用法：kechuang bench NAME [参数 …]")
