"""Every rule of the spec (R01–R21) and every cross-check: a report that passes it and one that breaks it,
in both validators (per report with celpy, and as a one-row table with numpy)."""

from __future__ import annotations

import pytest

from kechuang.engines.rdreport import validate_report, validate_table
from kechuang.engines.rdreport.tests.builders import build, full_rules, to_table

# rule key -> (changes that still pass, often exactly on the edge; changes that break it)
CASES: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    "R01a": ({"rd_personnel_management": 10}, {"rd_personnel_management": 11}),
    "R01b": ({"rd_personnel_female": 10}, {"rd_personnel_female": 11}),
    "R01c": ({"rd_personnel_fulltime": 10}, {"rd_personnel_fulltime": 11}),
    "R01d": ({"rd_personnel_external": 10}, {"rd_personnel_external": 11}),
    "R02a": ({"rd_personnel_bachelor": 10}, {"rd_personnel_bachelor": 11}),
    "R02b": ({"rd_personnel_bachelor": 3}, {"rd_personnel_bachelor": 2}),
    "R03a": ({"institution_personnel": 10}, {"institution_personnel": 11}),
    "R03b": ({"institution_master": 4}, {"institution_phd": 3, "institution_master": 3}),
    "R04": ({"other_expense": "49.5", "design_cost": "30.5"}, {"other_expense": "50.001"}),
    "R05": ({"institution_expense": 1000}, {"institution_expense": "1000.001"}),
    "R06": ({"entrusted_overseas": 0, "entrusted_domestic_enterprises": 50}, {"entrusted_overseas": 49}),
    "R07a": ({}, {"labour_cost": 0, "other_expense": 450}),
    "R07b": ({}, {"rd_personnel_total": 0}),
    "R08": ({"rd_instruments": 100}, {"rd_instruments": 101}),
    "R09a": (
        {
            "rd_institutions": 0,
            "institution_instruments_value": 0,
            "institution_personnel": 0,
            "institution_phd": 0,
            "institution_master": 0,
            "institution_expense": 0,
        },
        {
            "rd_institutions": 0,
            "institution_personnel": 0,
            "institution_phd": 0,
            "institution_master": 0,
            "institution_expense": 0,
        },
    ),
    "R09b": ({}, {"rd_institutions": 0, "institution_instruments_value": 0, "institution_expense": 0}),
    "R09c": (
        {},
        {
            "rd_institutions": 0,
            "institution_instruments_value": 0,
            "institution_personnel": 0,
            "institution_phd": 0,
            "institution_master": 0,
        },
    ),
    "R10a": ({"invention_applications": 5}, {"invention_applications": 6}),
    "R10b": ({"implemented_invention_patents": 8}, {"implemented_invention_patents": 9}),
    "R10c": ({"new_product_exports": 5000}, {"new_product_exports": 5001}),
    "R11": ({"funds_enterprise": 899, "funds_other": 1}, {"funds_other": 1}),
    "R12": ({"p0.person_months": 70}, {"p0.person_months": "70.001"}),
    "R13a": ({"p0.person_months": 72}, {"p0.personnel": 4}),
    "R13b": ({"p0.government_funds": 600}, {"p0.government_funds": 601}),
    "R13c": ({"p0.basic_research": 600}, {"p0.basic_research": "600.001"}),
    "R13d": ({"p0.end_ym": 202401}, {"p0.end_ym": 202312}),
    "R14a": ({"p0.expense": 0, "p1.expense": 900}, {"p0.expense": 0, "p1.expense": 0}),
    "R14b": ({"p0.person_months": 0}, {"p0.person_months": 0, "p1.person_months": 0}),
    "R15": ({"p1.expense": 720}, {"p1.expense": 2000}),
    "R16": ({"labour_cost": 242, "direct_inputs": 358}, {"labour_cost": 241, "direct_inputs": 359}),
    "R17": ({"sd_tax_relief": 120}, {"sd_tax_relief": "120.001"}),
    "R18": ({"hnte_tax_relief": 0, "ctx.is_hnte": False}, {"ctx.is_hnte": False}),
    "R19a": ({"ctx.average_employees": 10}, {"ctx.average_employees": 9}),
    "R19b": ({"ctx.financial_rd_expense": 1000}, {"ctx.financial_rd_expense": "1000.001"}),
    "R20a": ({"p0.name": "新型复合材料研发"}, {"p0.name": "生产线技改项目"}),
    "R20b": ({"p0.outcome_form": 1}, {"p0.outcome_form": 2}),
    "R20c": ({"p0.tech_goal": 4}, {"p0.tech_goal": 5}),
    "R21a:labour_cost": (
        {"labour_cost": 0, "other_expense": 450, "rd_personnel_total": 0},
        {"labour_cost": -1, "other_expense": 451},
    ),
    "R21a:person_months": ({"p0.person_months": 0}, {"p0.person_months": -1}),
    "R21b:rd_personnel_total": ({"rd_personnel_total": 11}, {"rd_personnel_total": "10.5"}),
    "R21b:personnel": ({"p0.personnel": 7}, {"p0.personnel": "6.5"}),
    "X01:rd_expense_total": ({"ctx.previous": 2000}, {"ctx.previous": 2001}),
    "X02": ({"ctx.super_deduction_base": 801}, {"ctx.super_deduction_base": "801.001"}),
    "X03": ({"ctx.operating_revenue": 1660}, {"ctx.operating_revenue": "1659.999"}),
}


