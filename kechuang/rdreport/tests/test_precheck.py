"""Pre-review as the enterprise types (htmx), and the localisation shown next to the messages."""

from __future__ import annotations

import re

from django.urls import reverse

from kechuang.engines.rdreport import form_catalogue
from kechuang.rdreport.tests.conftest import page_data

R04_FIELDS = {"rd_expense_total", "labour_cost", "direct_inputs", "depreciation", "intangible_amortization",
              "design_cost", "equipment_trial_cost", "entrusted_external", "other_expense"}


def suggested_keys(page: str) -> set[str]:
    block = re.search(r'data-testid="suggestion">(.*?)</div>', page, re.S)
    return set(re.findall(r'data-key="([a-z_]+)"', block.group(1))) if block else set()


def test_typing_shows_findings_without_saving(client, cast, orgs, t20):
    firm, projects = t20
    client.force_login(cast["acme"])
    page = client.post(reverse("rdreport:report-check"),
                       page_data(firm, projects, year="2025", enterprise=str(orgs["acme_ltd"].pk)),
                       HTTP_HX_REQUEST="true").content.decode()
    assert "R04" in page and "R12" in page and "错误 " in page
    from kechuang.rdreport.models import RdReport

    assert not RdReport.objects.exists()


def test_one_broken_sum_rule_suggests_only_that_rules_fields(client, cast, orgs, t20):
    firm, projects = t20
    projects[1]["person_months"] = "50"  # R12 holds; only R04 (1000 ≠ 995) is broken
    client.force_login(cast["acme"])
    page = client.post(reverse("rdreport:report-check"),
                       page_data(firm, projects, year="2025", enterprise=str(orgs["acme_ltd"].pk))).content.decode()
    keys = suggested_keys(page)
    assert keys and keys <= R04_FIELDS, keys
    assert len(keys) == 1
    label = form_catalogue(2025).firm_items[next(iter(keys))].label_zh
    assert label in page


def test_another_enterprise_cannot_be_checked_against(client, cast, orgs, t20):
    firm, projects = t20
    client.force_login(cast["acme"])
    response = client.post(reverse("rdreport:report-check"),
                           page_data(firm, projects, year="2025", enterprise=str(orgs["rival_ltd"].pk)))
    assert response.status_code == 404
