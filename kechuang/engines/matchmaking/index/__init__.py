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

import threading
from typing import TYPE_CHECKING

from ..segment import Segmenter
from .base import (
    _EMPTY_SNAPSHOT,
    BM25_METHODS,
    PART_LABELS,
    RELATED_FIELD_WEIGHT,
    DocId,
    IndexConfig,
    SearchResult,
    _Vocab,
)
from .persistence import IndexPersistence
from .search import IndexSearch
from .segments import IndexSegments
from .storage import IndexStorage

if TYPE_CHECKING:
    from ..classifier import FieldClassifier
    from ..dense import DenseEncoder

__all__ = [
    "BM25_METHODS",
    "DocId",
    "IndexConfig",
    "MatchIndex",
    "PART_LABELS",
    "RELATED_FIELD_WEIGHT",
    "SearchResult",
]


class MatchIndex(IndexStorage, IndexSegments, IndexSearch, IndexPersistence):
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
            from ..dense import DenseEncoder

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
