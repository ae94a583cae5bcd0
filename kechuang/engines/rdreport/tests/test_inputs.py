"""Bad input gets a clear error naming the item; units and conversions at the boundary."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from kechuang.engines.rdreport import (
    Project,
    Report,
    ReportInputError,
    ReviewContext,
    fmt_figure,
    thousand_to_yuan,
    validate_report,
    validate_table,
    yuan_to_thousand,
)
from kechuang.engines.rdreport.superdeduction import SuperDeductionCosts, compute_base


@pytest.mark.parametrize(
    "firm, item",
    [
        ({"nonsense": 1}, "nonsense"),
        ({"labour_cost": "abc"}, "labour_cost"),
        ({"labour_cost": 1.5}, "labour_cost"),
        ({"labour_cost": "1.0001"}, "labour_cost"),
        ({"labour_cost": Decimal("NaN")}, "labour_cost"),
    ],
)
def test_bad_firm_values_name_the_item(firm: dict[str, object], item: str) -> None:
    with pytest.raises(ReportInputError) as caught:
        validate_report(Report(2025, firm))
    assert caught.value.item == item and item in str(caught.value) and caught.value.message_zh


@pytest.mark.parametrize(
    "values, item",
    [
        ({"nonsense": 1}, "projects[0].nonsense"),
        ({"end_ym": 202513}, "projects[0].end_ym"),
        ({"outcome_form": "1.5"}, "projects[0].outcome_form"),
        ({"expense": "x"}, "projects[0].expense"),
    ],
)
def test_bad_project_values_name_the_row_and_column(values: dict[str, object], item: str) -> None:
    with pytest.raises(ReportInputError) as caught:
        validate_report(Report(2025, {}, [Project(values)]))
    assert caught.value.item == item


def test_negative_context_and_costs_are_input_errors() -> None:
    with pytest.raises(ReportInputError, match="operating_revenue"):
        validate_report(Report(2025, {}), ReviewContext(operating_revenue=Decimal(-1)))
    with pytest.raises(ReportInputError, match="personnel"):
        compute_base(SuperDeductionCosts(personnel=Decimal(-1)), 2024)


def test_negative_form_figures_are_findings_not_errors() -> None:
    findings = validate_report(Report(2025, {"papers": -1}))
    assert [f.rule_key for f in findings] == ["R21a:papers"]
    assert findings[0].message_zh == "发表科技论文不能为负数（填报值-1）"


def test_table_errors_name_the_column() -> None:
    with pytest.raises(ReportInputError, match="nonsense"):
        validate_table({"nonsense": np.array([1])}, year=2025)
    with pytest.raises(ReportInputError, match="labour_cost"):
        validate_table({"rd_expense_total": np.array([1, 2]), "labour_cost": np.array([1])}, year=2025)
    with pytest.raises(ReportInputError, match="labour_cost"):
        validate_table({"labour_cost": np.array([0.0001])}, year=2025)
    with pytest.raises(ReportInputError, match="project_report"):
        validate_table(
            {"labour_cost": np.array([1])},
            projects={"expense": np.array([1])},
            project_report=np.array([3]),
            year=2025,
        )


def test_unknown_context_cells_skip_the_cross_check_for_that_row_only() -> None:
    columns = {
        "rd_expense_total": np.array([1000, 1000]),
        "labour_cost": np.array([1000, 1000]),
        "funds_enterprise": np.array([1000, 1000]),
        "rd_personnel_total": np.array([10, 10]),
        "operating_revenue": np.array([100.0, np.nan]),
    }
    result = validate_table(columns, year=2025)
    assert ("X03", None) in result.keys_for(0) and ("X03", None) not in result.keys_for(1)
    assert "R12" in result.skipped  # no projects and no aggregate column


def test_unit_conversion_and_display() -> None:
    assert yuan_to_thousand(Decimal(1234567)) == Decimal("1234.567")
    assert thousand_to_yuan(Decimal("1.5")) == Decimal(1500)
    with pytest.raises(ReportInputError):
        yuan_to_thousand(Decimal("0.5"))
    assert fmt_figure(Decimal("1000.500")) == "1,000.5" and fmt_figure(Decimal(0)) == "0"
    assert fmt_figure(None) == "（未填）"
    assert Report.from_codes(2025, {"7": 10}).firm == {"rd_expense_total": 10}
    with pytest.raises(ReportInputError):
        Report.from_codes(2025, {"99": 1})
