"""List search: a query's words, cut the way the matching engine cuts Chinese text, all required.

「锂电池 正极」 finds the records holding both words; 「锂电池正极」 (no space, as Chinese is typed) is cut by the
matching engine's segmenter (:class:`kechuang.engines.matchmaking.segment.Segmenter`, the same dictionary and
stop words as matchmaking) into 锂电池 / 正极 and finds the same records — and, as before, any record holding
the whole string.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from kechuang.engines.matchmaking.segment import Segmenter

MAX_WORDS = 10
"""Words of a search that count (a thousand would make one huge SQL expression)."""


@functools.cache
def _segmenter() -> Segmenter:
    from kechuang.engines.matchmaking.segment import Segmenter

    return Segmenter()  # as MatchIndex() builds it: the shipped domain dictionary and stop words


def query_words(token: str) -> list[str]:
    """The words the matching engine cuts one space-free ``token`` into (query side: precise mode, stop
    words and punctuation dropped, normalised: half-width, simplified, lower case); ``[]`` when nothing is
    left (a stop word alone)."""
    return _segmenter().words(token, for_query=True)


def search_q(value: str, word_q: Callable[[str], Q]) -> Q:
    """The condition for a search box's ``value``: every space-separated token must match, where a token
    matches when ``word_q(token)`` does or every word the segmenter cuts it into matches ``word_q(word)``.
    At most :data:`MAX_WORDS` tokens count. An empty value gives ``Q()`` (everything).

    ``word_q(word)`` is the one-word condition of the list (e.g. title or keywords contain the word).
    """
    condition = Q()
    for token in unicodedata.normalize("NFKC", value).split()[:MAX_WORDS]:
        words = [w for w in query_words(token) if w != token.casefold()][:MAX_WORDS]
        either = word_q(token)
        if words:
            each = Q()
            for word in dict.fromkeys(words):
                each &= word_q(word)
            either |= each
        condition &= either
    return condition
