"""R&D expense super-deduction (研发费用加计扣除): rates, eligibility and the deductible base.

Spec ``super_deduction.md``:

* §4.1 rates [H], as a table keyed by ``(tax_year, category)`` (:func:`rate`), so that back years are
  recomputed with their own rates; a year may have several rate periods (:func:`rate_periods`: 2022
  for firms at 75 % is 100 % from 1 October, 财政部 税务总局 科技部公告2022年第28号 第二条), and a
  yearly figure uses the rates weighted by period (:func:`year_rate`);
* §4.2 eligibility [H] (:func:`eligibility`): actual-books taxation, the excluded-industry test
  (RD-97: excluded business > 50 % of total income − non-taxable income − investment income);
* §4.4 caps and formula [H; all-projects cap per RD-28, M] (:func:`compute_base`), worked cases T17–T19.

Money: any one unit for all inputs (yuan on the tax side; the statistics forms use 千元 — convert at the
boundary). Inputs are ``Decimal`` and must not be negative. Arithmetic is exact (``Fraction``
internally: the 10 % cap ``S5 / 9`` does not terminate); results are rounded only when stored,
to 0.01 of the input unit (ROUND_HALF_UP), e.g. T17 base 2071.11.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

from kechuang.engines.rulekit.dated import DatedParameter, InForce

from .amounts import ReportInputError
from .sources import SPEC_SD, Source

__all__ = [
    "CIT_GENERAL",
    "CIT_HNTE",
    "Category",
    "Eligibility",
    "NOTICE_2022_28",
    "Rate",
    "RATES",
    "RatePeriod",
    "SuperDeductionCosts",
    "SuperDeductionResult",
    "capitalised_amortisation",
    "compute_base",
    "eligibility",
    "rate",
    "rate_periods",
    "tax_relief_cap",
    "year_rate",
]

CIT_GENERAL = Decimal("0.25")
"""Enterprise income tax rate, general (企业所得税法 第四条)."""
CIT_HNTE = Decimal("0.15")
"""Enterprise income tax rate of a high-tech enterprise (企业所得税法 第二十八条)."""

_CENT = Decimal("0.01")


class Category(StrEnum):
    """Which row of the §4.1 rate table applies to a firm."""

    GENERAL = "general"
    """All eligible enterprises (others)."""
    MANUFACTURING = "manufacturing"
    """Manufacturing enterprise (2021, 2022 rows)."""
    TECH_SME = "tech_sme"
    """科技型中小企业 (2022 row)."""
    IC_MACHINE_TOOL = "ic_machine_tool"
    """On the IC / industrial-machine-tool list (RD-44, 2023–2027)."""


@dataclass(frozen=True)
class Rate:
    """Super-deduction rates of one (tax year, category).

    Attributes:
        expensed: extra deduction on expensed R&D, a fraction (1 = 100 %).
        capitalised: tax amortisation base of capitalised R&D (intangibles), a fraction of cost (2 = 200 %).
        source: :class:`.sources.Source` (§4.1 row).
    """

    expensed: Decimal
    capitalised: Decimal
    source: Source


def _src(rule: str, note: str = "") -> Source:
    return Source(f"研发费用加计扣除（{SPEC_SD}）", "§4.1", rule=rule, confidence="H", note=note)


NOTICE_2022_28 = "财政部 税务总局 科技部公告2022年第28号 第二条"
"""Q4 2022: firms at 75 % get 100 % for R&D expense incurred 2022-10-01 … 2022-12-31; at the annual
settlement the Q4 expense is the firm's own figure or the year's expense × (operating months in
October–December ÷ operating months of 2022)."""
_Q4_2022 = dt.date(2022, 10, 1)


@dataclass(frozen=True)
class RatePeriod:
    """A part of a tax year with one super-deduction rate.

    Attributes:
        start, end: first and last day (inclusive).
        rate: :class:`Rate` of R&D expense incurred in the period.
    """

    start: dt.date
    end: dt.date
    rate: Rate

    def months(self) -> range:
        """Calendar months the period covers (1–12)."""
        return range(self.start.month, self.end.month + 1)


def _in_force(start: dt.date, expensed: str, source: Source) -> InForce[Decimal]:
    return InForce(start, Decimal(expensed), source)


def _history(year: int, general: str, manufacturing: str, tech_sme: str) -> dict[Category, InForce[Decimal]]:
    """Values in force from 1 January ``year`` by category (IC / machine-tool list firms as general)."""
    label = "history 2018–2020" if year == 2018 else f"history {year}"
    return {
        Category.GENERAL: _in_force(dt.date(year, 1, 1), general, _src(label)),
        Category.MANUFACTURING: _in_force(dt.date(year, 1, 1), manufacturing, _src(label)),
        Category.TECH_SME: _in_force(dt.date(year, 1, 1), tech_sme, _src(label)),
        Category.IC_MACHINE_TOOL: _in_force(dt.date(year, 1, 1), general, _src(label)),
    }


def _rate_table() -> dict[Category, DatedParameter[Decimal]]:
    """The §4.1 table as one dated parameter per category: the expensed rate in force from each date."""
    q4_2022 = _in_force(
        _Q4_2022,
        "1",
        Source(
            f"研发费用加计扣除（{SPEC_SD}）",
            "§4.1",
            rule=NOTICE_2022_28,
            confidence="M",
            note="2022-10-01 至 2022-12-31 期间原适用 75% 的企业提高至 100%（规格 §4.1 仅列年度首个比例）",
        ),
    )
    from_2023 = _in_force(dt.date(2023, 1, 1), "1", _src("RD-7"))
    values: dict[Category, list[InForce[Decimal]]] = {c: [] for c in Category}
    for rows in (_history(2018, "0.75", "0.75", "0.75"), _history(2021, "0.75", "1", "0.75"),
                 _history(2022, "0.75", "1", "1")):
        for category, value in rows.items():
            values[category].append(value)
    for category in (Category.GENERAL, Category.IC_MACHINE_TOOL):
        values[category].append(q4_2022)
    for category in (Category.GENERAL, Category.MANUFACTURING, Category.TECH_SME):
        values[category].append(from_2023)
    values[Category.IC_MACHINE_TOOL] += [
        _in_force(dt.date(2023, 1, 1), "1.2", _src("RD-44")),
        _in_force(dt.date(2028, 1, 1), "1", _src("RD-7")),
    ]
    return {c: DatedParameter(f"super-deduction rate ({c.value})", v) for c, v in values.items()}


RATES: dict[Category, DatedParameter[Decimal]] = _rate_table()
"""Spec §4.1 expensed rates by category, each a :class:`~kechuang.engines.rulekit.dated.DatedParameter`
(the value in force on a day, with its source): 2018–2020 75 % (all); 2021 manufacturing 100 %, others
75 %; 2022 manufacturing and tech SMEs 100 %, others 75 % until 30 September and 100 % from 1 October
(公告2022年第28号 第二条); from 2023 100 % (RD-7); IC / machine-tool list firms 120 % in 2023–2027
(RD-44), 100 % after."""


@lru_cache(maxsize=256)
def rate_periods(tax_year: int, category: Category | str = Category.GENERAL) -> tuple[RatePeriod, ...]:
    """The rate periods of ``tax_year`` for ``category``, in date order, covering the whole year.

    Table (spec §4.1, :data:`RATES`): 2018–2020 75 % (all); 2021 manufacturing 100 %, others 75 %; 2022
    manufacturing and tech SMEs 100 %, others 75 % **until 30 September and 100 % from 1 October**
    (公告2022年第28号 第二条; the spec's 2022 row gives the year's first rate only); from 2023 100 %
    (RD-7); IC / machine-tool list firms 120 % in 2023–2027 (RD-44), 100 % after. Capitalised: 100 % +
    the expensed rate (175 %, 200 %, 220 %).

    Raises:
        ValueError: a year before 2018 (not encoded) or an unknown category.
    """
    category = Category(category)
    if tax_year < 2018:
        raise ValueError(f"super-deduction rates before 2018 are not encoded (tax year {tax_year})")
    pieces = RATES[category].periods(dt.date(tax_year, 1, 1), dt.date(tax_year, 12, 31))
    return tuple(
        RatePeriod(start, end, Rate(expensed, Decimal(1) + expensed, source))
        for start, end, expensed, source in pieces
    )


def rate(
    tax_year: int, category: Category | str = Category.GENERAL, on: dt.date | None = None
) -> Rate:
    """Super-deduction rate of ``tax_year`` for ``category`` (spec §4.1, :func:`rate_periods`).

    Args:
        on: the day the R&D expense was incurred; needed when the year has more than one rate
            period (2022 for firms at 75 %). For a whole year's expense use :func:`year_rate`.

    Raises:
        ValueError: a year before 2018, an unknown category, ``on`` outside ``tax_year``, or no ``on``
            for a year with several rate periods.
    """
    periods = rate_periods(tax_year, category)
    if on is None:
        if len(periods) > 1:
            raise ValueError(
                f"{tax_year} has {len(periods)} super-deduction rate periods for {Category(category).value}:"
                " pass on= (the day the expense was incurred) or use year_rate() for a whole year"
            )
        return periods[0].rate
    for period in periods:
        if period.start <= on <= period.end:
            return period.rate
    raise ValueError(f"{on.isoformat()} is not in tax year {tax_year}")


_RATE_STEP = Decimal("0.000001")


def _fraction_to_decimal(value: Fraction) -> Decimal:
    """Exact when the fraction terminates within 6 decimals, else rounded **up** to 1e-6 (a blended
    rate is an upper bound: R17 must not warn because of rounding)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(exact) == value:
        return exact
    return exact.quantize(_RATE_STEP, rounding=ROUND_CEILING)


