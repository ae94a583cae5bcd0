"""National indicators (spec ``rd_statistics.md`` §5.3 [H]): R&D intensity, internal expenditure, FTE.

* R&D intensity (national / regional) = R&D internal expenditure (全社会) / GDP (or regional GRP)
  × 100 % — as in the annual 全国科技经费投入统计公报 (worked case T21: 25 亿 / 2,500 亿 = 1.00 %);
* enterprise R&D intensity = enterprise internal R&D expenditure / operating revenue × 100 %;
* internal expenditure from 107-2 [M — confirm with the statistics bureau]:
  ``[7] − [14] − [10] − [11] + [20]``; the formula is the derived value ``rd_internal_expenditure``
  of the rules file, so the bureau changes it there, once, for the cross-check X03 and for these
  figures alike;
* FTE from 107-1: ``Σ人月 / 12`` person-years.

Ratios are exact ``Decimal`` fractions (0.01 = 1 %), computed with 60 significant digits; only
:func:`fmt_percent` rounds, for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .amounts import EXACT, ReportInputError
from .audit_rules import RuleSet
from .catalogue import Report
from .crosschecks import ReviewContext
from .validator import prepare_report

__all__ = [
    "enterprise_intensity",
    "fmt_percent",
    "fte_from_person_months",
    "internal_expenditure",
    "rd_intensity",
    "regional_intensity",
]

_MONTHS = Decimal(12)


def _amount(name: str, value: Decimal | int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ReportInputError(
            name, f"use Decimal or int, not {type(value).__name__}", f"{name}：须为十进制数"
        )
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise ReportInputError(
            name, f"must be a non-negative number: {value}", f"{name}：不能为负数（{value}）"
        )
    return number


def rd_intensity(expenditure: Decimal | int, gdp: Decimal | int) -> Decimal:
    """R&D intensity = ``expenditure / gdp`` as a fraction (0.01 = 1.00 %), spec §5.3.

    Args:
        expenditure: R&D internal expenditure; gdp: GDP or regional GRP — in the **same** unit
            (yuan, 万元 or 亿元).

    Raises:
        ReportInputError: a negative amount, or a GDP of zero.
    """
    spent, product = _amount("expenditure", expenditure), _amount("gdp", gdp)
    if product == 0:
        raise ReportInputError("gdp", "GDP must be positive", "地区生产总值须大于0")
    return EXACT.divide(spent, product)


def regional_intensity(expenditures: Iterable[Decimal | int], grp: Decimal | int) -> Decimal:
    """Regional R&D intensity: the sum of the units' internal expenditures over the region's GRP
    (same unit), a fraction.

    Raises:
        ReportInputError: as :func:`rd_intensity`.
    """
    total = sum((_amount("expenditure", e) for e in expenditures), Decimal(0))
    return rd_intensity(total, grp)


def enterprise_intensity(internal: Decimal | int, revenue: Decimal | int) -> Decimal | None:
    """Enterprise R&D intensity = internal expenditure / operating revenue (same unit), a fraction;
    ``None`` when the revenue is zero (undefined).

    Raises:
        ReportInputError: a negative amount.
    """
    spent, income = _amount("internal", internal), _amount("revenue", revenue)
    return None if income == 0 else EXACT.divide(spent, income)


def internal_expenditure(report: Report, rules: RuleSet | None = None) -> Decimal:
    """Internal R&D expenditure of a report in 千元, by the rules file's ``rd_internal_expenditure``
    (spec §5.3 [M]: ``[7] − [14] − [10] − [11] + [20]``).

    Raises:
        ReportInputError: bad input (as :func:`.validator.validate_report`).
        KeyError: the rules file defines no ``rd_internal_expenditure``.
    """
    prepared = prepare_report(report, ReviewContext(), rules)
    return prepared.derived["rd_internal_expenditure"]


def fte_from_person_months(person_months: Decimal | int) -> Decimal:
    """R&D full-time equivalent in person-years from 107-1 working time: ``Σ人月 / 12`` (spec §5.3).

    T20: 130 person-months → 10.833… person-years (more than 10 R&D persons → R12).

    Raises:
        ReportInputError: a negative amount.
    """
    return EXACT.divide(_amount("person_months", person_months), _MONTHS)


def fmt_percent(ratio: Decimal, places: int = 2) -> str:
    """Display a fraction as a percent with ``places`` decimals (ROUND_HALF_UP), e.g. ``"1.00%"``."""
    quantum = Decimal(1).scaleb(-places)
    return f"{(ratio * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"
