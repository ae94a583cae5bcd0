"""The benchmark command: runs on a small n, prints its figures as the last line (JSON)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kechuang.engines.cultivation import Tier
from kechuang.engines.cultivation.bench import main, make_enterprise_year


def _last_json(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines, "no output"
    return json.loads(lines[-1])


def test_bench_prints_counts_and_a_json_last_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--n", "30", "--seed", "7", "--workers", "1"]) == 0
    summary = _last_json(capsys)
    assert summary["n"] == 30 and summary["workers"] == 1 and summary["coaching"] is False
    assert isinstance(summary["seconds"], float) and summary["seconds"] > 0
    assert isinstance(summary["per_second"], float) and summary["per_second"] > 0
    verdicts = summary["verdicts"]
    assert isinstance(verdicts, dict) and set(verdicts) == {t.value for t in Tier}
    assert all(sum(counts.values()) == 30 for counts in verdicts.values())
    assert sum(summary["next_tier"].values()) == 30


def test_bench_with_two_workers_and_messages_counts_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--n", "40", "--seed", "7", "--workers", "1"]) == 0
    alone = _last_json(capsys)
    assert main(["--n", "40", "--seed", "7", "--workers", "2", "--chunk", "10", "--coaching"]) == 0
    pooled = _last_json(capsys)
    assert 1 <= pooled["workers"] <= 2
    assert pooled["coaching"] is True and pooled["characters"] > 0
    for key in ("verdicts", "next_tier", "reasons"):
        assert pooled[key] == alone[key]  # the data depend on the seed only


def test_generated_enterprise_years_are_deterministic() -> None:
    first, day = make_enterprise_year(3, 17)
    again, same_day = make_enterprise_year(3, 17)
    assert first == again and day == same_day
    assert make_enterprise_year(4, 17)[0] != first


def test_bench_rejects_bad_arguments() -> None:
    with pytest.raises(SystemExit):
        main(["--workers", "0"])
