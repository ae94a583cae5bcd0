"""Technical-field suggestions: a classifier trained on the registry's own labelled records assigns a
field to records that have none. Suggestions are shown, never written until a user adopts one, and
they feed the re-ranking's field agreement.

The model is trained by ``kechuang index rebuild`` (or :func:`train`) on achievements and demands
that have a field: texts are title + keywords + summary/description, labels the sub-field code
(``0402``) with the top field (``04``) as category. It is saved under the index folder.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from kechuang.engines.matchmaking import FieldClassifier
from kechuang.market.models import Achievement, Demand, TechField

MIN_RECORDS = 20
#: Suggestions less sure than this are not shown (the classifier's softmax score, 0–1).
MIN_SCORE = 0.3
_lock = threading.Lock()
_cache: dict[str, Any] = {}


@dataclass(frozen=True)
class FieldSuggestion:
    """A suggested field with the classifier's score in (0, 1]."""

    field: TechField
    score: float


def _path() -> Path:
    return Path(settings.KECHUANG_INDEX_DIR) / "field_classifier.npz"


def text_of(obj: Any) -> str:
    body = getattr(obj, "summary", "") or getattr(obj, "description", "")
    return f"{obj.title} {obj.keywords} {body}"


def train() -> int:
    """Train and save the classifier on every record with a field; returns the number of training
    records (0 when there are too few, or fewer than two fields, to train)."""
    texts: list[str] = []
    labels: list[str] = []
    for model in (Achievement, Demand):
        for obj in model.objects.filter(field__isnull=False).select_related("field"):
            texts.append(text_of(obj))
            labels.append(obj.field.code)
    if len(texts) < MIN_RECORDS or len(set(labels)) < 2:
        return 0
    classifier = FieldClassifier(min_df=1).fit(texts, labels, [code[:2] for code in labels])
    _path().parent.mkdir(parents=True, exist_ok=True)
    classifier.save(_path())
    with _lock:
        _cache.clear()
    return len(texts)


def classifier() -> FieldClassifier | None:
    """The saved classifier (loaded once per file change), or None when none was trained."""
    path = _path()
    if not path.exists():
        return None
    stamp = f"{path}:{path.stat().st_mtime_ns}"
    with _lock:
        if _cache.get("stamp") != stamp:
            _cache.update(stamp=stamp, model=FieldClassifier.load(path))
        return _cache["model"]


def suggest(obj: Any) -> FieldSuggestion | None:
    """The suggested field of an achievement or demand without one (None when it has one, or no
    classifier is trained, or the suggested code is unknown)."""
    if getattr(obj, "field_id", None):
        return None
    model = classifier()
    if model is None:
        return None
    prediction = model.predict([text_of(obj)])[0]
    field = TechField.objects.filter(code=prediction.discipline).select_related("parent").first()
    if field is None or prediction.discipline_score < MIN_SCORE:
        return None
    return FieldSuggestion(field, prediction.discipline_score)
