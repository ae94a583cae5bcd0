"""Findings of the break-it session on tiered cultivation, each kept fixed by a test."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kechuang.common.imports import ImportFileError
from kechuang.cultivation.figures import save_figures
from kechuang.cultivation.importers import AnnualFiguresImporter
from kechuang.cultivation.models import AnnualFigures, CultivationProfile, Evaluation
from kechuang.cultivation.services import evaluate_enterprise, evaluate_year
from kechuang.engines.cultivation import IPKind
from kechuang.engines.cultivation.tests.builders import ip, reference

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "assess_example.json"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="docs/ is not beside the package (installed copy)")
@pytest.mark.parametrize("number", ["1e999999999", '"999999999999999999999999999999"'])
def test_public_assessment_refuses_huge_numbers_at_once(client, db, number):
    body = EXAMPLE.read_text(encoding="utf-8").replace('"17806420.15"', number)
    response = client.post("/api/cultivation/assess", body, content_type="application/json")
    assert response.status_code == 422
    assert "enterprise.years[0].sales_revenue" in response.json()["errors"]


def test_deeply_nested_json_is_a_422(client, db):
    response = client.post("/api/cultivation/assess", "[" * 100000 + "]" * 100000, content_type="application/json")
    assert response.status_code == 422
    page = client.post(reverse("cultivation:self-assessment"), {"text": "[" * 100000 + "]" * 100000})
    assert page.status_code == 200 and "嵌套层数过多" in page.content.decode()


def test_huge_amounts_in_the_figures_form_are_a_message(client, cast, cultivated):
    client.force_login(cast["acme"])
    for url in (reverse("cultivation:figures-new", args=[cultivated["acme_ltd"].pk]),
                reverse("cultivation:figures-check", args=[cultivated["acme_ltd"].pk])):
        response = client.post(url, {"year": 2030, "sales_revenue": "1e999999999"})
        assert response.status_code == 200 and "金额过大" in response.content.decode()
    api = client.put(f"/api/cultivation/enterprises/{cultivated['acme_ltd'].pk}/figures/2030",
                     {"sales_revenue": "1e999999999"}, content_type="application/json")
    assert api.status_code == 422


@pytest.mark.parametrize("year", ["99999", "2999", "1990", "99999999999999999999", "abc"])
def test_evaluation_years_outside_the_rules_are_refused(client, cast, cultivated, year):
    client.force_login(cast["acme"])
    org = cultivated["acme_ltd"].pk
    api = client.post(f"/api/cultivation/enterprises/{org}/evaluate?year={year}")
    assert api.status_code == 422
    page = client.post(reverse("cultivation:evaluate", args=[org]), {"year": year}, follow=True)
    assert "无法评估" in page.content.decode()
    assert not Evaluation.objects.exists()


def test_the_batch_command_refuses_a_year_outside_the_rules(cultivated):
    with pytest.raises(CommandError, match="评估年度应在"):
        call_command("evaluate", "--year", "2200", verbosity=0)


def test_one_enterprise_the_engine_refuses_does_not_stop_the_year(cultivated):
    CultivationProfile.objects.filter(enterprise=cultivated["acme_ltd"]).update(expert_points={"A1": 99})
    run = evaluate_year(2025)
    assert run.evaluated == 2 and cultivated["acme_ltd"].name in run.skipped
    assert "A1" in run.skipped[cultivated["acme_ltd"].name]


def test_an_import_with_some_columns_keeps_the_others(cast, cultivated):
    acme = cultivated["acme_ltd"]
    before = AnnualFigures.objects.get(enterprise=acme, year=2024)
    csv = f"统一社会信用代码,会计年度,销售收入（营业收入）（万元）\n{acme.uscc},2024,123\n".encode()
    report = AnnualFiguresImporter(cast["city"]).run(io.BytesIO(csv), "part.csv")
    assert report.written, report.problems
    after = AnnualFigures.objects.get(enterprise=acme, year=2024)
    assert after.sales_revenue == Decimal("1230000.00")
    assert after.total_revenue == before.total_revenue and after.rd_expense_hnte == before.rd_expense_hnte
    assert after.staff_total_avg == before.staff_total_avg


def test_a_non_utf8_jsonl_import_is_a_file_error(cast, orgs):
    with pytest.raises(ImportFileError, match="UTF-8"):
        AnnualFiguresImporter(cast["city"]).run(io.BytesIO("{\"会计年度\": \"二〇二四\"}".encode("gbk")), "f.jsonl")


def test_a_thousand_word_search_is_not_an_error(client, cast, cultivated):
    client.force_login(cast["city"])
    query = "a " * 1100
    assert client.get(reverse("cultivation:evaluation-list"), {"q": query}).status_code == 200
    assert client.get("/api/cultivation/evaluations", {"q": query}).status_code == 200
    assert client.get(reverse("market:achievement-list"), {"q": query}).status_code == 200


def test_a_profile_without_figures_is_not_near_high_tech(orgs):
    from dataclasses import replace

    bare = replace(reference(name="x", ip_items=ip(1, IPKind.INVENTION_PATENT), hnte_certificate=None), years=())
    save_figures(orgs["acme_ltd"], bare)
    evaluation = evaluate_enterprise(orgs["acme_ltd"], 2026)
    assert "MISSING_DATA" in evaluation.hnte_label and not evaluation.near_hnte
