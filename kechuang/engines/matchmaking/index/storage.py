"""Documents of a :class:`.MatchIndex`: prepare (normalise, segment, count), add, replace, remove, list. Part of :class:`.MatchIndex`."""


from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from ..normalize import normalize_text
from ..postings import InvertedIndex
from ..segment import char_bigrams
from . import base as _base
from .base import (
    DocId,
    DocInput,
    _check_id,
    _Doc,
    _field_text,
)
from .state import IndexState

if TYPE_CHECKING:
    pass


class IndexStorage(IndexState):
    """Documents of a  (a part of :class:`.MatchIndex`; state lives there)."""

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
            if len(self._pending) >= _base._SEGMENT_DOCS:
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
