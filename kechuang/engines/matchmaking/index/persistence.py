"""Saving and loading a :class:`.MatchIndex` (versioned folder format). Part of :class:`.MatchIndex`."""


from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from ..normalize import normalize_text
from ..postings import Segment
from ..segment import Segmenter
from .base import (
    FORMAT_NAME,
    FORMAT_VERSION,
    IndexConfig,
    _Doc,
    _Vocab,
)
from .state import IndexState

if TYPE_CHECKING:
    from ..dense import DenseEncoder

log = logging.getLogger(__name__)


class IndexPersistence(IndexState):
    """Saving and loading a  (a part of :class:`.MatchIndex`; state lives there)."""

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
                arrays: dict[str, Any] = {
                    **self._segment_arrays("word", self._word.segments),
                    **self._segment_arrays("bigram", self._bigram.segments),
                    "word_dl": self._word.dl,
                    "bigram_dl": self._bigram.dl,
                }
                with open(tmp / "postings.npz", "wb") as fh:
                    np.savez(fh, **arrays)
                if self._dense is not None and self.dense_encoder is not None:  # manifest["dense"]
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
    ) -> Self:
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
            from ..classifier import FieldClassifier

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
