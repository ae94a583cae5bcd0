"""``kechuang bench``: an engine's benchmark is named after its engine (= its app); the former names
(``assignment``, ``matching``, ``rdstats``) still run the same benchmark, so the README's figures stay
reproducible with the commands that produced them (issue 12 item 6)."""

from __future__ import annotations

import json

import pytest

from kechuang.common.management.commands.bench import ALIASES, BENCHMARKS, Command


def test_every_engine_benchmark_is_named_after_its_engine() -> None:
    engines = {module.split(".")[2]: name for name, module in BENCHMARKS.items() if module.startswith("kechuang.engines.")}
    assert all(engine == name for engine, name in engines.items())
    assert set(ALIASES.values()) <= set(BENCHMARKS)


@pytest.mark.parametrize("name", ["rdstats", "rdreport"])
def test_the_old_and_the_new_name_run_the_same_benchmark(name: str, capsys) -> None:
    assert Command().run_benchmark(name, ["--n", "50"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert json.loads(last)["benchmark"] == "rdreport"
