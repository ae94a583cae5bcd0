"""The spec's worked cases (whole-enterprise ones) and band edges through the platform: figures saved in
the database and evaluated, posted to the API, and posted to the self-assessment page give the same
verdicts as the engine on the same figures."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.cultivation.figures import figures_of, save_figures
from kechuang.cultivation.models import Evaluation
from kechuang.cultivation.services import evaluate_enterprise
from kechuang.engines.cultivation import (
    ExpertInput,
    HnteCertificate,
    InstitutionLevel,
    IPKind,
    RdInstitution,
    assess,
)
from kechuang.engines.cultivation.codec import figures_to_json
from kechuang.engines.cultivation.tests.builders import APPLY, ip, reference, replace_year, wan, year
from kechuang.engines.cultivation.tests.test_worked_cases import tsme_firm


def _t08():
    items = ip(3, IPKind.UTILITY_MODEL) + (replace(ip(1, IPKind.SOFTWARE_COPYRIGHT)[0], identifier="2019SR000001",
                                                   used_in_previous_recognition=True),)
    return reference(ip_items=items, hnte_certificate=HnteCertificate("GR2022", dt.date(2022, 11, 1)))


CASES = {
    "T01": (lambda: reference(years=(
        year(2022, sales_revenue_wan=3200, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=240),
        year(2023, sales_revenue_wan=4000, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=240),
        year(2024, sales_revenue_wan=4800, rd_expense_hnte_wan=240, rd_expense_hnte_domestic_wan=220))), {}),
    # band edge: last-year revenue exactly 50,000,000 yuan stays in the 5 % band (HT-C5)
    "T02-edge": (lambda: replace_year(reference(), 2024, sales_revenue_wan=5000, rd_expense_hnte_wan=210,
                                      rd_expense_hnte_domestic_wan=210), {}),
    "T08": (_t08, {}),
    "T09b": (lambda: reference(establish_date=dt.date(2023, 1, 15), years=(
        year(2023, achievements_transformed=4, sales_revenue_wan=1000, net_assets_wan=500),
        year(2024, achievements_transformed=5, sales_revenue_wan=1200, net_assets_wan=600))), {}),
    "T10-pass": (lambda: reference(expert=ExpertInput(points={"A": 24, "B": 20, "C": 15, "D": 12})),
                 {"HNTE": "PASS"}),
    "T10-fail": (lambda: reference(expert=ExpertInput(points={"A": 24, "B": 20, "C": 14, "D": 12})),
                 {"HNTE": "FAIL(INNOVATION_SCORE)"}),
    "T12": (lambda: tsme_firm(staff=80, tech=20, revenue=5000, rd=300, ip_items=ip(3)), {"TSME": "PASS"}),
    "T13": (lambda: tsme_firm(staff=80, tech=7, revenue=5000, rd=350, ip_items=ip(1, IPKind.INVENTION_PATENT)),
            {"TSME": "FAIL(TECH_STAFF_ZERO)"}),
    "T14": (lambda: tsme_firm(staff=50, tech=15, revenue=6000, rd=150, costs=700, ip_items=ip(2)), {"TSME": "PASS"}),
    "T15": (lambda: tsme_firm(staff=300, tech=90, revenue=21000, rd=1300, ip_items=ip(1, IPKind.INVENTION_PATENT),
                              hnte_certificate=HnteCertificate("GR202451000009", dt.date(2024, 12, 1))),
            {"TSME": "FAIL(SIZE)"}),
    "T16": (lambda: tsme_firm(staff=100, tech=20, revenue=5000, rd=100, ip_items=ip(3), rd_institutions=(
        RdInstitution("四川省玄武岩纤维工程技术研究中心", InstitutionLevel.PROVINCIAL),)),
            {"TSME": "PASS(DIRECT:RD_INSTITUTION)"}),
    # band edge: tech-SME sales exactly 200,000,000 yuan is still within the size limit (S-C2)
    "S-C2-edge": (lambda: tsme_firm(staff=100, tech=20, revenue=20000, rd=900, ip_items=ip(3)), {}),
    # band edge: sales growth exactly 25 % (T07's figures as the last three years)
    "T07-edge": (lambda: replace_year(replace_year(replace_year(reference(), 2022, sales_revenue_wan=1000), 2023,
                                                   sales_revenue_wan=1250), 2024,
                                      sales_revenue=Decimal("15625000")), {}),
}


def labels(result: dict) -> dict[str, str]:
    return {tier: data["label"] for tier, data in result["tiers"].items()}


def engine_labels(figures) -> dict[str, str]:
    a = assess(figures, APPLY)
    return {"TSME": a.tsme.label, "HNTE": a.hnte.label, "GAZELLE": a.gazelle.label}


@pytest.mark.parametrize("case", sorted(CASES))
def test_stored_figures_evaluate_like_the_engine(case, orgs, cast):
    build, expected = CASES[case]
    figures = replace(build(), name=orgs["acme_ltd"].name)
    save_figures(orgs["acme_ltd"], figures)
    assert figures_of(orgs["acme_ltd"]) == replace(figures, uscc=orgs["acme_ltd"].uscc)
    evaluation = evaluate_enterprise(orgs["acme_ltd"], APPLY.year, user=cast["tongchuan"])
    assert evaluation.evaluation_date == APPLY
    want = engine_labels(figures)
    assert labels(evaluation.result) == want
    assert (evaluation.tsme_label, evaluation.hnte_label, evaluation.gazelle_label) == (
        want["TSME"], want["HNTE"], want["GAZELLE"])
    for tier, label in expected.items():
        assert want[tier] == label


@pytest.mark.parametrize("case", sorted(CASES))
def test_api_self_assessment_gives_the_engine_verdicts(case, client):
    build, _ = CASES[case]
    figures = build()
    body = json.dumps(figures_to_json(figures, APPLY), ensure_ascii=False)
    response = client.post("/api/cultivation/assess", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert labels(response.json()) == engine_labels(figures)


@pytest.mark.parametrize("case", ["T10-fail", "T13", "T16"])
def test_self_assessment_page_shows_the_engine_verdicts(case, client, db):
    build, _ = CASES[case]
    figures = build()
    text = json.dumps(figures_to_json(figures, APPLY), ensure_ascii=False)
    page = client.post(reverse("cultivation:self-assessment"), {"text": text}).content.decode()
    for label in engine_labels(figures).values():
        assert f'data-label="{label}"' in page


def test_the_edges_land_where_the_spec_says(orgs):
    assert engine_labels(CASES["T02-edge"][0]())["HNTE"] == "PASS"  # 5 % band at exactly 5,000 万
    edge = CASES["S-C2-edge"][0]()
    assert assess(edge, APPLY).tsme.condition("S-C2.sales").verdict.value == "PASS"
    over = tsme_firm(staff=100, tech=20, revenue=20000, rd=900, ip_items=ip(3))
    over = replace_year(over, 2024, sales_revenue=wan(20000) + Decimal("0.01"))
    assert assess(over, APPLY).tsme.condition("S-C2.sales").label == "FAIL(SIZE)"
    growth = assess(CASES["T07-edge"][0](), APPLY).hnte.part("D2")
    assert growth.actual == Decimal("0.25") and growth.band == "B"


def test_every_evaluation_records_its_rule_version_and_inputs(cultivated, cast):
    evaluation = evaluate_enterprise(cultivated["acme_ltd"], 2025, user=cast["acme"])
    stored = Evaluation.objects.get(pk=evaluation.pk)
    assert stored.rule_version and stored.result["rule_version"] == stored.rule_version
    assert stored.figures["evaluation_date"] == "2025-06-30"
    assert stored.created_by == cast["acme"]
