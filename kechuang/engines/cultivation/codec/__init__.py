"""JSON codec of the cultivation engine: enterprise figures in, assessment results out (no framework).

Input: one JSON object, the *assessment input* (documented field by field in ``docs/assess_input.md``)::

    {
      "format_version": 1,                       optional; only 1 exists
      "evaluation_date": "2025-06-30",           optional; see below
      "config": {"score_point": "LOWER"},        optional; the bureau's interpretation choices
      "enterprise": {                            EnterpriseFigures, field names as in figures.py
        "name": "…", "establish_date": "2018-03-01", "tax_mode": "查账征收",
        "years": [{"year": 2024, "sales_revenue": "48000000.00", …}],
        "ip_items": [{"identifier": "ZL202310000001.5", "kind": "发明专利"}], …
      }
    }

Rules of the format:

* keys are the field names of :mod:`.figures` (and :class:`.config.BureauConfig` under ``config``);
  an unknown key or a key given twice is an error, never ignored;
* money in **yuan** (元) only, as a decimal string (``"1234.56"``, ``"-50"`` for net assets / net
  profit) or a JSON integer; persons (yearly averages) the same way. A ``float`` is refused: a
  JSON number with a fraction part is accepted only when the reader kept it exact as ``Decimal``
  (:func:`parse_json` and :func:`load_assessment_input` do; plain ``json.loads`` does not);
* enumerations by their Chinese value (``"发明专利"``) or member name (``"INVENTION_PATENT"``);
* dates ISO ``YYYY-MM-DD``; counts and years JSON integers; flags ``true`` / ``false``;
* ``null`` means "not known" wherever the engine has ``None`` (the check answers
  NEEDS_REVIEW(MISSING_DATA)); an omitted key takes the engine's default (``non_taxable_revenue``
  0, ``incidents`` not checked, IP flags as for a normal self-developed item, …);
* ``evaluation_date`` omitted or ``null``: **30 June of the year after the last fiscal year given**
  (the HNTE window is then exactly the last three fiscal years, the tech-SME data year the last one;
  :attr:`AssessmentInput.evaluation_date_defaulted` says so). A pure function cannot read "today".
* ``config`` may set the interpretation choices of :class:`.config.BureauConfig` (``rule_year``,
  ``score_point``, …); ``parameters_file`` and ``gazelle`` belong to the bureau's deployment and are
  refused. Callers that fix the choices themselves pass ``allow_config=False``.

Errors: :class:`CodecError` (a ``ValueError``) lists every :class:`Problem` found, each with a path
such as ``enterprise.years[2].rd_expense_hnte`` (``$`` = the whole document), a :class:`ProblemCode`
and a Chinese message from one table, so a command line and a web page show the same texts.

Output: :func:`assessment_to_json` / :func:`tier_result_to_json` turn results into JSON-ready
``dict``s (``Decimal`` → string, dates ISO, enumerations by value, every Chinese text built);
:func:`figures_to_json` is the inverse of :func:`figures_from_json`.
"""


from __future__ import annotations

from .fields import FORMAT_VERSION, ROOT, CodecError, Problem, ProblemCode
from .reader import AssessmentInput, expert_problems, figures_from_json, load_assessment_input, parse_json
from .writer import assessment_to_json, figures_to_json, tier_result_to_json

__all__ = [
    "FORMAT_VERSION",
    "AssessmentInput",
    "CodecError",
    "Problem",
    "ProblemCode",
    "ROOT",
    "assessment_to_json",
    "figures_from_json",
    "expert_problems",
    "figures_to_json",
    "load_assessment_input",
    "parse_json",
    "tier_result_to_json",
]
