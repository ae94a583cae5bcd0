"""Segmented inverted index for one token stream (words or bigrams): append, delete, score.

Layout. Documents have *rows* (0, 1, 2 … in the order they were added; an updated document
gets a new row, its old row becomes dead). Rows are stored in *segments*, each covering a
contiguous range of rows: for every distinct term of the segment (``terms``, sorted ``int32``)
its postings ``offsets[i]:offsets[i+1]`` hold the rows (``int32``, ascending) and raw term
frequencies (``uint16``) — 6 bytes a posting, nothing stored twice. New documents become a new
segment (bulk loads: one segment per 4,096 documents), so adding costs time and memory in
proportion to what is added, never a rewrite of the whole index.

Statistics are exact for the live documents: document frequency per term, length per row,
number of live documents and their total length are updated when rows are added or killed
(a killed row's terms are read back from its segment's postings). BM25 weights are computed
at query time from ``tf``, ``idf`` and the row's length norm, so a deletion changes the scores
of every other document exactly as a fresh build would — the dead row's postings stay in its
segment, masked out, until a merge or compaction drops them.

Scoring: for each segment, the query's term ids are located with ``searchsorted``; their
postings are gathered and summed per row with ``np.bincount``: O(postings of the query terms
+ segments × query terms), one thread. Variants ``lucene``, ``robertson`` and ``atire`` use
the same formulas as ``bm25s``.

Nothing here locks: :class:`~.index.MatchIndex` owns an :class:`InvertedIndex` per stream,
changes it under its write lock and publishes immutable :class:`Scorer` objects to readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["InvertedIndex", "Scorer", "Segment", "build_segment", "merge_segments"]

_EMPTY_I32 = np.zeros(0, dtype=np.int32)
_EMPTY_U16 = np.zeros(0, dtype=np.uint16)


@dataclass(frozen=True)
class Segment:
    """Postings of the rows ``[row0, row1)`` (dead rows may still have postings here)."""

    row0: int
    row1: int
    terms: np.ndarray  # int32 (T,) sorted distinct term ids
    offsets: np.ndarray  # int64 (T + 1,)
    rows: np.ndarray  # int32 (nnz,) global rows, ascending within a term
    tf: np.ndarray  # uint16 (nnz,)

    @property
    def nnz(self) -> int:
        return int(self.rows.size)

    @property
    def nbytes(self) -> int:
        return self.terms.nbytes + self.offsets.nbytes + self.rows.nbytes + self.tf.nbytes

    def posting_terms(self) -> np.ndarray:
        """Term id of every posting (``int32``, ``nnz``)."""
        return np.repeat(self.terms, np.diff(self.offsets))


def _segment_from_sorted(
    row0: int, row1: int, terms_per_posting: np.ndarray, rows: np.ndarray, tf: np.ndarray
) -> Segment:
    """Segment from postings already sorted by term (rows ascending within a term)."""
    if terms_per_posting.size == 0:
        return Segment(row0, row1, _EMPTY_I32, np.zeros(1, dtype=np.int64), _EMPTY_I32, _EMPTY_U16)
    new_run = np.empty(terms_per_posting.size, dtype=bool)
    new_run[0] = True
    np.not_equal(terms_per_posting[1:], terms_per_posting[:-1], out=new_run[1:])
    starts = np.flatnonzero(new_run)
    offsets = np.append(starts, terms_per_posting.size).astype(np.int64)
    return Segment(
        row0,
        row1,
        np.ascontiguousarray(terms_per_posting[starts], dtype=np.int32),
        offsets,
        np.ascontiguousarray(rows, dtype=np.int32),
        np.ascontiguousarray(tf, dtype=np.uint16),
    )


def build_segment(row0: int, ids: Sequence[np.ndarray], tfs: Sequence[np.ndarray]) -> Segment:
    """Segment for rows ``row0 … row0 + len(ids) - 1`` from per-row distinct term ids and counts."""
    n = len(ids)
    if n == 0:
        return _segment_from_sorted(row0, row0, _EMPTY_I32, _EMPTY_I32, _EMPTY_U16)
    sizes = np.fromiter((a.size for a in ids), dtype=np.int64, count=n)
    terms = np.concatenate(ids) if sizes.sum() else _EMPTY_I32
    rows = np.repeat(np.arange(row0, row0 + n, dtype=np.int32), sizes)
    tf = np.concatenate(tfs) if sizes.sum() else _EMPTY_U16
    order = np.argsort(terms, kind="stable")  # rows stay ascending within a term
    return _segment_from_sorted(row0, row0 + n, terms[order], rows[order], tf[order])


def merge_segments(segments: Sequence[Segment], alive: np.ndarray) -> Segment:
    """One segment from adjacent segments (ascending rows), dropping the postings of dead rows."""
    terms = np.concatenate([s.posting_terms() for s in segments])
    rows = np.concatenate([s.rows for s in segments])
    tf = np.concatenate([s.tf for s in segments])
    keep = alive[rows]
    terms, rows, tf = terms[keep], rows[keep], tf[keep]
    order = np.argsort(terms, kind="stable")
    return _segment_from_sorted(segments[0].row0, segments[-1].row1, terms[order], rows[order], tf[order])


def compact_segment(seg: Segment, alive: np.ndarray, new_row: np.ndarray) -> Segment:
    """The segment with dead rows' postings dropped and rows renumbered by ``new_row``."""
    keep = alive[seg.rows]
    terms = seg.posting_terms()[keep]
    row0 = int(np.count_nonzero(alive[: seg.row0]))
    row1 = row0 + int(np.count_nonzero(alive[seg.row0 : seg.row1]))
    return _segment_from_sorted(row0, row1, terms, new_row[seg.rows[keep]], seg.tf[keep])


