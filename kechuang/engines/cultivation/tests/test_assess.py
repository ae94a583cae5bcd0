"""Whole assessments, the next tier, coaching text, configuration, parameters and input validation."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from kechuang.engines.cultivation import (
    BureauConfig,
    EnterpriseFigures,
    ExpertInput,
    FiscalYearFigures,
    GrowthTwoOperatingYears,
    IPKind,
    Reason,
    ScorePoint,
    Tier,
    TransformationBelowOne,
    Unit,
    Verdict,
    assess,
    evaluate_hnte,
    evaluate_tsme,
    rule_parameters,
)
from kechuang.engines.cultivation.hnte import score_transformation
from kechuang.engines.cultivation.parameters import DEFAULT_PARAMETERS_FILE
from kechuang.engines.cultivation.tests.builders import APPLY, HNTE, ip, reference, replace_year, wan, year


def test_reference_enterprise_passes_every_tier_and_needs_no_coaching() -> None:
    result = assess(reference(), APPLY)
    assert [result.tier(t).verdict for t in Tier] == [Verdict.PASS] * 3
    assert result.highest_tier_passed is Tier.GAZELLE
    assert result.next_tier is None and result.coaching == ()
    assert result.rule_version == rule_parameters(2025).version
    assert result.hnte.rule_version == result.tsme.rule_version == result.gazelle.rule_version


def test_small_firm_is_coached_towards_tech_sme_with_points_per_part() -> None:
    firm = reference(
        hnte_certificate=None,
        ip_items=ip(1),
        years=(
            year(
                2024,
                staff_total_avg=40,
                tech_staff_avg=5,
                sales_revenue_wan=800,
                rd_expense_super_deduction_wan=12,
                total_assets_wan=900,
                total_costs_and_expenses_wan=700,
            ),
        ),
    )
    result = assess(firm, APPLY)
    assert result.tsme.label == "FAIL(SCORE)"  # tech 12.5 % → 4, R&D 1.5 % / 1.7 % → 0, 1 Class II → 6
    assert result.tsme.score_min == 10
    assert result.next_tier is Tier.TSME
    ids = [item.item_id for item in result.coaching]
    assert ids[0] == "S-C5.score"
    assert {"TECH_STAFF", "RD", "IP"} <= set(ids)
    rd = next(item for item in result.coaching if item.item_id == "RD")
    assert rd.points_short == 50
    assert "再投入研发费用" in rd.text_zh and "万元" in rd.text_zh
    assert all("依据：" in item.text_zh for item in result.coaching)


def test_tech_sme_is_coached_towards_hnte_with_amounts_and_sources() -> None:
    firm = replace_year(
        reference(hnte_certificate=None), 2024, rd_expense_hnte_wan=48, rd_expense_hnte_domestic_wan=48
    )
    result = assess(firm, APPLY)
    assert result.tsme.verdict is Verdict.PASS
    assert result.hnte.label == "FAIL(RD_RATIO)"
    assert result.highest_tier_passed is Tier.TSME and result.next_tier is Tier.HNTE
    line = next(item for item in result.coaching if item.item_id == "HT-C5")
    # (180 + 240 + 48) / 11800 = 3.96 %; 5 % needs 590 万, i.e. 122 万 more
    assert line.text_zh == (
        "近三年研发费用占比 3.96%，低于 5%；需再投入研发费用 122 万元（依据：国科发火〔2016〕32号第十一条第（五）项）"
    )
    assert line.remedy is not None and line.remedy.amount == Decimal("1220000.00")


def test_every_fail_with_an_amount_shows_it_in_the_coaching_text() -> None:
    firm = reference(
        hnte_certificate=None,
        ip_items=(),
        tech_field=None,
        years=(
            year(
                2022,
                sales_revenue_wan=1000,
                net_assets_wan=100,
                rd_expense_hnte_wan=10,
                rd_expense_hnte_domestic_wan=2,
                achievements_transformed=0,
            ),
            year(
                2023,
                sales_revenue_wan=1000,
                net_assets_wan=100,
                rd_expense_hnte_wan=10,
                rd_expense_hnte_domestic_wan=2,
                achievements_transformed=1,
            ),
            year(
                2024,
                sales_revenue_wan=1000,
                net_assets_wan=100,
                rd_expense_hnte_wan=10,
                rd_expense_hnte_domestic_wan=2,
                achievements_transformed=0,
                staff_total_avg=100,
                tech_staff_avg=5,
                total_revenue_wan=1000,
                hitech_revenue_wan=100,
                rd_expense_super_deduction_wan=10,
                total_assets_wan=500,
            ),
        ),
    )
    hnte = evaluate_hnte(firm, APPLY)
    fails = [c for c in hnte.conditions if c.verdict is Verdict.FAIL]
    assert {c.reason for c in fails} >= {
        Reason.NO_IP,
        Reason.TECH_STAFF,
        Reason.RD_RATIO,
        Reason.RD_DOMESTIC,
        Reason.HITECH_REVENUE,
        Reason.INNOVATION_SCORE,
    }
    for cond in fails:
        assert cond.remedy is not None
        assert "依据：" in cond.coaching_text_zh
        if cond.remedy.unit is Unit.YUAN:
            assert re.search(r"需再\S+ [0-9.]+ 万元", cond.message_zh), cond.message_zh
        elif cond.remedy.amount is not None:
            assert str(cond.remedy.amount) in cond.message_zh
    assert hnte.condition("HT-C3").label == "NEEDS_REVIEW(MISSING_DATA)"


def test_large_firm_skips_tech_sme_and_is_coached_towards_hnte() -> None:
    firm = replace_year(
        reference(hnte_certificate=None), 2024, sales_revenue_wan=21000, hitech_revenue_wan=100
    )
    result = assess(firm, APPLY)
    assert result.tsme.label.startswith("FAIL(SIZE")
    assert result.next_tier is Tier.HNTE
    assert all(item.tier is Tier.HNTE for item in result.coaching)


def test_hnte_holder_is_coached_towards_gazelle() -> None:
    firm = replace_year(reference(), 2024, sales_revenue_wan=3000)  # CAGR 2000 → 3000 over 3 years < 20 %
    result = assess(firm, APPLY)
    assert result.hnte.verdict is not Verdict.FAIL or result.tsme.verdict is Verdict.PASS
    assert result.next_tier is Tier.GAZELLE
    growth = next(item for item in result.coaching if item.item_id == "G-GROWTH")
    # needs 2000 × 1.2³ = 3456 万, i.e. 456 万 more
    assert "需再增加 456 万元" in growth.text_zh
    assert growth.remedy is not None and growth.remedy.amount == wan(456)


def test_missing_everything_gives_needs_review_not_errors() -> None:
    empty = EnterpriseFigures(name="空白企业", establish_date=dt.date(2015, 1, 1))
    result = assess(empty, APPLY)
    assert result.tsme.verdict is Verdict.NEEDS_REVIEW
    assert result.hnte.verdict in (Verdict.FAIL, Verdict.NEEDS_REVIEW)
    assert result.gazelle.verdict is Verdict.FAIL  # no certificate: FAIL(PREREQ)
    assert Reason.PREREQ in result.gazelle.reasons


def test_expert_input_narrows_and_fixes_ranges_and_is_validated() -> None:
    banded = evaluate_hnte(reference(expert=ExpertInput(bands={"A1": "B"})), APPLY)
    assert (banded.part("A1").score_min, banded.part("A1").score_max) == (5, 6)
    with pytest.raises(ValueError):
        evaluate_hnte(reference(expert=ExpertInput(points={"C1": 7})), APPLY)
    with pytest.raises(ValueError):
        evaluate_hnte(reference(expert=ExpertInput(bands={"A2": "Z"})), APPLY)


def test_management_part_is_an_expert_range_without_invented_bands() -> None:
    result = evaluate_hnte(reference(expert=ExpertInput()), APPLY)
    part_c = result.part("C")
    assert (part_c.score_min, part_c.score_max) == (0, 20)
    assert part_c.review is Reason.EXPERT_JUDGEMENT
    assert result.score_point == result.score_min


def test_config_choices() -> None:
    assert ScorePoint.MIDPOINT.pick(65, 76) == 70
    midpoint = evaluate_hnte(reference(), APPLY, BureauConfig(score_point=ScorePoint.MIDPOINT))
    assert midpoint.score_min is not None and midpoint.score_max is not None
    assert midpoint.score_point == (midpoint.score_min + midpoint.score_max) // 2
    assert score_transformation(2, 3, HNTE, TransformationBelowOne.E).band == "E"
    young = reference(establish_date=dt.date(2023, 1, 1))
    zero = evaluate_hnte(young, APPLY, BureauConfig(growth_two_operating_years=GrowthTwoOperatingYears.ZERO))
    assert zero.part("D").score_max == 0


def test_two_operating_years_use_the_single_period_rate() -> None:
    young = reference(establish_date=dt.date(2023, 1, 1))
    d2 = evaluate_hnte(young, APPLY).part("D2")
    assert d2.actual == Decimal("0.2")  # 4800 / 4000 − 1
    assert d2.band == "C"


def test_tsme_staff_fallback_is_noted_and_can_be_switched_off() -> None:
    result = evaluate_tsme(reference(), APPLY)
    assert any("183" in note for note in result.notes_zh)
    strict = evaluate_tsme(
        reference(hnte_certificate=None), APPLY, BureauConfig(tsme_staff_fallback_to_hnte_counting=False)
    )
    assert strict.condition("S-C2.staff").label == "NEEDS_REVIEW(MISSING_DATA)"


def test_optional_super_deduction_industry_exclusion() -> None:
    firm = reference(in_super_deduction_excluded_industry=True)
    assert evaluate_tsme(firm, APPLY).verdict is Verdict.PASS
    strict = evaluate_tsme(firm, APPLY, BureauConfig(tsme_exclude_super_deduction_industries=True))
    assert strict.label == "FAIL(EXCLUDED_INDUSTRY)"


def test_rule_parameters_are_versioned_by_year(tmp_path: Path) -> None:
    with pytest.raises(LookupError):
        rule_parameters(2015)
    data = json.loads(DEFAULT_PARAMETERS_FILE.read_text(encoding="utf-8"))
    later = json.loads(json.dumps(data["versions"][0]))
    later["version"] = "test-2026"
    later["effective_from"] = 2026
    later["hnte"]["tech_staff_ratio_min"] = "0.12"
    data["versions"].append(later)
    path = tmp_path / "params.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert rule_parameters(2025, path).hnte.tech_staff_ratio_min == Decimal("0.10")
    assert rule_parameters(2026, path).hnte.tech_staff_ratio_min == Decimal("0.12")
    config = BureauConfig(parameters_file=path)
    assert evaluate_hnte(reference(), dt.date(2026, 6, 30), config).rule_version == "test-2026"
    assert (
        evaluate_hnte(reference(), APPLY, BureauConfig(parameters_file=path, rule_year=2026)).rule_version
        == "test-2026"
    )


def test_figures_refuse_floats_negatives_and_duplicate_years() -> None:
    with pytest.raises(TypeError):
        FiscalYearFigures(year=2024, sales_revenue=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        FiscalYearFigures(year=2024, sales_revenue=Decimal(-1))
    assert FiscalYearFigures(year=2024, net_assets=Decimal(-5)).net_assets == Decimal(-5)
    converted = FiscalYearFigures(year=2024, sales_revenue=12)  # type: ignore[arg-type]
    assert converted.sales_revenue == Decimal(12)
    with pytest.raises(ValueError):
        EnterpriseFigures(name="x", establish_date=dt.date(2020, 1, 1), years=(year(2024), year(2024)))


def test_ip_kinds_have_the_official_classes() -> None:
    assert IPKind.INVENTION_PATENT.ip_class is not None and IPKind.INVENTION_PATENT.ip_class.value == "I"
    assert IPKind.SOFTWARE_COPYRIGHT.ip_class is not None and IPKind.SOFTWARE_COPYRIGHT.ip_class.value == "II"
    assert IPKind.TRADEMARK.ip_class is None


def test_result_objects_are_immutable() -> None:
    result = evaluate_hnte(reference(), APPLY)
    with pytest.raises(AttributeError):
        result.verdict = Verdict.FAIL  # type: ignore[misc]
    assert replace(result, verdict=Verdict.FAIL).verdict is Verdict.FAIL


def test_a_non_resident_firm_is_not_coached_towards_gazelle_status() -> None:
    from kechuang.engines.cultivation import assess
    from kechuang.engines.cultivation.tests.builders import APPLY, reference

    firm = reference(is_resident_enterprise=False, hnte_certificate=None)
    result = assess(firm, APPLY)
    assert result.tsme.label.startswith("FAIL") and result.hnte.label.startswith("FAIL")
    assert result.next_tier is None and result.coaching == ()
