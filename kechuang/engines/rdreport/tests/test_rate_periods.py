"""Super-deduction rates by period within a year (issue 11 item 23).

财政部 税务总局 科技部公告2022年第28号《关于加大支持科技创新税前扣除力度的公告》第二条: firms at 75 %
get 100 % for R&D expense incurred from 2022-10-01 to 2022-12-31; at the 2022 annual settlement the
fourth-quarter R&D expense is either the firm's own figure or the year's R&D expense × (operating months
from 1 October to 31 December ÷ operating months of 2022).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.engines.rdreport.crosschecks import ReviewContext
from kechuang.engines.rdreport.superdeduction import (
    Category,
    SuperDeductionCosts,
    compute_base,
    rate,
    rate_periods,
    tax_relief_cap,
    year_rate,
)


def test_2022_general_firms_get_100_percent_from_1_october() -> None:
    """公告2022年第28号 第二条: 75 % until 2022-09-30, 100 % from 2022-10-01 to 2022-12-31."""
    assert rate(2022, Category.GENERAL, on=dt.date(2022, 9, 30)).expensed == Decimal("0.75")
    assert rate(2022, Category.GENERAL, on=dt.date(2022, 10, 1)).expensed == 1
    assert rate(2022, Category.GENERAL, on=dt.date(2022, 12, 31)).capitalised == 2
    periods = rate_periods(2022, Category.GENERAL)
    assert [(p.start, p.end, p.rate.expensed) for p in periods] == [
        (dt.date(2022, 1, 1), dt.date(2022, 9, 30), Decimal("0.75")),
        (dt.date(2022, 10, 1), dt.date(2022, 12, 31), Decimal(1)),
    ]
    assert "2022年第28号" in periods[1].rate.source.rule


def test_a_year_with_two_periods_needs_a_date_or_the_yearly_rule() -> None:
    """A single 'rate of 2022' for a 75 % firm would silently pick one period: refused."""
    with pytest.raises(ValueError, match="year_rate"):
        rate(2022, Category.GENERAL)
    # firms already at 100 % in 2022 (manufacturing, tech SMEs) have one period
    assert rate(2022, Category.MANUFACTURING).expensed == 1
    assert rate(2022, Category.TECH_SME).expensed == 1
    assert len(rate_periods(2023)) == 1


def test_yearly_report_prorates_the_fourth_quarter_by_operating_months() -> None:
    """公告2022年第28号 第二条 (proration): a full year → 9/12 at 75 % + 3/12 at 100 % = 81.25 %;
    operating July–December → 3/6 at each rate = 87.5 %; the firm's own fourth-quarter share wins."""
    assert year_rate(2022, Category.GENERAL).expensed == Decimal("0.8125")
    assert year_rate(2022, Category.GENERAL).capitalised == Decimal("1.8125")
    assert year_rate(2022, Category.GENERAL, operating_months=range(7, 13)).expensed == Decimal("0.875")
    own = year_rate(2022, Category.GENERAL, period_shares=(Decimal("0.6"), Decimal("0.4")))
    assert own.expensed == Decimal("0.85")
    assert year_rate(2024).expensed == 1 and year_rate(2022, Category.TECH_SME).expensed == 1


def test_year_rate_refuses_shares_that_do_not_add_up() -> None:
    with pytest.raises(ValueError):
        year_rate(2022, Category.GENERAL, period_shares=(Decimal("0.5"), Decimal("0.4")))
    with pytest.raises(ValueError):
        year_rate(2022, Category.GENERAL, operating_months=[13])


def test_2022_deduction_tax_cap_and_r17_use_the_yearly_rate() -> None:
    """Worked case: base 1000 in 2022, general firm, full year → extra deduction 812.50; R17's cap on
    800 claimed at 25 % = 162.5; the R17 context variable ``sd_rate`` = 0.8125."""
    result = compute_base(SuperDeductionCosts(personnel=Decimal(1000)), 2022, Category.GENERAL)
    assert result.extra_deduction == Decimal("812.50")
    assert tax_relief_cap(Decimal(800), 2022, Category.GENERAL, hnte=False) == Decimal("162.5")
    assert ReviewContext(tax_category=Category.GENERAL).variables(2022)["sd_rate"] == Decimal("0.8125")
    own = ReviewContext(tax_category=Category.GENERAL, super_deduction_period_shares=(Decimal(0), Decimal(1)))
    assert own.variables(2022)["sd_rate"] == 1