def _idf(df: np.ndarray, n: int, method: str) -> np.ndarray:
    d = df.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "lucene":
            idf = np.log1p((n - d + 0.5) / (d + 0.5))
        elif method == "robertson":
            idf = np.log(np.maximum((n - d + 0.5) / (d + 0.5), 1.0))
        else:  # atire
            idf = np.log(n / d)
    idf[df <= 0] = 0.0
    return idf.astype(np.float32)


@dataclass(frozen=True)
class Scorer:
    """Immutable, published BM25 scorer over the rows ``[0, n_rows)``."""

    segments: tuple[Segment, ...]
    idf: np.ndarray  # float32 (n_terms,)
    knorm: np.ndarray  # float32 (n_rows,)  k1 · (1 − b + b · dl / avgdl)
    n_rows: int
    tf_scale: float  # k1 + 1 for atire, else 1

    def scores(self, term_ids: np.ndarray) -> np.ndarray:
        """BM25 score ``float64 (n_rows,)`` of a query given as distinct term ids (unknown ids ignored)."""
        n = self.n_rows
        q = term_ids[term_ids < self.idf.size] if term_ids.size else term_ids
        if n == 0 or q.size == 0:
            return np.zeros(n, dtype=np.float64)
        qidf = self.idf[q]
        live = qidf > 0
        q, qidf = q[live], qidf[live]
        if q.size == 0:
            return np.zeros(n, dtype=np.float64)
        rows: list[np.ndarray] = []
        tfs: list[np.ndarray] = []
        weights: list[float] = []
        lengths: list[int] = []
        for seg in self.segments:
            t = seg.terms
            if t.size == 0:
                continue
            pos = np.searchsorted(t, q)
            np.minimum(pos, t.size - 1, out=pos)
            hit = np.flatnonzero(t[pos] == q)
            if hit.size == 0:
                continue
            off = seg.offsets
            for h, p in zip(hit.tolist(), pos[hit].tolist(), strict=True):
                a, b = int(off[p]), int(off[p + 1])
                rows.append(seg.rows[a:b])
                tfs.append(seg.tf[a:b])
                weights.append(float(qidf[h]))
                lengths.append(b - a)
        if not rows:
            return np.zeros(n, dtype=np.float64)
        r = np.concatenate(rows) if len(rows) > 1 else rows[0]
        tf = (np.concatenate(tfs) if len(tfs) > 1 else tfs[0]).astype(np.float32)
        idf = np.repeat(np.asarray(weights, dtype=np.float32), lengths)
        w = idf * (tf * self.tf_scale) / (tf + self.knorm[r])
        return np.bincount(r, weights=w, minlength=n)


