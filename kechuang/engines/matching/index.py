"""The matching index: documents by id, BM25 over words and bigrams, optional dense vectors.

:class:`MatchIndex` holds documents (an achievement, a demand, an expert profile …) keyed by a
string or integer id. Each document is one text or a mapping of named fields (``title``,
``keywords``, ``abstract`` …); fields are concatenated, a field's boost repeating it.

Concurrency model (copy-on-write): every search reads one immutable :class:`_Snapshot`
(the BM25 indexes, the row → id table, the alive mask). Writers hold a lock, build a new
snapshot and publish it with one reference assignment, so a search running during an update
sees either the old or the new state, never a mix. ``bm25s`` indexes are static, so each
change rebuilds them (about a second for 4,000 abstracts; see ``evaluate.py``); inside
:meth:`MatchIndex.batch` the rebuild happens once at the end.

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
import sys
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
from .segment import Segmenter, char_bigrams, prune_contained

if TYPE_CHECKING:
    from .classifier import FieldClassifier
    from .dense import DenseEncoder

__all__ = ["DocId", "IndexConfig", "MatchIndex", "SearchResult", "PART_LABELS"]

log = logging.getLogger(__name__)

DocId = Union[str, int]  # noqa: UP007 - used at run time in isinstance checks
FieldValue = Union[str, Sequence[str], None]  # noqa: UP007
DocInput = Union[str, Mapping[str, FieldValue]]  # noqa: UP007

FORMAT_NAME = "kechuang-matching-index"
FORMAT_VERSION = 1

#: Chinese labels of the score parts, for explanations shown to users.
PART_LABELS: dict[str, str] = {
    "bm25_word": "词语匹配",
    "bm25_bigram": "字串匹配",
    "dense": "语义相似",
}


def _default_boosts() -> dict[str, int]:
    return {"title": 2, "name": 2, "keywords": 2}


@dataclass(frozen=True)
class IndexConfig:
    """Settings of a :class:`MatchIndex` (saved in its manifest).

    Attributes:
        k1, b: BM25 parameters (same for both BM25 indexes).
        bm25_method: ``bm25s`` scoring variant (``"lucene"``, ``"robertson"``, ``"atire"`` …).
        field_boosts: field name → repetitions of that field in the indexed text (fields not
            listed count once; 0 leaves a field out of the index but keeps it stored).
        fusion: how the scorers are combined (:class:`~.fusion.FusionConfig`).
        dense_model_path: directory of a sentence-transformers model, or ``None`` (default)
            for no dense scorer.
        char_unigrams: also index every CJK character in the bigram index, so one-character
            queries (锂, 钾, 硒) match inside longer words; costs about 2× bigram-index size and
            rebuild time. Default true.
        dense_pretokenize: feed the model the segmenter's words joined by spaces (for
            word-level models such as ``WordEmbeddings``) instead of the normalised text.
    """

    k1: float = 1.2
    b: float = 0.75
    bm25_method: str = "lucene"
    field_boosts: Mapping[str, int] = field(default_factory=_default_boosts)
    fusion: FusionConfig = DEFAULT_FUSION
    dense_model_path: str | None = None
    dense_pretokenize: bool = False
    char_unigrams: bool = True

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
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndexConfig:
        """Inverse of :meth:`to_dict`."""
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
        )


@dataclass(frozen=True)
class SearchResult:
    """One ranked match with its explanation.

    Attributes:
        doc_id: the document id as given to the index.
        rank: 1-based rank in this result list.
        score: fused score (see :mod:`.fusion`; ``weighted``: ``[0, Σ weights]``).
        parts: raw score of each scorer: ``bm25_word``, ``bm25_bigram`` (BM25 units, ≥ 0) and
            ``dense`` (cosine in ``[-1, 1]``) when a dense model is configured.
        contributions: each scorer's share of ``score`` (they add up to ``score``).
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


@dataclass
class _Doc:
    doc_id: DocId
    fields: dict[str, str]
    norm: str  # normalised text of all fields (no boosts), for highlighting checks
    words: list[str]
    bigrams: list[str]
    wordset: frozenset[str]
    vector: np.ndarray | None = None


