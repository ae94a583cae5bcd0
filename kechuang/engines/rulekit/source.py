"""Where a rule comes from: one :class:`Source` for every engine.

``confidence`` repeats the specs' mark: H = confirmed in two or more copies or well known and stable,
M = one copy or known from practice, L = no official text at hand (a placeholder or a local heuristic).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["CONFIDENCES", "Source"]

CONFIDENCES = ("H", "M", "L")
"""The confidence marks, most certain first."""


@dataclass(frozen=True)
class Source:
    """Where an official rule (or a parameter value) comes from.

    Attributes:
        document: document number or name, e.g. ``"国科发火〔2016〕32号"``.
        article: article / section, e.g. ``"第十一条第（五）项"`` or ``"§4.1"``.
        confidence: ``"H"``, ``"M"`` or ``"L"`` as in the spec.
        also: a companion document cited with it (the tech-SME guideline), or ``""``.
        rule: the spec's rule id when the spec numbers its rules (``"R04"``, ``"RD-7"``), or ``""``.
        note: what the engine chose where the source is silent, or ``""``.
    """

    document: str
    article: str
    confidence: str = "H"
    also: str = ""
    rule: str = ""
    note: str = ""

    def cite(self) -> str:
        """Chinese citation: document, article, rule id if any, then the companion document, e.g.
        ``"国科发火〔2016〕32号第十一条第（五）项"`` or ``"研发费用加计扣除§4.1 RD-7"``."""
        text = f"{self.document}{self.article}"
        if self.rule:
            text = f"{text} {self.rule}"
        return f"{text}；{self.also}" if self.also else text

    @classmethod
    def from_json(cls, data: Mapping[str, object], where: str) -> Source:
        """Read ``{"document", "article" | "section", "rule"?, "confidence", "note"?, "also"?}``.

        Raises:
            ValueError: a key is missing or the confidence is not H, M or L (``where`` names the rule).
        """
        try:
            article = data["article"] if "article" in data else data["section"]
            source = cls(
                document=str(data["document"]),
                article=str(article),
                confidence=str(data["confidence"]),
                also=str(data.get("also", "")),
                rule=str(data.get("rule", "")),
                note=str(data.get("note", "")),
            )
        except KeyError as exc:
            raise ValueError(f"{where}: source lacks {exc.args[0]!r}") from exc
        if source.confidence not in CONFIDENCES:
            raise ValueError(f"{where}: confidence must be H, M or L, not {source.confidence!r}")
        return source
