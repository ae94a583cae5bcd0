"""R&D investment statistics (研发投入统计) engine: the 107-1 / 107-2 forms, audit rules as data,
pre-review (预审前置) validation, cross-checks, error localisation and national indicators.

Framework-free: numpy, scipy and cel-python (``celpy``), no Django. Entry points:

* :func:`form_catalogue` — the year's items and columns (keys, Chinese names, units, row codes as
  configuration in ``catalogue_<year>.json``); :class:`Report` and :class:`Project` are the inputs;
* :func:`rule_set` — the versioned audit rules of ``audit_rules_<year>.json`` (CEL expressions, severity,
  Chinese message, source, fields, default on/off); :meth:`RuleSet.configured` applies the bureau's
  choice of W-rules (open decision 4);
* :func:`validate_report` — one report as the user types (celpy, exact ``Decimal``) → :class:`Finding` s;
* :func:`validate_table` — a table of reports at once (numpy, exact integers) → :class:`TableResult`;
* :class:`ReviewContext` — inputs of the cross-checks (last year's report, revenue, HNTE status,
  super-deduction rate and declared base, employees, financial R&D expense);
* :mod:`.superdeduction` — super-deduction rates by (tax year, category), eligibility, base (§4);
* :func:`localise_errors` — Fellegi–Holt: the fewest fields to correct (MILP, HiGHS);
* :mod:`.regional` — R&D intensity, internal expenditure, FTE (§5.3).

Rules: spec ``shared/specs/rd_statistics.md`` §5 (forms §5.1, audit relationships R01–R21 §5.2,
indicators §5.3), ``super_deduction.md`` §4 (R17, X02), ``open_decisions.md`` item 4. Units: the
form's — money ``Decimal`` 千元 (at most 3 decimals), persons 人, working time 人月; converting the
platform's yuan is the caller's job (:func:`yuan_to_thousand`). Comparisons are exact, with no
tolerance unless a rule writes one.

Interpretations chosen where the spec is silent or ambiguous:

1. One rule entry per relationship (R01a–d, R02a–b …) so that each message is precise; R21 is a
   template repeated per numeric item (R21a ≥ 0, R21b whole persons and counts).
2. Negative or fractional form figures are findings (R21), not input errors; unknown keys,
   non-numbers, more than 3 decimals and bad codes/dates raise :class:`ReportInputError`.
3. Blank form cells are 0; unknown context values make the cross-checks needing them not run.
4. W-rules by default: R15 and R19 on (confidence M), R16 and R20 off (L, local heuristics) until the
   bureau decides. R15's gap (20 %), R16's band and R20's code lists are constants of the rules file.
5. R17 uses ``sd_rate`` = year_rate(report year, category) from §4.1 (0 when not eligible; 2022 for
   firms at 75 %: 75 % / 100 % weighted by the share before / from 1 October, 公告2022年第28号 第二条,
   by operating months unless the firm gives its split) and the CIT
   rate 25 % / 15 % by HNTE status; X02 compares the form's super-deduction expenditure with the base
   declared for tax (§4.4) within 1 千元.
6. Cross-checks beyond the spec (issue 7): X01 last year's [7] (warn when the change exceeds ±50 %
   **and** 1,000 千元; both strict), X03 internal expenditure / revenue > 50 %.
7. Code-list values of 107-1 (项目来源, 开展形式, 成果形式, 进展阶段) are placeholders [L] to verify
   each year; 技术经济目标 5–9 follow R20.
"""

from __future__ import annotations

from .amounts import ReportInputError, fmt_figure, thousand_to_yuan, yuan_to_thousand
from .audit_rules import Rule, RuleKind, RuleSet, Scope, Severity, load_rules, rule_set
from .catalogue import CodeList, FormCatalogue, Item, Project, Report, Unit, available_years, form_catalogue
from .crosschecks import ReviewContext, context_columns
from .localisation import Localisation, localise_errors, localise_values
from .regional import (
    enterprise_intensity,
    fmt_percent,
    fte_from_person_months,
    internal_expenditure,
    rd_intensity,
    regional_intensity,
)
from .sources import Source
from .validator import (
    Finding,
    PreparedReport,
    RuleEvaluationError,
    blocks_submission,
    prepare_report,
    validate_report,
)
from .vectorised import TableResult, validate_table

__all__ = [
    "CodeList",
    "Finding",
    "FormCatalogue",
    "Item",
    "Localisation",
    "PreparedReport",
    "Project",
    "Report",
    "ReportInputError",
    "ReviewContext",
    "Rule",
    "RuleEvaluationError",
    "RuleKind",
    "RuleSet",
    "Scope",
    "Severity",
    "Source",
    "TableResult",
    "Unit",
    "available_years",
    "blocks_submission",
    "context_columns",
    "enterprise_intensity",
    "fmt_figure",
    "fmt_percent",
    "form_catalogue",
    "fte_from_person_months",
    "internal_expenditure",
    "load_rules",
    "localise_errors",
    "localise_values",
    "prepare_report",
    "rd_intensity",
    "regional_intensity",
    "rule_set",
    "thousand_to_yuan",
    "validate_report",
    "validate_table",
    "yuan_to_thousand",
]
