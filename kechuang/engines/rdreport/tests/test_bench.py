"""The benchmark command: runs on a small n, prints its figures as the last line (JSON)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kechuang.engines.rdreport.bench import main, make_table


@pytest.mark.slow
def test_bench_prints_a_json_last_line_and_agrees_with_the_per_report_validator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--n", "300", "--seed", "7", "--broken", "0.1", "--check", "25"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["n"] == 300 and summary["rules"] > 100
    assert summary["seconds"] > 0 and summary["findings"] > 0 and summary["rows_with_errors"] > 0
    assert summary["checked"] == 25 and summary["disagreements"] == 0
    assert {"R04", "R01b", "R12"} & set(summary["by_rule"])


def test_generated_tables_are_deterministic() -> None:
    a, pa, oa = make_table(50, seed=3)
    b, pb, ob = make_table(50, seed=3)
    assert all(np.array_equal(a[k], b[k]) for k in a) and np.array_equal(oa, ob)
    assert all(np.array_equal(pa[k], pb[k]) for k in pa)


def test_bench_rejects_bad_arguments() -> None:
    with pytest.raises(SystemExit):
        main(["--n", "0"])
