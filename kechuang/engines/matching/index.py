"""The matching index: documents by id, BM25 over words and bigrams, field agreement, optional dense vectors.

:class:`MatchIndex` holds documents (an achievement, a demand, an expert profile …) keyed by a
string or integer id. Each document is one text or a mapping of named fields (``title``,
``keywords``, ``abstract`` …); fields are concatenated, a field's boost repeating it.

Storage: every document is normalised and segmented once, when it is added; its word and
bigram counts are kept as token ids (``int32`` ids and ``uint16`` counts over two append-only
vocabularies), so rebuilding never re-segments. The BM25 indexes are term-major posting arrays
(``indptr`` / doc rows ``int32`` / BM25 weight ``float32``) built from those counts with numpy
in a few passes (about 1 s per 50,000 abstracts); a query gathers its terms' postings and
sums them with ``np.bincount``. Scores equal ``bm25s``'s for the same variant (checked in the
tests); ``bm25s`` itself is no longer needed.

Field agreement: when a :class:`~.classifier.FieldClassifier` (``analyzer="bigram"``) is
attached, every document's discipline distribution is computed from its bigram counts at
rebuild (cached per document) and a search with ``field_weight > 0`` adds
``field_weight × Σ_c p_query(c) · p_doc(c)`` — the probability that query and document are of
the same discipline — to the normalised retrieval score of the top ``field_depth`` candidates.

Concurrency model (copy-on-write): every search reads one immutable :class:`_Snapshot`
(the posting arrays, the row → id table, the alive mask). Writers hold a lock, build a new
snapshot and publish it with one reference assignment, so a search running during an update
sees either the old or the new state, never a mix. Each change rebuilds the posting arrays
from the cached counts (about 2 s at 100,000 documents); inside :meth:`MatchIndex.batch` the
rebuild happens once at the end.

Removal guarantee: :meth:`MatchIndex.remove` publishes a snapshot with the document masked out
*before* it returns (and before any rebuild), and every search result is checked against the
latest published snapshot, so once ``remove`` has returned the id never appears in results —
also inside a batch and also for a search that started earlier.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from .fusion import DEFAULT_FUSION, SCORERS, FusionConfig, fuse
from .normalize import normalize_text
from .segment import Segmenter, char_bigrams, prune_contained

if TYPE_CHECKING:
    from .classifier import FieldClassifier, TokenModel
    from .dense import DenseEncoder

__all__ = ["BM25_METHODS", "DocId", "IndexConfig", "MatchIndex", "PART_LABELS", "RELATED_FIELD_WEIGHT", "SearchResult"]

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
_BUILD_CHUNK = 4096  # documents per pass when filling posting arrays


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
            ``temperature × SVM decision``); tuned on CSL titles outside the evaluation queries.
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
            raise ValueError(f"unknown BM25 variant {self.bm25_method!r}; use one of {', '.join(BM25_METHODS)}")
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
#: benchmark's field-relevance task; tuned on CSL titles outside the evaluation queries).
#: Plain searches (find a record by its keywords) keep ``field_weight=0``.
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
        """Ids (``int32``, new tokens added) and counts (``uint16``) of a token list, and its length."""
        c = Counter(tokens)
        get = self._ids.get
        ids = [get(t) for t in c]
        if None in ids:
            with self._lock:
                for i, t in enumerate(c):
                    if ids[i] is None:
                        j = self._ids.get(t)
                        if j is None:
                            j = len(self.tokens)
                            self.tokens.append(t)
                            self._ids[t] = j
                        ids[i] = j
        n = len(ids)
        tf = np.fromiter(c.values(), dtype=np.int64, count=n)
        return (
            np.fromiter(ids, dtype=np.int32, count=n),
            np.minimum(tf, _TF_MAX).astype(np.uint16),
            int(tf.sum()),
        )

    def lookup(self, tokens: Iterable[str]) -> np.ndarray:
        """Ids of the known tokens among ``tokens`` (each once, first-seen order), ``int64``."""
        get = self._ids.get
        ids = [i for i in (get(t) for t in dict.fromkeys(tokens)) if i is not None]
        return np.asarray(ids, dtype=np.int64)


@dataclass(slots=True)
class _Doc:
    doc_id: DocId
    fields: dict[str, str]
    norm: str  # normalised text of all fields (no boosts), for highlighting checks
    word_ids: np.ndarray  # int32 distinct word ids
    word_tf: np.ndarray  # uint16 counts (boosted)
    word_len: int
    bigram_ids: np.ndarray
    bigram_tf: np.ndarray
    bigram_len: int
    vector: np.ndarray | None = None
    field: np.ndarray | None = None  # float16 (C,) discipline distribution
    field_key: str = ""  # classifier uid + temperature the distribution was computed with


@dataclass(frozen=True)
class _Postings:
    """Term-major BM25 index: the postings of term ``t`` are ``indptr[t]:indptr[t+1]``."""

    indptr: np.ndarray  # int64 (n_terms + 1,)
    rows: np.ndarray  # int32 document rows
    weights: np.ndarray  # float32 BM25 weight (idf × tf part)
    n_docs: int

    @property
    def n_terms(self) -> int:
        return self.indptr.size - 1

    def scores(self, term_ids: np.ndarray) -> np.ndarray:
        """BM25 score of every row for a query given as distinct term ids (unknown ids ignored)."""
        n = self.n_docs
        ids = term_ids[term_ids < self.n_terms] if term_ids.size else term_ids
        if n == 0 or ids.size == 0:
            return np.zeros(n, dtype=np.float64)
        starts = self.indptr[ids].tolist()
        ends = self.indptr[ids + 1].tolist()
        if len(starts) == 1:
            rows, w = self.rows[starts[0] : ends[0]], self.weights[starts[0] : ends[0]]
        else:
            rows = np.concatenate([self.rows[a:b] for a, b in zip(starts, ends, strict=True)])
            w = np.concatenate([self.weights[a:b] for a, b in zip(starts, ends, strict=True)])
        return np.bincount(rows, weights=w, minlength=n)


def _idf(df: np.ndarray, n: int, method: str) -> np.ndarray:
    d = df.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "lucene":
            idf = np.log1p((n - d + 0.5) / (d + 0.5))
        elif method == "robertson":
            idf = np.log(np.maximum((n - d + 0.5) / (d + 0.5), 1.0))
        else:  # atire
            idf = np.log(n / d)
    idf[df == 0] = 0.0
    return idf.astype(np.float32)


def _build_postings(
    ids: Sequence[np.ndarray], tfs: Sequence[np.ndarray], lengths: np.ndarray, n_terms: int, config: IndexConfig
) -> _Postings:
    """Posting arrays from per-document distinct ids and counts (one chunked counting sort)."""
    n = len(ids)
    sizes = np.fromiter((a.size for a in ids), dtype=np.int64, count=n)
    df = np.zeros(n_terms, dtype=np.int64)
    chunks = [(s, min(n, s + _BUILD_CHUNK)) for s in range(0, n, _BUILD_CHUNK)]
    for s, e in chunks:
        if sizes[s:e].sum():
            df += np.bincount(np.concatenate(ids[s:e]), minlength=n_terms)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    nnz = int(indptr[-1])
    rows_out = np.empty(nnz, dtype=np.int32)
    weights_out = np.empty(nnz, dtype=np.float32)
    if nnz:
        idf = _idf(df, n, config.bm25_method)
        dl = lengths.astype(np.float32)
        avgdl = float(dl.mean()) or 1.0
        knorm = (config.k1 * ((1.0 - config.b) + config.b * dl / avgdl)).astype(np.float32)
        fill = indptr[:-1].copy()
        for s, e in chunks:
            m = int(sizes[s:e].sum())
            if m == 0:
                continue
            c = np.concatenate(ids[s:e])
            tf = np.concatenate(tfs[s:e]).astype(np.float32)
            r = np.repeat(np.arange(s, e, dtype=np.int32), sizes[s:e])
            if config.bm25_method == "atire":
                w = idf[c] * (tf * (config.k1 + 1.0)) / (tf + knorm[r])
            else:
                w = idf[c] * tf / (tf + knorm[r])
            order = np.argsort(c, kind="stable")  # rows stay ascending within a term
            cs = c[order]
            new_run = np.empty(m, dtype=bool)
            new_run[0] = True
            np.not_equal(cs[1:], cs[:-1], out=new_run[1:])
            run_start = np.flatnonzero(new_run)
            rank = np.arange(m) - np.repeat(run_start, np.diff(np.append(run_start, m)))
            pos = fill[cs] + rank
            rows_out[pos] = r[order]
            weights_out[pos] = w[order]
            fill[cs[run_start]] += np.diff(np.append(run_start, m))
    return _Postings(indptr, rows_out, weights_out, n)


@dataclass(frozen=True)
class _Snapshot:
    docs: tuple[_Doc, ...]
    row: Mapping[DocId, int]
    alive: np.ndarray  # bool (n,)
    word: _Postings | None
    bigram: _Postings | None
    dense: np.ndarray | None  # float32 (n, dim)
    field: np.ndarray | None  # float16 (n, C) discipline distributions
    version: int

    @property
    def size(self) -> int:
        return len(self.docs)

    def without(self, doc_id: DocId, version: int) -> _Snapshot:
        r = self.row.get(doc_id)
        if r is None or not self.alive[r]:
            return self
        alive = self.alive.copy()
        alive[r] = False
        return _Snapshot(self.docs, self.row, alive, self.word, self.bigram, self.dense, self.field, version)


_EMPTY_SNAPSHOT = _Snapshot((), {}, np.zeros(0, dtype=bool), None, None, None, None, 0)


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
    return e / e.sum(axis=-1, keepdims=True)


class MatchIndex:
    """Searchable set of documents with explained, fused BM25 (and optional dense) scores.

    Parameters:
        config: :class:`IndexConfig` (BM25 parameters, field boosts, fusion, dense model path).
        segmenter: the :class:`~.segment.Segmenter` to use (default: the shipped domain
            dictionary and stop words, precise mode).
        dense_encoder: an already built :class:`~.dense.DenseEncoder`; by default one is
            created from ``config.dense_model_path`` when that is set (raises
            :class:`~.dense.DenseUnavailable` if it cannot be loaded).
        classifier: an optional trained :class:`~.classifier.FieldClassifier`, saved and loaded
            with the index; it gives the documents' disciplines for field agreement.

    Documents: ``text`` is a string or a mapping ``field → str | list[str] | None``; ids are
    ``str`` or ``int`` (``1`` and ``"1"`` are different ids; ``bool`` is refused).
    All public methods are thread-safe (see the module docstring).
    """

    def __init__(
        self,
        config: IndexConfig | None = None,
        *,
        segmenter: Segmenter | None = None,
        dense_encoder: DenseEncoder | None = None,
        classifier: FieldClassifier | None = None,
    ) -> None:
        self.config = config or IndexConfig()
        self.segmenter = segmenter or Segmenter()
        if dense_encoder is None and self.config.dense_model_path:
            from .dense import DenseEncoder

            dense_encoder = DenseEncoder(
                self.config.dense_model_path,
                pretokenize=self.segmenter.words if self.config.dense_pretokenize else None,
            )
        self.dense_encoder = dense_encoder
        self.classifier = classifier
        self._lock = threading.RLock()
        self._docs: dict[DocId, _Doc] = {}
        self._words = _Vocab()
        self._bigrams = _Vocab()
        self._colmap = np.zeros(0, dtype=np.int32)  # bigram id → classifier feature (-1: none)
        self._colmap_key = ""
        self._batch_depth = 0
        self._dirty = False
        self._version = 0
        self._snapshot = _EMPTY_SNAPSHOT
        #: Seconds taken by the last rebuild of the BM25 (and dense, field) indexes.
        self.last_build_seconds = 0.0

    # -- documents ----------------------------------------------------------------------------

    def _prepare(self, doc_id: DocId, text: DocInput) -> _Doc:
        if isinstance(text, str):
            fields = {"text": text}
        elif isinstance(text, Mapping):
            fields = {str(k): _field_text(v) for k, v in text.items()}
        else:
            raise TypeError("document text must be a str or a mapping of field name to text")
        boosts = self.config.field_boosts
        norm_parts: list[str] = []
        words: list[str] = []
        bigrams: list[str] = []
        for name, value in fields.items():
            norm = normalize_text(value)
            if not norm:
                continue
            norm_parts.append(norm)
            reps = int(boosts.get(name, 1))
            if reps <= 0:
                continue
            w = self.segmenter.words_normalized(norm)
            g = char_bigrams(norm, unigrams=self.config.char_unigrams)
            words.extend(w * reps)
            bigrams.extend(g * reps)
        wid, wtf, wlen = self._words.counts(words)
        gid, gtf, glen = self._bigrams.counts(bigrams)
        return _Doc(doc_id, fields, " ".join(norm_parts), wid, wtf, wlen, gid, gtf, glen)

    def add(self, doc_id: DocId, text: DocInput) -> None:
        """Add a new document. Errors: ``KeyError`` if the id exists; ``TypeError`` on bad input."""
        doc_id = _check_id(doc_id)
        doc = self._prepare(doc_id, text)
        with self._lock:
            if doc_id in self._docs:
                raise KeyError(f"document {doc_id!r} already in the index")
            self._docs[doc_id] = doc
            self._changed()

    def update(self, doc_id: DocId, text: DocInput) -> None:
        """Replace an existing document's text. Errors: ``KeyError`` if the id is unknown."""
        doc_id = _check_id(doc_id)
        doc = self._prepare(doc_id, text)
        with self._lock:
            if doc_id not in self._docs:
                raise KeyError(f"document {doc_id!r} not in the index")
            self._docs[doc_id] = doc
            self._changed()

    def upsert(self, doc_id: DocId, text: DocInput) -> None:
        """Add the document, or replace it if the id exists."""
        doc_id = _check_id(doc_id)
        doc = self._prepare(doc_id, text)
        with self._lock:
            self._docs[doc_id] = doc
            self._changed()

    def add_many(
        self, docs: Iterable[tuple[DocId, DocInput]], *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Upsert many ``(id, text)`` pairs with one rebuild at the end.

        ``progress`` (optional) is called with the running count after each document (for a
        progress bar). Output: the number of documents given.
        """
        count = 0
        # Millions of small objects are created and all survive: pause the cyclic GC, which
        # would otherwise rescan them again and again.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            with self.batch():
                for doc_id, text in docs:
                    self.upsert(doc_id, text)
                    count += 1
                    if progress is not None:
                        progress(count)
        finally:
            if gc_was_enabled:
                gc.enable()
        return count

    def remove(self, doc_id: DocId) -> bool:
        """Remove a document (withdrawn or deleted record).

        Output: ``True`` if it was present. Once this returns, ``doc_id`` never appears in any
        search result (until it is added again). Unknown ids are not an error.
        """
        doc_id = _check_id(doc_id)
        with self._lock:
            if doc_id not in self._docs:
                return False
            del self._docs[doc_id]
            self._version += 1
            self._snapshot = self._snapshot.without(doc_id, self._version)
            self._changed()
            return True

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def ids(self) -> list[DocId]:
        """All document ids, in insertion order."""
        with self._lock:
            return list(self._docs)

    def get_fields(self, doc_id: DocId) -> dict[str, str]:
        """The stored fields of a document (a copy). Errors: ``KeyError`` if unknown."""
        with self._lock:
            return dict(self._docs[doc_id].fields)

    # -- rebuilding -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[MatchIndex]:
        """Context manager deferring the rebuild to the end of the block (nested blocks allowed).

        Inside the block, added or updated documents are not yet searchable; removed ones are
        excluded at once. The rebuild runs when the outermost block exits, even on error.
        """
        with self._lock:
            self._batch_depth += 1
        try:
            yield self
        finally:
            with self._lock:
                self._batch_depth -= 1
                if self._batch_depth == 0 and self._dirty:
                    self.rebuild()

    def _changed(self) -> None:
        self._dirty = True
        if self._batch_depth == 0:
            self.rebuild()

    def rebuild(self) -> float:
        """Rebuild the BM25 (and dense, field) indexes from the stored documents and publish them.

        Output: seconds taken (also in :attr:`last_build_seconds`). Runs under the write lock;
        searches keep using the previous snapshot meanwhile. Documents are not re-segmented:
        their cached token counts are used.
        """
        with self._lock:
            t0 = time.perf_counter()
            docs = tuple(self._docs.values())
            row = {d.doc_id: i for i, d in enumerate(docs)}
            word = bigram = None
            if docs:
                word = _build_postings(
                    [d.word_ids for d in docs],
                    [d.word_tf for d in docs],
                    np.fromiter((d.word_len for d in docs), dtype=np.int64, count=len(docs)),
                    len(self._words),
                    self.config,
                )
                bigram = _build_postings(
                    [d.bigram_ids for d in docs],
                    [d.bigram_tf for d in docs],
                    np.fromiter((d.bigram_len for d in docs), dtype=np.int64, count=len(docs)),
                    len(self._bigrams),
                    self.config,
                )
            dense = self._dense_matrix(docs)
            fieldp = self._field_matrix(docs)
            self._version += 1
            self._snapshot = _Snapshot(
                docs, row, np.ones(len(docs), dtype=bool), word, bigram, dense, fieldp, self._version
            )
            self._dirty = False
            self.last_build_seconds = time.perf_counter() - t0
            return self.last_build_seconds

    def _dense_matrix(self, docs: Sequence[_Doc]) -> np.ndarray | None:
        enc = self.dense_encoder
        if enc is None or not docs:
            return None
        missing = [d for d in docs if d.vector is None]
        if missing:
            vecs = enc.encode([d.norm for d in missing])
            for d, v in zip(missing, vecs, strict=True):
                d.vector = v
        return np.vstack([d.vector for d in docs]).astype(np.float32, copy=False)

    # -- field agreement ------------------------------------------------------------------------

    def _field_key(self) -> str:
        clf = self.classifier
        if clf is None or not clf.is_fitted:
            return ""
        return f"{clf.uid}:{self.config.field_temperature}"

    def _token_model(self) -> TokenModel | None:
        clf = self.classifier
        if clf is None or not self.config.char_unigrams:
            return None
        return clf.token_model()

    def _classifier_columns(self, model: TokenModel, key: str) -> np.ndarray:
        """Bigram-vocabulary id → classifier feature column (-1 when not a feature)."""
        if self._colmap_key != key:
            self._colmap = np.zeros(0, dtype=np.int32)
            self._colmap_key = key
        old = self._colmap.size
        tokens = self._bigrams.tokens
        new = len(tokens)
        if new > old:
            voc = model.vocabulary
            ext = np.fromiter((voc.get(tokens[i], -1) for i in range(old, new)), dtype=np.int32, count=new - old)
            self._colmap = np.concatenate([self._colmap, ext])
        return self._colmap

    def _field_matrix(self, docs: Sequence[_Doc]) -> np.ndarray | None:
        """Discipline distributions ``(n, C)`` of the documents (cached per document)."""
        key = self._field_key()
        if not key or not docs:
            return None
        missing = [d for d in docs if d.field_key != key]
        if missing:
            model = self._token_model()
            temperature = self.config.field_temperature
            if model is not None:
                import scipy.sparse as sp

                colmap = self._classifier_columns(model, key)
                n_features = model.idf.size
                for s in range(0, len(missing), _BUILD_CHUNK):
                    part = missing[s : s + _BUILD_CHUNK]
                    c = colmap[np.concatenate([d.bigram_ids for d in part])]
                    tf = np.concatenate([d.bigram_tf for d in part])
                    r = np.repeat(np.arange(len(part)), [d.bigram_ids.size for d in part])
                    keep = c >= 0
                    counts = sp.csr_matrix(
                        (tf[keep].astype(np.float32), (r[keep], c[keep])), shape=(len(part), n_features)
                    )
                    probs = _softmax(model.decision_from_counts(counts), temperature).astype(np.float16)
                    for d, p in zip(part, probs, strict=True):
                        d.field, d.field_key = p, key
            else:  # "char" analyzer or no unigrams: classify the stored text (slower)
                assert self.classifier is not None
                vec, svm = self.classifier._disc  # noqa: SLF001 - same package
                for s in range(0, len(missing), _BUILD_CHUNK):
                    part = missing[s : s + _BUILD_CHUNK]
                    z = np.asarray(svm.decision_function(vec.transform([d.norm for d in part])), dtype=np.float32)
                    if z.ndim == 1:
                        z = np.stack([-z, z], axis=1)
                    probs = _softmax(z, temperature).astype(np.float16)
                    for d, p in zip(part, probs, strict=True):
                        d.field, d.field_key = p, key
        return np.vstack([d.field for d in docs])

    def _query_field(self, qnorm: str) -> np.ndarray | None:
        """Discipline distribution ``(C,)`` of a normalised query text, or ``None``."""
        clf = self.classifier
        if clf is None or not clf.is_fitted or not qnorm:
            return None
        model = self._token_model()
        if model is not None:
            z = model.decision_from_tokens(char_bigrams(qnorm, unigrams=True))
        else:
            vec, svm = clf._disc  # noqa: SLF001 - same package
            z = np.asarray(svm.decision_function(vec.transform([qnorm])), dtype=np.float32).reshape(-1)
            if z.size == 1:
                z = np.array([-z[0], z[0]], dtype=np.float32)
        return _softmax(z.astype(np.float32), self.config.field_temperature)

    # -- search ---------------------------------------------------------------------------------

    def search(
        self,
        query: str | Mapping[str, FieldValue],
        top_k: int = 10,
        *,
        allowed_ids: Iterable[DocId] | None = None,
        exclude_ids: Iterable[DocId] = (),
        scorers: Sequence[str] | None = None,
        fusion: FusionConfig | None = None,
        field_weight: float | None = None,
    ) -> list[SearchResult]:
        """Rank documents for a query text.

        Inputs:
            query: text, or a mapping of fields (joined like a document, without boosts).
            top_k: maximum number of results (≥ 0).
            allowed_ids: when given, only these ids may be returned (e.g. the records the user
                may see); unknown ids are ignored.
            exclude_ids: ids never returned (e.g. the query record itself).
            scorers: restrict fusion to these scorer names (``bm25_word``, ``bm25_bigram``,
                ``dense``); default all available. Used by the evaluation.
            fusion: override the index's fusion settings for this query.
            field_weight: weight of field agreement (default ``config.field_weight``; 0 = off;
                ignored without a classifier). When > 0, the top ``config.field_depth``
                retrieval candidates are re-ordered by ``retrieval / best retrieval +
                field_weight × P(same discipline)``; the query's and the documents'
                disciplines both come from the classifier (no stored labels are read).
        Output: up to ``top_k`` :class:`SearchResult`, best first; documents whose fused score
            is 0 (nothing matched) are left out. Ties are broken by insertion order.
        Latency: O(postings of the query terms) numpy work per scorer, O(n_docs) for fusion,
            plus O(top_k) explanation work.
        """
        if top_k <= 0:
            return []
        snap = self._snapshot
        n = snap.size
        if n == 0:
            return []
        if isinstance(query, Mapping):
            qtext = " ".join(_field_text(v) for v in query.values())
        else:
            qtext = query or ""
        qnorm = normalize_text(qtext)
        qwords = self.segmenter.words_normalized(qnorm, for_query=True)
        use = set(scorers) if scorers is not None else set(SCORERS)
        raw: dict[str, np.ndarray] = {}
        if "bm25_word" in use:
            raw["bm25_word"] = (
                snap.word.scores(self._words.lookup(qwords)) if snap.word is not None else np.zeros(n)
            )
        if "bm25_bigram" in use:
            raw["bm25_bigram"] = (
                snap.bigram.scores(self._bigrams.lookup(char_bigrams(qnorm)))
                if snap.bigram is not None
                else np.zeros(n)
            )
        if "dense" in use and snap.dense is not None and self.dense_encoder is not None and qnorm:
            qv = self.dense_encoder.encode([qnorm])[0]
            raw["dense"] = snap.dense @ qv

        eligible = snap.alive.copy()
        if allowed_ids is not None:
            allowed = np.zeros(n, dtype=bool)
            rows = [snap.row[i] for i in allowed_ids if i in snap.row]
            allowed[rows] = True
            eligible &= allowed
        for i in exclude_ids:
            r = snap.row.get(i)
            if r is not None:
                eligible[r] = False

        fused, contrib = fuse(raw, eligible, fusion or self.config.fusion)
        cand = np.flatnonzero(fused > 0)
        if cand.size == 0:
            return []
        weight = self.config.field_weight if field_weight is None else float(field_weight)
        qfield = self._query_field(qnorm) if weight > 0 and snap.field is not None else None
        slack = top_k + 8  # a little slack for ids removed meanwhile
        depth = min(cand.size, max(slack, self.config.field_depth) if qfield is not None else slack)
        if cand.size > depth:
            cand = cand[np.argpartition(-fused[cand], depth - 1)[:depth]]
        score = fused[cand]
        parts_at = {k: v[cand] for k, v in raw.items()}
        contrib_at = {k: v[cand] for k, v in contrib.items()}
        if qfield is not None and snap.field is not None:
            best = float(score.max())
            agree = snap.field[cand].astype(np.float32) @ qfield
            contrib_at = {k: v / best for k, v in contrib_at.items()}
            contrib_at["field"] = weight * agree.astype(np.float64)
            parts_at["field"] = agree.astype(np.float64)
            score = score / best + contrib_at["field"]
        order = np.lexsort((cand, -score))

        latest = self._snapshot  # removal published after our snapshot was taken
        qterms = list(dict.fromkeys(qwords))
        results: list[SearchResult] = []
        for j in order.tolist():
            doc = snap.docs[int(cand[j])]
            if latest is not snap:
                lr = latest.row.get(doc.doc_id)
                if lr is None and doc.doc_id not in self._docs:
                    continue
                if lr is not None and not latest.alive[lr]:
                    continue
            matched = prune_contained([t for t in qterms if t in doc.norm])
            results.append(
                SearchResult(
                    doc_id=doc.doc_id,
                    rank=len(results) + 1,
                    score=float(score[j]),
                    parts={k: float(v[j]) for k, v in parts_at.items()},
                    contributions={k: float(v[j]) for k, v in contrib_at.items()},
                    matched_terms=tuple(matched),
                )
            )
            if len(results) >= top_k:
                break
        return results

    def classify(self, text: str) -> Any:
        """Predict discipline and category of a text with the attached classifier.

        Output: a :class:`~.classifier.FieldPrediction`. Errors: ``RuntimeError`` when the index
        has no classifier.
        """
        if self.classifier is None:
            raise RuntimeError("索引未附带学科分类器")
        return self.classifier.predict([text])[0]

    def memory_bytes(self) -> dict[str, int]:
        """Approximate bytes held by the published posting arrays, token caches and field matrix."""
        snap = self._snapshot
        out = {"postings": 0, "token_cache": 0, "field": 0}
        for p in (snap.word, snap.bigram):
            if p is not None:
                out["postings"] += p.indptr.nbytes + p.rows.nbytes + p.weights.nbytes
        for d in snap.docs:
            out["token_cache"] += d.word_ids.nbytes + d.word_tf.nbytes + d.bigram_ids.nbytes + d.bigram_tf.nbytes
        if snap.field is not None:
            out["field"] = snap.field.nbytes
        return out

    # -- persistence ----------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to directory ``path`` (replaced atomically if it exists).

        Layout: ``manifest.json`` (format, config, segmenter fingerprint), ``docs.jsonl`` (id,
        fields), ``vocab.json`` (word and bigram vocabularies), ``tokens.npz`` (every
        document's token ids and counts), ``dense.npy`` when dense vectors exist,
        ``classifier.joblib`` when a classifier is attached. Pending batched changes are
        rebuilt first. The posting arrays are rebuilt on load (seconds), not stored.
        Errors: ``OSError`` from the file system.
        """
        path = Path(path)
        with self._lock:
            if self._dirty:
                self.rebuild()
            snap = self._snapshot
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
            try:
                manifest = {
                    "format": FORMAT_NAME,
                    "version": FORMAT_VERSION,
                    "n_docs": snap.size,
                    "segmenter": {
                        "fingerprint": self.segmenter.fingerprint,
                        "mode": self.segmenter.mode,
                        "hmm": self.segmenter.hmm,
                        "dictionary_words": self.segmenter.dictionary_words,
                    },
                    "config": self.config.to_dict(),
                    "dense": snap.dense is not None,
                    "classifier": self.classifier is not None,
                    "saved_at": time.time(),
                }
                with open(tmp / "docs.jsonl", "w", encoding="utf-8") as fh:
                    for d in snap.docs:
                        fh.write(json.dumps({"id": d.doc_id, "fields": d.fields}, ensure_ascii=False) + "\n")
                with open(tmp / "vocab.json", "w", encoding="utf-8") as fh:
                    json.dump({"word": self._words.tokens, "bigram": self._bigrams.tokens}, fh, ensure_ascii=False)
                docs = snap.docs
                with open(tmp / "tokens.npz", "wb") as fh:
                    np.savez(
                        fh,
                        word_sizes=np.fromiter((d.word_ids.size for d in docs), np.int64, len(docs)),
                        word_ids=np.concatenate([d.word_ids for d in docs]) if docs else np.zeros(0, np.int32),
                        word_tf=np.concatenate([d.word_tf for d in docs]) if docs else np.zeros(0, np.uint16),
                        word_len=np.fromiter((d.word_len for d in docs), np.int64, len(docs)),
                        bigram_sizes=np.fromiter((d.bigram_ids.size for d in docs), np.int64, len(docs)),
                        bigram_ids=np.concatenate([d.bigram_ids for d in docs]) if docs else np.zeros(0, np.int32),
                        bigram_tf=np.concatenate([d.bigram_tf for d in docs]) if docs else np.zeros(0, np.uint16),
                        bigram_len=np.fromiter((d.bigram_len for d in docs), np.int64, len(docs)),
                    )
                if snap.dense is not None:
                    np.save(tmp / "dense.npy", snap.dense)
                if self.classifier is not None:
                    self.classifier.save(tmp / "classifier.joblib")
                with open(tmp / "manifest.json", "w", encoding="utf-8") as fh:
                    json.dump(manifest, fh, ensure_ascii=False, indent=2)
                old = None
                if path.exists():
                    old = path.with_name(f".{path.name}.old-{os.getpid()}-{time.time_ns()}")
                    os.replace(path, old)
                os.replace(tmp, path)
                if old is not None:
                    shutil.rmtree(old, ignore_errors=True)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        segmenter: Segmenter | None = None,
        dense_encoder: DenseEncoder | None = None,
        config: IndexConfig | None = None,
    ) -> MatchIndex:
        """Load an index written by :meth:`save`.

        Inputs: ``path``; optional ``segmenter`` (default: a new default one), ``dense_encoder``
        and ``config`` (default: the saved config). When the segmenter's fingerprint differs
        from the saved one (the domain dictionary was extended), or the field boosts or
        ``char_unigrams`` differ, or the index was written by the first format version,
        documents are re-segmented; otherwise the saved token counts are used as they are, so
        results are identical to the saved index's.
        Errors: ``FileNotFoundError`` when ``path`` holds no manifest; ``ValueError`` on an
        unknown format.
        """
        path = Path(path)
        with open(path / "manifest.json", encoding="utf-8") as fh:
            manifest = json.load(fh)
        version = int(manifest.get("version", 0))
        if manifest.get("format") != FORMAT_NAME or not 1 <= version <= FORMAT_VERSION:
            raise ValueError(f"{path}: not a matching index of a known format")
        saved_config = IndexConfig.from_dict(manifest["config"])
        config = config or saved_config
        classifier = None
        if manifest.get("classifier") and (path / "classifier.joblib").exists():
            from .classifier import FieldClassifier

            classifier = FieldClassifier.load(path / "classifier.joblib")
        index = cls(config, segmenter=segmenter, dense_encoder=dense_encoder, classifier=classifier)
        same_tokens = (
            version >= 2
            and (path / "tokens.npz").exists()
            and index.segmenter.fingerprint == manifest["segmenter"]["fingerprint"]
            and dict(config.field_boosts) == dict(saved_config.field_boosts)
            and config.char_unigrams == saved_config.char_unigrams
        )
        with open(path / "docs.jsonl", encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
        docs: list[_Doc] = []
        if same_tokens:
            with open(path / "vocab.json", encoding="utf-8") as fh:
                vocab = json.load(fh)
            index._words = _Vocab(vocab["word"])
            index._bigrams = _Vocab(vocab["bigram"])
            with np.load(path / "tokens.npz") as z:
                tok = {k: z[k] for k in z.files}
            w_off = np.concatenate([[0], np.cumsum(tok["word_sizes"])]).tolist()
            g_off = np.concatenate([[0], np.cumsum(tok["bigram_sizes"])]).tolist()
            for i, rec in enumerate(records):
                norm = " ".join(p for p in (normalize_text(v) for v in rec["fields"].values()) if p)
                docs.append(
                    _Doc(
                        rec["id"],
                        rec["fields"],
                        norm,
                        tok["word_ids"][w_off[i] : w_off[i + 1]],
                        tok["word_tf"][w_off[i] : w_off[i + 1]],
                        int(tok["word_len"][i]),
                        tok["bigram_ids"][g_off[i] : g_off[i + 1]],
                        tok["bigram_tf"][g_off[i] : g_off[i + 1]],
                        int(tok["bigram_len"][i]),
                    )
                )
        else:
            log.info("matching index %s: segmentation changed, re-segmenting %d documents", path, len(records))
            docs = [index._prepare(rec["id"], rec["fields"]) for rec in records]
        if (
            manifest.get("dense")
            and (path / "dense.npy").exists()
            and index.dense_encoder is not None
            and config.dense_model_path == saved_config.dense_model_path
        ):
            dense = np.load(path / "dense.npy")
            if dense.shape[0] == len(docs):
                for d, v in zip(docs, dense, strict=True):
                    d.vector = v
        with index._lock:
            index._docs = {d.doc_id: d for d in docs}
            index.rebuild()
        return index