class InvertedIndex:
    """Writer-side state of one token stream: segments plus exact live statistics.

    Not thread-safe by itself (the owner serialises writers); :meth:`freeze` gives readers an
    immutable :class:`Scorer`.
    """

    def __init__(self, k1: float, b: float, method: str) -> None:
        self.k1, self.b, self.method = k1, b, method
        self.segments: list[Segment] = []
        self.df = np.zeros(0, dtype=np.int64)  # live document frequency per term
        self.dl = np.zeros(0, dtype=np.int64)  # length (Σ tf) per row, 0 for dead rows
        self.n_live = 0
        self.sum_dl = 0

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in self.segments)

    def _grow_terms(self, n_terms: int) -> None:
        if n_terms > self.df.size:
            self.df = np.concatenate([self.df, np.zeros(n_terms - self.df.size, dtype=np.int64)])

    def append(
        self,
        row0: int,
        ids: Sequence[np.ndarray],
        tfs: Sequence[np.ndarray],
        lengths: np.ndarray,
        n_terms: int,
    ) -> None:
        """Add rows ``row0 …`` (must follow the last row) as one new segment."""
        if row0 != self.dl.size:
            raise ValueError(f"rows must be appended in order (next row {self.dl.size}, got {row0})")
        seg = build_segment(row0, ids, tfs)
        self._grow_terms(n_terms)
        if seg.terms.size:
            self.df[seg.terms] += np.diff(seg.offsets)
        self.segments.append(seg)
        self.dl = np.concatenate([self.dl, lengths.astype(np.int64)])
        self.n_live += len(ids)
        self.sum_dl += int(lengths.sum())

    def kill(self, dead: np.ndarray) -> None:
        """Remove the rows flagged in ``dead`` (bool over rows; each row killed once) from the statistics."""
        idx = np.flatnonzero(dead)
        if idx.size == 0:
            return
        lo, hi = int(idx[0]), int(idx[-1]) + 1
        for seg in self.segments:
            if seg.row1 <= lo or seg.row0 >= hi or seg.nnz == 0:
                continue
            m = dead[seg.rows]
            if m.any():
                t = seg.posting_terms()[m]
                if t.size < 256:
                    np.subtract.at(self.df, t, 1)
                else:
                    self.df -= np.bincount(t, minlength=self.df.size)[: self.df.size]
        self.n_live -= int(idx.size)
        self.sum_dl -= int(self.dl[idx].sum())
        self.dl[idx] = 0

    def merge(self, i: int, j: int, alive: np.ndarray) -> None:
        """Replace segments ``i … j-1`` (adjacent) with one, dropping dead rows' postings."""
        merged = merge_segments(self.segments[i:j], alive)
        self.segments[i:j] = [merged]

    def compact(self, alive: np.ndarray, new_row: np.ndarray) -> None:
        """Drop dead rows everywhere and renumber the live ones (``new_row``)."""
        segs = [compact_segment(s, alive, new_row) for s in self.segments]
        self.segments = [s for s in segs if s.row1 > s.row0]
        self.dl = self.dl[alive]

    def freeze(self, n_terms: int) -> Scorer:
        """Immutable scorer with idf and length norms from the current live statistics."""
        self._grow_terms(n_terms)
        n = self.n_live
        idf = _idf(self.df, n, self.method) if n else np.zeros(self.df.size, dtype=np.float32)
        avgdl = (self.sum_dl / n) if n and self.sum_dl else 1.0
        knorm = (self.k1 * ((1.0 - self.b) + self.b * self.dl.astype(np.float64) / avgdl)).astype(np.float32)
        return Scorer(
            segments=tuple(self.segments),
            idf=idf,
            knorm=knorm,
            n_rows=int(self.dl.size),
            tf_scale=(self.k1 + 1.0) if self.method == "atire" else 1.0,
        )
