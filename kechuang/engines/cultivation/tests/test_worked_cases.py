"""The worked cases T01–T16 of spec cultivation_rules.md, named after their ids (amounts in 万元)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from kechuang.engines.cultivation import (
    EnterpriseFigures,
    ExpertInput,
    HnteCertificate,
    InstitutionLevel,
    IPItem,
    IPKind,
    RdInstitution,
    Reason,
    Verdict,
    evaluate_hnte,
    evaluate_tsme,
)
from kechuang.engines.cultivation.hnte import (
    check_innovation_score,
    check_rd_domestic,
    check_rd_ratio,
    check_registration_age,
    check_tech_staff,
    growth_rate,
    score_growth,
    score_growth_item,
    score_ip,
    score_transformation,
    select_hnte_ip,
)
from kechuang.engines.cultivation.tests.builders import APPLY, HNTE, ip, reference, wan, year


def tsme_firm(
    *,
    staff: int,
    tech: int,
    revenue: int,
    rd: int,
    ip_items: tuple[IPItem, ...],
    assets: int = 6000,
    costs: int | None = None,
    **changes: object,
) -> EnterpriseFigures:
    """A firm whose 2024 figures are the tech-SME inputs of a worked case (no HNTE certificate)."""
    row = year(
        2024,
        staff_total_avg=staff,
        tech_staff_avg=tech,
        sales_revenue_wan=revenue,
        rd_expense_super_deduction_wan=rd,
        total_assets_wan=assets,
        total_costs_and_expenses_wan=costs,
    )
    base = reference(years=(row,), ip_items=ip_items, hnte_certificate=None)
    return replace(base, **changes)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------- HNTE


def test_T01_rd_ratio_small_firm_passes_at_5_percent() -> None:
    ratio = check_rd_ratio(wan(720), wan(12000), wan(4800), HNTE)
    assert ratio.verdict is Verdict.PASS
    assert ratio.threshold == Decimal("0.05")
    assert ratio.actual == Decimal("0.06")
    domestic = check_rd_domestic(wan(700), wan(720), HNTE)
    assert domestic.verdict is Verdict.PASS
    assert "97.22%" in domestic.message_zh


def test_T01_through_evaluate_hnte() -> None:
    firm = reference(
        years=(
            year(2022, sales_revenue_wan=3200, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=240),
            year(2023, sales_revenue_wan=4000, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=240),
            year(2024, sales_revenue_wan=4800, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=220),
        )
    )
    result = evaluate_hnte(firm, APPLY)
    assert result.condition("HT-C5").verdict is Verdict.PASS
    assert result.condition("HT-C5").actual == Decimal("0.06")
    assert result.condition("HT-C5b").verdict is Verdict.PASS


def test_T02_band_boundary_5000_wan_is_in_the_5_percent_band() -> None:
    result = check_rd_ratio(wan(560), wan(12500), wan(5000), HNTE)
    assert result.threshold == Decimal("0.05")
    assert result.label == "FAIL(RD_RATIO)"
    assert "4.48%" in result.message_zh
    assert result.remedy is not None and result.remedy.amount == Decimal("650000.00")
    one_cent_more = check_rd_ratio(wan(560), wan(12500), wan(5000) + Decimal("0.01"), HNTE)
    assert one_cent_more.threshold == Decimal("0.04")
    assert one_cent_more.verdict is Verdict.PASS


def test_T03_large_firm_ratio_passes_but_domestic_share_fails() -> None:
    # The case gives the ratio (3.2 %) and the domestic split (165 of 300) separately: a 3-year R&D of
    # 300 万 cannot be 3.2 % of a 3-year revenue that includes a 25,000 万 year, so each check gets its
    # own figures.
    ratio = check_rd_ratio(wan(1920), wan(60000), wan(25000), HNTE)
    assert ratio.threshold == Decimal("0.03")
    assert ratio.verdict is Verdict.PASS
    domestic = check_rd_domestic(wan(165), wan(300), HNTE)
    assert domestic.label == "FAIL(RD_DOMESTIC)"
    assert domestic.actual == Decimal("0.55")
    # (0.6 × 300 − 165) / 0.4 = 37.5 万 of extra domestic R&D
    assert domestic.remedy is not None and domestic.remedy.amount == Decimal("375000.00")
    assert domestic.message_zh == "境内研发费用占比 55%，低于 60%；需再投入境内研发费用 37.5 万元"


def test_T04_tech_staff_boundary() -> None:
    assert check_tech_staff(Decimal(12), Decimal(120), HNTE).verdict is Verdict.PASS
    short = check_tech_staff(Decimal("11.9"), Decimal(120), HNTE)
    assert short.label == "FAIL(TECH_STAFF)"
    assert short.message_zh.startswith("科技人员占比 9.91%，低于 10%")
    assert short.remedy is not None and short.remedy.amount == 1


def test_T05_growth_normal() -> None:
    na = growth_rate([wan(1000), wan(1300), wan(1690)])
    assert na.rate == Fraction(3, 10)  # exact; float gives 0.30000000000000004
    assert (1300 / 1000 + 1690 / 1300) / 2 - 1 != 0.3
    part = score_growth([wan(1000), wan(1300), wan(1690)], [wan(2000), wan(2100), wan(2310)], HNTE)
    d1, d2 = part.children
    assert (d1.band, d1.score_min, d1.score_max) == ("B", 7, 8)
    assert d2.actual == Decimal("0.075")
    assert (d2.band, d2.score_min, d2.score_max) == ("D", 3, 4)
    assert (part.score_min, part.score_max) == (10, 12)


def test_T06a_year1_zero_uses_last_two_years() -> None:
    item = score_growth_item("D1", "净资产增长率", "净资产", [Decimal(0), wan(500), wan(800)], HNTE)
    assert item.actual == Decimal("0.6")
    assert (item.band, item.score_min, item.score_max) == ("A", 9, 10)


def test_T06b_year2_zero_gives_zero_points() -> None:
    item = score_growth_item("D2", "销售收入增长率", "销售收入", [wan(300), Decimal(0), wan(500)], HNTE)
    assert (item.score_min, item.score_max) == (0, 0)
    assert item.review is None


def test_T06c_negative_growth_gives_zero_points() -> None:
    item = score_growth_item("D1", "净资产增长率", "净资产", [wan(1000), wan(900), wan(850)], HNTE)
    assert item.band == "F" and (item.score_min, item.score_max) == (0, 0)
    assert "-7.78%" in item.message_zh
    assert growth_rate([wan(1000), wan(900), wan(850)]).rate == (Fraction(9, 10) + Fraction(85, 90)) / 2 - 1


def test_T07_growth_on_an_edge() -> None:
    item = score_growth_item("D2", "销售收入增长率", "销售收入", [wan(1000), wan(1200), wan(1500)], HNTE)
    assert item.actual == Decimal("0.225")
    assert (item.band, item.score_min, item.score_max) == ("C", 5, 6)
    exactly_25 = score_growth_item(
        "D2", "销售收入增长率", "销售收入", [wan(1000), wan(1250), Decimal("15625000")], HNTE
    )
    assert exactly_25.actual == Decimal("0.25")
    assert exactly_25.band == "B"


def test_T08_ip_quantity_and_reuse_on_re_recognition() -> None:
    items = ip(3, IPKind.UTILITY_MODEL) + (
        replace(
            ip(1, IPKind.SOFTWARE_COPYRIGHT)[0], identifier="2019SR000001", used_in_previous_recognition=True
        ),
    )
    selection = select_hnte_ip(items)
    assert selection.class_ii_count == 3
    assert [item.identifier for item, _ in selection.dropped] == ["2019SR000001"]
    part = score_ip(selection, (), APPLY, HNTE)
    a3 = next(c for c in part.children if c.part_id == "A3")
    a4 = next(c for c in part.children if c.part_id == "A4")
    assert (a3.band, a3.score_min, a3.score_max) == ("C", 3, 4)
    assert (a4.band, a4.score_min, a4.score_max) == ("A", 1, 6)
    result = evaluate_hnte(
        reference(ip_items=items, hnte_certificate=HnteCertificate("GR2022", dt.date(2022, 11, 1))), APPLY
    )
    assert result.dropped_ip == ("2019SR000001",)
    assert any("2019SR000001" in note for note in result.notes_zh)
    assert result.part("A3").band == "C"


def test_T09a_transformation_11_in_3_years() -> None:
    part = score_transformation(11, 3, HNTE)
    assert (part.band, part.score_min, part.score_max) == ("C", 13, 18)
    assert "3.67" in part.message_zh


def test_T09b_transformation_firm_operating_2_years() -> None:
    part = score_transformation(9, 2, HNTE)
    assert part.actual == Decimal("4.5")
    assert (part.band, part.score_min, part.score_max) == ("B", 19, 24)
    firm = reference(
        establish_date=dt.date(2023, 1, 15),
        years=(
            year(2023, achievements_transformed=4, sales_revenue_wan=1000, net_assets_wan=500),
            year(2024, achievements_transformed=5, sales_revenue_wan=1200, net_assets_wan=600),
        ),
    )
    assert evaluate_hnte(firm, APPLY).part("B").band == "B"


def test_T09c_transformation_below_one_per_year() -> None:
    part = score_transformation(2, 3, HNTE)
    assert (part.band, part.score_min, part.score_max) == ("F", 0, 0)
    assert part.review is Reason.TRANSFORMATION_BELOW_ONE


def test_T10_total_score_threshold() -> None:
    assert check_innovation_score(24 + 20 + 15 + 12, 24 + 20 + 15 + 12, HNTE).verdict is Verdict.PASS
    low = check_innovation_score(24 + 20 + 14 + 12, 24 + 20 + 14 + 12, HNTE)
    assert low.label == "FAIL(INNOVATION_SCORE)"
    assert low.remedy is not None and low.remedy.amount == 1
    passing = evaluate_hnte(reference(expert=ExpertInput(points={"A": 24, "B": 20, "C": 15, "D": 12})), APPLY)
    assert (passing.score_min, passing.score_max) == (71, 71)
    assert passing.condition("HT-C7").verdict is Verdict.PASS
    failing = evaluate_hnte(reference(expert=ExpertInput(points={"A": 24, "B": 20, "C": 14, "D": 12})), APPLY)
    assert failing.condition("HT-C7").label == "FAIL(INNOVATION_SCORE)"


def test_T11_age_gate_fails_whatever_the_score() -> None:
    assert check_registration_age(dt.date(2024, 3, 1), dt.date(2025, 2, 10), HNTE).label == "FAIL(REG_AGE)"
    firm = reference(
        establish_date=dt.date(2024, 3, 1),
        expert=ExpertInput(points={"A": 30, "B": 30, "C": 20, "D": 20}),
    )
    result = evaluate_hnte(firm, dt.date(2025, 2, 10))
    assert result.verdict is Verdict.FAIL
    assert result.reasons == (Reason.REG_AGE,)
    assert result.condition("HT-C1").remedy.until == dt.date(2025, 3, 1)  # type: ignore[union-attr]


# ----------------------------------------------------------------------------------------------- tech SME


def test_T12_sme_normal_pass() -> None:
    result = evaluate_tsme(tsme_firm(staff=80, tech=20, revenue=5000, rd=300, ip_items=ip(3)), APPLY)
    assert [p.score_min for p in result.score_parts] == [16, 50, 18]
    assert result.score_min == result.score_max == 84
    assert result.label == "PASS" and result.route == "SCORE"


def test_T13_sme_tech_staff_zero_gate() -> None:
    result = evaluate_tsme(
        tsme_firm(staff=80, tech=7, revenue=5000, rd=350, ip_items=ip(1, IPKind.INVENTION_PATENT)), APPLY
    )
    assert result.score_min == 80
    assert result.condition("S-C5.score").verdict is Verdict.PASS
    gate = result.condition("S-C5.tech")
    assert gate.label == "FAIL(TECH_STAFF_ZERO)"
    assert gate.remedy is not None and gate.remedy.amount == 2  # 8/81 < 10 % ≤ 9/82
    assert result.label == "FAIL(TECH_STAFF_ZERO)"


def test_T14_sme_best_of_two_rd_metrics() -> None:
    result = evaluate_tsme(
        tsme_firm(staff=50, tech=15, revenue=6000, rd=150, costs=700, ip_items=ip(2)), APPLY
    )
    rd = result.part("RD")
    assert result.part("RD1").score_min == 10
    assert result.part("RD2").score_min == 30
    assert "21.42%" in result.part("RD2").message_zh
    assert rd.score_min == 30
    assert result.score_min == 62
    assert result.label == "PASS"
    assert 20 + result.part("RD1").score_min + 12 == 42  # metric (1) alone would fail


def test_T15_size_limit_beats_direct_route() -> None:
    firm = tsme_firm(
        staff=300,
        tech=90,
        revenue=21000,
        rd=1300,
        ip_items=ip(1, IPKind.INVENTION_PATENT),
        hnte_certificate=HnteCertificate("GR202451000009", dt.date(2024, 12, 1)),
    )
    result = evaluate_tsme(firm, APPLY)
    assert result.condition("S-D").verdict is Verdict.PASS
    assert result.condition("S-C2.sales").label == "FAIL(SIZE)"
    assert result.label == "FAIL(SIZE)"


def test_T16_sme_direct_route_regardless_of_score() -> None:
    firm = tsme_firm(
        staff=100,
        tech=20,
        revenue=5000,
        rd=100,
        ip_items=ip(3),
        rd_institutions=(RdInstitution("四川省玄武岩纤维工程技术研究中心", InstitutionLevel.PROVINCIAL),),
    )
    result = evaluate_tsme(firm, APPLY)
    assert result.score_min == 40
    assert result.condition("S-C5.score").verdict is Verdict.FAIL
    assert result.label == "PASS(DIRECT:RD_INSTITUTION)"
    assert result.verdict is Verdict.PASS


def test_T16_without_the_institution_the_score_fails() -> None:
    firm = tsme_firm(staff=100, tech=20, revenue=5000, rd=100, ip_items=ip(3))
    assert evaluate_tsme(firm, APPLY).label == "FAIL(SCORE)"
