"""The public face of ``cultivation`` for the other apps: what the platform holds about an enterprise's
year and about its standing in the cultivation pools, read without touching cultivation's models or
re-deriving its rules (the import rule, ``kechuang/common/tests/test_import_rules.py``).

* :func:`enterprise_year`: revenue, staff, the R&D expense (super-deduction and income-statement bases),
  the high-tech enterprise (HNTE) certificate and the tax mode of one enterprise and fiscal year, in yuan;
* :func:`enterprise_for`: an enterprise seen with cultivation's access rules (staff over its region and
  the enterprise itself; not researchers or experts);
* :func:`enterprises_in_tier`, :func:`enterprises_in_pool`: the enterprises whose latest evaluation
  reached a tier or sits in a cultivation pool, as a subquery of enterprise ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from kechuang.common.access import VIEW, get_for_user
from kechuang.cultivation import pools
from kechuang.cultivation.choices import Pool, TaxMode
from kechuang.cultivation.filters import EvaluationFilter
from kechuang.cultivation.models import AnnualFigures, CultivatedEnterprise, CultivationProfile


@dataclass(frozen=True)
class EnterpriseYear:
    """One enterprise's facts for one fiscal (calendar) year, as entered in cultivation.

    Money is Decimal yuan as stored (it may carry fen); persons are yearly averages. ``None`` means the
    platform does not hold the fact (no figures of that year, no profile, or a tri-state flag left
    unknown): a reader must not take it for zero or for "no".

    Attributes:
        enterprise_id, year: whose facts, of which fiscal year.
        revenue: 销售收入（营业收入）, yuan — main plus other business revenue.
        staff: 职工总数（年平均）, persons (HNTE basis: part-time staff counted from 183 days).
        super_deduction_base: 研发费用（加计扣除口径）, yuan — the R&D expense under the super-deduction
            rules (财税〔2015〕119号, 国家税务总局公告2017年第40号).
        rd_expense_financial: 研发费用（利润表）, yuan — the income statement's R&D expense item.
        hnte_issue_date, hnte_valid_until: the HNTE certificate's issue date and last valid day (three
            years less a day, as ``engines.cultivation.HnteCertificate`` computes it); None without one.
        tax_mode: 企业所得税征收方式 as stored (``"ACTUAL_BOOKS"`` 查账征收, ``"ASSESSED"`` 核定征收), or
            None when unknown.
        in_super_deduction_excluded_industry: in an industry the super-deduction excludes
            (财税〔2015〕119号 第四条), or None when unknown.
        has_profile: whether cultivation holds the enterprise's profile at all (without one, the
            certificate and the tax mode are unknown, not absent).
    """

    enterprise_id: int
    year: int
    revenue: Decimal | None = None
    staff: Decimal | None = None
    super_deduction_base: Decimal | None = None
    rd_expense_financial: Decimal | None = None
    hnte_issue_date: dt.date | None = None
    hnte_valid_until: dt.date | None = None
    tax_mode: str | None = None
    in_super_deduction_excluded_industry: bool | None = None
    has_profile: bool = False

    def hnte_valid_on(self, day: dt.date) -> bool:
        """Whether the HNTE certificate is valid on ``day`` (issue date ≤ day ≤ last valid day)."""
        return bool(self.hnte_issue_date and self.hnte_valid_until
                    and self.hnte_issue_date <= day <= self.hnte_valid_until)

    def hnte_valid_during(self, year: int) -> bool:
        """Whether the HNTE certificate is valid on at least one day of calendar ``year``."""
        return bool(self.hnte_issue_date and self.hnte_valid_until
                    and self.hnte_issue_date <= dt.date(year, 12, 31)
                    and self.hnte_valid_until >= dt.date(year, 1, 1))

    @property
    def super_deduction_eligible(self) -> bool:
        """Whether the R&D super-deduction may apply: not taxed by assessment (核定征收) and not in an
        excluded industry (财税〔2015〕119号 第四条). Unknown facts do not exclude the enterprise."""
        return self.tax_mode != TaxMode.ASSESSED.name and not self.in_super_deduction_excluded_industry


def enterprise_year(enterprise_id: int, year: int) -> EnterpriseYear:
    """The facts cultivation holds about enterprise ``enterprise_id`` in fiscal year ``year`` (two
    queries). Not narrowed by a user: the caller has already authorised the enterprise (e.g. its report).
    Facts the platform does not hold are ``None`` (see :class:`EnterpriseYear`)."""
    figures = AnnualFigures.objects.filter(enterprise_id=enterprise_id, year=year).first()
    profile = CultivationProfile.objects.filter(enterprise_id=enterprise_id).first()
    values: dict[str, Any] = {}
    if figures is not None:
        values.update(revenue=figures.sales_revenue, staff=figures.staff_total_avg,
                      super_deduction_base=figures.rd_expense_super_deduction,
                      rd_expense_financial=figures.rd_expense_financial)
    if profile is not None:
        values.update(hnte_issue_date=profile.hnte_certificate_issue_date,
                      hnte_valid_until=profile.hnte_certificate_valid_until,
                      tax_mode=profile.tax_mode or None,
                      in_super_deduction_excluded_industry=profile.in_super_deduction_excluded_industry,
                      has_profile=True)
    return EnterpriseYear(enterprise_id=enterprise_id, year=year, **values)


def enterprise_for(user: Any, enterprise_id: Any, action: str = VIEW) -> Any:
    """The enterprise ``enterprise_id`` (an ``Organisation`` of kind enterprise) if ``user`` may do
    ``action`` on it under cultivation's access rules.

    Raises:
        Http404: no such enterprise, or outside the user's scope.
        PermissionDenied: visible, but ``action`` is not allowed.
    """
    return get_for_user(CultivatedEnterprise, user, enterprise_id, action)


def _evaluated(user: Any, **params: str) -> QuerySet:
    years = pools.years(user)
    if not years:
        return pools.latest(user).none().values("enterprise")
    chosen = EvaluationFilter({"year": years[0], **params}, queryset=pools.latest(user, years[0]))
    return chosen.qs.values("enterprise")


def enterprises_in_tier(user: Any, tier: str) -> QuerySet:
    """Ids (``values("enterprise")``) of the enterprises whose latest evaluation of the newest year the
    user may see reached ``tier`` (a ``TIERS`` key, or ``"none"`` for none reached)."""
    return _evaluated(user, highest_tier=tier)


def enterprises_in_pool(user: Any, pool: str, today: dt.date) -> QuerySet:
    """Ids (``values("enterprise")``) of the enterprises the user may see in cultivation pool ``pool``
    (a :class:`~kechuang.cultivation.choices.Pool` value): for 高企证书即将到期 those whose certificate
    ends within a year of ``today``, otherwise by the latest evaluation of the newest year."""
    if pool == Pool.HNTE_EXPIRING:
        return pools.expiring_certificates(user, today).values("enterprise")
    return _evaluated(user, pool=pool)
