"""Fixtures of the R&D reporting tests: the spec's worked case T20 as page data."""

from __future__ import annotations

import pytest

#: T20 (rd_statistics.md): [1] = 10, [7] = 1000 with components summing to 995, [14] = 200 split
#: 100 + 50 + 0 + 50, funding sources summing to 1000, and 107-1 person-months summing to 130.
T20_FIRM = {
    "rd_personnel_total": "10", "rd_personnel_fulltime": "8", "rd_personnel_bachelor": "6",
    "rd_expense_total": "1000", "labour_cost": "400", "direct_inputs": "200", "depreciation": "50",
    "intangible_amortization": "20", "design_cost": "25", "equipment_trial_cost": "50",
    "entrusted_external": "200", "entrusted_domestic_institutes": "100", "entrusted_domestic_universities": "50",
    "entrusted_domestic_enterprises": "0", "entrusted_overseas": "50", "other_expense": "50",
    "funds_enterprise": "900", "funds_government": "100",
}
T20_PROJECTS = [
    {"name": "新型催化剂研发", "personnel": "6", "person_months": "70", "expense": "600", "start_ym": "202401",
     "end_ym": "202512"},
    {"name": "智能检测系统开发", "personnel": "5", "person_months": "60", "expense": "400", "start_ym": "202403",
     "end_ym": "202412"},
]


def page_data(firm: dict, projects: list[dict], **extra: str) -> dict[str, str]:
    """POST data of the report form."""
    data = {**firm, "projects-TOTAL_FORMS": str(len(projects)), "projects-INITIAL_FORMS": "0",
            "projects-MIN_NUM_FORMS": "0", "projects-MAX_NUM_FORMS": "500", **extra}
    for i, row in enumerate(projects):
        data.update({f"projects-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def t20():
    return dict(T20_FIRM), [dict(p) for p in T20_PROJECTS]
