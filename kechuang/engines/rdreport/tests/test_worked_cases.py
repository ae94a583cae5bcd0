"""Worked cases of the specs: T20 (pre-review), T21 (regional intensity), T17–T19 (super-deduction)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.engines.rdreport import (
    Project,
    Report,
    Severity,
    blocks_submission,
    fmt_percent,
    fte_from_person_months,
    internal_expenditure,
    rd_intensity,
    regional_intensity,
    rule_set,
    validate_report,
    validate_table,
)
from kechuang.engines.rdreport.superdeduction import (
    Category,
    Eligibility,
    SuperDeductionCosts,
    capitalised_amortisation,
    compute_base,
    eligibility,
    rate,
    tax_relief_cap,
)
from kechuang.engines.rdreport.tests.builders import to_table

T20_FIRM = {
    "rd_personnel_total": 10,
    "rd_expense_total": 1000,
    # components 8..14 + 19 sum to 995
    "labour_cost": 400,
    "direct_inputs": 200,
    "depreciation": 50,
    "intangible_amortization": 20,
    "design_cost": 30,
    "equipment_trial_cost": 45,
    "entrusted_external": 200,
    "other_expense": 50,
    # [14] = 200 with [15..18] = 100 + 50 + 0 + 50
    "entrusted_domestic_institutes": 100,
    "entrusted_domestic_universities": 50,
    "entrusted_domestic_enterprises": 0,
    "entrusted_overseas": 50,
    # funding sources sum 1000
    "funds_enterprise": 850,
    "funds_government": 150,
}
T20_PROJECTS = [
    Project({"name": "项目甲", "personnel": 6, "person_months": 70, "expense": 600}),
    Project({"name": "项目乙", "personnel": 5, "person_months": 60, "expense": 400}),
]


def t20() -> Report:
    """Spec T20: Σ人月 = 130."""
    return Report(2025, T20_FIRM, T20_PROJECTS)


def test_t20_r04_and_r12_are_errors_r06_and_r11_pass_and_submission_is_blocked() -> None:
    findings = validate_report(t20())
    by_id = {f.rule_id: f for f in findings}
    assert set(by_id) == {"R04", "R12"}
    assert by_id["R04"].severity is Severity.ERROR and by_id["R12"].severity is Severity.ERROR
    assert "1,000千元" in by_id["R04"].message_zh and "995千元" in by_id["R04"].message_zh
    assert "相差5千元" in by_id["R04"].message_zh
    assert "130人月" in by_id["R12"].message_zh and "120人月" in by_id["R12"].message_zh
    assert "10.833人年" in by_id["R12"].message_zh
    assert by_id["R04"].source.rule == "R04" and by_id["R04"].source.confidence == "H"
    assert by_id["R12"].values == {
        "projects_person_months_total": Decimal(130),
        "rd_personnel_total": Decimal(10),
    }
    assert blocks_submission(findings)
    assert fte_from_person_months(130).quantize(Decimal("0.01")) == Decimal("10.83")


def test_t20_in_the_table_path() -> None:
    rules = rule_set(2025)
    columns, projects, owner = to_table([t20()], [None], rules)
    result = validate_table(columns, projects=projects, project_report=owner, rules=rules)
    assert result.keys_for(0) == [("R04", None), ("R12", None)]
    assert result.rows_with(Severity.ERROR).tolist() == [True]


def test_t21_regional_intensity_is_one_percent() -> None:
    assert rd_intensity(Decimal(25), Decimal(2500)) == Decimal("0.01")  # 亿元 / 亿元
    assert fmt_percent(rd_intensity(25 * 10**8, 2500 * 10**8)) == "1.00%"
    assert regional_intensity([Decimal(10), Decimal(15)], Decimal(2500)) == Decimal("0.01")


def test_internal_expenditure_follows_the_rules_file_formula() -> None:
    # [7] − [14] − [10] − [11] + [20] = 1000 − 200 − 50 − 20 + 0
    assert internal_expenditure(t20()) == Decimal(730)


def test_t17_full_calculation_2024() -> None:
    costs = SuperDeductionCosts(
        personnel=Decimal(500),
        direct_inputs=Decimal(300),
        depreciation=Decimal(100),
        intangible_amortization=Decimal(50),
        design_trial=Decimal(50),
        other_related=Decimal(150),
        entrusted_domestic=Decimal(200),
        entrusted_overseas=Decimal(1000),
    )
    result = compute_base(costs, 2024, Category.MANUFACTURING)
    assert result.s5 == Decimal(1000)
    assert result.other_cap == Decimal("111.11") and result.other_allowed == Decimal("111.11")
    assert result.domestic == Decimal("1271.11")
    assert result.overseas == Decimal("800.00")
    assert result.base == Decimal("2071.11")
    assert result.extra_deduction == Decimal("2071.11")
    assert result.tax_effect == Decimal("517.78")


def test_t18_overseas_cap_binds() -> None:
    costs = SuperDeductionCosts(
        personnel=Decimal(400), other_related=Decimal(30), entrusted_overseas=Decimal(600)
    )
    result = compute_base(costs, 2024)
    assert result.other_allowed == Decimal(30) and result.domestic == Decimal(430)
    assert result.overseas == Decimal("286.67") and result.base == Decimal("716.67")


def test_t19_excluded_industry_special_income_and_ic_list() -> None:
    assert (
        eligibility(excluded_industry_revenue=Decimal(60), total_income=Decimal(100))
        is Eligibility.EXCLUDED_INDUSTRY
    )
    assert (
        eligibility(excluded_industry_revenue=Decimal(50), total_income=Decimal(100)) is Eligibility.ELIGIBLE
    )
    assert eligibility(actual_books=False) is Eligibility.ASSESSED_TAXATION
    excluded = compute_base(
        SuperDeductionCosts(personnel=Decimal(1000)), 2024, eligible=Eligibility.EXCLUDED_INDUSTRY
    )
    assert excluded.extra_deduction == 0
    scrap = compute_base(SuperDeductionCosts(personnel=Decimal(1000), special_income=Decimal(50)), 2024)
    assert scrap.base == Decimal(950) and scrap.extra_deduction == Decimal(950)
    ic = compute_base(SuperDeductionCosts(personnel=Decimal(1000)), 2025, Category.IC_MACHINE_TOOL)
    assert ic.extra_deduction == Decimal(1200)
    assert capitalised_amortisation(Decimal(900), 10, 2025, Category.IC_MACHINE_TOOL) == Decimal(198)


def test_rate_table_by_year_and_category() -> None:
    assert rate(2019, Category.MANUFACTURING).expensed == Decimal("0.75")
    assert rate(2021, Category.MANUFACTURING).expensed == 1 and rate(
        2021, Category.TECH_SME
    ).expensed == Decimal("0.75")
    assert rate(2022, Category.TECH_SME).expensed == 1
    # 2022 general firms: 75 % to 30 September, 100 % from 1 October (公告2022年第28号; test_rate_periods)
    assert rate(2022, Category.GENERAL, on=dt.date(2022, 1, 1)).expensed == Decimal("0.75")
    assert rate(2023).expensed == 1 and rate(2023).capitalised == 2
    assert rate(2027, Category.IC_MACHINE_TOOL).expensed == Decimal("1.2")
    assert rate(2028, Category.IC_MACHINE_TOOL).expensed == 1
    assert tax_relief_cap(Decimal(800), 2025, Category.GENERAL, hnte=True) == Decimal(120)
    assert tax_relief_cap(Decimal(800), 2025, Category.GENERAL, hnte=False, eligible=False) == 0
