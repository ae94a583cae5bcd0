"""Issue 11, cultivation pages: one definition per tier on the dashboard (16), the near-high-tech pool
without enterprises that can never qualify (18), expert judgements as labelled inputs (19), re-evaluating
a region from the page with progress (21), Chinese labels instead of engine notation (22)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kechuang.cultivation import pools
from kechuang.cultivation.figures import save_figures
from kechuang.cultivation.models import CultivationProfile, Evaluation
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


def test_county_officer_reevaluates_its_county_in_steps_with_progress(client, cast, mixed, regions):
    from kechuang.cultivation.models import EvaluationRun

    client.force_login(cast["tongchuan"])
    page = client.get(reverse("cultivation:overview") + "?year=2025").content.decode()
    assert 'data-testid="run-form"' in page and "通川区" in page and "宣汉县</option>" not in page
    foreign = client.post(reverse("cultivation:run-start"), {"region": regions["宣汉县"].pk, "year": 2025})
    city = client.post(reverse("cultivation:run-start"), {"region": regions["达州市"].pk, "year": 2025})
    assert foreign.status_code == city.status_code == 404 and not EvaluationRun.objects.exists()
    before = Evaluation.objects.count()
    started = client.post(reverse("cultivation:run-start"), {"region": regions["通川区"].pk, "year": 2025},
                          HTTP_HX_REQUEST="true").content.decode()
    run = EvaluationRun.objects.get()
    assert run.total == 1 and run.status == "running" and 'role="progressbar"' in started
    step = client.post(reverse("cultivation:run-step", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    run.refresh_from_db()
    assert run.status == "done" and run.done == 1 and "已完成" in step
    assert Evaluation.objects.count() == before + 1  # acme only: the other counties are untouched
    assert Evaluation.objects.filter(enterprise=mixed["acme_ltd"], is_latest=True).count() == 1
    client.force_login(cast["xuanhan"])
    assert client.post(reverse("cultivation:run-step", args=[run.pk])).status_code == 404


def test_city_admin_reevaluates_the_city_chunk_by_chunk(client, cast, mixed, regions):
    from kechuang.cultivation.models import EvaluationRun
    from kechuang.cultivation.services import advance_run, start_run

    run = start_run(regions["达州市"], 2025, user=cast["city"])
    assert run.total == 3
    run = advance_run(run, chunk=2)
    assert (run.done, run.percent, run.status) == (2, 66, "running")
    run = advance_run(run, chunk=2)
    assert (run.done, run.status) == (3, "done")
    client.force_login(cast["city"])
    page = client.get(reverse("cultivation:overview") + "?year=2025").content.decode()
    assert "宣汉县</option>" in page and 'data-status="done"' in page
    assert EvaluationRun.objects.visible_to(cast["tongchuan"]).count() == 0  # the city's run is not a county's


def test_expert_judgements_are_one_labelled_input_per_item_with_its_range(client, cast, orgs):
    client.force_login(cast["tongchuan"])
    url = reverse("cultivation:profile-edit", args=[orgs["acme_ltd"].pk])
    page = client.get(url).content.decode()
    assert "null" not in page and "{&quot;" not in page and "<textarea" not in page
    assert re.search(r'<label[^>]*for="id_expert_points_A1">技术的先进程度（0–8 分）</label>', page)
    assert 'name="expert_points_A1"' in page and 'max="8"' in page and 'name="expert_points_D2"' in page
    assert '<option value="B">B 档（5–6 分）</option>' in page
    data = {"establish_date": "2019-04-16", "expert_points_A1": "6", "expert_band_A2": "B", "expert_points_C": ""}
    for prefix in ("ip", "standards", "awards", "institutions", "incidents"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    assert client.post(url, data).status_code == 302
    profile = CultivationProfile.objects.get(enterprise=orgs["acme_ltd"])
    assert profile.expert_points == {"A1": 6} and profile.expert_bands == {"A2": "B"}
    again = client.get(url).content.decode()
    assert re.search(r'name="expert_points_A1" value="6"', again)
    assert re.search(r'<option value="B" selected>B 档', again)
    assert not re.search(r">C[1-4] ", again)  # R&D management evidence without rule ids


ENGINE_NOTATION = re.compile(r"\b(?:S|HT|G)-[A-Z0-9]+|[<>=]=|\bin 任一|HT2016|template-\d|>\s*[A-D][1-5] ")


def visible_text(html: str) -> str:
    """The page as a user reads it: tags, scripts and attributes dropped."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_pages_show_chinese_labels_never_engine_notation(client, cast, mixed):
    import io

    from openpyxl import load_workbook

    client.force_login(cast["city"])
    acme = Evaluation.objects.get(enterprise=mixed["acme_ltd"], is_latest=True)
    for url in (acme.get_absolute_url(), reverse("cultivation:report", args=[acme.pk]),
                reverse("cultivation:enterprise", args=[mixed["acme_ltd"].pk]),
                reverse("cultivation:evaluation-list") + "?year=2025"):
        text = visible_text(client.get(url).content.decode())
        assert not ENGINE_NOTATION.search(text), (url, ENGINE_NOTATION.search(text).group(0))
        assert "规则版本" not in text
    detail = visible_text(client.get(acme.get_absolute_url()).content.decode())
    assert "高新技术企业认定 2016 年版" in detail and "不超过 500 人" in detail
    assert "2025年6月30日" in detail
    export = client.get(reverse("cultivation:evaluation-list") + "?year=2025&export=xlsx")
    cells = [str(c) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
             for c in row if c is not None]
    assert "评价规则" in cells and not any(ENGINE_NOTATION.search(c) for c in cells)


