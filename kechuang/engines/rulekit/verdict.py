"""The shared result vocabulary of the rule engines: verdicts, severities and findings.

* :class:`Verdict` — the outcome of a condition or of a whole test (cultivation's tiers use PASS / FAIL /
  NEEDS_REVIEW; ``NOT_APPLICABLE`` is for a rule that does not concern the case, e.g. a subsidy line
  for another kind of enterprise);
* :class:`Severity` — how much a broken rule matters (the R&D statistics audit: E blocks submission,
  W needs a written explanation, I informs);
* :class:`Finding` — one broken rule: its id, severity, Chinese message, source and the fields to show.

The values are the strings stored in the database and in result JSON (``"PASS"``, ``"E"``): they must not
change. ``kechuang.engines.cultivation.results.Verdict`` and ``kechuang.engines.rdreport.audit_rules.Severity``
are these classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .source import Source

__all__ = ["Finding", "Severity", "Verdict"]


class Verdict(StrEnum):
    """Outcome of a rule or a test (cultivation spec §0)."""

    PASS = "PASS"
    FAIL = "FAIL"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    """The figures cannot decide: an expert or a document must (or data is missing)."""
    NOT_APPLICABLE = "NOT_APPLICABLE"
    """The rule does not concern this case."""


class Severity(StrEnum):
    """Severity of a finding (rd_statistics.md §5.2)."""

    ERROR = "E"
    """错误: blocks submission in 预审前置."""
    WARNING = "W"
    """警告: needs a written explanation."""
    INFO = "I"
    """提示: for information."""

    @property
    def label_zh(self) -> str:
        """错误 / 警告 / 提示."""
        return {"E": "错误", "W": "警告", "I": "提示"}[self.value]


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One broken rule on one case.

    Attributes:
        rule_id: the rule's id, e.g. ``"R04"``.
        severity: :class:`Severity`.
        message_zh: Chinese message with the figures.
        source: :class:`.source.Source` of the rule.
        fields: keys of the input fields to highlight.
    """

    rule_id: str
    severity: Severity
    message_zh: str
    source: Source
    fields: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        """True for an error (E): the case cannot go on until it is fixed."""
        return self.severity is Severity.ERROR