def year_rate(
    tax_year: int,
    category: Category | str = Category.GENERAL,
    *,
    period_shares: Sequence[Decimal] | None = None,
    operating_months: Iterable[int] | None = None,
) -> Rate:
    """The rate a yearly figure uses: the period rates of :func:`rate_periods` weighted by the share of
    the year's R&D expense incurred in each period.

    How a yearly report applies a rate change within the year (公告2022年第28号 第二条): the share of
    each period is the firm's own figure (``period_shares``) or, when not given, the share of the
    year's operating months that fall in the period (the notice's proration: Q4 expense = year's
    expense × operating months 1 Oct–31 Dec ÷ operating months of the year). A full year of 2022 at
    75 % → 0.75 × 9/12 + 1 × 3/12 = 0.8125. A year with one period returns that period's rate.

    Args:
        period_shares: fraction of the year's R&D expense per period (same order as
            :func:`rate_periods`), each in [0, 1], summing to 1.
        operating_months: months (1–12) the firm operated in ``tax_year``; default all twelve.

    Returns:
        :class:`Rate`; ``expensed`` exact, or rounded up to 1e-6 when the weighting does not
        terminate; the source names every period's source.

    Raises:
        ValueError: shares of the wrong length, negative or not summing to 1; months outside 1–12 or
            none in the year; as :func:`rate_periods`.
    """
    periods = rate_periods(tax_year, category)
    if len(periods) == 1 and period_shares is None:
        return periods[0].rate
    if period_shares is not None:
        shares = [Fraction(s) for s in period_shares]
        if len(shares) != len(periods) or any(s < 0 for s in shares) or sum(shares) != 1:
            raise ValueError(
                f"period_shares must give {len(periods)} non-negative shares summing to 1, not {period_shares}"
            )
    else:
        months = set(range(1, 13) if operating_months is None else operating_months)
        if not months or not months <= set(range(1, 13)):
            raise ValueError(f"operating_months must be months 1–12, not {sorted(months)}")
        shares = [Fraction(len(months & set(p.months())), len(months)) for p in periods]
    expensed = sum((share * Fraction(p.rate.expensed) for share, p in zip(shares, periods, strict=True)),
                   Fraction(0))
    value = _fraction_to_decimal(expensed)
    rules = "；".join(dict.fromkeys(p.rate.source.rule for p in periods))
    source = Source(
        periods[-1].rate.source.document,
        "§4.1",
        rule=rules,
        confidence=max((p.rate.source.confidence for p in periods), key="HML".index),
        note="按各期间研发费用占比加权（公告2022年第28号 第二条：企业自行计算或按实际经营月份数计算）",
    )
    return Rate(value, Decimal(1) + value, source)


