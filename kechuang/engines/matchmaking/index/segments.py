"""Publishing changes: pending documents become segments, dead rows are merged away and compacted, a new
snapshot is published (copy-on-write). Part of :class:`.MatchIndex`."""


from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Self

import numpy as np

from . import base as _base
from .base import (
    _Snapshot,
)
from .state import IndexState


class IndexSegments(IndexState):
    """Publishing changes (a part of :class:`.MatchIndex`; state lives there)."""

    # -- publishing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[Self]:
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
        for s in range(0, len(docs), _base._SEGMENT_DOCS):
            part = docs[s : s + _base._SEGMENT_DOCS]
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
        while len(segs) > _base._MAX_SEGMENTS:
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
            if n_dead and (compact or n_dead >= max(_base._COMPACT_MIN_DEAD, _base._COMPACT_DEAD_FRACTION * n_rows)):
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
