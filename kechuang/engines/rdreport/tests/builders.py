"""Shared test data: a report that passes every rule (with a full context), and the table form of reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np

from kechuang.engines.rdreport import Project, Report, ReviewContext, RuleSet, context_columns, rule_set
from kechuang.engines.rdreport.superdeduction import Category

YEAR = 2025

GOOD_FIRM: dict[str, object] = {
    "rd_personnel_total": 10,
    "rd_personnel_management": 2,
    "rd_personnel_female": 3,
    "rd_personnel_fulltime": 8,
    "rd_personnel_bachelor": 6,
    "rd_personnel_external": 1,
    "rd_expense_total": 1000,
    "labour_cost": 400,
    "direct_inputs": 200,
    "depreciation": 50,
    "intangible_amortization": 20,
    "design_cost": 30,
    "equipment_trial_cost": 50,
    "entrusted_external": 200,
    "entrusted_domestic_institutes": 100,
    "entrusted_domestic_universities": 50,
    "entrusted_domestic_enterprises": 0,
    "entrusted_overseas": 50,
    "other_expense": 50,
    "rd_fixed_assets": 100,
    "rd_instruments": 60,
    "rd_institutions": 1,
    "institution_personnel": 5,
    "institution_phd": 1,
    "institution_master": 2,
    "institution_expense": 300,
    "institution_instruments_value": 500,
    "funds_enterprise": 900,
    "funds_government": 100,
    "sd_claimed": 800,
    "sd_tax_relief": 100,
    "hnte_tax_relief": 50,
    "patent_applications": 5,
    "invention_applications": 2,
    "valid_invention_patents": 8,
    "implemented_invention_patents": 3,
    "new_product_sales": 5000,
    "new_product_exports": 500,
}
"""107-2 figures (千元, persons) that satisfy every rule: [7] = 1000 = 400+200+50+20+30+50+200+50."""

GOOD_PROJECTS: tuple[dict[str, object], ...] = (
    {
        "name": "玄武岩纤维连续拉丝工艺研究",
        "source": 4,
        "cooperation_form": 1,
        "outcome_form": 4,
        "tech_goal": 3,
        "start_ym": 202401,
        "end_ym": 202512,
        "stage": 2,
        "personnel": 6,
        "person_months": 60,
        "expense": 600,
        "government_funds": 100,
        "basic_research": 50,
        "self_conducted": 500,
        "entrusted": 100,
    },
    {
        "name": "锂钾卤水综合提取技术开发",
        "source": 2,
        "cooperation_form": 2,
        "outcome_form": 6,
        "tech_goal": 4,
        "start_ym": 202501,
        "end_ym": 202612,
        "stage": 1,
        "personnel": 5,
        "person_months": 50,
        "expense": 450,
        "government_funds": 0,
        "basic_research": 0,
        "self_conducted": 350,
        "entrusted": 100,
    },
)
"""107-1 rows: Σ人月 110 ≤ 120, Σ经费 1050 within R15's band, labour per person-month 3,636 元."""

GOOD_CONTEXT = {
    "previous": 900,  # last year's [7]
    "operating_revenue": 20000,
    "is_hnte": True,
    "tax_category": Category.GENERAL,
    "super_deduction_base": 800,
    "average_employees": 50,
    "financial_rd_expense": 950,
}
"""Context making every cross-check evaluable and passing."""


_AMOUNTS = ("operating_revenue", "super_deduction_base", "average_employees", "financial_rd_expense")


def full_rules() -> RuleSet:
    """The 2025 rule set with every rule enabled (R16, R20 included)."""
    return rule_set(YEAR).all_enabled()


def build(changes: Mapping[str, object] | None = None) -> tuple[Report, ReviewContext]:
    """The good report and context with ``changes``: ``"key"`` for a 107-2 item, ``"p0.column"`` for
    107-1 row 0, ``"ctx.field"`` for the context (``ctx.previous`` takes a value of last year's [7])."""
    firm = dict(GOOD_FIRM)
    projects = [dict(p) for p in GOOD_PROJECTS]
    ctx = dict(GOOD_CONTEXT)
    for key, value in (changes or {}).items():
        if key.startswith("p") and "." in key and key[1].isdigit():
            index, column = key[1:].split(".", 1)
            projects[int(index)][column] = value
        elif key.startswith("ctx."):
            ctx[key[4:]] = value
        else:
            firm[key] = value
    previous = ctx.pop("previous")
    context = ReviewContext(
        previous=Report(YEAR - 1, {"rd_expense_total": previous}) if previous is not None else None,
        **{k: (Decimal(v) if k in _AMOUNTS and v is not None else v) for k, v in ctx.items()},  # type: ignore[arg-type]
    )
    return Report(YEAR, firm, [Project(p) for p in projects]), context


def to_table(
    reports: Sequence[Report], contexts: Sequence[ReviewContext | None], rules: RuleSet
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """The table form of ``reports``: firm columns (``object`` arrays of the values as entered) and
    context columns, the 107-1 columns and the report row of each project."""
    catalogue = rules.catalogue
    columns: dict[str, np.ndarray] = {}
    for key in catalogue.numeric_firm_keys:
        column = np.empty(len(reports), dtype=object)
        column[:] = [r.firm.get(key) for r in reports]
        columns[key] = column
    columns.update(context_columns(contexts, YEAR))
    rows = [(i, p) for i, r in enumerate(reports) for p in r.projects]
    projects: dict[str, np.ndarray] = {}
    for key in catalogue.project_columns:
        column = np.empty(len(rows), dtype=object)
        column[:] = [p.values.get(key) for _, p in rows]
        projects[key] = column
    owner = np.array([i for i, _ in rows], dtype=np.int64)
    return columns, projects, owner
