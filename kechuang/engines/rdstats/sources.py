"""Where an audit rule or cross-check comes from (spec section, rule id, confidence).

``confidence`` repeats the spec's mark: H = confirmed in two or more copies or well known and stable,
M = one copy or known from practice, L = no official text at hand (a placeholder or a local
heuristic). M and L rules are configuration in the rules file, not constants in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["SPEC_RD", "SPEC_SD", "Source"]

SPEC_RD = "rd_statistics.md"
"""Spec of the 107-1 / 107-2 forms and their audit relationships (shared/specs)."""
SPEC_SD = "super_deduction.md"
"""Spec of the R&D expense super-deduction (shared/specs)."""


@dataclass(frozen=True)
class Source:
    """Source of one rule.

    Attributes:
        document: the document, e.g. ``"国家统计局 107-1/107-2 表审核关系（rd_statistics.md §5.2）"``.
        section: the section of the spec, e.g. ``"§5.2"``.
        rule: the spec's rule id, e.g. ``"R04"`` (or ``"§4.1 RD-7"`` for a super-deduction rate).
        confidence: ``"H"``, ``"M"`` or ``"L"``.
        note: what the engine chose where the source is silent, or ``""``.
    """

    document: str
    section: str
    rule: str
    confidence: str = "H"
    note: str = ""

    def cite(self) -> str:
        """Chinese citation, e.g. ``"国家统计局 107-2 表审核关系 §5.2 R04（可信度 H）"``."""
        return f"{self.document} {self.section} {self.rule}（可信度 {self.confidence}）"

    @classmethod
    def from_json(cls, data: Mapping[str, object], where: str) -> Source:
        """Read ``{"document", "section", "rule", "confidence", "note"?}``.

        Raises:
            ValueError: a key is missing or the confidence is not H, M or L (``where`` names the rule).
        """
        try:
            source = cls(
                document=str(data["document"]),
                section=str(data["section"]),
                rule=str(data["rule"]),
                confidence=str(data["confidence"]),
                note=str(data.get("note", "")),
            )
        except KeyError as exc:
            raise ValueError(f"{where}: source lacks {exc.args[0]!r}") from exc
        if source.confidence not in ("H", "M", "L"):
            raise ValueError(f"{where}: confidence must be H, M or L, not {source.confidence!r}")
        return source
