"""Field classifier: assigns a discipline (学科, 67 CSL labels) and a category (门类, 13) to a text.

Model: TF-IDF over the index's character tokens of the normalised text — CJK bigrams and
single CJK characters, Latin/digit runs as one token (:func:`~.segment.char_bigrams` with
``unigrams=True``; sublinear tf, ``min_df=2``) — and a linear SVM (``LinearSVC``, one-vs-rest).
On the shared CSL data this reached about 0.68 discipline accuracy on held-out records
(title + keywords + abstract; see ``evaluate.py``), the same as plain character 1–2-grams
(``analyzer="char"``, the earlier model, still supported and loadable).

After training, a ``"bigram"`` model is kept as plain arrays (:class:`TokenModel`: vocabulary,
idf, weights): predicting needs neither scikit-learn (only training imports it — about 100 MB
less resident memory in a serving process) nor the text, because the features are the bigram
index's own tokens: :class:`~.index.MatchIndex` classifies its documents from the token
counts it already has (:meth:`TokenModel.decision_from_counts`).

Category: every CSL discipline belongs to exactly one category, so the category is the one of
the predicted discipline (measured better than a separate category model: 0.84 vs 0.82).
A direct category model is trained only for category labels whose texts carry no discipline
(e.g. title → category pairs) *and* used only when the predicted discipline has no known
category.

Scores: ``discipline_score`` / ``category_score`` are a softmax of the SVM decision values —
a ranking aid for staff ("suggested", to be confirmed), not a calibrated probability.

Files: a ``"bigram"`` classifier is saved as a numpy ``.npz`` of plain arrays and JSON (no
pickle: loading runs no code); a ``"char"`` one with joblib (scikit-learn objects — only load
such files if you wrote them). :meth:`FieldClassifier.load` recognises both.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .normalize import normalize_text
from .segment import char_bigrams

__all__ = ["ANALYZERS", "FieldClassifier", "FieldPrediction", "TokenModel", "index_tokens"]

_FORMAT = "kechuang-field-classifier/1"
_NPZ_FORMAT = "kechuang-field-classifier-arrays/1"

ANALYZERS = ("bigram", "char")


@dataclass(frozen=True)
class FieldPrediction:
    """Predicted fields of one text.

    Attributes:
        discipline: best discipline label (e.g. ``"材料科学与工程"``).
        discipline_score: softmax of the SVM decision values, in ``(0, 1]``.
        category: category label (e.g. ``"工学"``), or ``""`` when unknown.
        category_score: score of the category (the discipline's score when derived from it).
        top_disciplines: up to 3 ``(label, score)`` pairs, best first.
    """

    discipline: str
    discipline_score: float
    category: str
    category_score: float
    top_disciplines: tuple[tuple[str, float], ...]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


FORMER_PACKAGE = "kechuang.engines.matching"
"""The engine's name before issue 12 (now ``matchmaking``, after its app): an earlier joblib classifier
names this module (its vectorizer's analyzer, :func:`index_tokens`) under it."""


def _answer_to_former_name() -> None:
    """Let a pickle written under :data:`FORMER_PACKAGE` find this package and module (installs keep
    their saved classifiers across the rename)."""
    import sys

    package = __name__.rsplit(".", 1)[0]
    sys.modules.setdefault(FORMER_PACKAGE, sys.modules[package])
    sys.modules.setdefault(f"{FORMER_PACKAGE}.classifier", sys.modules[__name__])


def index_tokens(normalized: str) -> list[str]:
    """Features of the ``"bigram"`` analyzer: the bigram index's tokens (with single characters)."""
    return char_bigrams(normalized, unigrams=True)


def _vectorizer(min_df: int, analyzer: str) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if analyzer == "bigram":
        return TfidfVectorizer(analyzer=index_tokens, sublinear_tf=True, min_df=min_df, dtype=np.float32)
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=min_df,
        dtype=np.float32,
    )


def _two_columns(z: np.ndarray, n: int) -> np.ndarray:
    """Decision values as ``(n, C)``; a binary SVM's single column ``d`` becomes ``(-d, d)``."""
    z = np.asarray(z, dtype=np.float32).reshape(n, -1)
    return np.hstack([-z, z]) if z.shape[1] == 1 else z


@dataclass(frozen=True)
class TokenModel:
    """A linear model over token features as plain arrays (analyzer ``"bigram"``).

    Attributes:
        vocabulary: token → feature column.
        idf: float32 ``(F,)`` inverse document frequencies of the TF-IDF step.
        coef_t: float32 ``(F, C)`` SVM weights (feature-major, for row-vector products).
        intercept: float32 ``(C,)``.
        classes: the ``C`` labels.
    """

    vocabulary: Mapping[str, int]
    idf: np.ndarray
    coef_t: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]

    @classmethod
    def from_sklearn(cls, vec: Any, model: Any) -> TokenModel:
        """Arrays of a fitted ``TfidfVectorizer`` + ``LinearSVC`` (binary models get columns ``(-d, d)``)."""
        coef = np.asarray(model.coef_, dtype=np.float32)
        intercept = np.asarray(model.intercept_, dtype=np.float32).reshape(-1)
        if coef.shape[0] == 1:
            coef = np.vstack([-coef, coef])
            intercept = np.concatenate([-intercept, intercept])
        return cls(
            vocabulary=dict(vec.vocabulary_),
            idf=np.asarray(vec.idf_, dtype=np.float32),
            coef_t=np.ascontiguousarray(coef.T),
            intercept=intercept,
            classes=tuple(str(c) for c in model.classes_),
        )

    def decision_from_counts(self, counts: Any) -> np.ndarray:
        """SVM decision values ``(n, C)`` for a scipy CSR matrix ``(n, F)`` of raw token counts.

        Same arithmetic as ``TfidfVectorizer.transform`` (sublinear tf, idf, l2 rows) followed
        by ``decision_function``; rows without any known token get the intercepts.
        """
        x = counts.astype(np.float32, copy=True)
        np.log(x.data, out=x.data)
        x.data += 1.0
        x.data *= self.idf[x.indices]
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        norms = np.sqrt(np.bincount(rows, weights=np.square(x.data), minlength=x.shape[0]))
        norms[norms == 0] = 1.0
        x.data /= norms[rows].astype(np.float32)
        out: np.ndarray = np.asarray(x @ self.coef_t, dtype=np.float32) + self.intercept
        return out

    def decision_from_tokens(self, tokens: Sequence[str]) -> np.ndarray:
        """SVM decision values ``(C,)`` for one text given as its token list."""
        voc = self.vocabulary
        counts = Counter(t for t in tokens if t in voc)
        if not counts:
            return self.intercept.copy()
        cols = np.fromiter((voc[t] for t in counts), dtype=np.int64, count=len(counts))
        w = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self.idf[cols]
        w /= np.sqrt(np.dot(w, w)) or 1.0
        out: np.ndarray = w @ self.coef_t[cols] + self.intercept
        return out

    def decision_from_texts(self, normalized: Sequence[str]) -> np.ndarray:
        """SVM decision values ``(n, C)`` for normalised texts."""
        import scipy.sparse as sp

        get = self.vocabulary.get
        indptr = [0]
        indices: list[int] = []
        data: list[int] = []
        for text in normalized:
            c = Counter(j for j in map(get, index_tokens(text)) if j is not None)
            indices.extend(c.keys())
            data.extend(c.values())
            indptr.append(len(indices))
        counts = sp.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(len(normalized), self.idf.size),
        )
        return self.decision_from_counts(counts)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Plain arrays for ``np.savez`` (tokens ordered by column, as UTF-8 JSON bytes)."""
        tokens = [""] * len(self.vocabulary)
        for t, j in self.vocabulary.items():
            tokens[j] = t
        return {
            f"{prefix}_tokens": np.frombuffer(
                json.dumps(tokens, ensure_ascii=False).encode(), dtype=np.uint8
            ),
            f"{prefix}_classes": np.frombuffer(
                json.dumps(list(self.classes), ensure_ascii=False).encode(), dtype=np.uint8
            ),
            f"{prefix}_idf": self.idf,
            f"{prefix}_coef_t": self.coef_t,
            f"{prefix}_intercept": self.intercept,
        }

    @classmethod
    def from_arrays(cls, z: Mapping[str, np.ndarray], prefix: str) -> TokenModel:
        """Inverse of :meth:`arrays`."""
        tokens = json.loads(bytes(z[f"{prefix}_tokens"]).decode())
        return cls(
            vocabulary={t: j for j, t in enumerate(tokens)},
            idf=np.asarray(z[f"{prefix}_idf"], dtype=np.float32),
            coef_t=np.ascontiguousarray(z[f"{prefix}_coef_t"], dtype=np.float32),
            intercept=np.asarray(z[f"{prefix}_intercept"], dtype=np.float32),
            classes=tuple(json.loads(bytes(z[f"{prefix}_classes"]).decode())),
        )


def _fit_model(texts: list[str], labels: list[str], c: float, min_df: int, analyzer: str) -> tuple[Any, Any]:
    from sklearn.svm import LinearSVC

    vec = _vectorizer(min_df, analyzer)
    x = vec.fit_transform(texts)
    if len(set(labels)) < 2:
        raise ValueError("a classifier needs at least two distinct labels")
    model = LinearSVC(C=c)
    model.fit(x, labels)
    return vec, model


class FieldClassifier:
    """Discipline and category classifier for any text (achievement, demand, expert profile).

    Parameters:
        c: LinearSVC regularisation ``C`` (default 0.5, tuned on the shared data).
        min_df: minimum document frequency of a token (default 2; use 1 on tiny training sets).
        analyzer: ``"bigram"`` (default: the bigram index's tokens, see the module docstring)
            or ``"char"`` (character 1–2-grams of the whole text, the earlier model).
    """

    def __init__(self, *, c: float = 0.5, min_df: int = 2, analyzer: str = "bigram") -> None:
        if analyzer not in ANALYZERS:
            raise ValueError(f"unknown analyzer {analyzer!r}; use one of {', '.join(ANALYZERS)}")
        self.c = c
        self.min_df = min_df
        self.analyzer = analyzer
        # "bigram": plain-array models; "char": (TfidfVectorizer, LinearSVC) pairs
        self._disc_model: TokenModel | None = None
        self._cat_model: TokenModel | None = None
        self._disc: tuple[Any, Any] | None = None
        self._cat: tuple[Any, Any] | None = None
        self.discipline_to_category: dict[str, str] = {}
        #: Changes whenever the model changes (fit, load); caches of predictions key on it.
        self.uid = ""

    @property
    def is_fitted(self) -> bool:
        """Whether :meth:`fit` (or :meth:`load`) has provided a discipline model."""
        return self._disc_model is not None or self._disc is not None

    @property
    def disciplines(self) -> list[str]:
        """The discipline labels the model knows (sorted), in decision-column order."""
        if self._disc_model is not None:
            return list(self._disc_model.classes)
        if self._disc is not None:
            return [str(c) for c in self._disc[1].classes_]
        return []

    def fit(
        self,
        texts: Sequence[str],
        disciplines: Sequence[str],
        categories: Sequence[str | None] | None = None,
        *,
        category_only: Sequence[tuple[str, str]] = (),
    ) -> FieldClassifier:
        """Train the models (imports scikit-learn).

        Inputs:
            texts: ``n`` raw texts (normalised here).
            disciplines: ``n`` discipline labels.
            categories: optional ``n`` category labels (``None`` where unknown); they define the
                discipline → category map (the most frequent pairing wins).
            category_only: extra ``(text, category)`` pairs without a discipline; when given, a
                direct category model is trained on them plus the labelled texts.
        Output: ``self``. Errors: ``ValueError`` on length mismatch or fewer than two labels.
        Time: a few seconds for ~8,000 abstracts on one core.
        """
        if len(texts) != len(disciplines) or (categories is not None and len(categories) != len(texts)):
            raise ValueError("texts, disciplines and categories must have the same length")
        norm = [normalize_text(t) for t in texts]
        disc = _fit_model(norm, [str(d) for d in disciplines], self.c, self.min_df, self.analyzer)
        counts: dict[str, dict[str, int]] = {}
        if categories is not None:
            for d, c in zip(disciplines, categories, strict=True):
                if c:
                    counts.setdefault(str(d), {}).setdefault(str(c), 0)
                    counts[str(d)][str(c)] += 1
        cat = None
        if category_only:
            cat_texts = [normalize_text(t) for t, _ in category_only]
            cat_labels = [str(c) for _, c in category_only]
            if categories is not None:
                for t, c in zip(norm, categories, strict=True):
                    if c:
                        cat_texts.append(t)
                        cat_labels.append(str(c))
            cat = _fit_model(cat_texts, cat_labels, self.c, self.min_df, self.analyzer)
        self.discipline_to_category = {d: max(cs, key=lambda k: cs[k]) for d, cs in counts.items()}
        if self.analyzer == "bigram":
            self._disc_model = TokenModel.from_sklearn(*disc)
            self._cat_model = TokenModel.from_sklearn(*cat) if cat is not None else None
            self._disc = self._cat = None
        else:
            self._disc, self._cat = disc, cat
            self._disc_model = self._cat_model = None
        self.uid = uuid.uuid4().hex
        return self

    def token_model(self) -> TokenModel | None:
        """The discipline model as arrays over token features, or ``None`` (analyzer ``"char"``,
        or not fitted)."""
        return self._disc_model

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Discipline SVM decision values ``float32 (n, C)`` (columns: :attr:`disciplines`).

        Errors: ``RuntimeError`` if not fitted.
        """
        norm = [normalize_text(t) for t in texts]
        if self._disc_model is not None:
            return self._disc_model.decision_from_texts(norm)
        if self._disc is None:
            raise RuntimeError("学科分类器尚未训练")
        vec, model = self._disc
        return _two_columns(model.decision_function(vec.transform(norm)), len(norm))

    def _category_decision(self, norm: list[str]) -> tuple[np.ndarray, list[str]] | None:
        if self._cat_model is not None:
            return self._cat_model.decision_from_texts(norm), list(self._cat_model.classes)
        if self._cat is not None:
            cvec, cmodel = self._cat
            return _two_columns(cmodel.decision_function(cvec.transform(norm)), len(norm)), [
                str(c) for c in cmodel.classes_
            ]
        return None

    def predict(self, texts: Sequence[str]) -> list[FieldPrediction]:
        """Predict fields for ``n`` texts.

        Output: ``n`` :class:`FieldPrediction`. Errors: ``RuntimeError`` if not fitted.
        An empty text gets the model's prior-like answer (whatever the bias terms favour).
        """
        if not self.is_fitted:
            raise RuntimeError("学科分类器尚未训练")
        if len(texts) == 0:
            return []
        norm = [normalize_text(t) for t in texts]
        probs = _softmax(self.decision_function(norm).astype(np.float64))
        labels = self.disciplines
        cat = self._category_decision(norm)
        cat_probs = _softmax(cat[0].astype(np.float64)) if cat is not None else None
        cat_labels = cat[1] if cat is not None else []
        out: list[FieldPrediction] = []
        for i in range(len(norm)):
            order = np.argsort(-probs[i], kind="stable")[:3]
            best = labels[int(order[0])]
            best_score = float(probs[i, order[0]])
            category = self.discipline_to_category.get(best, "")
            category_score = best_score
            if not category and cat_probs is not None:
                j = int(np.argmax(cat_probs[i]))
                category, category_score = cat_labels[j], float(cat_probs[i, j])
            out.append(
                FieldPrediction(
                    discipline=best,
                    discipline_score=best_score,
                    category=category,
                    category_score=category_score if category else 0.0,
                    top_disciplines=tuple((labels[int(j)], float(probs[i, j])) for j in order),
                )
            )
        return out

    # -- persistence ----------------------------------------------------------------------------

    def _meta(self) -> dict[str, Any]:
        return {
            "c": self.c,
            "min_df": self.min_df,
            "analyzer": self.analyzer,
            "uid": self.uid,
            "discipline_to_category": dict(self.discipline_to_category),
        }

    def to_state(self) -> dict[str, Any]:
        """State as a dict: plain arrays (``"bigram"``) or scikit-learn objects (``"char"``)."""
        state: dict[str, Any] = {"format": _FORMAT, **self._meta()}
        if self._disc_model is not None:
            state["disc_model"] = self._disc_model
            state["cat_model"] = self._cat_model
        else:
            state["disc"] = self._disc
            state["cat"] = self._cat
        return state

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> FieldClassifier:
        """Inverse of :meth:`to_state`. Errors: ``ValueError`` on an unknown format."""
        if state.get("format") != _FORMAT:
            raise ValueError("not a field-classifier state of a known format")
        obj = cls(
            c=float(state["c"]), min_df=int(state["min_df"]), analyzer=str(state.get("analyzer", "char"))
        )
        obj.uid = str(state.get("uid") or uuid.uuid4().hex)
        obj.discipline_to_category = dict(state["discipline_to_category"])
        if state.get("disc_model") is not None:
            obj._disc_model = state["disc_model"]
            obj._cat_model = state.get("cat_model")
        elif (
            obj.analyzer == "bigram" and state.get("disc") is not None
        ):  # early bigram states held sklearn objects
            obj._disc_model = TokenModel.from_sklearn(*state["disc"])
            obj._cat_model = TokenModel.from_sklearn(*state["cat"]) if state.get("cat") is not None else None
        else:
            obj._disc = state.get("disc")
            obj._cat = state.get("cat")
        return obj

    def save(self, path: str | Path) -> None:
        """Write the classifier to ``path``: ``.npz`` of plain arrays for ``"bigram"`` models
        (whatever the file name), joblib for ``"char"`` models. Errors: ``OSError``; ``RuntimeError``
        when not fitted."""
        if not self.is_fitted:
            raise RuntimeError("学科分类器尚未训练")
        path = Path(path)
        if self._disc_model is None:
            import joblib

            joblib.dump(self.to_state(), path, compress=3)
            return
        meta = {"format": _NPZ_FORMAT, **self._meta(), "category_model": self._cat_model is not None}
        arrays: dict[str, Any] = {  # Any: savez_compressed's **kwds would also match allow_pickle
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
            **self._disc_model.arrays("disc"),
        }
        if self._cat_model is not None:
            arrays.update(self._cat_model.arrays("cat"))
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: str | Path) -> FieldClassifier:
        """Read a classifier written by :meth:`save` (either format).

        Errors: ``OSError``; ``ValueError`` on an unknown format.
        """
        path = Path(path)
        with open(path, "rb") as fh:
            magic = fh.read(4)
        if magic != b"PK\x03\x04":  # not a zip: a joblib file of an earlier or "char" classifier
            import joblib

            _answer_to_former_name()
            return cls.from_state(joblib.load(path))
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            if meta.get("format") != _NPZ_FORMAT:
                raise ValueError(f"{path}: not a field classifier of a known format")
            obj = cls(c=float(meta["c"]), min_df=int(meta["min_df"]), analyzer=str(meta["analyzer"]))
            obj.uid = str(meta["uid"])
            obj.discipline_to_category = dict(meta["discipline_to_category"])
            obj._disc_model = TokenModel.from_arrays(z, "disc")
            if meta.get("category_model"):
                obj._cat_model = TokenModel.from_arrays(z, "cat")
        return obj