def _keys(changes: dict[str, object]) -> tuple[set[str], set[str]]:
    rules = full_rules()
    report, context = build(changes)
    per_report = {f.rule_key for f in validate_report(report, context, rules)}
    columns, projects, owner = to_table([report], [context], rules)
    result = validate_table(columns, projects=projects, project_report=owner, rules=rules)
    in_table = {key for key, _ in result.keys_for(0)}
    return per_report, in_table


def test_the_good_report_passes_every_rule() -> None:
    assert _keys({}) == (set(), set())


def test_every_spec_rule_and_cross_check_has_a_case() -> None:
    ids = {r.id for r in full_rules().rules}
    covered = {key.split(":")[0] for key in CASES}
    assert ids == covered
    assert {f"R{i:02d}" for i in range(1, 22)} <= {i[:3] for i in ids}


@pytest.mark.parametrize("key", sorted(CASES))
def test_rule_passes_and_breaks(key: str) -> None:
    passing, breaking = CASES[key]
    per_report, in_table = _keys(passing)
    assert key not in per_report and key not in in_table
    per_report, in_table = _keys(breaking)
    assert key in per_report, per_report
    assert per_report == in_table


def test_a_cross_check_without_its_context_is_not_evaluated() -> None:
    rules = full_rules()
    report, _ = build({"hnte_tax_relief": 10})
    keys = {f.rule_key for f in validate_report(report, None, rules)}
    assert not keys & {"R17", "R18", "R19a", "R19b", "X01:rd_expense_total", "X02", "X03"}
    assert keys == set()


def test_default_rule_set_leaves_the_local_heuristics_off() -> None:
    from kechuang.engines.rdreport import rule_set

    report, context = build({"p0.name": "生产线技改项目", "labour_cost": 100, "direct_inputs": 500})
    keys = {f.rule_id for f in validate_report(report, context, rule_set(2025))}
    assert "R20a" not in keys and "R16" not in keys
    configured = rule_set(2025).configured({"R20": True, "R16": True, "R20c": False})
    assert [r.enabled for r in configured.rules if r.id.startswith("R20")] == [True, True, False]
    keys = {f.rule_id for f in validate_report(report, context, configured)}
    assert {"R20a", "R16"} <= keys
    with pytest.raises(KeyError):
        rule_set(2025).configured({"R99": True})
