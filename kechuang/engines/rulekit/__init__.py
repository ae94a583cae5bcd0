"""Rule kit shared by the engines (framework-free, no Django).

What every rule engine needs, in one place, so that cultivation, rdreport and the subsidy engine speak
one language:

* :class:`.source.Source` — where a rule comes from (document, article, confidence H/M/L, note);
* :class:`.dated.DatedParameter` — a parameter dated like legislation: the value in force on a date,
  with its :class:`Source` (:meth:`~.dated.DatedParameter.value_on`, :meth:`~.dated.DatedParameter.periods`);
* :mod:`.cel` — the CEL compile step (celpy parser, exact ``Decimal`` operators, a small node tree);
* :mod:`.verdict` — the shared result vocabulary: :class:`.verdict.Verdict` (PASS / FAIL /
  NEEDS_REVIEW / NOT_APPLICABLE), :class:`.verdict.Severity` (E / W / I) and :class:`.verdict.Finding`.

:mod:`.cel` imports celpy; the other modules use the standard library only.
"""

from __future__ import annotations

from .dated import DatedParameter, InForce, NotInForce
from .source import CONFIDENCES, Source
from .verdict import Finding, Severity, Verdict

__all__ = [
    "CONFIDENCES",
    "DatedParameter",
    "Finding",
    "InForce",
    "NotInForce",
    "Severity",
    "Source",
    "Verdict",
]
