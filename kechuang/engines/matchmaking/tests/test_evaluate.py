from __future__ import annotations

import json

import pytest

from kechuang.engines.matchmaking import evaluate

from ._util import shared_data_or_skip


@pytest.mark.slow
def test_evaluate_small_run_prints_json_last(capsys: pytest.CaptureFixture[str]) -> None:
    data = shared_data_or_skip()
    assert evaluate.main(["--data", str(data), "--limit", "400"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    out = json.loads(lines[-1])
    for key in (
        "known_item_recall_at_1",
        "known_item_mrr_at_10",
        "fusion_vs_word_mrr",
        "query_ms_p50",
        "query_ms_p95",
        "build_docs_per_s",
        "rss_mib",
        "n_corpus",
        "n_queries",
        "field_p_at_10",
        "field_ndcg_at_10",
    ):
        assert key in out
    kw = out["known_item_keywords"]
    assert set(kw) >= {"bm25_word", "bm25_bigram", "fusion", "fusion_rrf"}
    assert kw["fusion"]["mrr_at_10"] > 0.8
    assert 0.0 < out["classifier"]["category_accuracy"] <= 1.0
    assert out["n_corpus"] == 400


def test_evaluate_without_data(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(evaluate, "find_shared_data", lambda explicit=None: None)
    assert evaluate.main(["--data", str(tmp_path)]) == 2
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == {"error": "shared data not found"}


def test_metrics() -> None:
    fr = evaluate.field_relevance(
        [["a", "b"], ["c"]], ["x", "y"], {"a": "x", "b": "y", "c": "y"}, [1, 2], k=2
    )
    assert fr["p_at_10"] == pytest.approx((0.5 + 0.5) / 2)
    assert fr["ndcg_at_10"] == pytest.approx((1.0 + 1.0 / (1 + 1 / 1.5849625)) / 2, rel=1e-3)
