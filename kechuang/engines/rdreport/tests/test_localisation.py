"""Fellegi–Holt error localisation."""

from __future__ import annotations

from decimal import Decimal

from kechuang.engines.rdreport import Project, Report, localise_errors, rule_set, validate_report
from kechuang.engines.rdreport.tests.builders import build
from kechuang.engines.rdreport.tests.test_worked_cases import t20


def test_a_report_breaking_only_the_sum_rule_gets_one_field_of_that_rule() -> None:
    report, context = build({"other_expense": 45})
    assert [f.rule_key for f in validate_report(report, context)] == ["R04"]
    result = localise_errors(report)
    r04 = set(rule_set(2025).rule("R04").fields)
    assert result.broken_rules == ("R04",)
    assert len(result.fields) == 1 and set(result.fields) <= r04
    # the correction fixes R04 without breaking another rule
    fixed = dict(report.firm, **result.corrected)
    assert validate_report(Report(2025, fixed, report.projects), context) == []


def test_changing_the_total_is_not_suggested_when_it_would_break_the_funding_rule() -> None:
    report, _ = build({"other_expense": 45})
    assert localise_errors(report).fields != ("rd_expense_total",)


def test_t20_suggests_one_expense_component_and_one_side_of_the_fte_check() -> None:
    result = localise_errors(t20())
    assert set(result.broken_rules) == {"R04", "R12"}
    assert len(result.fields) == 2
    r04 = set(rule_set(2025).rule("R04").fields) - {"rd_expense_total"}
    assert len(set(result.fields) & r04) == 1
    assert len(set(result.fields) & {"rd_personnel_total", "projects_person_months_total"}) == 1


def test_conditional_rules_are_localised_and_a_negative_figure_must_change() -> None:
    report, _ = build({"labour_cost": 0, "other_expense": 450})  # R07a: personnel 10 but no labour cost
    result = localise_errors(report)
    # labour must become positive (R07a; dropping the 10 persons would break R01), and the sum rule
    # R04 then needs one more component lowered: two fields, both of R04
    assert result.broken_rules == ("R07a",) and len(result.fields) == 2 and "labour_cost" in result.fields
    assert set(result.fields) <= set(rule_set(2025).rule("R04").fields) - {"rd_expense_total"}
    assert result.corrected["labour_cost"] >= 1
    report, _ = build({"labour_cost": -1, "other_expense": 401})
    assert localise_errors(report).fields == ("labour_cost",)


def test_weights_steer_the_choice_and_a_clean_report_needs_nothing() -> None:
    report, _ = build({"rd_personnel_female": 11})  # R01b
    assert localise_errors(report).fields in {("rd_personnel_total",), ("rd_personnel_female",)}
    heavy = localise_errors(report, weights={"rd_personnel_female": 5})
    assert heavy.fields == ("rd_personnel_total",)
    assert heavy.corrected["rd_personnel_total"] == Decimal(11)
    clean, _ = build()
    assert localise_errors(clean).fields == ()
    assert "R13a" in localise_errors(clean).excluded_rules


def test_project_rows_feed_the_totals() -> None:
    report = Report(
        2025,
        {"rd_personnel_total": 1, "labour_cost": 10, "rd_expense_total": 10, "funds_enterprise": 10},
        [Project({"personnel": 1, "person_months": 12, "expense": 10})],
    )
    assert localise_errors(report).fields == ()
