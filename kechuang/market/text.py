"""Small text helpers of the registries: keyword lists and the normalised title used for de-duplication."""

from __future__ import annotations

import re
import unicodedata

SEPARATORS = re.compile(r"[;；,，、/|\s]+")
PATENT_SEPARATORS = re.compile(r"[;；,，、/|\n]+")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def split_list(text: str) -> list[str]:
    """Items of a list typed with any of ; ； , ， 、 / | or spaces, stripped, without empties or repeats."""
    seen: dict[str, None] = {}
    for item in SEPARATORS.split(text or ""):
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)


def split_patents(text: str) -> list[str]:
    """Patent numbers of a cell: like :func:`split_list` but spaces stay inside a number
    (``CN 2003 1 0102344.5``)."""
    seen: dict[str, None] = {}
    for item in PATENT_SEPARATORS.split(text or ""):
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)


def join_list(items: list[str]) -> str:
    """The stored form of a list: items joined by 「；」."""
    return "；".join(items)


def title_key(title: str) -> str:
    """A title reduced for duplicate detection: NFKC (full-width → half-width), lower case, no spaces or
    punctuation. ``"基于 5G 的矿山监测系统。"`` and ``"基于5G的矿山监测系统"`` give the same key."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", title or "").lower())[:200]
