"""Field agreement (discipline classification of documents and queries) and the search itself. Part of :class:`.MatchIndex`."""


from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..fusion import SCORERS, FusionConfig, fuse
from ..normalize import normalize_text
from ..segment import char_bigrams, prune_contained
from . import base as _base
from .base import (
    DocId,
    FieldValue,
    SearchResult,
    _Doc,
    _field_text,
    _softmax,
)
from .state import IndexState

if TYPE_CHECKING:
    from ..classifier import TokenModel


class IndexSearch(IndexState):
    """Field agreement (discipline classification of documents and queries) and the search itself. (a part of :class:`.MatchIndex`; state lives there)."""

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
                self._classify_texts([d.norm for d in self._rows[s : s + _base._SEGMENT_DOCS]])
                for s in range(0, len(self._rows), _base._SEGMENT_DOCS)
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
