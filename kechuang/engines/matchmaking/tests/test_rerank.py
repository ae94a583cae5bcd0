from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kechuang.engines.matchmaking import (
    DEFAULT_WEIGHTS,
    CandidateFeatures,
    QueryContext,
    RegionPreference,
    RerankWeights,
    SearchResult,
    rerank,
)
from kechuang.engines.matchmaking.classifier import FieldPrediction
from kechuang.engines.matchmaking.index import DocId
from kechuang.engines.matchmaking.rerank import PART_NAMES, features_from_predictions

TODAY = date(2026, 6, 1)


def _res(doc_id: str, score: float, rank: int) -> SearchResult:
    return SearchResult(
        doc_id, rank, score, {"bm25_word": score, "bm25_bigram": score}, {"bm25_word": score}, ("锂电池",)
    )


RESULTS = [_res("far", 1.0, 1), _res("near", 0.9, 2), _res("old", 0.8, 3)]
FEATURES: dict[DocId, CandidateFeatures] = {
    "far": CandidateFeatures(
        disciplines=("化学",), categories=("理学",), trl=3, region="440300", published_on=date(2020, 1, 1)
    ),
    "near": CandidateFeatures(
        disciplines=("材料科学与工程",),
        categories=("工学",),
        trl=7,
        region="511722",
        published_on=date(2026, 5, 1),
    ),
    "old": CandidateFeatures(
        disciplines=("材料科学与工程",),
        categories=("工学",),
        trl=6,
        region="500101",
        published_on=date(2015, 1, 1),
    ),
}
CTX = QueryContext(disciplines=("材料科学与工程",), categories=("工学",), min_trl=6, today=TODAY)


def test_retrieval_only_keeps_retrieval_order() -> None:
    only = RerankWeights(retrieval=1.0, field_agreement=0, trl_fit=0, region=0, freshness=0)
    assert [m.doc_id for m in rerank(RESULTS, FEATURES, CTX, weights=only)] == ["far", "near", "old"]


def test_default_weights_promote_field_trl_region() -> None:
    out = rerank(RESULTS, FEATURES, CTX)
    assert [m.doc_id for m in out] == ["near", "old", "far"]
    assert [m.rank for m in out] == [1, 2, 3]
    near = out[0]
    assert set(near.parts) == set(PART_NAMES)
    for name, part in near.parts.items():
        assert part["weight"] == DEFAULT_WEIGHTS.weight(name)
        assert part["contribution"] == pytest.approx(part["weight"] * part["value"])
    assert near.score == pytest.approx(sum(p["contribution"] for p in near.parts.values()))
    assert near.parts["field_agreement"]["value"] == 1.0 and "同学科" in near.reasons["field_agreement"]
    assert near.parts["trl_fit"]["value"] == 1.0
    assert near.parts["region"]["value"] == 1.0 and near.reasons["region"] == "本市"
    assert out[1].parts["region"]["value"] == 0.5  # Wanzhou: neighbouring zone
    assert near.matched_terms == ("锂电池",)
    exp = near.explanation()
    assert exp["matched_terms"] == ["锂电池"] and exp["retrieval"]["parts"]["bm25_word"] == 0.9
    assert "领域一致" in near.describe() and "命中词：锂电池" in near.describe()


def test_each_weight_changes_order_as_expected() -> None:
    zero = RerankWeights(retrieval=0.01, field_agreement=0, trl_fit=0, region=0, freshness=0)
    # freshness alone: newest first
    fresh = replace(zero, freshness=1.0)
    assert [m.doc_id for m in rerank(RESULTS, FEATURES, CTX, weights=fresh)][0] == "near"
    assert [m.doc_id for m in rerank(RESULTS, FEATURES, CTX, weights=fresh)][-1] == "old"
    # region alone, with a preference for Shenzhen instead of Dazhou
    shenzhen = RegionPreference(own_prefixes=("4403",), neighbour_prefixes=(), own_names=())
    assert (
        rerank(RESULTS, FEATURES, CTX, weights=replace(zero, region=1.0), regions=shenzhen)[0].doc_id == "far"
    )
    # TRL alone: far (TRL 3 < 6) goes last
    assert rerank(RESULTS, FEATURES, CTX, weights=replace(zero, trl_fit=1.0))[-1].doc_id == "far"
    # field alone with a chemistry query: far first
    chem = QueryContext(disciplines=("化学",), categories=("理学",), today=TODAY)
    assert rerank(RESULTS, FEATURES, chem, weights=replace(zero, field_agreement=1.0))[0].doc_id == "far"


def test_partial_values_and_unknowns() -> None:
    out = {m.doc_id: m for m in rerank(RESULTS, FEATURES, CTX)}
    assert out["far"].parts["trl_fit"]["value"] == 0.0  # 3 levels short
    same_cat: dict[DocId, CandidateFeatures] = {"x": CandidateFeatures(disciplines=("冶金工程",), categories=("工学",))}
    m = rerank([_res("x", 1.0, 1)], same_cat, CTX)[0]
    assert m.parts["field_agreement"]["value"] == 0.5 and "同门类" in m.reasons["field_agreement"]
    assert m.parts["trl_fit"]["value"] == 0.0 and m.reasons["trl_fit"] == "技术就绪度未知"
    assert m.parts["region"]["value"] == 0.0 and m.reasons["region"] == "地域未知"
    assert m.parts["freshness"]["value"] == 0.0
    assert rerank([_res("x", 1.0, 1)], same_cat)[0].reasons["field_agreement"] == "需求未标注领域"


def test_unpublished_unavailable_and_unknown_candidates_are_dropped() -> None:
    feats = dict(FEATURES)
    feats["near"] = replace(FEATURES["near"], published=False)
    feats["old"] = replace(FEATURES["old"], available=False)
    assert [m.doc_id for m in rerank(RESULTS, feats, CTX)] == ["far"]
    assert [m.doc_id for m in rerank(RESULTS, {"far": FEATURES["far"]}, CTX)] == ["far"]
    assert rerank([], FEATURES, CTX) == []
    assert len(rerank(RESULTS, FEATURES, CTX, top_k=2)) == 2


def test_unknown_part_name() -> None:
    with pytest.raises(KeyError):
        DEFAULT_WEIGHTS.weight("popularity")


def test_features_from_predictions_fill_only_empty_fields() -> None:
    pred = FieldPrediction("化学", 0.9, "理学", 0.9, (("化学", 0.9),))
    feats = features_from_predictions(
        {"a": pred, "b": pred}, {"b": CandidateFeatures(disciplines=("物理学",), trl=5)}
    )
    assert feats["a"].disciplines == ("化学",) and feats["a"].categories == ("理学",)
    assert (
        feats["b"].disciplines == ("物理学",) and feats["b"].categories == ("理学",) and feats["b"].trl == 5
    )
