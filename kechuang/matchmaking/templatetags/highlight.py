"""``{{ text|highlight:terms }}``: wrap matched terms in <mark>, escaping everything else."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text: str, terms) -> str:
    """The text, HTML-escaped, with each of ``terms`` of two or more characters (case-insensitive,
    longest first) marked."""
    text = str(text or "")
    words = sorted({t for t in (terms or ()) if len(t) >= 2}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def meaningful(terms) -> list[str]:
    """Matched terms worth showing: words of two or more characters (single characters and bigram
    fragments still score, but say little to a reader)."""
    return [t for t in (terms or ()) if len(t) >= 2]