class Eligibility(StrEnum):
    """Outcome of the §4.2 eligibility test."""

    ELIGIBLE = "ELIGIBLE"
    ASSESSED_TAXATION = "ASSESSED_TAXATION"
    """核定征收: not taxed on actual books."""
    EXCLUDED_INDUSTRY = "EXCLUDED_INDUSTRY"
    """Excluded-industry business > 50 % of the income base (RD-97, RD-119 §4)."""


def eligibility(
    *,
    actual_books: bool = True,
    excluded_industry_revenue: Decimal = Decimal(0),
    total_income: Decimal | None = None,
    non_taxable_income: Decimal = Decimal(0),
    investment_income: Decimal = Decimal(0),
) -> Eligibility:
    """Whether a firm may claim the super-deduction (spec §4.2).

    Args:
        actual_books: taxed on actual books (``False`` = 核定征收 → out).
        excluded_industry_revenue: revenue of business in an excluded industry (tobacco, accommodation
            and catering, wholesale and retail, real estate, leasing and business services,
            entertainment, others named by MOF/STA; GB/T 4754).
        total_income, non_taxable_income, investment_income: the income base of the industry test;
            ``total_income=None`` skips the test.

    Returns:
        :class:`Eligibility`; the industry test is strict: **> 50 %** is excluded, exactly 50 % is not.

    Raises:
        ReportInputError: a negative amount.
    """
    for name, value in (
        ("excluded_industry_revenue", excluded_industry_revenue),
        ("non_taxable_income", non_taxable_income),
        ("investment_income", investment_income),
        ("total_income", total_income or Decimal(0)),
    ):
        _non_negative(name, value)
    if not actual_books:
        return Eligibility.ASSESSED_TAXATION
    if total_income is not None:
        base = total_income - non_taxable_income - investment_income
        if excluded_industry_revenue * 2 > base:
            return Eligibility.EXCLUDED_INDUSTRY
    return Eligibility.ELIGIBLE


