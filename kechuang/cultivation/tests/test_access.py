"""Who sees which evaluations and figures: an enterprise its own, a county officer its county's (pages
and API), researchers and experts nothing of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.cultivation.models import Evaluation
from kechuang.cultivation.services import evaluate_year


@pytest.fixture
def evaluated(cultivated):
    evaluate_year(2025)
    return {key: Evaluation.objects.get(enterprise=org, year=2025) for key, org in cultivated.items()
            if key != "uni"}


def names(client, url):
    return client.get(url).content.decode()


def test_enterprise_sees_only_its_own_evaluations(client, cast, evaluated):
    client.force_login(cast["acme"])
    page = names(client, reverse("cultivation:evaluation-list") + "?year=2025")
    assert "通川甲公司" in page and "宣汉乙公司" not in page and "高新丙公司" not in page
    own, other = evaluated["acme_ltd"], evaluated["rival_ltd"]
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("cultivation:report", args=[other.pk])).status_code == 404
    assert client.get(reverse("cultivation:enterprise", args=[other.enterprise_id])).status_code == 404
    assert client.get(reverse("cultivation:overview")).status_code == 302  # to its own page
    api = client.get("/api/cultivation/evaluations?year=2025").json()
    assert [item["enterprise_name"] for item in api["items"]] == ["通川甲公司"]
    assert client.get(f"/api/cultivation/evaluations/{other.pk}").status_code == 404


def test_county_officer_sees_only_its_county(client, cast, evaluated):
    client.force_login(cast["xuanhan"])
    page = names(client, reverse("cultivation:evaluation-list") + "?year=2025")
    assert "宣汉乙公司" in page and "通川甲公司" not in page
    assert client.get(evaluated["acme_ltd"].get_absolute_url()).status_code == 404
    assert client.get(reverse("cultivation:enterprise", args=[evaluated["acme_ltd"].enterprise_id])).status_code == 404
    assert client.post(reverse("cultivation:evaluate", args=[evaluated["acme_ltd"].enterprise_id]),
                       {"year": 2025}).status_code == 404
    export = client.get(reverse("cultivation:evaluation-list") + "?year=2025&export=xlsx")
    assert export.status_code == 200
    api = client.get("/api/cultivation/evaluations?year=2025").json()
    assert {item["enterprise_name"] for item in api["items"]} == {"宣汉乙公司"}
    overview = names(client, reverse("cultivation:overview") + "?year=2025")
    assert "宣汉县" in overview and "通川区" not in overview


def test_city_and_statistics_see_all_but_statistics_cannot_change(client, cast, evaluated):
    client.force_login(cast["city"])
    assert client.get("/api/cultivation/evaluations?year=2025").json()["count"] == 3
    client.force_login(cast["stats"])
    assert client.get("/api/cultivation/evaluations?year=2025").json()["count"] == 3
    org = evaluated["rival_ltd"].enterprise_id
    assert client.post(reverse("cultivation:evaluate", args=[org]), {"year": 2025}).status_code == 403
    assert client.get(reverse("cultivation:figures-edit", args=[org, 2024])).status_code == 403
    assert client.put(f"/api/cultivation/enterprises/{org}/figures/2024", {"sales_revenue": "1"},
                      content_type="application/json").status_code == 403


@pytest.mark.parametrize("who", ["researcher", "expert"])
def test_researchers_and_experts_have_no_part(client, cast, evaluated, who):
    client.force_login(cast[who])
    assert client.get(reverse("cultivation:overview")).status_code == 403
    assert client.get(evaluated["acme_ltd"].get_absolute_url()).status_code == 404
    assert client.get("/api/cultivation/evaluations").json()["count"] == 0


def test_enterprise_cannot_change_another_enterprise_figures(client, cast, evaluated):
    client.force_login(cast["acme"])
    other = evaluated["rival_ltd"].enterprise_id
    assert client.get(reverse("cultivation:profile-edit", args=[other])).status_code == 404
    assert client.put(f"/api/cultivation/enterprises/{other}/figures/2024", {"sales_revenue": "1"},
                      content_type="application/json").status_code == 404
    own = evaluated["acme_ltd"].enterprise_id
    response = client.put(f"/api/cultivation/enterprises/{own}/figures/2024", {"sales_revenue": "48000001.5"},
                          content_type="application/json")
    assert response.status_code == 200
    assert response.json()["figures"]["sales_revenue"] == "48000001.50"


def test_anonymous_gets_only_the_self_assessment(client, evaluated):
    assert client.get(reverse("cultivation:self-assessment")).status_code == 200
    assert client.get(reverse("cultivation:overview")).status_code == 302
    assert client.get("/api/cultivation/evaluations").status_code == 401
