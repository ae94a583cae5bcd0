"""Cross-checks beyond the form: the inputs they need (:class:`ReviewContext`) and how they become
rule variables.

The cross-checks themselves are rules of the rules file (``kind: cross_check``), so they have an id,
severity, Chinese message and source like the form's audit relationships, and run in both the
per-report and the vectorised validator:

========  ==========================================================================  ====  ===========
rule      check (warning when it fails)                                               sev   variables
========  ==========================================================================  ====  ===========
X01       change of [7] against last year's report beyond ±50 % **and** over 1,000 千元 W     ``prev_<item>``
X02       107-2 super-deduction expenditure ≠ the base declared for tax (§4.4)         W     ``sd_declared_base``
X03       enterprise R&D intensity (internal expenditure / revenue) over 50 %         W     ``operating_revenue``
R17       super-deduction tax relief ≤ claimed × year_rate(year, category) × 25 %/15 % W     ``sd_rate``, ``is_hnte``
R18       HNTE tax relief > 0 ⇒ firm on the valid HNTE list that year                  W     ``is_hnte``
R19a/b    [1] ≤ average employees; [7] ≥ the financial form's R&D expense             W     ``average_employees``, ``financial_rd_expense``
========  ==========================================================================  ====  ===========

A cross-check whose inputs are unknown (``None`` here, or a masked cell in the table path) is not
evaluated for that report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .amounts import ReportInputError, to_figure
from .catalogue import Report, form_catalogue
from .superdeduction import Category, year_rate

__all__ = ["ReviewContext", "context_columns"]


@dataclass(frozen=True)
class ReviewContext:
    """Data from outside the report, for the cross-checks. Every field is optional (``None`` = not known).

    Attributes:
        previous: the enterprise's report of the previous year (for X01, ``prev_<item>``).
        operating_revenue: 营业收入 of the report year, **千元** (X03).
        is_hnte: the firm is on the valid high-tech-enterprise list for the report year (R17, R18);
            the platform takes it from the cultivation engine / HNTE list.
        tax_category: :class:`.superdeduction.Category` for the super-deduction rate (R17).
        super_deduction_eligible: result of :func:`.superdeduction.eligibility` (``False`` → rate 0).
        super_deduction_period_shares: the firm's split of the claimed R&D expense over the year's
            rate periods (2022 for firms at 75 %: before / from 1 October), fractions summing to 1;
            ``None`` → by operating months (公告2022年第28号 第二条, :func:`.superdeduction.year_rate`).
        operating_months: months (1–12) the firm operated in the report year; ``None`` = all twelve.
        super_deduction_base: base declared for tax in **千元**, e.g. ``compute_base(...).base`` of
            the tax-side costs converted to 千元 (X02).
        average_employees: 从业人员平均人数 from the basic/financial forms, persons (R19a).
        financial_rd_expense: 研发费用 from the financial form, **千元** (R19b).
    """

    previous: Report | None = None
    operating_revenue: Decimal | None = None
    is_hnte: bool | None = None
    tax_category: Category | None = None
    super_deduction_eligible: bool = True
    super_deduction_period_shares: tuple[Decimal, ...] | None = None
    operating_months: tuple[int, ...] | None = None
    super_deduction_base: Decimal | None = None
    average_employees: Decimal | None = None
    financial_rd_expense: Decimal | None = None

    def variables(self, year: int) -> dict[str, Decimal | bool]:
        """The known context variables for a report of ``year``: ``prev_<item>`` (from ``previous``),
        ``operating_revenue``, ``is_hnte``, ``sd_rate`` (``year_rate(year, tax_category).expensed``: the
        rates of the year's periods weighted by the period shares, 0 when not eligible; needs
        ``tax_category``), ``sd_declared_base``, ``average_employees``,
        ``financial_rd_expense``.

        Raises:
            ReportInputError: a negative amount, a non-decimal value, or an unknown item in
                ``previous`` (named).
        """
        out: dict[str, Decimal | bool] = {}
        if self.previous is not None:
            catalogue = form_catalogue(self.previous.year)
            for key, previous in catalogue.read_firm(self.previous.firm).items():
                out[f"prev_{key}"] = previous
        for name, value in (
            ("operating_revenue", self.operating_revenue),
            ("sd_declared_base", self.super_deduction_base),
            ("average_employees", self.average_employees),
            ("financial_rd_expense", self.financial_rd_expense),
        ):
            if value is not None:
                out[name] = to_figure(value, name, allow_negative=False)
        if self.is_hnte is not None:
            if not isinstance(self.is_hnte, bool):
                raise ReportInputError("is_hnte", "must be a bool", "is_hnte：须为是/否")
            out["is_hnte"] = self.is_hnte
        if self.tax_category is not None:
            out["sd_rate"] = (
                year_rate(
                    year,
                    self.tax_category,
                    period_shares=self.super_deduction_period_shares,
                    operating_months=self.operating_months,
                ).expensed
                if self.super_deduction_eligible
                else Decimal(0)
            )
        return out


def context_columns(
    contexts: Sequence[ReviewContext | None], year: int, names: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Context columns for :func:`.vectorised.validate_table`, one row per report.

    Args:
        contexts: one context per report (``None`` = nothing known).
        year: the report year.
        names: which variables to build (default: every variable known for at least one report).

    Returns:
        name → ``object`` array of length ``len(contexts)``: ``Decimal`` / ``bool``, ``None`` where
        unknown (the table path reads ``None`` as a masked cell).

    Raises:
        ReportInputError: as :meth:`ReviewContext.variables`.
    """
    rows: list[Mapping[str, Decimal | bool]] = [c.variables(year) if c else {} for c in contexts]
    wanted = list(names) if names is not None else sorted({k for r in rows for k in r})
    out: dict[str, np.ndarray] = {}
    for name in wanted:
        column = np.empty(len(rows), dtype=object)
        column[:] = [r.get(name) for r in rows]
        out[name] = column
    return out
