"""Optional dense-embedding scorer: a sentence-transformers model loaded from a local directory.

Absent by default. ``sentence_transformers`` (and so torch) is imported only when an encoder is
created with a model path, never at module import, so the engine runs without either package.
Models are never downloaded: the path must be a directory saved with
``SentenceTransformer.save(path)``; loading sets ``HF_HUB_OFFLINE=1`` for the process if unset.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["DenseEncoder", "DenseUnavailable"]


class DenseUnavailable(RuntimeError):
    """Raised when a dense model is configured but cannot be used (package or files missing)."""


class DenseEncoder:
    """Encode texts into L2-normalised vectors with a local sentence-transformers model.

    Parameters:
        model_path: directory of a saved sentence-transformers model.
        pretokenize: when given, a function ``text -> list[str]``; texts are encoded as the
            tokens joined by spaces (for word-level models such as a ``WordEmbeddings`` model
            with a whitespace tokenizer). Default ``None``: texts are encoded as they are.
        batch_size: encoding batch size.
        device: torch device string (default ``"cpu"``).

    Errors: :class:`DenseUnavailable` when ``sentence_transformers`` is not installed or the
    directory does not exist / does not hold a model.
    Thread-safety: :meth:`encode` is serialised by a lock.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        pretokenize: Callable[[str], list[str]] | None = None,
        batch_size: int = 64,
        device: str = "cpu",
    ) -> None:
        self.model_path = Path(model_path)
        if not self.model_path.is_dir():
            raise DenseUnavailable(f"稠密向量模型目录不存在：{self.model_path}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise DenseUnavailable("未安装 sentence-transformers，无法使用稠密向量匹配") from exc
        try:
            self._model = SentenceTransformer(str(self.model_path), device=device)
        except Exception as exc:  # noqa: BLE001 - any load failure means "unusable"
            raise DenseUnavailable(f"无法加载稠密向量模型：{self.model_path}: {exc}") from exc
        self.pretokenize = pretokenize
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self.dimension = int(self.encode(["测试"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts.

        Input: a sequence of ``n`` strings (already normalised by the caller).
        Output: float32 array ``(n, dim)``, each row of unit L2 norm (a zero row stays zero).
        """
        if len(texts) == 0:
            return np.zeros((0, getattr(self, "dimension", 0)), dtype=np.float32)
        prepared = [" ".join(self.pretokenize(t)) for t in texts] if self.pretokenize else list(texts)
        with self._lock:
            vecs = self._model.encode(
                prepared,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        vecs = np.asarray(vecs, dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        np.divide(vecs, norms, out=vecs, where=norms > 0)
        return vecs
