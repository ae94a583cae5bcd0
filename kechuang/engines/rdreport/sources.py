"""Where an audit rule or cross-check comes from (spec section, rule id, confidence).

``confidence`` repeats the spec's mark: H = confirmed in two or more copies or well known and stable,
M = one copy or known from practice, L = no official text at hand (a placeholder or a local
heuristic). :class:`Source` is the rule kit's (:mod:`kechuang.engines.rulekit.source`): ``article``
holds the spec section (``"§5.2"``) and ``rule`` the spec's rule id. M and L rules are configuration
in the rules file, not constants in code.
"""

from __future__ import annotations

from kechuang.engines.rulekit.source import Source

__all__ = ["SPEC_RD", "SPEC_SD", "Source"]

SPEC_RD = "rd_statistics.md"
"""Spec of the 107-1 / 107-2 forms and their audit relationships (shared/specs)."""
SPEC_SD = "super_deduction.md"
"""Spec of the R&D expense super-deduction (shared/specs)."""