@dataclass(frozen=True)
class SuperDeductionCosts:
    """One year's collected R&D costs for the super-deduction (spec §4.3), in one money unit.

    Attributes:
        personnel, direct_inputs, depreciation, intangible_amortization, design_trial: categories 1–5.
        other_related: category 6 (capped at 10 % of the total, §4.4).
        entrusted_domestic: actual amount paid for entrusted domestic R&D (80 % counts).
        entrusted_overseas: actual amount paid to overseas organisations (80 %, capped at 2/3 of
            eligible domestic R&D, RD-64).
        special_income: proceeds of scraps, rejects and trial products made during R&D (subtracted).
        government_funded: costs paid from government money treated as non-taxable income (not
            deductible, §4.2; subtracted like special income).
    """

    personnel: Decimal = Decimal(0)
    direct_inputs: Decimal = Decimal(0)
    depreciation: Decimal = Decimal(0)
    intangible_amortization: Decimal = Decimal(0)
    design_trial: Decimal = Decimal(0)
    other_related: Decimal = Decimal(0)
    entrusted_domestic: Decimal = Decimal(0)
    entrusted_overseas: Decimal = Decimal(0)
    special_income: Decimal = Decimal(0)
    government_funded: Decimal = Decimal(0)


@dataclass(frozen=True)
class SuperDeductionResult:
    """The §4.4 computation, every amount rounded to 0.01 of the input unit (ROUND_HALF_UP).

    Attributes:
        s5: categories 1–5.
        other_cap: ``S5 × 10 % / (1 − 10 %)``.
        other_allowed: ``min(other_related, other_cap)``.
        domestic: ``S5 + other_allowed + 0.8 × entrusted_domestic``.
        overseas: ``min(0.8 × entrusted_overseas, domestic × 2/3)``.
        base: ``max(domestic + overseas − special_income − government_funded, 0)``.
        rate: :class:`Rate` used (0 when not eligible).
        eligibility: :class:`Eligibility`.
        extra_deduction: ``base × rate.expensed``.
        cit_rate: 25 % or 15 % (HNTE).
        tax_effect: ``extra_deduction × cit_rate`` (the tax relief, R17's upper bound).
    """

    s5: Decimal
    other_cap: Decimal
    other_allowed: Decimal
    domestic: Decimal
    overseas: Decimal
    base: Decimal
    rate: Rate
    eligibility: Eligibility
    extra_deduction: Decimal
    cit_rate: Decimal
    tax_effect: Decimal


def _non_negative(name: str, value: Decimal) -> None:
    if not isinstance(value, Decimal | int) or isinstance(value, bool):
        raise ReportInputError(name, f"use Decimal, not {type(value).__name__}", f"{name}：须为十进制数")
    if value < 0:
        raise ReportInputError(name, f"must not be negative: {value}", f"{name}：不能为负数（{value}）")


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)


