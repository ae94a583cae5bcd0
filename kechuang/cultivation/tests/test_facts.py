"""cultivation.facts: the public face other apps read (issue 12 item 2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import FrozenInstanceError, replace
from decimal import Decimal

import pytest
from django.http import Http404

from kechuang.cultivation.facts import EnterpriseYear, enterprise_for, enterprise_year
from kechuang.cultivation.figures import save_figures
from kechuang.cultivation.models import AnnualFigures, CultivationProfile
from kechuang.engines.cultivation import HnteCertificate, TaxMode
from kechuang.engines.cultivation.tests.builders import reference, year

pytestmark = pytest.mark.django_db


def test_an_enterprise_without_cultivation_data_has_every_fact_unknown(orgs):
    facts = enterprise_year(orgs["acme_ltd"].pk, 2025)
    assert facts == EnterpriseYear(enterprise_id=orgs["acme_ltd"].pk, year=2025)
    assert (facts.revenue, facts.staff, facts.super_deduction_base, facts.rd_expense_financial) == (None,) * 4
    assert facts.has_profile is False and facts.tax_mode is None
    assert not facts.hnte_valid_during(2025)
    assert facts.super_deduction_eligible  # unknown facts do not exclude
    with pytest.raises(FrozenInstanceError):
        facts.revenue = Decimal(1)


def test_figures_are_the_stored_yuan_and_the_certificate_is_valid_from_issue_to_its_last_day(orgs):
    acme = orgs["acme_ltd"]
    save_figures(acme, reference(years=(year(2025, sales_revenue=Decimal("1400000.37"), staff_total_avg=8),),
                                 hnte_certificate=HnteCertificate("GR202351000001", dt.date(2023, 11, 1))))
    stored = AnnualFigures.objects.get(enterprise=acme, year=2025)
    facts = enterprise_year(acme.pk, 2025)
    assert facts.revenue == Decimal("1400000.37") == stored.sales_revenue
    assert facts.staff == stored.staff_total_avg == 8
    assert facts.super_deduction_base == stored.rd_expense_super_deduction
    assert facts.rd_expense_financial == stored.rd_expense_financial
    assert (facts.hnte_issue_date, facts.hnte_valid_until) == (dt.date(2023, 11, 1), dt.date(2026, 10, 31))
    assert facts.has_profile and facts.tax_mode == "ACTUAL_BOOKS" and facts.super_deduction_eligible
    assert not facts.hnte_valid_on(dt.date(2023, 10, 31))
    assert facts.hnte_valid_on(dt.date(2023, 11, 1)) and facts.hnte_valid_on(dt.date(2026, 10, 31))
    assert not facts.hnte_valid_on(dt.date(2026, 11, 1))
    assert [y for y in range(2022, 2028) if facts.hnte_valid_during(y)] == [2023, 2024, 2025, 2026]
    other_year = enterprise_year(acme.pk, 2019)  # the profile holds, the year's figures do not
    assert other_year.revenue is None and other_year.hnte_valid_until == dt.date(2026, 10, 31)


def test_assessed_tax_or_an_excluded_industry_rules_out_the_super_deduction(orgs):
    acme = orgs["acme_ltd"]
    save_figures(acme, reference(tax_mode=TaxMode.ASSESSED))
    assert enterprise_year(acme.pk, 2025).super_deduction_eligible is False
    CultivationProfile.objects.filter(enterprise=acme).update(tax_mode="ACTUAL_BOOKS",
                                                              in_super_deduction_excluded_industry=True)
    assert enterprise_year(acme.pk, 2025).super_deduction_eligible is False


def test_enterprise_for_applies_cultivation_access(orgs, cast):
    acme = orgs["acme_ltd"]
    assert enterprise_for(cast["acme"], acme.pk) == acme
    with pytest.raises(Http404):
        enterprise_for(cast["rival"], acme.pk)


def test_the_rd_cross_checks_read_the_certificate_through_the_facts(orgs):
    from kechuang.rdreport.models import RdReport
    from kechuang.rdreport.services import review_context

    acme = orgs["acme_ltd"]
    report = RdReport(enterprise=acme, year=2023)
    assert review_context(report).is_hnte is None  # no profile: unknown, the R17/R18 checks do not run
    save_figures(acme, replace(reference(), hnte_certificate=HnteCertificate("GR1", dt.date(2023, 11, 1))))
    assert review_context(report).is_hnte is True  # valid from 1 November of the report year
    assert review_context(RdReport(enterprise=acme, year=2022)).is_hnte is False
    save_figures(acme, replace(reference(), hnte_certificate=None))
    assert review_context(report).is_hnte is False  # a profile without a certificate: not high-tech
