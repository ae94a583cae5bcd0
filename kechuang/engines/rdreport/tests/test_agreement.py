"""Property: the per-report validator (celpy, Decimal) and the vectorised one (numpy, integers) agree
on random reports, including figures exactly on the edges of every relation."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.engines.rdreport import Project, Report, ReviewContext, validate_report, validate_table
from kechuang.engines.rdreport.superdeduction import Category
from kechuang.engines.rdreport.tests.builders import GOOD_FIRM, GOOD_PROJECTS, YEAR, full_rules, to_table

RULES = full_rules()
CATALOGUE = RULES.catalogue

# small values, so that sums and subsets often land exactly on equality; a few decimals and negatives
FIGURES = st.sampled_from(
    ["0", "1", "2", "3", "5", "10", "12", "50", "100", "0.5", "2.001", "-1", "120", "1000"]
)


def _firm(draw: st.DrawFn) -> dict[str, object]:
    base = dict(GOOD_FIRM) if draw(st.booleans()) else {}
    for key in draw(st.lists(st.sampled_from(CATALOGUE.numeric_firm_keys), max_size=12, unique=True)):
        base[key] = draw(FIGURES)
    return base


def _project(draw: st.DrawFn) -> Project:
    values = dict(draw(st.sampled_from(GOOD_PROJECTS)))
    for key in draw(st.lists(st.sampled_from(CATALOGUE.numeric_project_keys), max_size=4, unique=True)):
        values[key] = draw(FIGURES)
    values["outcome_form"] = draw(st.integers(1, 9))
    values["tech_goal"] = draw(st.integers(1, 9))
    values["end_ym"] = draw(st.sampled_from([0, 202312, 202401, 202512]))
    values["name"] = draw(st.sampled_from(["工艺研究", "生产线技改", "示范推广", ""]))
    return Project(values)


def _context(draw: st.DrawFn) -> ReviewContext | None:
    if not draw(st.booleans()):
        return None
    amount = st.none() | st.sampled_from([Decimal(v) for v in ("0", "500", "1000", "1660", "2000", "2001")])
    previous = draw(amount)
    return ReviewContext(
        previous=Report(YEAR - 1, {"rd_expense_total": previous}) if previous is not None else None,
        operating_revenue=draw(amount),
        is_hnte=draw(st.none() | st.booleans()),
        tax_category=draw(st.none() | st.sampled_from(list(Category))),
        super_deduction_eligible=draw(st.booleans()),
        super_deduction_base=draw(amount),
        average_employees=draw(st.none() | st.sampled_from([Decimal(v) for v in ("0", "9", "10", "50")])),
        financial_rd_expense=draw(amount),
    )


@st.composite
def tables(draw: st.DrawFn) -> list[tuple[Report, ReviewContext | None]]:
    size = draw(st.integers(1, 3))
    out = []
    for _ in range(size):
        projects = [_project(draw) for _ in range(draw(st.integers(0, 3)))]
        out.append((Report(YEAR, _firm(draw), projects), _context(draw)))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_per_report_and_table_validation_agree(rows: list[tuple[Report, ReviewContext | None]]) -> None:
    reports = [r for r, _ in rows]
    contexts = [c for _, c in rows]
    columns, projects, owner = to_table(reports, contexts, RULES)
    result = validate_table(columns, projects=projects, project_report=owner, rules=RULES)
    for i, (report, context) in enumerate(rows):
        expected = [(f.rule_key, f.project_index) for f in validate_report(report, context, RULES)]
        assert result.keys_for(i) == expected


def test_float_and_int_columns_give_the_same_answer_as_decimals() -> None:
    import numpy as np

    report = Report(YEAR, {**GOOD_FIRM, "other_expense": "50.001", "rd_personnel_female": 11})
    columns, _, _ = to_table([report], [None], RULES)
    as_float = {k: np.array([float(v[0] or 0)]) for k, v in columns.items()}
    as_int = {k: np.array([int(Decimal(v[0] or 0))]) for k, v in columns.items()}
    keys = {k for k, _ in validate_table(columns, rules=RULES).keys_for(0)}
    assert keys == {k for k, _ in validate_table(as_float, rules=RULES).keys_for(0)} >= {"R04", "R01b"}
    assert "R04" not in {k for k, _ in validate_table(as_int, rules=RULES).keys_for(0)}


def test_huge_figures_stay_exact() -> None:
    big = 10**14  # 千元: × 10**3 scale × 1000 (R16) is beyond int64, so the table path uses Python ints
    report = Report(
        YEAR,
        {
            "rd_expense_total": big + 1,
            "labour_cost": big,
            "other_expense": 1,
            "funds_enterprise": big + 1,
            "rd_personnel_total": 1,
        },
        [Project({"personnel": 1, "person_months": "0.5", "expense": big})],
    )
    columns, projects, owner = to_table([report], [None], RULES)
    result = validate_table(columns, projects=projects, project_report=owner, rules=RULES)
    expected = [(f.rule_key, f.project_index) for f in validate_report(report, None, RULES)]
    assert result.keys_for(0) == expected and ("R16", None) in expected


def test_only_the_given_rules_are_evaluated() -> None:
    from kechuang.engines.rdreport import Project, Report, validate_report

    report = Report(2025, {"rd_personnel_total": 10, "rd_expense_total": 1000, "labour_cost": 400},
                    (Project({"name": "x", "person_months": 200, "expense": 1000, "personnel": 10}),))
    every = {f.rule_key for f in validate_report(report)}
    assert {"R04", "R12"} <= every
    assert {f.rule_key for f in validate_report(report, only={"R04"})} == {"R04"}
    assert validate_report(report, only=set()) == []
