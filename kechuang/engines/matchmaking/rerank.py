"""Re-ranking of retrieval results with plain features, each with its weight in ONE place.

The weights live in :class:`RerankWeights` (``DEFAULT_WEIGHTS``); nothing else in the engine
hard-codes a re-ranking weight. Final score of a candidate::

    score = w.retrieval       * retrieval      (fused score / best fused score of the list, 0–1)
          + w.field_agreement * field          (1 same discipline, 0.5 same category only, else 0)
          + w.trl_fit         * trl            (1 when TRL ≥ the wanted minimum, falling by 1/3 per level short)
          + w.region          * region         (1 own city, 0.5 neighbouring zone, 0 elsewhere)
          + w.freshness       * freshness      (0.5 ** (age_days / half_life_days))

Features the caller does not know (``None``) score 0 and are explained as unknown. Candidates
that are not published or not available are dropped (hard filter), and so are candidates
without features (their status is unknown). Every part, its weight and its contribution is
kept in the explanation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .index import DocId, SearchResult

__all__ = [
    "RerankWeights",
    "DEFAULT_WEIGHTS",
    "RegionPreference",
    "DEFAULT_REGIONS",
    "CandidateFeatures",
    "QueryContext",
    "RerankedMatch",
    "rerank",
    "PART_NAMES",
    "features_from_predictions",
]

#: Chinese names of the re-ranking parts, for explanations.
PART_NAMES: dict[str, str] = {
    "retrieval": "文本相关度",
    "field_agreement": "领域一致",
    "trl_fit": "技术就绪度匹配",
    "region": "地域优先",
    "freshness": "时效性",
}


@dataclass(frozen=True)
class RerankWeights:
    """THE re-ranking weights (dimensionless; a part's value is in ``[0, 1]``).

    Attributes:
        retrieval: weight of the normalised text-retrieval score.
        field_agreement: same discipline / category as the query.
        trl_fit: technology readiness level meets the query's minimum.
        region: own city first, then the neighbouring zone.
        freshness: recently published or updated items first.
        freshness_half_life_days: age in days at which freshness is 0.5.
    """

    retrieval: float = 1.0
    field_agreement: float = 0.3
    trl_fit: float = 0.2
    region: float = 0.15
    freshness: float = 0.1
    freshness_half_life_days: float = 365.0

    def weight(self, part: str) -> float:
        """Weight of a part by name (one of :data:`PART_NAMES`). Errors: ``KeyError``."""
        if part not in PART_NAMES:
            raise KeyError(part)
        return float(getattr(self, part))


DEFAULT_WEIGHTS = RerankWeights()


@dataclass(frozen=True)
class RegionPreference:
    """Which regions count as own city and as the neighbouring zone.

    Codes are GB/T 2260 division codes (``"511722"``) or park names; a candidate's region
    matches a prefix when it starts with it (``"5117"`` covers Dazhou and its counties).

    Attributes:
        own_prefixes: prefixes of the own city (value 1.0).
        neighbour_prefixes: prefixes of the neighbouring zone (value ``neighbour_value``).
        own_names: park names counted as own city (e.g. ``"达州高新区"``).
        neighbour_value: value of a neighbouring-zone candidate, in ``[0, 1]``.
    """

    own_prefixes: tuple[str, ...] = ("5117",)
    neighbour_prefixes: tuple[str, ...] = ("500101", "500154")
    own_names: tuple[str, ...] = ("达州高新区", "达州东部经开区")
    neighbour_value: float = 0.5

    def value(self, region: str | None) -> tuple[float, str]:
        """Region value in ``[0, 1]`` and a Chinese reason for a candidate region (``None`` → 0)."""
        if not region:
            return 0.0, "地域未知"
        if region in self.own_names or any(region.startswith(p) for p in self.own_prefixes):
            return 1.0, "本市"
        if any(region.startswith(p) for p in self.neighbour_prefixes):
            return self.neighbour_value, "邻近区域"
        return 0.0, "其他地区"


#: Reference region: Dazhou (5117xx, parks) first, then Wanzhou 500101 and Kaizhou 500154.
DEFAULT_REGIONS = RegionPreference()


@dataclass(frozen=True)
class CandidateFeatures:
    """Plain features of one candidate (filled by the caller from its records).

    Attributes:
        disciplines: the candidate's disciplines (an expert may have several); may be
            classifier suggestions.
        categories: its categories (门类).
        trl: technology readiness level 1–9, or ``None``.
        region: division code or park name, or ``None``.
        published_on: date of publication or last update, or ``None``.
        published: whether the record is published (unpublished ones are dropped).
        available: whether it is still available (withdrawn, transferred or busy → dropped).
    """

    disciplines: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    trl: int | None = None
    region: str | None = None
    published_on: date | None = None
    published: bool = True
    available: bool = True


@dataclass(frozen=True)
class QueryContext:
    """What the query side wants.

    Attributes:
        disciplines: the query's disciplines (e.g. the demand's field, or the classifier's
            suggestion for its text).
        categories: the query's categories.
        min_trl: minimum TRL wanted (a demand for production: 6), or ``None`` for no wish.
        today: reference date for freshness (``None`` → ``date.today()``).
    """

    disciplines: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    min_trl: int | None = None
    today: date | None = None


@dataclass(frozen=True)
class RerankedMatch:
    """A re-ranked candidate with its full explanation.

    Attributes:
        doc_id: candidate id.
        rank: 1-based final rank.
        score: final score (see the module docstring).
        parts: part name → ``{"value", "weight", "contribution"}`` (floats).
        reasons: Chinese reason of each part, part name → text.
        retrieval: the underlying :class:`~.index.SearchResult` (matched terms, BM25 parts).
    """

    doc_id: DocId
    rank: int
    score: float
    parts: Mapping[str, Mapping[str, float]]
    reasons: Mapping[str, str]
    retrieval: SearchResult

    @property
    def matched_terms(self) -> tuple[str, ...]:
        """Query words found in the candidate (from retrieval)."""
        return self.retrieval.matched_terms

    def explanation(self) -> dict[str, Any]:
        """JSON-ready explanation: score, matched terms, re-ranking parts, retrieval parts."""
        return {
            "score": self.score,
            "matched_terms": list(self.matched_terms),
            "parts": {k: dict(v) for k, v in self.parts.items()},
            "reasons": dict(self.reasons),
            "retrieval": self.retrieval.explanation(),
        }

    def describe(self) -> str:
        """One-line Chinese summary, e.g. ``命中词：锂电池；领域一致（同学科：材料科学）+0.30；本市 +0.15``."""
        terms = "、".join(self.matched_terms) if self.matched_terms else "无"
        bits = [f"命中词：{terms}"]
        for name, p in self.parts.items():
            if p["contribution"] > 0:
                bits.append(f"{PART_NAMES[name]}（{self.reasons[name]}）+{p['contribution']:.2f}")
        return "；".join(bits)


def _field_value(ctx: QueryContext, f: CandidateFeatures) -> tuple[float, str]:
    if not (ctx.disciplines or ctx.categories):
        return 0.0, "需求未标注领域"
    if not (f.disciplines or f.categories):
        return 0.0, "候选未标注领域"
    same_d = [d for d in f.disciplines if d in ctx.disciplines]
    if same_d:
        return 1.0, f"同学科：{same_d[0]}"
    same_c = [c for c in f.categories if c in ctx.categories]
    if same_c:
        return 0.5, f"同门类：{same_c[0]}"
    return 0.0, "领域不同"


def _trl_value(ctx: QueryContext, f: CandidateFeatures) -> tuple[float, str]:
    if ctx.min_trl is None:
        return 0.0, "未要求技术就绪度"
    if f.trl is None:
        return 0.0, "技术就绪度未知"
    if f.trl >= ctx.min_trl:
        return 1.0, f"TRL {f.trl} ≥ {ctx.min_trl}"
    short = ctx.min_trl - f.trl
    return max(0.0, 1.0 - short / 3.0), f"TRL {f.trl} 低于要求 {ctx.min_trl}"


def _freshness_value(today: date, f: CandidateFeatures, half_life: float) -> tuple[float, str]:
    if f.published_on is None:
        return 0.0, "发布日期未知"
    age = max(0, (today - f.published_on).days)
    return math.pow(0.5, age / half_life) if half_life > 0 else 0.0, f"发布于 {age} 天前"


def rerank(
    results: Sequence[SearchResult],
    features: Mapping[DocId, CandidateFeatures],
    context: QueryContext | None = None,
    *,
    weights: RerankWeights = DEFAULT_WEIGHTS,
    regions: RegionPreference = DEFAULT_REGIONS,
    top_k: int | None = None,
) -> list[RerankedMatch]:
    """Re-rank retrieval results with per-candidate features.

    Inputs:
        results: retrieval results (:meth:`MatchIndex.search`), any order.
        features: id → :class:`CandidateFeatures`; candidates missing here are dropped.
        context: the query's wishes (default: none, so only retrieval, region and freshness count).
        weights, regions: the re-ranking configuration.
        top_k: keep at most this many (default all).
    Output: :class:`RerankedMatch` list, best first (ties keep the retrieval order).
    Dropped: unpublished or unavailable candidates and those without features.
    """
    ctx = context or QueryContext()
    today = ctx.today or date.today()
    best = max((r.score for r in results), default=0.0)
    scored: list[tuple[float, int, SearchResult, dict[str, dict[str, float]], dict[str, str]]] = []
    for pos, res in enumerate(results):
        f = features.get(res.doc_id)
        if f is None or not f.published or not f.available:
            continue
        values: dict[str, tuple[float, str]] = {
            "retrieval": (res.score / best if best > 0 else 0.0, f"检索得分 {res.score:.3f}"),
            "field_agreement": _field_value(ctx, f),
            "trl_fit": _trl_value(ctx, f),
            "region": regions.value(f.region),
            "freshness": _freshness_value(today, f, weights.freshness_half_life_days),
        }
        parts: dict[str, dict[str, float]] = {}
        reasons: dict[str, str] = {}
        total = 0.0
        for name, (value, reason) in values.items():
            w = weights.weight(name)
            contribution = w * value
            parts[name] = {"value": value, "weight": w, "contribution": contribution}
            reasons[name] = reason
            total += contribution
        scored.append((total, pos, res, parts, reasons))
    scored.sort(key=lambda t: (-t[0], t[1]))
    if top_k is not None:
        scored = scored[:top_k]
    return [
        RerankedMatch(doc_id=res.doc_id, rank=i + 1, score=total, parts=parts, reasons=reasons, retrieval=res)
        for i, (total, _, res, parts, reasons) in enumerate(scored)
    ]


def features_from_predictions(
    predictions: Mapping[DocId, Any],
    base: Mapping[DocId, CandidateFeatures] | None = None,
) -> dict[DocId, CandidateFeatures]:
    """Fill empty discipline/category features from classifier predictions.

    Inputs: ``predictions`` id → :class:`~.classifier.FieldPrediction`; ``base`` optional
    existing features (their non-empty fields win). Output: id → features for every id in
    ``predictions`` or ``base``.
    """
    out: dict[DocId, CandidateFeatures] = dict(base or {})
    for doc_id, pred in predictions.items():
        f = out.get(doc_id, CandidateFeatures())
        out[doc_id] = CandidateFeatures(
            disciplines=f.disciplines or (pred.discipline,),
            categories=f.categories or ((pred.category,) if pred.category else ()),
            trl=f.trl,
            region=f.region,
            published_on=f.published_on,
            published=f.published,
            available=f.available,
        )
    return out
