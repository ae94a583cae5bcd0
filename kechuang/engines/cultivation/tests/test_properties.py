"""Property tests: the suggested smallest change makes a condition pass (or reaches the next band),
and a change one unit (0.01 yuan, one person, one item) smaller does not."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kechuang.engines.cultivation import GazelleTemplate, GrowthMethod, Verdict
from kechuang.engines.cultivation.gazelle import check_growth
from kechuang.engines.cultivation.hnte import (
    check_hitech_revenue,
    check_rd_domestic,
    check_rd_ratio,
    check_tech_staff,
    score_growth_item,
    score_transformation,
)
from kechuang.engines.cultivation.tests.builders import HNTE, TSME
from kechuang.engines.cultivation.tsme import score_rd, score_tech_staff

CENT = Decimal("0.01")
money = st.integers(min_value=1, max_value=10**12).map(lambda cents: Decimal(cents).scaleb(-2))
small_money = st.integers(min_value=0, max_value=10**11).map(lambda cents: Decimal(cents).scaleb(-2))
persons = st.integers(min_value=0, max_value=5000).map(lambda tenths: Decimal(tenths) / 10)

ENGINE = settings(max_examples=150, deadline=None, database=None)


@ENGINE
@given(rd=small_money, sales=money, last=money)
def test_rd_ratio_verdict_is_the_exact_comparison_and_the_remedy_is_minimal(
    rd: Decimal, sales: Decimal, last: Decimal
) -> None:
    result = check_rd_ratio(rd, sales, last, HNTE)
    threshold = HNTE.rd_ratio_threshold(last)
    assert (result.verdict is Verdict.PASS) == (Fraction(rd) / Fraction(sales) >= Fraction(threshold))
    if result.verdict is Verdict.FAIL:
        assert result.remedy is not None
        amount = result.remedy.amount
        assert isinstance(amount, Decimal) and amount > 0
        assert check_rd_ratio(rd + amount, sales, last, HNTE).verdict is Verdict.PASS
        assert check_rd_ratio(rd + amount - CENT, sales, last, HNTE).verdict is Verdict.FAIL


@ENGINE
@given(domestic=small_money, foreign=small_money)
def test_domestic_share_remedy_is_minimal(domestic: Decimal, foreign: Decimal) -> None:
    total = domestic + foreign
    assume(total > 0)
    result = check_rd_domestic(domestic, total, HNTE)
    if result.verdict is Verdict.FAIL:
        assert result.remedy is not None
        x = result.remedy.amount
        assert isinstance(x, Decimal)
        assert check_rd_domestic(domestic + x, total + x, HNTE).verdict is Verdict.PASS
        assert check_rd_domestic(domestic + x - CENT, total + x - CENT, HNTE).verdict is Verdict.FAIL


@ENGINE
@given(hitech=small_money, other=small_money, non_taxable=small_money)
def test_hitech_revenue_remedy_is_minimal(hitech: Decimal, other: Decimal, non_taxable: Decimal) -> None:
    total = hitech + other + non_taxable
    assume(hitech + other > 0)
    result = check_hitech_revenue(hitech, total, non_taxable, HNTE)
    if result.verdict is Verdict.FAIL:
        assert result.remedy is not None
        x = result.remedy.amount
        assert isinstance(x, Decimal)
        assert check_hitech_revenue(hitech + x, total + x, non_taxable, HNTE).verdict is Verdict.PASS
        assert (
            check_hitech_revenue(hitech + x - CENT, total + x - CENT, non_taxable, HNTE).verdict
            is Verdict.FAIL
        )


@ENGINE
@given(tech=persons, others=persons)
def test_tech_staff_remedy_counts_whole_new_hires(tech: Decimal, others: Decimal) -> None:
    staff = tech + others
    assume(staff > 0)
    result = check_tech_staff(tech, staff, HNTE)
    if result.verdict is Verdict.FAIL:
        assert result.remedy is not None
        x = result.remedy.amount
        assert isinstance(x, int) and x >= 1
        assert check_tech_staff(tech + x, staff + x, HNTE).verdict is Verdict.PASS
        assert check_tech_staff(tech + x - 1, staff + x - 1, HNTE).verdict is Verdict.FAIL


@ENGINE
@given(tech=persons, others=persons)
def test_sme_tech_staff_next_band_hint_is_minimal(tech: Decimal, others: Decimal) -> None:
    staff = tech + others
    assume(staff > 0)
    part = score_tech_staff(tech, staff, TSME)
    if part.next_band is not None:
        assert part.next_band.remedy is not None
        x = part.next_band.remedy.amount
        assert isinstance(x, int)
        assert score_tech_staff(tech + x, staff + x, TSME).score_min >= part.next_band.points_min
        if x > 0:
            assert score_tech_staff(tech + x - 1, staff + x - 1, TSME).score_min < part.next_band.points_min


@ENGINE
@given(rd=small_money, sales=money, costs_other=small_money)
def test_sme_rd_next_points_hint_is_enough(rd: Decimal, sales: Decimal, costs_other: Decimal) -> None:
    costs = rd + costs_other
    assume(costs > 0)
    part = score_rd(rd, sales, costs, TSME)
    if part.next_band is not None:
        assert part.next_band.remedy is not None
        x = part.next_band.remedy.amount
        assert isinstance(x, Decimal)
        assert score_rd(rd + x, sales, costs + x, TSME).score_min >= part.next_band.points_min
        if x > 0:
            assert (
                score_rd(rd + x - CENT, sales, costs + x - CENT, TSME).score_min < part.next_band.points_min
            )


@ENGINE
@given(v1=money, v2=money, v3=small_money)
def test_growth_next_band_hint_is_minimal(v1: Decimal, v2: Decimal, v3: Decimal) -> None:
    item = score_growth_item("D2", "销售收入增长率", "销售收入", [v1, v2, v3], HNTE)
    if item.next_band is None:
        return
    assert item.next_band.remedy is not None
    x = item.next_band.remedy.amount
    assert isinstance(x, Decimal) and x > 0
    target = item.next_band.band
    reached = score_growth_item("D2", "销售收入增长率", "销售收入", [v1, v2, v3 + x], HNTE).band
    short = score_growth_item("D2", "销售收入增长率", "销售收入", [v1, v2, v3 + x - CENT], HNTE).band
    assert reached is not None and short is not None
    assert reached <= target < short


@ENGINE
@given(v3=small_money, delta=st.integers(min_value=1, max_value=10**8).map(lambda c: Decimal(c).scaleb(-2)))
def test_growth_band_never_drops_when_the_last_year_rises(v3: Decimal, delta: Decimal) -> None:
    values = [Decimal(10_000_000), Decimal(12_000_000)]
    before = score_growth_item("D2", "x", "x", [*values, v3], HNTE).band
    after = score_growth_item("D2", "x", "x", [*values, v3 + delta], HNTE).band
    assert after is not None and before is not None and after <= before


@ENGINE
@given(count=st.integers(min_value=0, max_value=40), years=st.integers(min_value=1, max_value=3))
def test_transformation_next_band_hint_is_minimal(count: int, years: int) -> None:
    part = score_transformation(count, years, HNTE)
    if part.next_band is None:
        return
    assert part.next_band.remedy is not None
    x = part.next_band.remedy.amount
    assert isinstance(x, int) and x >= 1
    assert score_transformation(count + x, years, HNTE).band == part.next_band.band
    assert score_transformation(count + x - 1, years, HNTE).band != part.next_band.band


@ENGINE
@given(
    values=st.lists(money, min_size=4, max_size=4),
    method=st.sampled_from(list(GrowthMethod)),
    intervals=st.sampled_from([2, 3]),
)
def test_gazelle_growth_remedy_is_minimal(
    values: list[Decimal], method: GrowthMethod, intervals: int
) -> None:
    template = replace(GazelleTemplate(), growth_method=method, growth_intervals=intervals)
    vals = values[: intervals + 1]
    result = check_growth(vals, template)
    if result.verdict is not Verdict.FAIL:
        return
    assert result.remedy is not None
    x = result.remedy.amount
    assert isinstance(x, Decimal) and x > 0
    assert check_growth([*vals[:-1], vals[-1] + x], template).verdict is Verdict.PASS
    assert check_growth([*vals[:-1], vals[-1] + x - CENT], template).verdict is Verdict.FAIL
