"""The benchmark command (the framework-free guarantee is kechuang/engines/tests/test_no_django.py)."""

from __future__ import annotations

import json

import pytest

from kechuang.engines.pairing import bench


def _last_json(capsys: pytest.CaptureFixture[str]) -> dict:
    lines = capsys.readouterr().out.strip().splitlines()
    return json.loads(lines[-1])


def test_bench_unit_case_reports_lsa(capsys: pytest.CaptureFixture[str]) -> None:
    code = bench.main(["--items", "30", "--experts", "30", "--k", "1", "--cap", "1",
                       "--conflict-rate", "0.05", "--seed", "3"])
    out = _last_json(capsys)
    assert code == 0
    for key in ("solve_s", "total_affinity", "min_item_affinity", "greedy_total_affinity",
                "lsa_total_affinity", "feasible"):
        assert key in out
    assert out["feasible"] is True
    assert out["lsa_total_affinity"] == pytest.approx(out["total_affinity"], abs=1e-7)
    assert out["total_affinity"] >= out["greedy_total_affinity"] - 1e-9


def test_bench_fair_general_case(capsys: pytest.CaptureFixture[str]) -> None:
    code = bench.main(["--items", "40", "--experts", "30", "--k", "2", "--cap", "3",
                       "--conflict-rate", "0.1", "--seed", "1", "--fair"])
    out = _last_json(capsys)
    assert code == 0
    assert out["lsa_total_affinity"] is None
    assert out["fair"] is True
    assert out["min_item_affinity"] >= out["plain_min_item_affinity"] - 1e-9


def test_bench_infeasible(capsys: pytest.CaptureFixture[str]) -> None:
    code = bench.main(["--items", "10", "--experts", "5", "--k", "2", "--cap", "3", "--seed", "0"])
    out = _last_json(capsys)
    assert code == 1
    assert out["feasible"] is False
    assert out["total_affinity"] is None
    assert any("总容量" in r for r in out["reasons"])
