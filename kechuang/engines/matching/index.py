"""The matching index: documents by id, BM25 over words and bigrams, field agreement, optional dense vectors.

:class:`MatchIndex` holds documents (an achievement, a demand, an expert profile …) keyed by a
string or integer id. Each document is one text or a mapping of named fields (``title``,
``keywords``, ``abstract`` …); fields are concatenated, a field's boost repeating it.

Storage (:mod:`.postings`): every document is normalised and segmented once, when it is added;
its word and bigram counts become postings (row ``int32``, term frequency ``uint16``) in
append-only segments, over two append-only token vocabularies. Adding documents appends a
segment (4,096 documents per segment in bulk loads); removing or replacing one masks its row
and updates the exact live statistics (document frequencies, lengths), so every score equals
what a fresh build would give — a change costs time in proportion to the change, not to the
index. Dead rows are dropped by merges (more than 32 segments) and by compaction (a quarter
of the rows dead, :meth:`MatchIndex.rebuild`, :meth:`MatchIndex.save`). BM25 weights are
computed at query time and equal ``bm25s``'s for the same variant (checked in the tests).

Field agreement: when a :class:`~.classifier.FieldClassifier` (``analyzer="bigram"``) is
attached, every document's discipline distribution is computed from its bigram counts when it
is added (no second pass over the text), and a search with ``field_weight > 0`` adds
``field_weight × Σ_c p_query(c) · p_doc(c)`` — the probability that query and document are of
the same discipline — to the normalised retrieval score of the top ``field_depth`` candidates.

Concurrency model (copy-on-write): every search reads one immutable :class:`_Snapshot`
(the scorers, the row → id table, the alive mask). Writers hold a lock, build a new snapshot
and publish it with one reference assignment, so a search running during an update sees
either the old or the new state, never a mix. Inside :meth:`MatchIndex.batch` publishing
happens once at the end.

Removal guarantee: :meth:`MatchIndex.remove` publishes a snapshot with the document masked out
*before* it returns (and before anything else is rebuilt), and every search result is checked
against the latest published snapshot, so once ``remove`` has returned the id never appears in
results — also inside a batch and also for a search that started earlier.
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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from .fusion import DEFAULT_FUSION, SCORERS, FusionConfig, fuse
from .normalize import normalize_text
from .postings import InvertedIndex, Scorer, Segment
from .segment import Segmenter, char_bigrams, prune_contained

if TYPE_CHECKING:
    from .classifier import FieldClassifier, TokenModel
    from .dense import DenseEncoder

__all__ = [
    "BM25_METHODS",
    "DocId",
    "IndexConfig",
    "MatchIndex",
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
            with the index; it gives the documents' disciplines for field agreement. It may be
            replaced later (``index.classifier = other``); the next rebuild re-classifies.

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
        self._words = _Vocab()
        self._bigrams = _Vocab()
        self._reset_storage()
        self._batch_depth = 0
        self._dirty = False
        self._version = 0
        self._snapshot = _EMPTY_SNAPSHOT
        #: Seconds taken by the last publish of changes (flush, merge, compaction, scorers).
        self.last_build_seconds = 0.0

    def _reset_storage(self) -> None:
        c = self.config
        self._docs: dict[DocId, _Doc] = {}  # live documents (published or pending)
        self._pending: dict[DocId, _Doc] = {}  # not yet in a segment
        self._rows: list[_Doc] = []  # row → document (dead rows included until compaction)
        self._alive = np.zeros(0, dtype=bool)
        self._dead: list[int] = []  # rows killed since the statistics were last updated
        self._word = InvertedIndex(c.k1, c.b, c.bm25_method)
        self._bigram = InvertedIndex(c.k1, c.b, c.bm25_method)
        self._field: np.ndarray | None = None  # float16 (rows, C)
        self._field_built = ""  # field key the matrix was computed with
        self._dense: np.ndarray | None = None  # float32 (rows, dim)
        self._colmap = np.zeros(0, dtype=np.int32)  # bigram id → classifier feature (-1: none)
        self._colmap_key = ""

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
        return _Doc(
            doc_id,
            fields,
            " ".join(norm_parts),
            word=self._words.counts(words),
            bigram=self._bigrams.counts(bigrams),
        )

    def _kill(self, doc: _Doc) -> None:
        """Take a live document out (writer lock held); its row, if any, becomes dead."""
        if doc.row < 0:
            self._pending.pop(doc.doc_id, None)
        else:
            self._alive[doc.row] = False
            self._dead.append(doc.row)

    def _put(self, doc: _Doc, *, must_exist: bool | None) -> None:
        with self._lock:
            old = self._docs.get(doc.doc_id)
            if must_exist is False and old is not None:
                raise KeyError(f"document {doc.doc_id!r} already in the index")
            if must_exist is True and old is None:
                raise KeyError(f"document {doc.doc_id!r} not in the index")
            if old is not None:
                self._kill(old)
                del self._docs[doc.doc_id]
            self._docs[doc.doc_id] = doc
            self._pending[doc.doc_id] = doc
            if len(self._pending) >= _SEGMENT_DOCS:
                self._flush_pending()
            self._changed()

    def add(self, doc_id: DocId, text: DocInput) -> None:
        """Add a new document. Errors: ``KeyError`` if the id exists; ``TypeError`` on bad input."""
        self._put(self._prepare(_check_id(doc_id), text), must_exist=False)

    def update(self, doc_id: DocId, text: DocInput) -> None:
        """Replace an existing document's text. Errors: ``KeyError`` if the id is unknown."""
        self._put(self._prepare(_check_id(doc_id), text), must_exist=True)

    def upsert(self, doc_id: DocId, text: DocInput) -> None:
        """Add the document, or replace it if the id exists."""
        self._put(self._prepare(_check_id(doc_id), text), must_exist=None)

    def add_many(
        self, docs: Iterable[tuple[DocId, DocInput]], *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Upsert many ``(id, text)`` pairs, publishing once at the end.

        ``progress`` (optional) is called with the running count after each document (for a
        progress bar). Output: the number of documents given. Memory: documents are moved
        into segments every 4,096, so a bulk load holds at most one chunk of token lists.
        """
        count = 0
        # Many small objects are created and all survive: pause the cyclic GC, which would
        # otherwise rescan them again and again.
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
            doc = self._docs.pop(doc_id, None)
            if doc is None:
                return False
            self._kill(doc)
            self._version += 1
            self._snapshot = self._snapshot.without(doc_id, self._version)
            self._changed()
            return True

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def ids(self) -> list[DocId]:
        """All document ids, in the order they were last added or replaced."""
        with self._lock:
            return list(self._docs)

    def get_fields(self, doc_id: DocId) -> dict[str, str]:
        """The stored fields of a document (a copy). Errors: ``KeyError`` if unknown."""
        with self._lock:
            return dict(self._docs[doc_id].fields)

    # -- publishing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[MatchIndex]:
        """Context manager deferring publication to the end of the block (nested blocks allowed).

        Inside the block, added or updated documents are not yet searchable (a replaced
        document's old text still is); removed ones are excluded at once. Publication runs
        when the outermost block exits, even on error.
        """
        with self._lock:
            self._batch_depth += 1
        try:
            yield self
        finally:
            with self._lock:
                self._batch_depth -= 1
                if self._batch_depth == 0 and self._dirty:
                    self._publish()

    def _changed(self) -> None:
        self._dirty = True
        if self._batch_depth == 0:
            self._publish()

    def rebuild(self) -> float:
        """Apply pending changes, drop dead rows, re-classify if the classifier changed, publish.

        Output: seconds taken (also in :attr:`last_build_seconds`). Runs under the write lock;
        searches keep using the previous snapshot meanwhile. Documents are not re-segmented
        (see :meth:`load` for that).
        """
        return self._publish(compact=True)

    def _flush_pending(self) -> None:
        """Move pending documents into new segments (writer lock held; nothing published)."""
        docs = list(self._pending.values())
        self._pending.clear()
        for s in range(0, len(docs), _SEGMENT_DOCS):
            part = docs[s : s + _SEGMENT_DOCS]
            row0 = len(self._rows)
            for stream, index, vocab in (
                ("word", self._word, self._words),
                ("bigram", self._bigram, self._bigrams),
            ):
                toks = [getattr(d, stream) for d in part]
                index.append(
                    row0,
                    [t[0] for t in toks],
                    [t[1] for t in toks],
                    np.fromiter((t[2] for t in toks), dtype=np.int64, count=len(toks)),
                    len(vocab),
                )
            key = self._field_key()
            if key and self._field_built != key and not self._rows:  # first documents: start the matrix
                self._field = np.zeros((0, len(self._classifier_classes())), dtype=np.float16)
                self._field_built = key
            if key and self._field_built == key and self._field is not None:
                self._field = np.vstack([self._field, self._classify_tokens(part, key)])
            if self.dense_encoder is not None:
                vecs = np.asarray(self.dense_encoder.encode([d.norm for d in part]), dtype=np.float32)
                self._dense = (
                    vecs if self._dense is None or not self._rows else np.vstack([self._dense, vecs])
                )
            for i, d in enumerate(part):
                d.row = row0 + i
                d.word = d.bigram = None
            self._rows.extend(part)
            self._alive = np.concatenate([self._alive, np.ones(len(part), dtype=bool)])

    def _apply_dead(self) -> None:
        if not self._dead:
            return
        mask = np.zeros(len(self._rows), dtype=bool)
        mask[self._dead] = True
        self._dead = []
        self._word.kill(mask)
        self._bigram.kill(mask)

    def _merge_segments(self) -> None:
        segs = self._word.segments
        while len(segs) > _MAX_SEGMENTS:
            sizes = [a.nnz + b.nnz for a, b in zip(self._word.segments, self._bigram.segments, strict=True)]
            i = min(range(len(sizes) - 1), key=lambda k: sizes[k] + sizes[k + 1])
            self._word.merge(i, i + 2, self._alive)
            self._bigram.merge(i, i + 2, self._alive)
            segs = self._word.segments

    def _compact(self) -> None:
        alive = self._alive
        if alive.all():
            return
        new_row = (np.cumsum(alive) - 1).astype(np.int32)
        self._word.compact(alive, new_row)
        self._bigram.compact(alive, new_row)
        rows = [d for d, a in zip(self._rows, alive.tolist(), strict=True) if a]
        for i, d in enumerate(rows):
            d.row = i
        self._rows = rows  # a new list: published snapshots keep the old one
        if self._field is not None:
            self._field = self._field[alive]
        if self._dense is not None:
            self._dense = self._dense[alive]
        self._alive = np.ones(len(rows), dtype=bool)

    def _publish(self, *, compact: bool = False) -> float:
        with self._lock:
            t0 = time.perf_counter()
            self._apply_dead()
            self._flush_pending()
            self._merge_segments()
            n_rows = len(self._rows)
            n_dead = n_rows - int(np.count_nonzero(self._alive))
            if n_dead and (compact or n_dead >= max(_COMPACT_MIN_DEAD, _COMPACT_DEAD_FRACTION * n_rows)):
                self._compact()
            self._refresh_fields()
            word = self._word.freeze(len(self._words))
            bigram = self._bigram.freeze(len(self._bigrams))
            n_rows = len(self._rows)
            dense = self._dense if self.dense_encoder is not None else None
            self._version += 1
            self._snapshot = _Snapshot(
                self._rows,
                n_rows,
                {d.doc_id: d.row for d in self._docs.values()},
                self._alive.copy(),
                word,
                bigram,
                dense,
                self._field,
                self._version,
            )
            self._dirty = False
            self.last_build_seconds = time.perf_counter() - t0
            return self.last_build_seconds

    # -- field agreement ------------------------------------------------------------------------

    def _field_key(self) -> str:
        clf = self.classifier
        if clf is None or not clf.is_fitted:
            return ""
        return f"{clf.uid}:{self.config.field_temperature}:{self.config.char_unigrams}"

    def _classifier_classes(self) -> list[str]:
        return self.classifier.disciplines if self.classifier is not None else []

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
            ext = np.fromiter(
                (voc.get(tokens[i], -1) for i in range(old, new)), dtype=np.int32, count=new - old
            )
            self._colmap = np.concatenate([self._colmap, ext])
        return self._colmap

    def _classify_counts(
        self, n: int, rows: np.ndarray, terms: np.ndarray, tf: np.ndarray, key: str
    ) -> np.ndarray:
        """Discipline distributions ``float16 (n, C)`` from bigram counts given as (row, term, tf)."""
        import scipy.sparse as sp

        model = self._token_model()
        assert model is not None
        cols = self._classifier_columns(model, key)[terms]
        keep = cols >= 0
        counts = sp.csr_matrix(
            (tf[keep].astype(np.float32), (rows[keep], cols[keep])), shape=(n, model.idf.size)
        )
        z = model.decision_from_counts(counts)
        return _softmax(z, self.config.field_temperature).astype(np.float16)

    def _classify_texts(self, texts: list[str]) -> np.ndarray:
        assert self.classifier is not None
        z = self.classifier.decision_function(texts)
        return _softmax(z, self.config.field_temperature).astype(np.float16)

    def _classify_tokens(self, part: Sequence[_Doc], key: str) -> np.ndarray:
        """Distributions of documents that still hold their bigram counts."""
        if self._token_model() is None:
            return self._classify_texts([d.norm for d in part])
        toks = [d.bigram for d in part]
        assert all(t is not None for t in toks)
        terms = np.concatenate([t[0] for t in toks])  # type: ignore[index]
        tf = np.concatenate([t[1] for t in toks])  # type: ignore[index]
        rows = np.repeat(np.arange(len(part)), [t[0].size for t in toks])  # type: ignore[index]
        return self._classify_counts(len(part), rows, terms, tf, key)

    def _refresh_fields(self) -> None:
        """(Re)compute the whole field matrix when the classifier or its settings changed."""
        key = self._field_key()
        if key == self._field_built and (not key or self._field is not None):
            return
        self._field_built = key
        if not key or not self._rows:
            self._field = np.zeros((0, len(self._classifier_classes())), dtype=np.float16) if key else None
            return
        if self._token_model() is None:
            parts = [
                self._classify_texts([d.norm for d in self._rows[s : s + _SEGMENT_DOCS]])
                for s in range(0, len(self._rows), _SEGMENT_DOCS)
            ]
        else:
            parts = []
            for seg in self._bigram.segments:  # the counts live in the postings: read them back
                parts.append(
                    self._classify_counts(
                        seg.row1 - seg.row0, seg.rows - seg.row0, seg.posting_terms(), seg.tf, key
                    )
                )
        self._field = np.vstack(parts) if parts else None

    def _query_field(self, qnorm: str) -> np.ndarray | None:
        """Discipline distribution ``(C,)`` of a normalised query text, or ``None``."""
        clf = self.classifier
        if clf is None or not clf.is_fitted or not qnorm:
            return None
        model = self._token_model()
        if model is not None:
            z = model.decision_from_tokens(char_bigrams(qnorm, unigrams=True))
        else:
            z = clf.decision_function([qnorm])[0]
        return _softmax(np.asarray(z, dtype=np.float32), self.config.field_temperature)

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
        if "bm25_word" in use and snap.word is not None:
            raw["bm25_word"] = snap.word.scores(self._words.lookup(qwords))
        if "bm25_bigram" in use and snap.bigram is not None:
            raw["bm25_bigram"] = snap.bigram.scores(self._bigrams.lookup(char_bigrams(qnorm)))
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
            agree = (snap.field[cand].astype(np.float32) @ qfield).astype(np.float64)
            contrib_at = {k: v / best for k, v in contrib_at.items()}
            contrib_at["field"] = weight * agree
            parts_at["field"] = agree
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

    def stats(self) -> dict[str, int]:
        """Sizes for monitoring: documents, rows (incl. dead), segments, bytes of postings and matrices."""
        with self._lock:
            return {
                "documents": len(self._docs),
                "rows": len(self._rows),
                "dead_rows": len(self._rows) - int(np.count_nonzero(self._alive)),
                "segments": len(self._word.segments),
                "postings_bytes": self._word.nbytes + self._bigram.nbytes,
                "field_bytes": 0 if self._field is None else int(self._field.nbytes),
                "dense_bytes": 0 if self._dense is None else int(self._dense.nbytes),
                "vocabulary": len(self._words) + len(self._bigrams),
            }

    # -- persistence ----------------------------------------------------------------------------

    @staticmethod
    def _segment_arrays(prefix: str, segments: Sequence[Segment]) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_bounds": np.array(
                [[s.row0, s.row1, s.terms.size, s.nnz] for s in segments], dtype=np.int64
            ).reshape(-1, 4),
            f"{prefix}_terms": np.concatenate([s.terms for s in segments])
            if segments
            else np.zeros(0, np.int32),
            f"{prefix}_offsets": np.concatenate([s.offsets[:-1] for s in segments])
            if segments
            else np.zeros(0, np.int64),
            f"{prefix}_rows": np.concatenate([s.rows for s in segments])
            if segments
            else np.zeros(0, np.int32),
            f"{prefix}_tf": np.concatenate([s.tf for s in segments]) if segments else np.zeros(0, np.uint16),
        }

    @staticmethod
    def _segments_from(prefix: str, z: Mapping[str, np.ndarray]) -> list[Segment]:
        out: list[Segment] = []
        t_at = p_at = 0
        for row0, row1, n_terms, nnz in z[f"{prefix}_bounds"].tolist():
            offsets = (
                z[f"{prefix}_offsets"][t_at : t_at + n_terms] - z[f"{prefix}_offsets"][t_at]
                if n_terms
                else np.zeros(0, np.int64)
            )
            out.append(
                Segment(
                    row0,
                    row1,
                    z[f"{prefix}_terms"][t_at : t_at + n_terms],
                    np.append(offsets, nnz).astype(np.int64),
                    z[f"{prefix}_rows"][p_at : p_at + nnz],
                    z[f"{prefix}_tf"][p_at : p_at + nnz],
                )
            )
            t_at += n_terms
            p_at += nnz
        return out

    def save(self, path: str | Path) -> None:
        """Write the index to directory ``path`` (replaced atomically if it exists).

        Layout: ``manifest.json`` (format, config, segmenter fingerprint), ``docs.jsonl`` (id,
        fields, one line per row), ``vocab.json`` (word and bigram vocabularies),
        ``postings.npz`` (segments and document lengths), ``field.npy`` (document
        disciplines) and ``classifier.npz`` when a classifier is attached, ``dense.npy`` when
        dense vectors exist. Pending changes are applied and dead rows dropped first.
        Errors: ``OSError`` from the file system.
        """
        path = Path(path)
        with self._lock:
            self._publish(compact=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
            try:
                manifest = {
                    "format": FORMAT_NAME,
                    "version": FORMAT_VERSION,
                    "n_docs": len(self._rows),
                    "segmenter": {
                        "fingerprint": self.segmenter.fingerprint,
                        "mode": self.segmenter.mode,
                        "hmm": self.segmenter.hmm,
                        "dictionary_words": self.segmenter.dictionary_words,
                    },
                    "config": self.config.to_dict(),
                    "dense": self._dense is not None and self.dense_encoder is not None,
                    "classifier": self.classifier is not None,
                    "field_key": self._field_built if self._field is not None else "",
                    "saved_at": time.time(),
                }
                with open(tmp / "docs.jsonl", "w", encoding="utf-8") as fh:
                    for d in self._rows:
                        fh.write(json.dumps({"id": d.doc_id, "fields": d.fields}, ensure_ascii=False) + "\n")
                with open(tmp / "vocab.json", "w", encoding="utf-8") as fh:
                    json.dump(
                        {"word": self._words.tokens, "bigram": self._bigrams.tokens}, fh, ensure_ascii=False
                    )
                arrays = {
                    **self._segment_arrays("word", self._word.segments),
                    **self._segment_arrays("bigram", self._bigram.segments),
                    "word_dl": self._word.dl,
                    "bigram_dl": self._bigram.dl,
                }
                with open(tmp / "postings.npz", "wb") as fh:
                    np.savez(fh, **arrays)
                if manifest["dense"]:
                    np.save(tmp / "dense.npy", self._dense)
                if self._field is not None:
                    np.save(tmp / "field.npy", self._field)
                if self.classifier is not None:
                    self.classifier.save(tmp / "classifier.npz")
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
        documents are re-segmented; otherwise the saved postings are used as they are, so
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
        if manifest.get("classifier"):
            from .classifier import FieldClassifier

            for name in ("classifier.npz", "classifier.joblib"):
                if (path / name).exists():
                    classifier = FieldClassifier.load(path / name)
                    break
        index = cls(config, segmenter=segmenter, dense_encoder=dense_encoder, classifier=classifier)
        with open(path / "docs.jsonl", encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
        same_tokens = (
            version >= 2
            and (path / "postings.npz").exists()
            and index.segmenter.fingerprint == manifest["segmenter"]["fingerprint"]
            and dict(config.field_boosts) == dict(saved_config.field_boosts)
            and config.char_unigrams == saved_config.char_unigrams
        )
        dense = None
        if (
            manifest.get("dense")
            and (path / "dense.npy").exists()
            and index.dense_encoder is not None
            and config.dense_model_path == saved_config.dense_model_path
        ):
            dense = np.load(path / "dense.npy")
            if dense.shape[0] != len(records):
                dense = None
        with index._lock:
            if same_tokens:
                with open(path / "vocab.json", encoding="utf-8") as fh:
                    vocab = json.load(fh)
                index._words = _Vocab(vocab["word"])
                index._bigrams = _Vocab(vocab["bigram"])
                with np.load(path / "postings.npz") as z:
                    arrays = {k: z[k] for k in z.files}
                for prefix, inv, voc in (
                    ("word", index._word, index._words),
                    ("bigram", index._bigram, index._bigrams),
                ):
                    inv.segments = cls._segments_from(prefix, arrays)
                    inv.dl = arrays[f"{prefix}_dl"].astype(np.int64)
                    inv.df = np.zeros(len(voc), dtype=np.int64)
                    for seg in inv.segments:
                        if seg.terms.size:
                            inv.df[seg.terms] += np.diff(seg.offsets)
                    inv.n_live = len(records)
                    inv.sum_dl = int(inv.dl.sum())
                rows = [
                    _Doc(
                        rec["id"],
                        rec["fields"],
                        " ".join(p for p in (normalize_text(v) for v in rec["fields"].values()) if p),
                        row=i,
                    )
                    for i, rec in enumerate(records)
                ]
                index._rows = rows
                index._docs = {d.doc_id: d for d in rows}
                index._alive = np.ones(len(rows), dtype=bool)
                if dense is not None or index.dense_encoder is not None:
                    index._dense = (
                        dense
                        if dense is not None
                        else (
                            np.asarray(index.dense_encoder.encode([d.norm for d in rows]), dtype=np.float32)  # type: ignore[union-attr]
                            if rows
                            else None
                        )
                    )
                key = index._field_key()
                if key and manifest.get("field_key") == key and (path / "field.npy").exists():
                    field = np.load(path / "field.npy")
                    if field.shape[0] == len(rows):
                        index._field, index._field_built = field, key
                index._publish()
            else:
                log.info(
                    "matching index %s: segmentation changed, re-segmenting %d documents", path, len(records)
                )
                with index.batch():
                    for rec in records:
                        index._put(index._prepare(rec["id"], rec["fields"]), must_exist=None)
        return index