def compute_base(
    costs: SuperDeductionCosts,
    tax_year: int,
    category: Category | str = Category.GENERAL,
    *,
    hnte: bool = False,
    eligible: Eligibility = Eligibility.ELIGIBLE,
    period_shares: Sequence[Decimal] | None = None,
    operating_months: Iterable[int] | None = None,
) -> SuperDeductionResult:
    """The deductible base, extra deduction and tax effect of one year (spec §4.4; T17–T19).

    The 10 % cap on "other related" costs is computed once across all projects (RD-28, [M]).

    Args:
        costs: :class:`SuperDeductionCosts` (one money unit, non-negative).
        tax_year, category: select the §4.1 rate; a year with several rate periods (2022 for firms
            at 75 %) uses :func:`year_rate` with ``period_shares`` / ``operating_months``.
        hnte: the firm is a valid high-tech enterprise (CIT 15 % instead of 25 %).
        eligible: :func:`eligibility` outcome; not eligible → rate 0, extra deduction 0.

    Raises:
        ReportInputError: a negative or non-Decimal cost (named).
        ValueError: a tax year before 2018.
    """
    for name in costs.__dataclass_fields__:
        _non_negative(name, getattr(costs, name))
    q = Fraction
    s5 = q(costs.personnel) + q(costs.direct_inputs) + q(costs.depreciation)
    s5 += q(costs.intangible_amortization) + q(costs.design_trial)
    other_cap = s5 / 9  # S5 × 10 % / (1 − 10 %)
    other_allowed = min(q(costs.other_related), other_cap)
    domestic = s5 + other_allowed + q(4, 5) * q(costs.entrusted_domestic)
    overseas = min(q(4, 5) * q(costs.entrusted_overseas), domestic * q(2, 3))
    base = max(domestic + overseas - q(costs.special_income) - q(costs.government_funded), q(0))
    found = year_rate(tax_year, category, period_shares=period_shares, operating_months=operating_months)
    if eligible is not Eligibility.ELIGIBLE:
        found = Rate(Decimal(0), Decimal(1), found.source)
    extra = base * q(found.expensed)
    cit = CIT_HNTE if hnte else CIT_GENERAL
    return SuperDeductionResult(
        s5=_round(s5),
        other_cap=_round(other_cap),
        other_allowed=_round(other_allowed),
        domestic=_round(domestic),
        overseas=_round(overseas),
        base=_round(base),
        rate=found,
        eligibility=eligible,
        extra_deduction=_round(extra),
        cit_rate=cit,
        tax_effect=_round(extra * q(cit)),
    )


def capitalised_amortisation(
    cost: Decimal, years: int, tax_year: int, category: Category | str = Category.GENERAL
) -> Decimal:
    """Yearly tax amortisation of a capitalised R&D intangible: ``cost × rate.capitalised / years``
    (spec §4.4; T19(c): 900 over 10 years at 220 % → 198), rounded to 0.01; the rate of the tax year
    is :func:`year_rate` (2022 for firms at 75 %: weighted by operating months).

    Raises:
        ReportInputError: negative cost; ValueError: ``years < 1`` or a year before 2018.
    """
    _non_negative("cost", cost)
    if years < 1:
        raise ValueError(f"amortisation years must be >= 1, not {years}")
    return _round(Fraction(cost) * Fraction(year_rate(tax_year, category).capitalised) / years)


def tax_relief_cap(
    claimed: Decimal,
    tax_year: int,
    category: Category | str,
    *,
    hnte: bool,
    eligible: bool = True,
    period_shares: Sequence[Decimal] | None = None,
) -> Decimal:
    """R17's upper bound on the tax relief: ``claimed × year_rate(year) × 25 %`` (15 % if HNTE).

    Args:
        claimed: R&D expenditure claimed for the super-deduction (any money unit, e.g. 千元).
        period_shares: the firm's split of ``claimed`` over the year's rate periods (2022 for firms
            at 75 %); default: by operating months (:func:`year_rate`, 公告2022年第28号 第二条).

    Raises:
        ReportInputError: negative ``claimed``.
    """
    _non_negative("claimed", claimed)
    if not eligible:
        return Decimal(0)
    expensed = year_rate(tax_year, category, period_shares=period_shares).expensed
    return claimed * expensed * (CIT_HNTE if hnte else CIT_GENERAL)
