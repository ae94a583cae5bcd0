"""Readers of the shared labelled data used to tune, train and evaluate the matching core.

The shared folder (``shared/data`` beside the repository, see each ``SOURCE.md``) holds:

* ``csl/csl_records.jsonl`` — 3,756 CSL paper records: id, title, abstract, keywords (list),
  discipline (67 labels), category (13 labels).
* ``csl/csl_benchmark_train_title_category.tsv`` — 8,000 (title, category) pairs.
* ``fewclue_csldcp/csldcp_train_dev.jsonl`` — 4,095 (abstract, discipline) pairs.
* ``fewclue_csl_keywords/csl_keyword_pairs.jsonl`` — 3,121 (abstract, keywords, label) rows;
  label 1 means the keywords are the paper's genuine ones.

:func:`find_shared_data` locates the folder; every reader raises ``FileNotFoundError`` when
its file is missing, so callers (tests) can skip with a reason.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CslRecord",
    "find_shared_data",
    "load_csl_records",
    "load_csldcp",
    "load_keyword_pairs",
    "load_title_categories",
]

_REPO_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class CslRecord:
    """One CSL record (all text fields as in the source)."""

    id: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    discipline: str
    category: str


def find_shared_data(explicit: str | Path | None = None) -> Path | None:
    """Locate the shared data folder.

    Order: ``explicit``; environment variable ``KECHUANG_SHARED_DATA``; ``shared/data`` beside the
    repository (as in CI); ``/work/shared/data``. Output: the first existing folder that holds
    ``csl/csl_records.jsonl``, or ``None``.
    """
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    env = os.environ.get("KECHUANG_SHARED_DATA")
    if env:
        candidates.append(Path(env))
    candidates += [
        _REPO_ROOT.parent / "shared" / "data",
        _REPO_ROOT / "shared" / "data",
        Path("/work/shared/data"),
    ]
    for c in candidates:
        if (c / "csl" / "csl_records.jsonl").is_file():
            return c
    return None


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_csl_records(data_dir: str | Path) -> list[CslRecord]:
    """Read ``csl/csl_records.jsonl``. Output: records in file order. Errors: ``FileNotFoundError``."""
    return [
        CslRecord(
            id=str(r["id"]),
            title=r["title"],
            abstract=r["abstract"],
            keywords=tuple(r.get("keywords") or ()),
            discipline=r["discipline"],
            category=r["category"],
        )
        for r in _jsonl(Path(data_dir) / "csl" / "csl_records.jsonl")
    ]


def load_csldcp(data_dir: str | Path) -> list[tuple[str, str]]:
    """Read FewCLUE CSLDCP: list of ``(abstract, discipline)``. Errors: ``FileNotFoundError``."""
    return [
        (r["abstract"], r["discipline"])
        for r in _jsonl(Path(data_dir) / "fewclue_csldcp" / "csldcp_train_dev.jsonl")
    ]


def load_keyword_pairs(
    data_dir: str | Path, *, genuine_only: bool = True
) -> list[tuple[str, tuple[str, ...]]]:
    """Read FewCLUE CSL keyword pairs: list of ``(abstract, keywords)``.

    ``genuine_only`` keeps label-1 rows (the paper's real keywords). Errors: ``FileNotFoundError``.
    """
    rows = _jsonl(Path(data_dir) / "fewclue_csl_keywords" / "csl_keyword_pairs.jsonl")
    return [(r["abstract"], tuple(r["keywords"])) for r in rows if not genuine_only or int(r["label"]) == 1]


def load_title_categories(data_dir: str | Path) -> list[tuple[str, str]]:
    """Read the 8,000 ``(title, category)`` pairs. Errors: ``FileNotFoundError``."""
    path = Path(data_dir) / "csl" / "csl_benchmark_train_title_category.tsv"
    with open(path, encoding="utf-8", newline="") as fh:
        return [(row["title"], row["category"]) for row in csv.DictReader(fh, delimiter="\t")]
