"""Dense scorer: a tiny sentence-transformers model is built, saved, and loaded by path."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from kechuang.engines.matchmaking import IndexConfig, MatchIndex, Segmenter
from kechuang.engines.matchmaking.dense import DenseEncoder, DenseUnavailable

HAVE_ST = (
    importlib.util.find_spec("sentence_transformers") is not None
    and importlib.util.find_spec("torch") is not None
)
needs_st = pytest.mark.skipif(
    not HAVE_ST,
    reason="sentence-transformers/torch not installed (optional; install torch==2.13.0 and sentence-transformers)",
)

VOCAB = ["储能", "蓄电", "电池", "茶叶", "绿茶", "种植"]
WEIGHTS = np.array(
    [
        [1.0, 0.0, 0.0],
        [0.95, 0.05, 0.0],
        [0.9, 0.0, 0.1],
        [0.0, 1.0, 0.0],
        [0.05, 0.95, 0.0],
        [0.0, 0.6, 0.4],
    ],
    dtype=np.float32,
)


def _build_tiny_model(path: Path) -> None:
    try:  # sentence-transformers ≥ 6 layout
        from sentence_transformers.sentence_transformer.modules import Pooling, WordEmbeddings
        from sentence_transformers.sentence_transformer.modules.tokenizer import WhitespaceTokenizer
    except ImportError:  # older releases
        from sentence_transformers.models import Pooling, WhitespaceTokenizer, WordEmbeddings
    from sentence_transformers import SentenceTransformer

    emb = WordEmbeddings(WhitespaceTokenizer(VOCAB, stop_words=[]), WEIGHTS)
    dim_of = getattr(emb, "get_embedding_dimension", None) or emb.get_word_embedding_dimension
    pool = Pooling(dim_of(), pooling_mode="mean")
    SentenceTransformer(modules=[emb, pool], device="cpu").save(str(path))


def test_missing_model_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DenseUnavailable):
        DenseEncoder(tmp_path / "absent")
    with pytest.raises(DenseUnavailable):
        MatchIndex(IndexConfig(dense_model_path=str(tmp_path / "absent")))


def test_dense_absent_by_default() -> None:
    idx = MatchIndex()
    idx.add("a", "储能电池")
    assert idx.dense_encoder is None
    assert set(idx.search("储能")[0].parts) == {"bm25_word", "bm25_bigram"}


@needs_st
def test_tiny_model_loaded_by_path(tmp_path: Path) -> None:
    model_dir = tmp_path / "tiny-st"
    _build_tiny_model(model_dir)
    config = IndexConfig(dense_model_path=str(model_dir), dense_pretokenize=True)
    idx = MatchIndex(config, segmenter=Segmenter())
    assert idx.dense_encoder is not None and idx.dense_encoder.dimension == 3
    idx.add_many([("bat", "蓄电 电池"), ("tea", "绿茶 种植")])
    # 储能 shares no word or character pair with 蓄电/电池: only the dense scorer links them
    res = idx.search("储能", 2, scorers=["dense"])
    assert [r.doc_id for r in res] == ["bat", "tea"]
    assert res[0].parts["dense"] > 0.9 > res[1].parts["dense"]
    fused = idx.search("储能", 2)
    assert fused[0].doc_id == "bat" and set(fused[0].parts) == {"bm25_word", "bm25_bigram", "dense"}
    assert fused[0].parts["bm25_word"] == 0 and fused[0].contributions["dense"] > 0
    vec = idx.dense_encoder.encode(["储能", "无关词"])
    assert vec.shape == (2, 3) and np.isclose(np.linalg.norm(vec[0]), 1.0) and not vec[1].any()

    idx.save(tmp_path / "idx")
    loaded = MatchIndex.load(tmp_path / "idx")
    assert loaded.dense_encoder is not None
    assert loaded.search("储能", 2) == fused
