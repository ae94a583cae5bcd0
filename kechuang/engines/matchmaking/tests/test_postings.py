"""Segmented postings: scores equal bm25s's, incremental changes equal a fresh build, merges and compaction."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from kechuang.engines.matchmaking import IndexConfig, MatchIndex, Segmenter
from kechuang.engines.matchmaking.index import base as index_module
from kechuang.engines.matchmaking.postings import InvertedIndex, build_segment, merge_segments

from ._util import DEMO_DOCS

TEXTS = list(DEMO_DOCS.values()) + [
    "锂离子电池正极材料的制备与电化学性能研究",
    "富硒茶树栽培技术与茶叶品质提升",
    "天然气管道腐蚀检测与安全评价",
    "玄武岩纤维增强混凝土的力学性能",
    "基于深度学习的农产品图像识别",
]
QUERIES = ["锂电池", "茶叶 品质", "天然气", "纤维 复合材料", "深度学习", "硒", "管道泄漏检测"]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


def _scores(idx: MatchIndex, q: str) -> dict[object, tuple[float, float]]:
    return {r.doc_id: (r.parts["bm25_word"], r.parts["bm25_bigram"]) for r in idx.search(q, 100)}


def _assert_same_scores(a: MatchIndex, b: MatchIndex) -> None:
    for q in QUERIES:
        sa, sb = _scores(a, q), _scores(b, q)
        assert sa.keys() == sb.keys(), q
        for k in sa:
            assert sa[k] == pytest.approx(sb[k], rel=1e-5, abs=1e-6), (q, k)


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire"])
def test_scores_equal_bm25s(method: str, segmenter: Segmenter) -> None:
    bm25s = pytest.importorskip("bm25s")
    idx = MatchIndex(IndexConfig(bm25_method=method, field_boosts={}), segmenter=segmenter)
    docs = {f"d{i}": t for i, t in enumerate(TEXTS)}
    idx.add_many(docs.items())
    corpus = [segmenter.words(t) for t in docs.values()]
    model = bm25s.BM25(k1=1.2, b=0.75, method=method)
    model.index(corpus, show_progress=False)
    for q in QUERIES:
        terms = list(dict.fromkeys(segmenter.words(q, for_query=True)))
        ids = model.get_tokens_ids(terms)
        want = model.get_scores_from_ids(ids) if ids else np.zeros(len(docs))
        got = {r.doc_id: r.parts["bm25_word"] for r in idx.search(q, 100, scorers=["bm25_word"])}
        for i, doc_id in enumerate(docs):
            assert got.get(doc_id, 0.0) == pytest.approx(float(want[i]), rel=1e-5, abs=1e-6), (q, doc_id)


def test_incremental_changes_score_like_a_fresh_build(segmenter: Segmenter) -> None:
    rng = random.Random(3)
    idx = MatchIndex(segmenter=segmenter)
    alive: dict[str, str] = {}
    for step in range(80):
        key = f"k{rng.randrange(15)}"
        if rng.random() < 0.6:
            alive[key] = rng.choice(TEXTS) + f" 编号{step % 4}"
            idx.upsert(key, alive[key])
        else:
            idx.remove(key)
            alive.pop(key, None)
        if step % 20 == 19:
            fresh = MatchIndex(segmenter=segmenter)
            fresh.add_many(alive.items())
            _assert_same_scores(idx, fresh)
    assert sorted(idx.ids()) == sorted(alive)
    assert idx.stats()["documents"] == len(alive)


def test_many_segments_are_merged_and_dead_rows_compacted(
    segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "_SEGMENT_DOCS", 3)
    monkeypatch.setattr(index_module, "_MAX_SEGMENTS", 4)
    monkeypatch.setattr(index_module, "_COMPACT_MIN_DEAD", 4)
    idx = MatchIndex(segmenter=segmenter)
    docs = {f"d{i}": TEXTS[i % len(TEXTS)] + f" 批次{i}" for i in range(40)}
    idx.add_many(docs.items())
    st = idx.stats()
    assert st["segments"] <= 4 and st["rows"] == 40
    for i in range(0, 40, 2):
        idx.remove(f"d{i}")
        docs.pop(f"d{i}")
    st = idx.stats()
    assert st["documents"] == 20 and st["rows"] < 40  # compacted once a quarter was dead
    fresh = MatchIndex(segmenter=segmenter)
    fresh.add_many(docs.items())
    _assert_same_scores(idx, fresh)
    idx.rebuild()
    assert idx.stats()["dead_rows"] == 0 and idx.stats()["rows"] == 20
    _assert_same_scores(idx, fresh)


def test_update_inside_batch_keeps_old_text_searchable_until_the_end(segmenter: Segmenter) -> None:
    idx = MatchIndex(segmenter=segmenter)
    idx.add_many([("a", "富硒茶种植"), ("b", "天然气净化")])
    with idx.batch():
        idx.update("a", "锂电池隔膜")
        assert [r.doc_id for r in idx.search("富硒茶")] == ["a"]
        assert idx.search("锂电池隔膜") == []
    assert idx.search("富硒茶") == []
    assert [r.doc_id for r in idx.search("锂电池隔膜")] == ["a"]


def test_segment_helpers() -> None:
    seg = build_segment(
        0,
        [np.array([3, 1], np.int32), np.array([1], np.int32)],
        [np.array([2, 1], np.uint16), np.array([5], np.uint16)],
    )
    assert seg.terms.tolist() == [1, 3] and seg.offsets.tolist() == [0, 2, 3]
    assert seg.rows.tolist() == [0, 1, 0] and seg.tf.tolist() == [1, 5, 2]
    other = build_segment(2, [np.array([3], np.int32)], [np.array([4], np.uint16)])
    merged = merge_segments([seg, other], np.array([True, False, True]))
    assert (merged.row0, merged.row1) == (0, 3)
    assert (
        merged.terms.tolist() == [1, 3]
        and merged.rows.tolist() == [0, 0, 2]
        and merged.tf.tolist() == [1, 2, 4]
    )
    inv = InvertedIndex(1.2, 0.75, "lucene")
    with pytest.raises(ValueError):
        inv.append(5, [], [], np.zeros(0, np.int64), 0)


def test_load_of_first_format_resegments(tmp_path: Path, segmenter: Segmenter) -> None:
    folder = tmp_path / "v1"
    folder.mkdir()
    manifest = {
        "format": "kechuang-matching-index",
        "version": 1,
        "segmenter": {"fingerprint": "old"},
        "config": IndexConfig().to_dict(),
        "classifier": False,
        "dense": False,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with open(folder / "docs.jsonl", "w", encoding="utf-8") as fh:
        for doc_id, text in DEMO_DOCS.items():
            fh.write(
                json.dumps(
                    {"id": doc_id, "fields": {"text": text}, "words": [], "bigrams": []}, ensure_ascii=False
                )
                + "\n"
            )
    loaded = MatchIndex.load(folder, segmenter=segmenter)
    assert loaded.ids() == list(DEMO_DOCS)
    assert loaded.search("玄武岩纤维复合材料", 1)[0].doc_id == "a1"


class _FakeEncoder:
    """Deterministic 3-d 'embeddings': share of 电, 茶, 气 characters."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = (
            np.array([[t.count("电"), t.count("茶"), t.count("气")] for t in texts], dtype=np.float32) + 1e-3
        )
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_dense_rows_stay_aligned_through_changes(tmp_path: Path, segmenter: Segmenter) -> None:
    idx = MatchIndex(segmenter=segmenter, dense_encoder=_FakeEncoder())  # type: ignore[arg-type]
    idx.add_many([("bat", "蓄电池"), ("tea", "绿茶"), ("gas", "天然气"), ("x", "无关")])
    idx.remove("x")
    idx.update("bat", "储电电站")
    idx.rebuild()
    res = idx.search("电", 3, scorers=["dense"])
    assert res[0].doc_id == "bat" and res[0].parts["dense"] > 0.99
    assert idx.search("茶", 1, scorers=["dense"])[0].doc_id == "tea"
    idx.save(tmp_path / "idx")
    loaded = MatchIndex.load(tmp_path / "idx", segmenter=segmenter, dense_encoder=_FakeEncoder())  # type: ignore[arg-type]
    assert loaded.search("气", 1, scorers=["dense"])[0].doc_id == "gas"
    assert loaded.search("电", 3) == idx.search("电", 3)
