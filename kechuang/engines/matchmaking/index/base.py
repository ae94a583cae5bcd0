"""The matching index's parts shared by its modules: configuration, results, vocabularies, documents,
snapshots and the storage tunables."""


from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from ..fusion import DEFAULT_FUSION, FusionConfig
from ..postings import Scorer

if TYPE_CHECKING:
    pass

__all__ = [
    "BM25_METHODS",
    "DocId",
    "IndexConfig",
    "PART_LABELS",
    "RELATED_FIELD_WEIGHT",
    "SearchResult",
]

log = logging.getLogger(__name__)

DocId = Union[str, int]  # noqa: UP007 - used at run time in isinstance checks
FieldValue = Union[str, Sequence[str], None]  # noqa: UP007
DocInput = Union[str, Mapping[str, FieldValue]]  # noqa: UP007

FORMAT_NAME = "kechuang-matching-index"
FORMAT_VERSION = 2

#: BM25 variants supported (same formulas as ``bm25s``'s variants of these names).
BM25_METHODS = ("lucene", "robertson", "atire")

#: Chinese labels of the score parts, for explanations shown to users.
PART_LABELS: dict[str, str] = {
    "bm25_word": "词语匹配",
    "bm25_bigram": "字串匹配",
    "dense": "语义相似",
    "field": "领域一致",
}

_TF_MAX = np.iinfo(np.uint16).max
_SEGMENT_DOCS = 4096  # documents per segment in bulk loads
_MAX_SEGMENTS = 32  # more segments than this: the smallest adjacent pair is merged
_COMPACT_DEAD_FRACTION = 0.25  # compact when this share of the rows is dead …
_COMPACT_MIN_DEAD = 64  # … and at least this many rows


def _default_boosts() -> dict[str, int]:
    return {"title": 2, "name": 2, "keywords": 2}


@dataclass(frozen=True)
class IndexConfig:
    """Settings of a :class:`MatchIndex` (saved in its manifest).

    Attributes:
        k1, b: BM25 parameters (same for both BM25 indexes).
        bm25_method: BM25 variant, one of :data:`BM25_METHODS` (``"lucene"`` default).
        field_boosts: field name → repetitions of that field in the indexed text (fields not
            listed count once; 0 leaves a field out of the index but keeps it stored).
        fusion: how the scorers are combined (:class:`~.fusion.FusionConfig`).
        dense_model_path: directory of a sentence-transformers model, or ``None`` (default)
            for no dense scorer.
        char_unigrams: also index every CJK character in the bigram index, so one-character
            queries (锂, 钾, 硒) match inside longer words; costs about 2× bigram-index size and
            rebuild time. Default true (the field classifier's features need them too).
        dense_pretokenize: feed the model the segmenter's words joined by spaces (for
            word-level models such as ``WordEmbeddings``) instead of the normalised text.
        field_weight: default weight of the field-agreement part in :meth:`MatchIndex.search`
            (0 = off; needs an attached classifier). Searches pass their own weight — see
            :data:`RELATED_FIELD_WEIGHT` for "records of the same field".
        field_depth: how many top retrieval candidates the field agreement re-orders.
        field_temperature: sharpness of the discipline distributions (softmax of
            ``temperature × SVM decision``); tuned with :data:`RELATED_FIELD_WEIGHT`.
    """

    k1: float = 1.2
    b: float = 0.75
    bm25_method: str = "lucene"
    field_boosts: Mapping[str, int] = field(default_factory=_default_boosts)
    fusion: FusionConfig = DEFAULT_FUSION
    dense_model_path: str | None = None
    dense_pretokenize: bool = False
    char_unigrams: bool = True
    field_weight: float = 0.0
    field_depth: int = 400
    field_temperature: float = 10.0

    def __post_init__(self) -> None:
        if self.bm25_method not in BM25_METHODS:
            raise ValueError(
                f"unknown BM25 variant {self.bm25_method!r}; use one of {', '.join(BM25_METHODS)}"
            )
        if self.field_depth < 1 or self.field_weight < 0 or self.field_temperature <= 0:
            raise ValueError("field_depth must be ≥ 1, field_weight ≥ 0 and field_temperature > 0")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "k1": self.k1,
            "b": self.b,
            "bm25_method": self.bm25_method,
            "field_boosts": dict(self.field_boosts),
            "fusion": self.fusion.to_dict(),
            "dense_model_path": self.dense_model_path,
            "dense_pretokenize": self.dense_pretokenize,
            "char_unigrams": self.char_unigrams,
            "field_weight": self.field_weight,
            "field_depth": self.field_depth,
            "field_temperature": self.field_temperature,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndexConfig:
        """Inverse of :meth:`to_dict` (missing keys take their defaults)."""
        return cls(
            k1=float(data.get("k1", 1.2)),
            b=float(data.get("b", 0.75)),
            bm25_method=str(data.get("bm25_method", "lucene")),
            field_boosts={
                str(k): int(v) for k, v in dict(data.get("field_boosts", _default_boosts())).items()
            },
            fusion=FusionConfig.from_dict(data.get("fusion") or {}),
            dense_model_path=data.get("dense_model_path"),
            dense_pretokenize=bool(data.get("dense_pretokenize", False)),
            char_unigrams=bool(data.get("char_unigrams", True)),
            field_weight=float(data.get("field_weight", 0.0)),
            field_depth=int(data.get("field_depth", 400)),
            field_temperature=float(data.get("field_temperature", 10.0)),
        )


