"""Framework-free matching core (供需对接): normalise, segment, retrieve, fuse, classify, re-rank.

No Django here: the platform's models feed plain texts and features in and get ranked,
explained results out. Main entry points:

* :func:`normalize_text` — width, script (traditional → simplified), case, punctuation.
* :class:`Segmenter` — rjieba words with the domain dictionary (``data/domain_dict.txt``)
  and stop words (``data/stopwords.txt``), plus character bigrams.
* :class:`MatchIndex` — documents by id, BM25 over words and over bigrams (segmented numpy
  postings, :mod:`.postings`; incremental updates with exact statistics), optional dense
  scorer, fusion, soft field agreement from the classifier, thread-safe updates, save/load.
* :class:`FieldClassifier` — discipline (67) and category (13) of any text; served from plain
  arrays (no scikit-learn needed after training).
* :func:`rerank` with :class:`RerankWeights` — field agreement, TRL fit, region, freshness.
* ``python -m kechuang.engines.matchmaking.bench --corpus FILE [--queries FILE] [--scale N]`` — the
  benchmark of issue 4 against a rank_bm25 + jieba baseline (``kechuang bench matchmaking``).
* ``python -m kechuang.engines.matchmaking.evaluate`` — further figures (scorers alone, classifier
  accuracy, fusion tuning) on the shared data.
"""

from __future__ import annotations

from .classifier import FieldClassifier, FieldPrediction
from .fusion import DEFAULT_FUSION, FusionConfig
from .index import RELATED_FIELD_WEIGHT, IndexConfig, MatchIndex, SearchResult
from .normalize import normalize_text
from .rerank import (
    DEFAULT_REGIONS,
    DEFAULT_WEIGHTS,
    CandidateFeatures,
    QueryContext,
    RegionPreference,
    RerankedMatch,
    RerankWeights,
    features_from_predictions,
    rerank,
)
from .segment import Segmenter

__all__ = [
    "DEFAULT_FUSION",
    "DEFAULT_REGIONS",
    "DEFAULT_WEIGHTS",
    "CandidateFeatures",
    "FieldClassifier",
    "FieldPrediction",
    "FusionConfig",
    "IndexConfig",
    "MatchIndex",
    "QueryContext",
    "RELATED_FIELD_WEIGHT",
    "RegionPreference",
    "RerankWeights",
    "RerankedMatch",
    "SearchResult",
    "Segmenter",
    "features_from_predictions",
    "normalize_text",
    "rerank",
]