@dataclass(frozen=True)
class _Snapshot:
    docs: tuple[_Doc, ...]
    row: Mapping[DocId, int]
    alive: np.ndarray  # bool (n,)
    word: Any  # bm25s.BM25 | None
    bigram: Any
    dense: np.ndarray | None  # float32 (n, dim)
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
        return _Snapshot(self.docs, self.row, alive, self.word, self.bigram, self.dense, version)


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


def _bm25(tokens: list[list[str]], config: IndexConfig) -> Any:
    import bm25s

    model = bm25s.BM25(k1=config.k1, b=config.b, method=config.bm25_method)
    model.index(tokens, show_progress=False)
    return model


def _bm25_scores(model: Any, tokens: Sequence[str], n: int) -> np.ndarray:
    if model is None or n == 0:
        return np.zeros(n, dtype=np.float32)
    ids = model.get_tokens_ids(list(dict.fromkeys(tokens)))
    if not ids:
        return np.zeros(n, dtype=np.float32)
    return model.get_scores_from_ids(ids)


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
            with the index.

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
        self._batch_depth = 0
        self._dirty = False
        self._version = 0
        self._snapshot = _Snapshot((), {}, np.zeros(0, dtype=bool), None, None, None, 0)
        #: Seconds taken by the last rebuild of the BM25 (and dense) indexes.
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
            # interned: one string object per distinct token, not one per occurrence (memory)
            w = [sys.intern(t) for t in self.segmenter.words_normalized(norm)]
            g = [sys.intern(t) for t in char_bigrams(norm, unigrams=self.config.char_unigrams)]
            words.extend(w * reps)
            bigrams.extend(g * reps)
        return _Doc(doc_id, fields, " ".join(norm_parts), words, bigrams, frozenset(words))

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
        with self.batch():
            for doc_id, text in docs:
                self.upsert(doc_id, text)
                count += 1
                if progress is not None:
                    progress(count)
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
        """Rebuild the BM25 (and dense) indexes from the stored documents and publish them.

        Output: seconds taken (also in :attr:`last_build_seconds`). Runs under the write lock;
        searches keep using the previous snapshot meanwhile.
        """
        with self._lock:
            t0 = time.perf_counter()
            docs = tuple(self._docs.values())
            row = {d.doc_id: i for i, d in enumerate(docs)}
            # bm25s builds millions of small objects; the cyclic GC would rescan them many times
            # (measured: 20k documents rebuild in 4.9 s instead of 7.7 s with it paused).
            gc_was_enabled = gc.isenabled()
            gc.disable()
            try:
                word = _bm25([d.words for d in docs], self.config) if docs else None
                bigram = _bm25([d.bigrams for d in docs], self.config) if docs else None
            finally:
                if gc_was_enabled:
                    gc.enable()
            dense = self._dense_matrix(docs)
            self._version += 1
            self._snapshot = _Snapshot(
                docs, row, np.ones(len(docs), dtype=bool), word, bigram, dense, self._version
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
        Output: up to ``top_k`` :class:`SearchResult`, best first; documents whose fused score
            is 0 (nothing matched) are left out. Ties are broken by insertion order.
        Latency: O(n_docs) numpy work per scorer plus O(top_k) explanation work.
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
            raw["bm25_word"] = _bm25_scores(snap.word, qwords, n)
        if "bm25_bigram" in use:
            raw["bm25_bigram"] = _bm25_scores(snap.bigram, char_bigrams(qnorm), n)
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
        depth = min(cand.size, top_k + 8)  # a little slack for ids removed meanwhile
        if cand.size > depth:
            cand = cand[np.argpartition(-fused[cand], depth - 1)[:depth]]
        cand = cand[np.lexsort((cand, -fused[cand]))]

        latest = self._snapshot  # removal published after our snapshot was taken
        qterms = list(dict.fromkeys(qwords))
        results: list[SearchResult] = []
        for r in cand:
            doc = snap.docs[int(r)]
            if latest is not snap:
                lr = latest.row.get(doc.doc_id)
                if lr is None and doc.doc_id not in self._docs:
                    continue
                if lr is not None and not latest.alive[lr]:
                    continue
            matched = prune_contained([t for t in qterms if t in doc.wordset or t in doc.norm])
            results.append(
                SearchResult(
                    doc_id=doc.doc_id,
                    rank=len(results) + 1,
                    score=float(fused[r]),
                    parts={k: float(v[r]) for k, v in raw.items()},
                    contributions={k: float(v[r]) for k, v in contrib.items()},
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

    # -- persistence ----------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index to directory ``path`` (replaced atomically if it exists).

        Layout: ``manifest.json`` (format, config, segmenter fingerprint), ``docs.jsonl`` (id,
        fields, tokens), ``word/`` and ``bigram/`` (bm25s indexes), ``dense.npy`` when dense
        vectors exist, ``classifier.joblib`` when a classifier is attached. Pending batched
        changes are rebuilt first. Errors: ``OSError`` from the file system.
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
                        rec = {"id": d.doc_id, "fields": d.fields, "words": d.words, "bigrams": d.bigrams}
                        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                if snap.word is not None:
                    snap.word.save(str(tmp / "word"), show_progress=False)
                    snap.bigram.save(str(tmp / "bigram"), show_progress=False)
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
        from the saved one (the domain dictionary was extended), or the config's BM25 settings
        differ, documents are re-segmented and the indexes rebuilt; otherwise the saved bm25s
        indexes are used as they are, so results are identical to the saved index's.
        Errors: ``FileNotFoundError`` when ``path`` holds no manifest; ``ValueError`` on an
        unknown format.
        """
        import bm25s

        path = Path(path)
        with open(path / "manifest.json", encoding="utf-8") as fh:
            manifest = json.load(fh)
        if manifest.get("format") != FORMAT_NAME or int(manifest.get("version", 0)) > FORMAT_VERSION:
            raise ValueError(f"{path}: not a matching index of a known format")
        saved_config = IndexConfig.from_dict(manifest["config"])
        config = config or saved_config
        classifier = None
        if manifest.get("classifier") and (path / "classifier.joblib").exists():
            from .classifier import FieldClassifier

            classifier = FieldClassifier.load(path / "classifier.joblib")
        index = cls(config, segmenter=segmenter, dense_encoder=dense_encoder, classifier=classifier)
        same_tokens = index.segmenter.fingerprint == manifest["segmenter"]["fingerprint"] and dict(
            config.field_boosts
        ) == dict(saved_config.field_boosts)
        same_bm25 = same_tokens and (config.k1, config.b, config.bm25_method) == (
            saved_config.k1,
            saved_config.b,
            saved_config.bm25_method,
        )
        docs: list[_Doc] = []
        with open(path / "docs.jsonl", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if same_tokens:
                    norm = " ".join(p for p in (normalize_text(v) for v in rec["fields"].values()) if p)
                    words = [sys.intern(t) for t in rec["words"]]
                    bigrams = [sys.intern(t) for t in rec["bigrams"]]
                    docs.append(_Doc(rec["id"], rec["fields"], norm, words, bigrams, frozenset(words)))
                else:
                    docs.append(index._prepare(rec["id"], rec["fields"]))
        if not same_tokens:
            log.info("matching index %s: segmentation changed, re-segmenting %d documents", path, len(docs))
        dense = None
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
            if same_bm25 and docs and (path / "word").is_dir():
                word = bm25s.BM25.load(str(path / "word"), show_progress=False)
                bigram = bm25s.BM25.load(str(path / "bigram"), show_progress=False)
                if word.scores["num_docs"] == len(docs) and bigram.scores["num_docs"] == len(docs):
                    index._version += 1
                    index._snapshot = _Snapshot(
                        tuple(docs),
                        {d.doc_id: i for i, d in enumerate(docs)},
                        np.ones(len(docs), dtype=bool),
                        word,
                        bigram,
                        index._dense_matrix(docs),
                        index._version,
                    )
                    return index
            index.rebuild()
        return index
