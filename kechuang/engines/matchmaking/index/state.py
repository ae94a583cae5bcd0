"""The state of a :class:`.MatchIndex` as its parts see it: one declaration of the attributes that
``MatchIndex.__init__`` and ``IndexStorage._reset_storage`` set, and of the methods one part calls
on another, so that each part (storage, segments, search, persistence) is type-checked on its own.

Nothing here runs: the attributes are annotations only and the methods exist for the type checker.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Self

import numpy as np

from ..postings import InvertedIndex
from ..segment import Segmenter
from .base import DocId, DocInput, IndexConfig, _Doc, _Snapshot, _Vocab

if TYPE_CHECKING:
    from ..classifier import FieldClassifier
    from ..dense import DenseEncoder


class IndexState:
    """Attributes and cross-part methods shared by the parts of :class:`.MatchIndex`."""

    # set by MatchIndex.__init__
    config: IndexConfig
    segmenter: Segmenter
    dense_encoder: DenseEncoder | None
    classifier: FieldClassifier | None
    last_build_seconds: float
    _lock: threading.RLock
    _words: _Vocab
    _bigrams: _Vocab
    _batch_depth: int
    _dirty: bool
    _version: int
    _snapshot: _Snapshot
    # set by IndexStorage._reset_storage
    _docs: dict[DocId, _Doc]
    _pending: dict[DocId, _Doc]
    _rows: list[_Doc]
    _alive: np.ndarray
    _dead: list[int]
    _word: InvertedIndex
    _bigram: InvertedIndex
    _field: np.ndarray | None
    _field_built: str
    _dense: np.ndarray | None
    _colmap: np.ndarray
    _colmap_key: str

    if TYPE_CHECKING:
        def __init__(
            self,
            config: IndexConfig | None = None,
            *,
            segmenter: Segmenter | None = None,
            dense_encoder: DenseEncoder | None = None,
            classifier: FieldClassifier | None = None,
        ) -> None: ...

        # storage
        def _reset_storage(self) -> None: ...
        def _prepare(self, doc_id: DocId, text: DocInput) -> _Doc: ...
        def _kill(self, doc: _Doc) -> None: ...
        def _put(self, doc: _Doc, *, must_exist: bool | None) -> None: ...

        # segments
        def batch(self) -> AbstractContextManager[Self]: ...
        def _changed(self) -> None: ...
        def _flush_pending(self) -> None: ...
        def _publish(self, *, compact: bool = False) -> float: ...

        # search
        def _field_key(self) -> str: ...
        def _classifier_classes(self) -> list[str]: ...
        def _classify_tokens(self, part: Sequence[_Doc], key: str) -> np.ndarray: ...
        def _refresh_fields(self) -> None: ...
