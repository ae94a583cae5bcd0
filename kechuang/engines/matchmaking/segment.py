"""Chinese segmentation for matching: rjieba words with a domain dictionary, and character bigrams.

Two token streams are made from every normalised text:

* **words** — rjieba (a Rust port of jieba) segmentation (precise mode by default), after the domain dictionary in
  ``data/domain_dict.txt`` (and any extra dictionaries) has been added, minus stop words
  (``data/stopwords.txt``) and pure punctuation/whitespace tokens. Single characters are
  kept (锂, 钾, 硒 are content words here).
* **bigrams** — overlapping character pairs inside every run of CJK characters (a run of
  one character gives that character), and every run of Latin letters/digits as one token.
  A term the segmenter cuts differently in a query and in a document still shares bigrams,
  so a segmentation miss still matches.

rjieba exposes ``Jieba.add_word(word, freq, tag)`` and no dictionary-file loader; the
file format here is jieba's user-dictionary format, read by :func:`read_dictionary`.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .normalize import normalize_text

__all__ = [
    "DictEntry",
    "Segmenter",
    "default_dictionary_path",
    "default_stopwords_path",
    "read_dictionary",
    "read_stopwords",
    "char_bigrams",
    "prune_contained",
]

_DATA = "data"
_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_LATIN_RUN_RE = re.compile(r"[0-9a-z][0-9a-z.+#\-]*")
_TOKEN_OK_RE = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")


_MODES = ("mixed", "default", "search")
_KEEP_CACHE_MAX = 200_000  # distinct tokens remembered by the word filter


@dataclass(frozen=True)
class DictEntry:
    """One domain-dictionary term: ``word`` (normalised), optional ``freq`` and ``tag``."""

    word: str
    freq: int | None = None
    tag: str | None = None


def _rjieba_version() -> str:
    try:
        return importlib.metadata.version("rjieba")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored build
        return ""


def _data_file(name: str) -> Path:
    return Path(__file__).resolve().parent / _DATA / name


def default_dictionary_path() -> Path:
    """Path of the domain dictionary shipped with the package (``data/domain_dict.txt``)."""
    return _data_file("domain_dict.txt")


def default_stopwords_path() -> Path:
    """Path of the stop-word list shipped with the package (``data/stopwords.txt``)."""
    return _data_file("stopwords.txt")


def read_dictionary(path: str | Path) -> list[DictEntry]:
    """Read a dictionary file in jieba's user-dictionary format.

    Input: path of a UTF-8 text file, one term a line: ``词 [词频] [词性]``, ``#`` starts a
    comment line, blank lines are skipped. Terms are normalised with
    :func:`~.normalize.normalize_text` (so ``ＡＧＭ隔板`` and ``agm隔板`` are one entry);
    a term that normalises to text with spaces is kept with its spaces removed.
    Output: the entries in file order. Errors: ``OSError`` when the file cannot be read,
    ``ValueError`` (with the line number) when a frequency is not a positive integer.
    """
    entries: list[DictEntry] = []
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            word = normalize_text(parts[0]).replace(" ", "")
            if not word:
                continue
            freq: int | None = None
            tag: str | None = None
            if len(parts) >= 2:
                if parts[1].isdigit() and int(parts[1]) > 0:
                    freq = int(parts[1])
                elif len(parts) == 2 and not parts[1].isdigit():
                    tag = parts[1]
                else:
                    raise ValueError(f"{path}:{lineno}: frequency must be a positive integer: {parts[1]!r}")
            if len(parts) >= 3:
                tag = parts[2]
            entries.append(DictEntry(word, freq, tag))
    return entries


def read_stopwords(path: str | Path) -> set[str]:
    """Read a stop-word file: one word a line, ``#`` comments; words are normalised.

    Output: the set of normalised stop words. Errors: ``OSError`` when unreadable.
    """
    words: set[str] = set()
    with open(path, encoding="utf-8-sig") as fh:
        for raw in fh:
            line = raw.strip()
            if line and not line.startswith("#"):
                word = normalize_text(line)
                if word:
                    words.add(word)
    return words


def char_bigrams(normalized: str, *, unigrams: bool = False) -> list[str]:
    """Character bigrams of an already normalised text.

    Input: a string from :func:`~.normalize.normalize_text`; ``unigrams`` also emits every CJK
    character of runs longer than one (documents are indexed this way, so a one-character
    query such as ``锂`` or ``硒`` matches inside ``碳酸锂``). Output: for each run of CJK
    characters, its overlapping pairs in order (``"玄武岩"`` → ``["玄武", "武岩"]``; a run of
    one character gives that character); each Latin/digit run (``"li-ion"``, ``"3.5v"``) is one
    token. Consequence: a query whose normalised text occurs inside a document's always shares
    tokens with it. Never raises.
    """
    out: list[str] = []
    pos = 0
    n = len(normalized)
    while pos < n:
        m = _CJK_RUN_RE.search(normalized, pos)
        chunk_end = m.start() if m else n
        if chunk_end > pos:
            out.extend(_LATIN_RUN_RE.findall(normalized, pos, chunk_end))
        if not m:
            break
        run = m.group(0)
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            if unigrams:
                out.extend(run)
        pos = m.end()
    return out


class Segmenter:
    """Word and bigram tokeniser with a domain dictionary and stop words.

    Parameters:
        use_default_dictionary: add the shipped ``data/domain_dict.txt`` (default true).
        extra_dictionaries: more dictionary files (jieba format) added after the default one;
            staff-maintained lists go here.
        extra_words: more terms added last (strings, already or not yet normalised).
        stopwords: the stop-word set; ``None`` reads the shipped ``data/stopwords.txt``;
            an empty iterable disables stop words.
        mode: ``"mixed"`` (default) cuts documents with rjieba's search mode, which also emits
            a long word's dictionary sub-words (``连续玄武岩纤维`` → ``玄武``, ``纤维``, ``玄武岩``,
            ``玄武岩纤维``, ``连续玄武岩纤维``), and queries with precise mode (one token per
            span), so a query for either the compound or a part matches at word level;
            ``"default"`` uses precise mode on both sides, ``"search"`` search mode on both.
            On the shared data the three are within 0.002 MRR@10 of each other (see
            ``evaluate.py --mode``); mixed is the default for domain compounds.
        hmm: let rjieba guess unknown words with its HMM (default true).

    Each instance owns its own ``rjieba.Jieba`` so dictionaries of two segmenters never mix.
    Thread-safe: segmentation and :meth:`add_words` are serialised by a lock (both are
    short). Errors: ``OSError`` / ``ValueError`` from reading dictionary files;
    ``ValueError`` for an unknown mode.
    """

    def __init__(
        self,
        *,
        use_default_dictionary: bool = True,
        extra_dictionaries: Sequence[str | Path] = (),
        extra_words: Iterable[str] = (),
        stopwords: Iterable[str] | None = None,
        mode: str = "mixed",
        hmm: bool = True,
    ) -> None:
        import rjieba

        if mode not in _MODES:
            raise ValueError(f"unknown segmentation mode {mode!r}; use one of {', '.join(_MODES)}")
        self.mode = mode
        self.hmm = hmm
        self._lock = threading.Lock()
        self._keep: dict[str, bool] = {}  # token → kept as a word (cache of the filter below)
        self._jieba = rjieba.Jieba()
        self._entries: list[DictEntry] = []
        paths: list[Path] = []
        if use_default_dictionary:
            paths.append(default_dictionary_path())
        paths.extend(Path(p) for p in extra_dictionaries)
        for path in paths:
            self._add_entries(read_dictionary(path))
        self.add_words(extra_words)
        if stopwords is None:
            self.stopwords: frozenset[str] = frozenset(read_stopwords(default_stopwords_path()))
        else:
            self.stopwords = frozenset(w for w in (normalize_text(s) for s in stopwords) if w)

    # -- dictionary ---------------------------------------------------------------------------

    def _add_entries(self, entries: Iterable[DictEntry]) -> None:
        with self._lock:
            for e in entries:
                self._jieba.add_word(e.word, e.freq, e.tag)
                self._entries.append(e)

    def add_words(self, words: Iterable[str]) -> None:
        """Add terms to this segmenter's dictionary at run time.

        Input: strings (normalised here; empty ones skipped). Effect: later segmentation keeps
        each term whole (and, in search mode, also emits its sub-words). Documents already in
        an index keep their old tokens until the index is rebuilt — :class:`MatchIndex` checks
        :attr:`fingerprint` on load and re-segments when it changed.
        """
        entries = []
        for w in words:
            norm = normalize_text(w).replace(" ", "")
            if norm:
                entries.append(DictEntry(norm))
        self._add_entries(entries)

    @property
    def dictionary_words(self) -> list[str]:
        """The terms added to rjieba's built-in dictionary, in order of addition."""
        return [e.word for e in self._entries]

    @property
    def fingerprint(self) -> str:
        """Hex digest identifying the segmentation (mode, hmm, added terms, stop words).

        Two segmenters with the same fingerprint cut every text the same way (given the same
        rjieba version, which is part of the digest).
        """
        h = hashlib.sha256()
        h.update(f"rjieba={_rjieba_version()};mode={self.mode};hmm={self.hmm}\n".encode())
        for e in self._entries:
            h.update(f"{e.word}\t{e.freq}\t{e.tag}\n".encode())
        h.update(b"--stop--\n")
        for w in sorted(self.stopwords):
            h.update(w.encode() + b"\n")
        return h.hexdigest()

    # -- tokenisation ---------------------------------------------------------------------------

    def cut_raw(self, normalized: str, *, for_query: bool = False) -> list[str]:
        """rjieba output for a normalised text, unfiltered.

        Search mode is used for documents in modes ``"search"`` and ``"mixed"`` and for queries
        in mode ``"search"``; precise mode otherwise.
        """
        search = self.mode == "search" or (self.mode == "mixed" and not for_query)
        with self._lock:
            if search:
                return self._jieba.cut_for_search(normalized, self.hmm)
            return self._jieba.cut(normalized, self.hmm)

    def words_normalized(self, normalized: str, *, for_query: bool = False) -> list[str]:
        """Word tokens of an already normalised text (see :meth:`words`)."""
        tokens = self.cut_raw(normalized, for_query=for_query)
        keep = self._keep  # token → kept as a word; each distinct token is judged once
        try:
            return [t for t in tokens if keep[t]]
        except KeyError:  # a token not judged yet (or the cache was just cleared)
            out: list[str] = []
            for t in tokens:
                k = keep.get(t)
                if k is None:
                    k = t not in self.stopwords and _TOKEN_OK_RE.search(t) is not None
                    if len(keep) >= _KEEP_CACHE_MAX:
                        keep.clear()
                    keep[t] = k
                if k:
                    out.append(t)
            return out

    def words(self, text: str | None, *, for_query: bool = False) -> list[str]:
        """Word tokens of a raw text.

        Input: any text (``None`` → ``[]``), normalised first; ``for_query`` selects the query
        side's cut (differs only in mode ``"mixed"``). Output: tokens in text order, stop words
        and punctuation removed; repeated words repeat (BM25 counts them).
        Example: ``"玄武岩纤维增强复合材料与富硒茶"`` → ``["玄武岩纤维", "增强", "复合材料", "富硒茶"]``
        (query side, shipped dictionary).
        """
        return self.words_normalized(normalize_text(text), for_query=for_query)

    def bigrams(self, text: str | None) -> list[str]:
        """Character-bigram tokens of a raw text (normalised first); see :func:`char_bigrams`."""
        return char_bigrams(normalize_text(text))

    def query_terms(self, text: str | None) -> list[str]:
        """Distinct query-side word tokens of a text, in first-seen order (normalised strings)."""
        return list(dict.fromkeys(self.words(text, for_query=True)))


def prune_contained(terms: Sequence[str]) -> list[str]:
    """Drop every term that is a substring of another term of the list, keeping order.

    Used for highlighting: when both ``玄武岩纤维`` and ``纤维`` matched, only the longer one is
    shown. Input/output: lists of strings.
    """
    uniq = list(dict.fromkeys(terms))
    return [t for t in uniq if not any(t != o and t in o for o in uniq)]
