"""The demo R&D reporting data: plans with targets, deadline, GDP and reports in every state."""

from __future__ import annotations

from collections import Counter

import pytest

from kechuang.rdreport import aggregates, dashboard
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.demo import PLANNED, load_rd_demo
from kechuang.rdreport.models import RdPlan, RdReport, RegionalGdp, ReportingDeadline, ReviewComment


@pytest.mark.slow
def test_demo_has_every_state_consistent_figures_and_loads_once(regions, django_user_model):
    from kechuang.core.demo import load_demo

    load_demo()
    result = load_rd_demo(2025)
    assert result.plans == PLANNED
    states = Counter(RdReport.objects.filter(year=2025).values_list("status", flat=True))
    assert set(states) == set(ReportStatus.values), states
    drafts = RdReport.objects.filter(year=2025, status=ReportStatus.DRAFT)
    with_errors = [r for r in drafts if r.error_count]
    assert with_errors and all({"R04", "R12"} <= {f["rule_id"] for f in r.findings} for r in with_errors)
    assert not RdReport.objects.filter(year=2025).exclude(status=ReportStatus.DRAFT).filter(error_count__gt=0).exists()
    returned = RdReport.objects.filter(status=ReportStatus.RETURNED)
    assert all(ReviewComment.objects.filter(report=r).exists() for r in returned)
    own = django_user_model.objects.get(username="enterprise")
    assert RdReport.objects.get(enterprise=own.organisation).status == ReportStatus.RETURNED
    assert RdPlan.objects.filter(enterprise=own.organisation, year=2025).exists()
    assert ReportingDeadline.objects.filter(year=2025).count() == 2
    assert RegionalGdp.objects.filter(year=2025).count() == 8
    city = django_user_model.objects.get(username="city_admin")
    view = dashboard.overview(city, 2025)
    assert all(view.totals) and view.deadline is not None
    _, total = aggregates.by_county(city, 2025)
    assert total.reports == sum(states[s] for s in aggregates.COUNTED) and total.intensity is not None
    again = load_rd_demo(2025)
    assert again.plans == 0 and not again.reports and RdReport.objects.filter(year=2025).count() == sum(states.values())