#: Field-agreement weight for "records of the same field as this text" searches (the
#: benchmark's field-relevance task). Plain searches (find a record by its keywords) keep
#: ``field_weight=0``. Tuned with ``field_temperature`` and ``field_depth`` on 751 CSL titles
#: that are *not* benchmark queries (seed-0 split; classifier trained on CSLDCP only), P@10 of
#: title → same discipline: no field part 0.284; temperature 5 / 10 / 20 at depth 400 and
#: weight 2: 0.383 / 0.461 / 0.458; at temperature 10, weight 1 / 1.5 / 2 / 3 / 5: 0.435 /
#: 0.454 / 0.461 / 0.467 / 0.473, depth 200 / 400 / 800 at weight 2: 0.450 / 0.461 / 0.466.
#: Weight 2, depth 400, temperature 10 were kept: larger weights gain ≤ 0.012 while the text
#: match counts less and less.
RELATED_FIELD_WEIGHT = 2.0


@dataclass(frozen=True)
class SearchResult:
    """One ranked match with its explanation.

    Attributes:
        doc_id: the document id as given to the index.
        rank: 1-based rank in this result list.
        score: fused score (see :mod:`.fusion`; ``weighted``: ``[0, Σ weights]``). With field
            agreement: retrieval normalised so the best candidate has 1, plus the field part.
        parts: raw score of each scorer: ``bm25_word``, ``bm25_bigram`` (BM25 units, ≥ 0),
            ``dense`` (cosine in ``[-1, 1]``) when a dense model is configured, and ``field``
            (probability of the same discipline, ``[0, 1]``) when field agreement is used.
        contributions: each part's share of ``score`` (they add up to ``score``).
        matched_terms: query words found in the document (normalised form; a term contained
            in a longer matched term is left out), in query order — for highlighting.
    """

    doc_id: DocId
    rank: int
    score: float
    parts: Mapping[str, float]
    contributions: Mapping[str, float]
    matched_terms: tuple[str, ...]

    def explanation(self) -> dict[str, Any]:
        """JSON-ready explanation: ``matched_terms``, ``parts``, ``contributions``, ``score``."""
        return {
            "score": self.score,
            "matched_terms": list(self.matched_terms),
            "parts": dict(self.parts),
            "contributions": dict(self.contributions),
        }

    def describe(self) -> str:
        """One-line Chinese explanation for users, e.g. ``命中词：玄武岩纤维、复合材料；词语匹配 0.38，字串匹配 0.52``."""
        terms = "、".join(self.matched_terms) if self.matched_terms else "无"
        parts = "，".join(f"{PART_LABELS.get(k, k)} {v:.2f}" for k, v in self.contributions.items())
        return f"命中词：{terms}；{parts}"


class _Vocab:
    """Append-only token → id table (thread-safe; ids are never reused or renumbered)."""

    __slots__ = ("_ids", "tokens", "_lock")

    def __init__(self, tokens: Iterable[str] = ()) -> None:
        self.tokens: list[str] = list(tokens)
        self._ids: dict[str, int] = {t: i for i, t in enumerate(self.tokens)}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.tokens)

    def counts(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray, int]:
        """Distinct ids (``int32`` ascending; new tokens are added) and their counts (``uint16``)
        of a token list, and its length."""
        ids = list(map(self._ids.get, tokens))
        if None in ids:
            with self._lock:
                for i, t in enumerate(tokens):
                    if ids[i] is None:
                        j = self._ids.get(t)
                        if j is None:
                            j = len(self.tokens)
                            self.tokens.append(t)
                            self._ids[t] = j
                        ids[i] = j
        if not ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint16), 0
        distinct, counts = np.unique(np.array(ids, dtype=np.int32), return_counts=True)
        return distinct, np.minimum(counts, _TF_MAX).astype(np.uint16), len(ids)

    def lookup(self, tokens: Iterable[str]) -> np.ndarray:
        """Ids of the known tokens among ``tokens`` (each once, first-seen order), ``int64``."""
        get = self._ids.get
        ids = [i for i in (get(t) for t in dict.fromkeys(tokens)) if i is not None]
        return np.asarray(ids, dtype=np.int64)


_Tokens = tuple[np.ndarray, np.ndarray, int]  # distinct ids int32, counts uint16, length Σ counts


@dataclass(slots=True)
class _Doc:
    doc_id: DocId
    fields: dict[str, str]
    norm: str  # normalised text of all fields (no boosts), for highlighting checks
    row: int = -1  # row in the segments; -1 while pending
    word: _Tokens | None = None  # token counts until the document is in a segment
    bigram: _Tokens | None = None


@dataclass(frozen=True)
class _Snapshot:
    docs: list[_Doc]  # row → document; shared with the writer, which only appends (rows < size)
    size: int
    row: Mapping[DocId, int]
    alive: np.ndarray  # bool (size,)
    word: Scorer | None
    bigram: Scorer | None
    dense: np.ndarray | None  # float32 (size, dim)
    field: np.ndarray | None  # float16 (size, C) discipline distributions
    version: int

    def without(self, doc_id: DocId, version: int) -> _Snapshot:
        r = self.row.get(doc_id)
        if r is None or not self.alive[r]:
            return self
        alive = self.alive.copy()
        alive[r] = False
        return _Snapshot(
            self.docs, self.size, self.row, alive, self.word, self.bigram, self.dense, self.field, version
        )


_EMPTY_SNAPSHOT = _Snapshot([], 0, {}, np.zeros(0, dtype=bool), None, None, None, None, 0)


def _check_id(doc_id: object) -> DocId:
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        raise TypeError(f"document id must be str or int, not {type(doc_id).__name__}")
    return doc_id


def _field_text(value: FieldValue) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return " ".join(str(v) for v in value if v)


def _softmax(z: np.ndarray, temperature: float) -> np.ndarray:
    z = z * temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out
