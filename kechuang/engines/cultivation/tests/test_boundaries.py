"""Band edges and thresholds: exactly at the edge and just below (one 分, one day or one unit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from kechuang.engines.cultivation import (
    AwardLevel,
    AwardRecord,
    BureauConfig,
    GazelleTemplate,
    GrowthMethod,
    HnteCertificate,
    Incident,
    IncidentKind,
    IPKind,
    Prerequisite,
    Reason,
    RegistrationAgeRule,
    TsmeRegistration,
    Verdict,
    evaluate_gazelle,
    evaluate_tsme,
)
from kechuang.engines.cultivation.gazelle import check_growth
from kechuang.engines.cultivation.hnte import (
    check_hitech_revenue,
    check_innovation_score,
    check_no_major_incident,
    check_rd_domestic,
    check_rd_ratio,
    check_registration_age,
    check_tech_staff,
    score_growth_item,
    score_ip,
    score_ip_quantity,
    score_transformation,
    select_hnte_ip,
)
from kechuang.engines.cultivation.tests.builders import APPLY, HNTE, TSME, ip, reference, replace_year, wan
from kechuang.engines.cultivation.tsme import (
    check_credit,
    check_score,
    check_size,
    direct_routes,
    score_rd,
    score_tech_staff,
)
from kechuang.engines.cultivation.tsme import score_ip as tsme_score_ip

CENT = Decimal("0.01")

# ------------------------------------------------------------------------------------------ HNTE HT-C5


@pytest.mark.parametrize(
    ("last_year_sales", "threshold"),
    [
        (Decimal(50_000_000), Decimal("0.05")),
        (Decimal(50_000_000) + CENT, Decimal("0.04")),
        (Decimal(200_000_000), Decimal("0.04")),
        (Decimal(200_000_000) + CENT, Decimal("0.03")),
        (Decimal(0), Decimal("0.05")),
    ],
)
def test_rd_band_is_picked_by_last_year_sales_with_inclusive_upper_edges(
    last_year_sales: Decimal, threshold: Decimal
) -> None:
    assert HNTE.rd_ratio_threshold(last_year_sales) == threshold
    assert check_rd_ratio(Decimal(1), Decimal(100), last_year_sales, HNTE).threshold == threshold


@pytest.mark.parametrize(("last_year", "pct"), [(wan(4000), 5), (wan(10000), 4), (wan(30000), 3)])
def test_rd_ratio_exactly_on_the_threshold_passes_and_one_fen_less_fails(
    last_year: Decimal, pct: int
) -> None:
    sales_3y = wan(30000) + Decimal("0.37")
    rd_exact = sales_3y * pct / 100  # terminating decimal
    assert check_rd_ratio(rd_exact, sales_3y, last_year, HNTE).verdict is Verdict.PASS
    below = check_rd_ratio(rd_exact - CENT, sales_3y, last_year, HNTE)
    assert below.label == "FAIL(RD_RATIO)"
    assert below.remedy is not None and below.remedy.amount == CENT


def test_rd_ratio_missing_figures_need_review() -> None:
    assert check_rd_ratio(None, wan(1), wan(1), HNTE).label == "NEEDS_REVIEW(MISSING_DATA)"
    assert check_rd_ratio(wan(1), Decimal(0), wan(1), HNTE).label == "NEEDS_REVIEW(MISSING_DATA)"
    assert check_rd_ratio(wan(1), wan(1), None, HNTE).label == "NEEDS_REVIEW(MISSING_DATA)"


def test_spec_message_example_reads_exactly() -> None:
    result = check_rd_ratio(wan(96), wan(3000), wan(1000), HNTE)
    assert result.message_zh == "近三年研发费用占比 3.2%，低于 5%；需再投入研发费用 54 万元"
    assert result.remedy is not None and result.remedy.amount == Decimal("540000.00")
    assert result.coaching_text_zh.endswith("（依据：国科发火〔2016〕32号第十一条第（五）项）")


# ------------------------------------------------------------------------------------------ other HNTE ratios


def test_tech_staff_exactly_10_percent_passes_and_just_below_fails() -> None:
    assert check_tech_staff(Decimal(10), Decimal(100), HNTE).verdict is Verdict.PASS
    assert check_tech_staff(Decimal("9.99"), Decimal(100), HNTE).label == "FAIL(TECH_STAFF)"


def test_domestic_share_exactly_60_percent_passes() -> None:
    assert check_rd_domestic(wan(60), wan(100), HNTE).verdict is Verdict.PASS
    assert check_rd_domestic(wan(60) - CENT, wan(100), HNTE).label == "FAIL(RD_DOMESTIC)"
    assert check_rd_domestic(Decimal(0), Decimal(0), HNTE).label == "NEEDS_REVIEW(NO_RD_EXPENSE)"


def test_hitech_revenue_share_uses_total_income_less_non_taxable() -> None:
    # 600 / (1100 − 100) = 60 % exactly
    assert check_hitech_revenue(wan(600), wan(1100), wan(100), HNTE).verdict is Verdict.PASS
    below = check_hitech_revenue(wan(600) - CENT, wan(1100), wan(100), HNTE)
    assert below.label == "FAIL(HITECH_REVENUE)"
    # (0.6 × 1000万 − (600万 − 0.01)) / 0.4 = 0.025 → rounded up to 0.03 yuan
    assert below.remedy is not None and below.remedy.amount == Decimal("0.03")


@pytest.mark.parametrize(
    ("low", "high", "label"),
    [
        (71, 71, "PASS"),
        (70, 70, "FAIL(INNOVATION_SCORE)"),
        (65, 75, "NEEDS_REVIEW(SCORE_RANGE)"),
        (71, 90, "PASS"),
        (50, 70, "FAIL(INNOVATION_SCORE)"),
    ],
)
def test_innovation_score_71_is_the_pass_mark(low: int, high: int, label: str) -> None:
    assert check_innovation_score(low, high, HNTE).label == label


def test_innovation_score_rejects_inverted_range() -> None:
    with pytest.raises(ValueError):
        check_innovation_score(72, 71, HNTE)


# ------------------------------------------------------------------------------------------ dates


def test_registration_exactly_one_year_passes_one_day_less_fails() -> None:
    assert check_registration_age(dt.date(2024, 3, 1), dt.date(2025, 3, 1), HNTE).verdict is Verdict.PASS
    assert check_registration_age(dt.date(2024, 3, 1), dt.date(2025, 2, 28), HNTE).label == "FAIL(REG_AGE)"


def test_registration_on_29_february_and_the_365_day_rule() -> None:
    assert check_registration_age(dt.date(2024, 2, 29), dt.date(2025, 2, 28), HNTE).verdict is Verdict.PASS
    assert check_registration_age(dt.date(2024, 2, 29), dt.date(2025, 2, 27), HNTE).verdict is Verdict.FAIL
    rule = RegistrationAgeRule.DAYS_365
    assert (
        check_registration_age(dt.date(2024, 1, 1), dt.date(2024, 12, 31), HNTE, rule).verdict is Verdict.PASS
    )
    assert (
        check_registration_age(dt.date(2024, 1, 1), dt.date(2024, 12, 30), HNTE, rule).verdict is Verdict.FAIL
    )


def test_incident_exactly_one_year_before_applying_still_counts() -> None:
    on_edge = (Incident(dt.date(2024, 6, 30), IncidentKind.MAJOR_SAFETY),)
    result = check_no_major_incident(on_edge, APPLY, HNTE)
    assert result.label == "FAIL(MAJOR_INCIDENT)"
    assert result.remedy is not None and result.remedy.until == dt.date(2025, 7, 1)
    assert check_no_major_incident(on_edge, dt.date(2025, 7, 1), HNTE).verdict is Verdict.PASS
    earlier = (Incident(dt.date(2024, 6, 29), IncidentKind.MAJOR_SAFETY),)
    assert check_no_major_incident(earlier, APPLY, HNTE).verdict is Verdict.PASS
    fraud_only = (Incident(dt.date(2025, 1, 1), IncidentKind.SERIOUS_FRAUD),)
    assert check_no_major_incident(fraud_only, APPLY, HNTE).verdict is Verdict.PASS
    assert check_no_major_incident(None, APPLY, HNTE).label == "NEEDS_REVIEW(MISSING_DATA)"


def test_hnte_certificate_valid_for_three_years_less_one_day() -> None:
    cert = HnteCertificate("GR", dt.date(2022, 11, 1))
    assert cert.valid_until == dt.date(2025, 10, 31)
    assert cert.is_valid_on(dt.date(2025, 10, 31))
    assert not cert.is_valid_on(dt.date(2025, 11, 1))


# ------------------------------------------------------------------------------------------ HNTE score bands


@pytest.mark.parametrize(("rate", "band"), [("0.35", "A"), ("0.25", "B"), ("0.15", "C"), ("0.05", "D")])
def test_growth_exactly_on_an_edge_is_in_the_higher_band_and_one_fen_less_is_not(
    rate: str, band: str
) -> None:
    # V1 = V2 = 1000万, V3 = 1000万 × (1 + 2g) gives ((1) + (1 + 2g)) / 2 − 1 = g exactly
    v3 = wan(1000) * (1 + 2 * Decimal(rate))
    on_edge = score_growth_item("D2", "销售收入增长率", "销售收入", [wan(1000), wan(1000), v3], HNTE)
    assert on_edge.actual == Decimal(rate)
    assert on_edge.band == band
    below = score_growth_item("D2", "销售收入增长率", "销售收入", [wan(1000), wan(1000), v3 - CENT], HNTE)
    assert below.band == chr(ord(band) + 1)
    assert below.next_band is not None and below.next_band.remedy is not None
    assert below.next_band.band == band
    assert below.next_band.remedy.amount == CENT


def test_growth_zero_is_f_and_anything_above_zero_is_e() -> None:
    flat = score_growth_item("D1", "净资产增长率", "净资产", [wan(1000), wan(1000), wan(1000)], HNTE)
    assert (flat.band, flat.score_max) == ("F", 0)
    assert flat.next_band is not None and flat.next_band.remedy is not None
    assert flat.next_band.remedy.amount == CENT  # "> 0" is exclusive: one 分 more
    up = score_growth_item("D1", "净资产增长率", "净资产", [wan(1000), wan(1000), wan(1000) + CENT], HNTE)
    assert (up.band, up.score_min, up.score_max) == ("E", 1, 2)


def test_growth_negative_first_year_needs_review_and_two_operating_years() -> None:
    neg = score_growth_item("D1", "净资产增长率", "净资产", [wan(-100), wan(500), wan(800)], HNTE)
    assert neg.actual == Decimal("0.6") and neg.review is Reason.NEGATIVE_BASE
    two = score_growth_item("D2", "销售收入增长率", "销售收入", [wan(1000), wan(1250)], HNTE)
    assert two.actual == Decimal("0.25") and two.band == "B"
    one = score_growth_item("D2", "销售收入增长率", "销售收入", [wan(1000)], HNTE)
    assert one.score_max == 0


@pytest.mark.parametrize(
    ("count", "band"), [(15, "A"), (14, "B"), (12, "B"), (9, "C"), (6, "D"), (3, "E"), (0, "F")]
)
def test_transformation_band_edges_over_three_years(count: int, band: str) -> None:
    part = score_transformation(count, 3, HNTE)
    assert part.band == band
    assert part.review is None


def test_transformation_next_band_counts_the_achievements_needed() -> None:
    part = score_transformation(11, 3, HNTE)  # 3.67 → needs 12 for 4.0
    assert part.next_band is not None and part.next_band.remedy is not None
    assert part.next_band.remedy.amount == 1


@pytest.mark.parametrize(
    ("n1", "n2", "band"),
    [(1, 0, "A"), (0, 5, "B"), (0, 4, "C"), (0, 3, "C"), (0, 2, "D"), (0, 1, "D"), (0, 0, "E")],
)
def test_ip_quantity_bands(n1: int, n2: int, band: str) -> None:
    assert score_ip_quantity(n1, n2, HNTE).band == band


def test_ip_part_is_capped_at_30() -> None:
    from kechuang.engines.cultivation import ExpertInput, StandardLevel, StandardRecord, StandardRole

    selection = select_hnte_ip(ip(1, IPKind.INVENTION_PATENT))
    standard = StandardRecord(
        "GB/T 1", StandardLevel.NATIONAL, StandardRole.PARTICIPATED, dt.date(2023, 1, 1)
    )
    part = score_ip(selection, (standard,), APPLY, HNTE, ExpertInput(points={"A1": 8, "A2": 8}))
    assert sum(c.score_max for c in part.children) == 32
    assert (part.score_min, part.score_max) == (25, 30)


def test_trademarks_and_foreign_ip_do_not_count_for_hnte() -> None:
    items = ip(1, IPKind.TRADEMARK) + ip(1, IPKind.INVENTION_PATENT, granted_in_china=False)
    selection = select_hnte_ip(items)
    assert selection.eligible == ()
    assert len(selection.dropped) == 2


# ------------------------------------------------------------------------------------------ tech SME


def test_size_limits_are_inclusive() -> None:
    at_limit = check_size(Decimal(500), Decimal(200_000_000), Decimal(200_000_000), TSME)
    assert all(c.verdict is Verdict.PASS for c in at_limit)
    over = check_size(Decimal(501), Decimal(200_000_000) + CENT, Decimal(200_000_000) + CENT, TSME)
    assert [c.label for c in over] == ["FAIL(SIZE)"] * 3
    assert over[1].remedy is not None and over[1].remedy.amount == CENT and not over[1].remedy.actionable


@pytest.mark.parametrize(
    ("tech", "points"), [("30", 20), ("29.99", 16), ("25", 16), ("20", 12), ("15", 8), ("10", 4), ("9.99", 0)]
)
def test_sme_tech_staff_band_lower_bounds_are_inclusive(tech: str, points: int) -> None:
    assert score_tech_staff(Decimal(tech), Decimal(100), TSME).score_min == points


@pytest.mark.parametrize(
    ("pct", "points"), [("6", 50), ("5.99", 40), ("5", 40), ("4", 30), ("3", 20), ("2", 10), ("1.99", 0)]
)
def test_sme_rd_sales_bands(pct: str, points: int) -> None:
    rd = wan(10000) * Decimal(pct) / 100
    assert score_rd(rd, wan(10000), None, TSME).score_min == points


@pytest.mark.parametrize(
    ("pct", "points"), [("30", 50), ("25", 40), ("20", 30), ("15", 20), ("10", 10), ("9.99", 0)]
)
def test_sme_rd_cost_bands(pct: str, points: int) -> None:
    rd = wan(1000) * Decimal(pct) / 100
    assert score_rd(rd, None, wan(1000), TSME).score_min == points


@pytest.mark.parametrize(("n2", "points"), [(5, 24), (4, 24), (3, 18), (2, 12), (1, 6), (0, 0)])
def test_sme_ip_points(n2: int, points: int) -> None:
    assert tsme_score_ip(ip(n2), TSME).score_min == points
    assert tsme_score_ip(ip(n2) + ip(1, IPKind.INVENTION_PATENT), TSME).score_min == 30


def test_sme_ip_excludes_disputed_and_trademarks_but_allows_reuse() -> None:
    items = ip(1, in_dispute=True) + ip(1, IPKind.TRADEMARK) + ip(1, used_in_previous_recognition=True)
    assert tsme_score_ip(items, TSME).score_min == 6


def test_sme_score_exactly_60_passes() -> None:
    assert check_score(60, 60, TSME).verdict is Verdict.PASS
    short = check_score(58, 58, TSME)
    assert short.label == "FAIL(SCORE)" and short.remedy is not None and short.remedy.amount == 2


def test_sme_credit_window_starts_on_1_january_of_the_previous_year() -> None:
    before = (Incident(dt.date(2023, 12, 31), IncidentKind.SERIOUS_FRAUD),)
    inside = (Incident(dt.date(2024, 1, 1), IncidentKind.SERIOUS_FRAUD),)
    assert check_credit(before, False, False, APPLY).verdict is Verdict.PASS
    assert check_credit(inside, False, False, APPLY).label == "FAIL(CREDIT)"
    assert check_credit((), True, False, APPLY).label == "FAIL(CREDIT)"
    assert check_credit((), None, False, APPLY).label == "NEEDS_REVIEW(MISSING_DATA)"


def test_direct_route_look_back_is_five_years_to_the_day_and_top_three() -> None:
    five_years = AwardRecord("国家科技进步奖", AwardLevel.NATIONAL, dt.date(2020, 6, 30), rank=3)
    firm = reference(awards=(five_years,), hnte_certificate=None)
    assert [code for code, _ in direct_routes(firm, APPLY, TSME)] == ["NATIONAL_AWARD"]
    older = replace(firm, awards=(replace(five_years, date=dt.date(2020, 6, 29)),))
    assert direct_routes(older, APPLY, TSME) == ()
    fourth = replace(firm, awards=(replace(five_years, rank=4),))
    assert direct_routes(fourth, APPLY, TSME) == ()


def test_expired_hnte_certificate_is_not_a_direct_route() -> None:
    firm = reference(hnte_certificate=HnteCertificate("GR", dt.date(2022, 6, 30)))
    assert firm.hnte_certificate is not None and firm.hnte_certificate.valid_until == dt.date(2025, 6, 29)
    assert direct_routes(firm, APPLY, TSME) == ()
    assert evaluate_tsme(firm, APPLY).route == "SCORE"


# ------------------------------------------------------------------------------------------ gazelle


def _template(**changes: object) -> GazelleTemplate:
    return replace(GazelleTemplate(), **changes)  # type: ignore[arg-type]


def test_cagr_exactly_20_percent_passes_and_one_fen_less_fails() -> None:
    template = _template()
    on_edge = check_growth([wan(1000), wan(1100), wan(1500), wan(1728)], template)
    assert on_edge.verdict is Verdict.PASS
    assert on_edge.actual == Decimal("0.2")
    below = check_growth([wan(1000), wan(1100), wan(1500), wan(1728) - CENT], template)
    assert below.label == "FAIL(GROWTH)"
    assert below.remedy is not None and below.remedy.amount == CENT


def test_cagr_over_two_intervals_and_mean_of_rates_edges() -> None:
    two = _template(growth_intervals=2)
    assert check_growth([wan(1000), wan(1300), wan(1440)], two).verdict is Verdict.PASS
    assert check_growth([wan(1000), wan(1300), wan(1440) - CENT], two).verdict is Verdict.FAIL
    mean = _template(growth_method=GrowthMethod.MEAN_OF_YEARLY_RATES, growth_intervals=2)
    # rates 10 % and 30 %: mean 20 % exactly
    assert check_growth([wan(1000), wan(1100), wan(1430)], mean).verdict is Verdict.PASS
    short = check_growth([wan(1000), wan(1100), wan(1430) - CENT], mean)
    assert short.verdict is Verdict.FAIL and short.remedy is not None and short.remedy.amount == CENT


def test_growth_with_non_positive_base_needs_review() -> None:
    assert (
        check_growth([Decimal(0), wan(1), wan(2), wan(3)], _template()).label == "NEEDS_REVIEW(NEGATIVE_BASE)"
    )
    with pytest.raises(ValueError):
        check_growth([wan(1), wan(2)], _template())


def test_large_firm_growth_variant() -> None:
    template = _template(large_firm_revenue_over=wan(50000), growth_min_large_firm=Decimal("0.10"))
    values = [wan(40000), wan(44000), wan(48400), wan(53240)]  # exactly 10 % a year
    assert check_growth(values, template, last_revenue=wan(53240)).verdict is Verdict.PASS
    assert check_growth(values, template, last_revenue=wan(50000)).verdict is Verdict.FAIL


def test_gazelle_base_revenue_age_and_rd_edges() -> None:
    firm = replace_year(reference(), 2021, sales_revenue_wan=1000)
    firm = replace_year(firm, 2024, sales_revenue_wan=1728, rd_expense_hnte=wan("51.84"))
    result = evaluate_gazelle(firm, APPLY)
    assert result.condition("G-BASE").verdict is Verdict.PASS
    assert result.condition("G-GROWTH").verdict is Verdict.PASS
    assert result.condition("G-RD").verdict is Verdict.PASS  # 51.84 / 1728 = 3 %
    low_base = replace_year(firm, 2021, sales_revenue=wan(1000) - CENT)
    assert evaluate_gazelle(low_base, APPLY).condition("G-BASE").label == "FAIL(BASE_REVENUE)"
    assert (
        evaluate_gazelle(replace(firm, establish_date=dt.date(2015, 6, 30)), APPLY).condition("G-AGE").verdict
        is Verdict.PASS
    )
    assert (
        evaluate_gazelle(replace(firm, establish_date=dt.date(2015, 6, 29)), APPLY).condition("G-AGE").label
        == "FAIL(AGE)"
    )


def test_gazelle_prerequisite_default_and_variant() -> None:
    firm = reference(hnte_certificate=None, tsme_registration=TsmeRegistration("2025511700000123", 2025))
    assert evaluate_gazelle(firm, APPLY).condition("G-PREREQ").label == "FAIL(PREREQ)"
    config = BureauConfig(gazelle=_template(prerequisite=Prerequisite.HNTE_OR_TSME))
    assert evaluate_gazelle(firm, APPLY, config).condition("G-PREREQ").verdict is Verdict.PASS


def test_gazelle_violation_window() -> None:
    three_years = (Incident(dt.date(2022, 6, 30), IncidentKind.SERIOUS_ENVIRONMENTAL),)
    assert (
        evaluate_gazelle(reference(incidents=three_years), APPLY).condition("G-CLEAN").label
        == "FAIL(VIOLATION)"
    )
    older = (Incident(dt.date(2022, 6, 29), IncidentKind.SERIOUS_ENVIRONMENTAL),)
    assert evaluate_gazelle(reference(incidents=older), APPLY).condition("G-CLEAN").verdict is Verdict.PASS


def test_exact_fraction_helpers_agree_with_decimal_on_edges() -> None:
    assert Fraction(Decimal("0.1")) == Fraction(1, 10)
