"""Text normalisation for matching: width, script, case and punctuation.

Every text that enters the matching engine (documents and queries alike) goes through
:func:`normalize_text`, so that "ＡＩ芯片", "ai芯片" and "AI 晶片" compare equal where
they should.

Steps, in order:

1. Unicode NFKC: full-width ASCII (``Ａ１，``) becomes half-width (``A1,``), the
   ideographic space U+3000 becomes a space, compatibility forms (``①``, ``㎡``, ``ﬁ``)
   are unfolded.
2. Traditional → simplified Chinese with the OpenCC ``t2s`` tables
   (package ``opencc-python-reimplemented``, Apache-2.0). Texts that contain no
   character the tables could change skip the conversion (the common case, and
   the slow part of this step).
3. Case folding (``str.casefold``).
4. Punctuation and symbols become spaces, except the joiners that carry meaning in
   technical terms: ``.`` between digits (``3.5``), ``-`` between ASCII letters or digits
   (``li-ion``), ``+`` and ``#`` after an ASCII letter (``c++``, ``c#``).
5. Runs of whitespace collapse to one space; the result is stripped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

__all__ = [
    "normalize_text",
    "to_halfwidth",
    "to_simplified",
    "strip_punctuation",
]

_WS_RE = re.compile(r"\s+")


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def to_halfwidth(text: str) -> str:
    """Fold full-width and compatibility characters to their plain forms (NFKC).

    Input: any string. Output: the NFKC form, e.g. ``"ＡＩ　１２３"`` → ``"AI 123"``.
    Chinese ideographs are unchanged. Never raises.
    """
    return unicodedata.normalize("NFKC", text)


class _T2S:
    """Lazy holder of the OpenCC converter and the set of characters that can change."""

    def __init__(self) -> None:
        from opencc import OpenCC  # opencc-python-reimplemented

        self.converter = OpenCC("t2s")
        self.trigger = frozenset(self._trigger_chars())

    @staticmethod
    def _trigger_chars() -> set[str]:
        """Characters whose presence may make ``t2s`` change the text.

        For each dictionary entry whose target differs from its key, the characters at
        the differing positions (all key characters when the lengths differ). A text
        without any of them converts to itself.
        """
        import opencc

        base = Path(opencc.__file__).parent / "dictionary"
        chars: set[str] = set()
        for name in ("TSCharacters.txt", "TSPhrases.txt"):
            with open(base / name, encoding="utf-8") as fh:
                for line in fh:
                    key, _, rest = line.rstrip("\n").partition("\t")
                    if not key or not rest:
                        continue
                    for target in rest.split(" "):
                        if target == key:
                            continue
                        if len(target) == len(key):
                            chars.update(k for k, t in zip(key, target, strict=True) if k != t)
                        else:
                            chars.update(key)
        return chars


@functools.lru_cache(maxsize=1)
def _t2s() -> _T2S:
    return _T2S()


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters and phrases to simplified ones.

    Input: any string. Output: the string with OpenCC ``t2s`` applied, e.g.
    ``"鋰離子電池"`` → ``"锂离子电池"``; non-Chinese characters are unchanged. Texts that
    contain no convertible character are returned as they are without conversion.
    Thread-safe. Never raises on input text.
    """
    conv = _t2s()
    if conv.trigger.isdisjoint(text):
        return text
    # The converter is stateless once its tables are loaded (in its constructor).
    converted: str = conv.converter.convert(text)
    return converted


@functools.lru_cache(maxsize=8192)
def _punct_class(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "PS" or cat in ("Cc", "Cf")


class _PunctTable(dict):  # type: ignore[type-arg]
    """``str.translate`` table: punctuation/symbol/control/format → space, other characters kept.

    Filled lazily (``__missing__``), so each distinct character is classified once per process;
    the joiners ``. - + #`` are left alone here and decided in context by :func:`strip_punctuation`.
    """

    def __missing__(self, cp: int) -> int | str:
        ch = chr(cp)
        value: int | str = " " if _punct_class(ch) and ch not in _JOINERS else cp
        self[cp] = value
        return value


_JOINERS = ".-+#"
_JOINER_RE = re.compile(r"[.\-+#]")
_PUNCT_TABLE = _PunctTable()


def strip_punctuation(text: str) -> str:
    """Replace punctuation and symbols with spaces, keeping technical joiners.

    Input: a string, already case-folded and half-width for the joiner rules to apply.
    Kept: ``.`` between two digits (``3.5``), ``-`` between two ASCII letters/digits
    (``li-ion``), ``+`` and ``#`` right after an ASCII letter or another kept ``+``/``#``
    (``c++``, ``c#``). Every other Unicode punctuation (P*), symbol (S*), control or format
    character becomes a space. Whitespace is not collapsed here. Never raises.

    Implementation: one ``str.translate`` pass (C speed; each character maps to exactly one
    character, so positions are unchanged), then the joiners are decided from their
    neighbours in the original text.
    """
    out = text.translate(_PUNCT_TABLE)
    if not _JOINER_RE.search(out):
        return out
    n = len(text)
    kept_at = -2  # position of the last kept '+' or '#'

    def joiner(m: re.Match[str]) -> str:
        nonlocal kept_at
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == ".":
            keep = prev.isascii() and prev.isdigit() and nxt.isascii() and nxt.isdigit()
        elif ch == "-":
            keep = _ascii_alnum(prev) and _ascii_alnum(nxt)
        else:  # '+' or '#'
            keep = (prev.isascii() and prev.isalpha()) or (prev in "+#" and kept_at == i - 1)
            if keep:
                kept_at = i
        return ch if keep else " "

    return _JOINER_RE.sub(joiner, out)


def normalize_text(text: str | None, *, keep_punctuation: bool = False) -> str:
    """Normalise a text for matching (see the module docstring for the steps).

    Inputs: ``text`` (``None`` is treated as ``""``); ``keep_punctuation`` — when true,
    step 4 is skipped (used where sentence boundaries matter).
    Output: the normalised string, e.g. ``"ＡＩ晶片，鋰電池！"`` → ``"ai晶片 锂电池"``.
    Deterministic and thread-safe; never raises on string input.
    """
    if not text:
        return ""
    text = to_halfwidth(text)
    text = to_simplified(text)
    text = text.casefold()
    if not keep_punctuation:
        text = strip_punctuation(text)
    return _WS_RE.sub(" ", text).strip()