def test_an_optional_direct_route_not_met_is_not_a_red_fail(client, cast, orgs):
    save_figures(orgs["acme_ltd"], reference(name="a", hnte_certificate=None))  # passes tech SME by its score
    evaluate_year(2025)
    evaluation = Evaluation.objects.get(enterprise=orgs["acme_ltd"], is_latest=True)
    assert evaluation.tsme_verdict == "PASS"
    client.force_login(cast["city"])
    page = client.get(evaluation.get_absolute_url()).content.decode()
    row = page.split('data-testid="conditions-TSME"')[1].split("</table>")[0]
    route = next(tr for tr in row.split("<tr>") if "直通条件" in tr)
    assert "text-bg-danger" not in route and "不符合</span>" not in route and "未采用" in route


@pytest.mark.parametrize("who", ["stats", "acme", "researcher"])
def test_only_city_and_county_staff_start_a_run(client, cast, regions, who):
    from kechuang.cultivation.models import EvaluationRun

    client.force_login(cast[who])
    response = client.post(reverse("cultivation:run-start"), {"region": regions["通川区"].pk, "year": 2025})
    assert response.status_code == 404 and not EvaluationRun.objects.exists()


def test_a_second_start_of_the_same_region_and_year_resumes_the_running_one(cast, regions):
    """Found reading the change again: a double click made two runs, one left RUNNING forever."""
    from kechuang.cultivation.services import start_run

    first = start_run(regions["达州市"], 2025, user=cast["city"])
    assert start_run(regions["达州市"], "2025", user=cast["city"]).pk == first.pk
    assert start_run(regions["通川区"], 2025, user=cast["city"]).pk != first.pk


def test_an_enterprise_evaluated_in_several_years_counts_once_among_those_left_out(cast, mixed):
    """Found reading the change again: without a year filter the box said 「3 家」 for one enterprise."""
    park = Evaluation.objects.get(enterprise=mixed["park_ltd"], is_latest=True)
    for year in (2023, 2024):  # the same verdict stored for two earlier years
        Evaluation.objects.create(**{f.name: getattr(park, f.name) for f in Evaluation._meta.concrete_fields
                                     if f.name not in ("id", "year")}, year=year)
    groups = pools.never_near_hnte(Evaluation.objects.filter(is_latest=True))
    assert [(g["count"], g["names"]) for g in groups] == [(1, ["高新丙公司"])]
