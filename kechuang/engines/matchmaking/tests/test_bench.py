"""The matching benchmark: data handling, metrics, and one small end-to-end run against the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kechuang.engines.matchmaking import bench

from ._util import shared_data_or_skip


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_read_records_keywords_and_errors(tmp_path: Path) -> None:
    p = _write(
        tmp_path / "c.jsonl",
        [
            {"id": 1, "title": "标题", "abstract": "摘要。", "keywords": "锂电池_隔膜", "discipline": "工学"},
            {"id": "2", "title": "二", "abstract": "", "keywords": ["甲", " ", "乙"]},
            {"id": 1, "title": "重复", "abstract": "x"},
        ],
    )
    recs = bench.read_records(p)
    assert [r.id for r in recs] == ["1", "2"]
    assert recs[0].keywords == ("锂电池", "隔膜") and recs[1].keywords == ("甲", "乙")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "无编号"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        bench.read_records(bad)


def test_split_and_generated_records_are_deterministic() -> None:
    recs = [
        bench.BenchRecord(str(i), f"标题{i}号研究", f"第一句{i}。第二句{i}.第三句3.5倍。", ("词",), "甲")
        for i in range(50)
    ]
    q1, q2 = bench.split_queries(recs, 7), bench.split_queries(recs, 7)
    assert q1 == q2 and len(q1) == 10 and q1 != bench.split_queries(recs, 8)
    g1 = list(bench.generate_records(recs, 20, 0))
    assert g1 == list(bench.generate_records(recs, 20, 0))
    assert all(g["generated"] and g["id"].startswith("gen-") for g in g1)
    assert all(g["abstract"] and g["title"] for g in g1)
    assert "3.5" in "".join(bench._sentences("第三句3.5倍。"))  # decimal points do not end sentences


def test_metrics() -> None:
    ki = bench.known_item_metrics([["a", "b"], ["x", "c"], []], ["a", "c", "d"])
    assert ki == {"recall_at_1": pytest.approx(1 / 3, abs=1e-4), "mrr_at_10": pytest.approx(0.5, abs=1e-4)}
    fr = bench.field_metrics([["a", "b"], ["c"]], ["x", "y"], {"a": "x", "b": "y", "c": "y"}, [1, 2], k=2)
    assert fr["p_at_10"] == pytest.approx((0.5 + 0.5) / 2)
    assert fr["ndcg_at_10"] == pytest.approx((1.0 + 1.0 / (1 + 1 / 1.5849625)) / 2, rel=1e-3)
    assert bench._percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5


def test_missing_corpus_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main([]) == 2
    assert bench.main(["--corpus", str(tmp_path / "none.jsonl")]) == 2
    assert "error" in json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.slow
def test_small_run_against_the_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("jieba")
    pytest.importorskip("rank_bm25")
    data = shared_data_or_skip()
    rows = [json.loads(line) for line in open(data / "csl" / "csl_records.jsonl", encoding="utf-8")][:300]
    corpus = _write(tmp_path / "corpus.jsonl", rows)
    assert bench.main(["--corpus", str(corpus), "--scale", "400", "--train-data", str(data)]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    keys = {
        "known_item_recall_at_1",
        "known_item_mrr_at_10",
        "field_p_at_10",
        "field_ndcg_at_10",
        "query_ms_p50",
        "query_ms_p95",
        "build_docs_per_s",
        "rss_mib",
        "n_corpus",
        "n_queries",
    }
    assert keys <= set(out) and keys <= set(out["baseline"])
    assert out["n_corpus"] == 300 and out["n_queries"] == 60
    assert out["n_docs_speed"] == 400 and out["n_generated"] == 100
    assert out["known_item_recall_at_1"] > 0.8 and out["baseline"]["known_item_recall_at_1"] > 0.8
    assert out["classifier"]["n_train"] > 1000
    assert set(out["ratios"]) >= {"field_p_at_10", "known_item_recall_at_1"}
    assert "at_scale" in out


def test_queries_file_records_join_the_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {"id": f"c{i}", "title": t, "abstract": a, "keywords": k, "discipline": d}
        for i, (t, a, k, d) in enumerate(
            [
                ("锂电池负极隔膜", "一种锂离子电池隔膜的制备方法。", ["隔膜"], "材料"),
                ("富硒茶种植", "富硒茶树栽培与茶叶加工技术。", ["富硒茶"], "农学"),
                ("天然气净化", "高含硫天然气净化与硫磺回收。", ["天然气"], "化工"),
                ("石墨烯负极", "石墨烯改性锂电池负极材料。", ["石墨烯"], "材料"),
            ]
        )
    ]
    corpus = _write(tmp_path / "corpus.jsonl", rows[:3])
    queries = _write(tmp_path / "queries.jsonl", rows[2:])  # c2 is in the corpus, c3 is not
    assert (
        bench.main(["--corpus", str(corpus), "--queries", str(queries), "--no-baseline", "--no-classifier"])
        == 0
    )
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["n_corpus"] == 4 and out["n_queries"] == 2 and "baseline" not in out
    assert out["known_item_recall_at_1"] == 1.0
    assert out["field_p_at_10"] == pytest.approx(0.05)  # 石墨烯负极 → 锂电池负极隔膜 (材料), 1 of 10
