"""Issue 11, cultivation pages: one definition per tier on the dashboard (16), the near-high-tech pool
without enterprises that can never qualify (18), expert judgements as labelled inputs (19), re-evaluating
a region from the page with progress (21), Chinese labels instead of engine notation (22)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.cultivation import pools
from kechuang.cultivation.figures import save_figures
from kechuang.cultivation.models import Evaluation
from kechuang.cultivation.services import evaluate_year
from kechuang.engines.cultivation.tests.builders import reference, replace_year


@pytest.fixture
def mixed(orgs, cast):
    """acme passes every tier and holds a certificate; rival holds a certificate but fails HNTE (R&D
    short); park is a non-resident enterprise (HNTE fails on that alone: can never qualify)."""
    save_figures(orgs["acme_ltd"], reference(name="a"))
    save_figures(orgs["rival_ltd"], replace_year(reference(name="b"), 2024, rd_expense_hnte_wan=100,
                                                 rd_expense_hnte_domestic_wan=100))
    save_figures(orgs["park_ltd"], reference(name="c", hnte_certificate=None, is_resident_enterprise=False))
    evaluate_year(2025)
    return orgs


def test_funnel_and_table_count_each_tier_by_one_definition(client, cast, mixed):
    rows = pools.funnel(cast["city"])
    row = next(r for r in rows if r["year"] == 2025)
    latest = Evaluation.objects.filter(year=2025, is_latest=True)
    assert row["hnte"]["pass"] == latest.filter(hnte_verdict="PASS").count() == 1
    assert row["hnte"]["held"] == 2  # acme and rival hold a certificate; only acme meets the conditions
    assert row["tsme"]["review"] == latest.filter(tsme_verdict="NEEDS_REVIEW").count()
    grid = pools.tiers_by_county(cast["city"], 2025)
    assert grid.totals_of("hnte") == row["hnte"]
    assert grid.evaluated == row["evaluated"] == 3
    client.force_login(cast["city"])
    page = client.get(reverse("cultivation:overview") + "?year=2025").content.decode()
    assert "符合" in page and "持证" in page and "待复核" in page
    assert 'data-testid="funnel-table"' in page


def test_near_high_tech_pool_leaves_out_who_can_never_qualify_and_says_why(client, cast, mixed):
    park = Evaluation.objects.get(enterprise=mixed["park_ltd"], is_latest=True)
    assert park.hnte_conditions_failed == 1 and not park.near_hnte
    assert "居民企业" in park.hnte_blocked
    client.force_login(cast["city"])
    page = client.get(reverse("cultivation:evaluation-list") + "?year=2025&pool=near-hnte").content.decode()
    listed, _, excluded = page.partition('data-testid="pool-excluded"')
    assert "高新丙公司" not in listed  # (rival holds a certificate: not a candidate either)
    assert "高新丙公司" in excluded and "居民企业，不能申报" in excluded
