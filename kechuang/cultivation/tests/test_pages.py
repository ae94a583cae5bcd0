"""The cultivation pages: figures typed in 万元 with pre-checks, profile and lists, evaluate now, the
coaching report, pools and their exports, the public self-assessment."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.cultivation.figures import save_figures
from kechuang.cultivation.models import AnnualFigures, CultivationProfile, Evaluation, IntellectualProperty
from kechuang.cultivation.services import evaluate_enterprise, evaluate_year
from kechuang.engines.cultivation import HnteCertificate
from kechuang.engines.cultivation.tests.builders import reference, replace_year


def test_figures_are_typed_in_wan_and_stored_in_yuan(client, cast, cultivated):
    client.force_login(cast["acme"])
    org = cultivated["acme_ltd"]
    url = reverse("cultivation:figures-new", args=[org.pk])
    response = client.post(url, {"year": 2025, "sales_revenue": "5000", "rd_expense_hnte": "54.5",
                                 "staff_total_avg": "100", "tech_staff_avg": "12.5", "net_assets": "-3"})
    assert response.status_code == 302
    row = AnnualFigures.objects.get(enterprise=org, year=2025)
    assert row.sales_revenue == Decimal("50000000.00") and row.rd_expense_hnte == Decimal("545000.00")
    assert row.net_assets == Decimal("-30000.00")
    form = client.get(reverse("cultivation:figures-edit", args=[org.pk, 2025])).content.decode()
    assert 'value="5000"' in form and 'value="54.5"' in form
    assert row.history.count() == 1 and row.history.first().history_user == cast["acme"]


def test_impossible_figures_are_refused_with_the_field_named(client, cast, cultivated):
    client.force_login(cast["acme"])
    org = cultivated["acme_ltd"]
    response = client.post(reverse("cultivation:figures-new", args=[org.pk]),
                           {"year": 2025, "staff_total_avg": "10", "tech_staff_avg": "11", "sales_revenue": "-1",
                            "rd_expense_hnte": "0.0000001"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "科技人员数不能多于职工总数" in page and "不能为负数" in page and "金额最小到分" in page
    assert not AnnualFigures.objects.filter(enterprise=org, year=2025).exists()
    again = client.post(reverse("cultivation:figures-new", args=[org.pk]), {"year": 2024})
    assert "该年度数据已存在" in again.content.decode()


def test_precheck_answers_while_typing(client, cast, cultivated):
    client.force_login(cast["acme"])
    url = reverse("cultivation:figures-check", args=[cultivated["acme_ltd"].pk])
    bad = client.post(url, {"year": 2025, "rd_expense_hnte": "10", "rd_expense_hnte_domestic": "12"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "境内研发费用不能大于研发费用总额" in bad
    fine = client.post(url, {"year": 2025, "sales_revenue": "4000", "rd_expense_hnte": "200",
                             "staff_total_avg": "100", "tech_staff_avg": "9"}).content.decode()
    assert "未发现矛盾" in fine and "研发费用占销售收入：<strong>5.00%" in fine
    assert "科技人员占职工总数：<strong>9.00%" in fine
    assert not AnnualFigures.objects.filter(year=2025).exists()


def test_profile_and_lists_are_saved_together(client, cast, orgs):
    client.force_login(cast["tongchuan"])
    org = orgs["acme_ltd"]
    url = reverse("cultivation:profile-edit", args=[org.pk])
    data = {"establish_date": "2019-04-16", "tax_mode": "ACTUAL_BOOKS", "tech_field": "ELECTRONIC_INFORMATION",
            "is_resident_enterprise": "true"}
    for prefix in ("ip", "standards", "awards", "institutions", "incidents"):
        data.update({f"{prefix}-TOTAL_FORMS": "1" if prefix == "ip" else "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({"ip-0-identifier": "ZL202310000001.X", "ip-0-kind": "INVENTION_PATENT",
                 "ip-0-acquisition": "SELF_DEVELOPED", "ip-0-in_force": "on"})
    bad = client.post(url, {**data, "awards-TOTAL_FORMS": "1", "awards-0-title": "某奖", "awards-0-level": "NATIONAL"})
    assert "这个字段是必填项" in bad.content.decode()  # the award's date
    assert bad.status_code == 200 and not CultivationProfile.objects.filter(enterprise=org).exists()
    assert not IntellectualProperty.objects.filter(enterprise=org).exists()  # all or nothing
    assert client.post(url, data).status_code == 302
    profile = CultivationProfile.objects.get(enterprise=org)
    assert profile.establish_date == dt.date(2019, 4, 16) and profile.is_resident_enterprise is True
    assert profile.registered_in_mainland is None  # left unknown
    assert IntellectualProperty.objects.get(enterprise=org).kind == "INVENTION_PATENT"


def _profile_data(**values):
    data = {"establish_date": "2019-04-16", **values}
    for prefix in ("ip", "standards", "awards", "institutions", "incidents"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize(("field", "value", "message"), [
    ("expert_points_A1", "很多", "应为 0–8 之间的整数分数"), ("expert_points_A1", "99", "应为 0–8 之间的整数分数"),
    ("expert_points_C", "-1", "应为 0–20 之间的整数分数"), ("expert_band_A1", "Z", "选择一个有效的选项"),
    ("expert_points_A1", "1" * 3000, "应为 0–8 之间的整数分数"),
])
def test_expert_judgements_are_checked_like_the_engine_reads_them(client, cast, orgs, field, value, message):
    client.force_login(cast["tongchuan"])
    url = reverse("cultivation:profile-edit", args=[orgs["acme_ltd"].pk])
    page = client.post(url, _profile_data(**{field: value})).content.decode()
    assert message in page and not CultivationProfile.objects.exists()


def test_an_enterprise_cannot_set_the_bureaus_verified_facts(client, cast, orgs):
    client.force_login(cast["acme"])
    url = reverse("cultivation:profile-edit", args=[orgs["acme_ltd"].pk])
    data = _profile_data(expert_points_A="30", hnte_certificate_number="GR-SELF",
                         hnte_certificate_issue_date="2025-01-01", on_serious_violation_list="false")
    assert client.post(url, data).status_code == 302
    profile = CultivationProfile.objects.get(enterprise=orgs["acme_ltd"])
    assert profile.expert_points == {} and profile.hnte_certificate_number == ""
    assert profile.on_serious_violation_list is None
    assert 'data-testid="formset-incidents"' not in client.get(url).content.decode()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("establish_date", "9999-12-31", "成立日期应在"), ("hnte_certificate_issue_date", "9999-12-31", "发证日期应在"),
    ("tsme_registration_year", "99999", "入库年度应在"),
])
def test_impossible_profile_dates_are_refused(client, cast, orgs, field, value, message):
    client.force_login(cast["tongchuan"])
    url = reverse("cultivation:profile-edit", args=[orgs["acme_ltd"].pk])
    extra = {"hnte_certificate_number": "GR1"} if field == "hnte_certificate_issue_date" else {}
    extra |= {"tsme_registration_number": "2025X"} if field == "tsme_registration_year" else {}
    assert message in client.post(url, _profile_data(**{field: value}, **extra)).content.decode()


def test_evaluate_now_and_the_one_page_report_name_sources_and_amounts(client, cast, orgs):
    firm = replace_year(reference(name="x"), 2024, rd_expense_hnte_wan=100, rd_expense_hnte_domestic_wan=100)
    save_figures(orgs["acme_ltd"], firm)
    client.force_login(cast["acme"])
    response = client.post(reverse("cultivation:evaluate", args=[orgs["acme_ltd"].pk]), {"year": 2025})
    evaluation = Evaluation.objects.get(enterprise=orgs["acme_ltd"])
    assert response.status_code == 302 and response["Location"] == evaluation.get_absolute_url()
    assert evaluation.source == "page" and evaluation.hnte_label.startswith("FAIL(RD_RATIO")
    report = client.get(reverse("cultivation:report", args=[evaluation.pk])).content.decode()
    coaching = [item for item in evaluation.result["coaching"] if item["verdict"] == "FAIL"]
    assert coaching
    for item in coaching:
        assert item["text_zh"] in report
        assert "依据：" in item["text_zh"]
    rd = next(i for i in coaching if i["item_id"] == "HT-C5")
    assert "需再投入研发费用" in rd["text_zh"] and "万元" in rd["text_zh"] and "国科发火〔2016〕32号" in rd["text_zh"]
    page = client.get(reverse("cultivation:enterprise", args=[orgs["acme_ltd"].pk])).content.decode()
    assert rd["text_zh"] in page and 'data-testid="evaluations"' in page


def test_a_new_run_keeps_the_earlier_one_as_history(cultivated):
    first = evaluate_enterprise(cultivated["acme_ltd"], 2025)
    second = evaluate_enterprise(cultivated["acme_ltd"], 2025)
    first.refresh_from_db()
    assert not first.is_latest and second.is_latest
    assert Evaluation.objects.filter(enterprise=cultivated["acme_ltd"]).count() == 2


def test_evaluation_without_a_profile_says_what_is_missing(client, cast, orgs):
    client.force_login(cast["city"])
    response = client.post(reverse("cultivation:evaluate", args=[orgs["acme_ltd"].pk]), {"year": 2025}, follow=True)
    assert "尚未建立培育档案" in response.content.decode()


@pytest.fixture
def pools_data(orgs, cast):
    """acme passes everything and is certified; rival is one condition (R&D ratio) short of HNTE and not
    certified; park's certificate ends within 12 months of today."""
    save_figures(orgs["acme_ltd"], reference(name="a"))
    rival = replace_year(reference(name="b", hnte_certificate=None), 2024, rd_expense_hnte_wan=100,
                         rd_expense_hnte_domestic_wan=100)
    save_figures(orgs["rival_ltd"], rival)
    today = timezone.localdate()
    issued = dt.date(today.year - 3, today.month, 1) + dt.timedelta(days=40)
    save_figures(orgs["park_ltd"], reference(name="c", hnte_certificate=HnteCertificate("GR-EXP", issued)))
    evaluate_year(2025)
    return orgs


def test_pools_list_the_right_enterprises_and_export(client, cast, pools_data):
    client.force_login(cast["city"])
    base = reverse("cultivation:evaluation-list") + "?year=2025&pool="
    near = client.get(base + "near-hnte").content.decode()
    assert "宣汉乙公司" in near and "通川甲公司" not in near
    gazelle = client.get(base + "gazelle").content.decode()
    assert "通川甲公司" in gazelle and "宣汉乙公司" not in gazelle
    expiring = client.get(reverse("cultivation:certificates-expiring")).content.decode()
    assert "高新丙公司" in expiring and "通川甲公司" not in expiring
    export = client.get(base + "near-hnte&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "企业" and [r[0] for r in rows[1:]] == ["宣汉乙公司"]
    cert = client.get(reverse("cultivation:certificates-expiring") + "?export=xlsx")
    assert [r[0] for r in list(load_workbook(io.BytesIO(cert.content)).active.iter_rows(values_only=True))[1:]] \
        == ["高新丙公司"]


def test_overview_shows_tiers_by_county_and_the_funnel(client, cast, pools_data):
    client.force_login(cast["city"])
    page = client.get(reverse("cultivation:overview") + "?year=2025").content.decode()
    assert "按县（市、区）" in page and "通川区" in page and "宣汉县" in page
    assert "按国民经济行业门类" in page and "制造业" in page
    assert '"year": 2025' in page and '"evaluated": 3' in page
    assert "vendor/echarts" in page


def test_self_assessment_reports_each_problem_with_its_path(client, db):
    page = client.post(reverse("cultivation:self-assessment"),
                       {"text": '{"enterprise": {"name": "x", "establish_date": "2020-13-01", '
                                '"years": [{"year": 2024, "sales_revenue": "12,5", "colour": 1}]}}'}).content.decode()
    assert "enterprise.establish_date" in page and "不是有效的日期" in page
    assert "enterprise.years[0].sales_revenue" in page
    assert "enterprise.years[0].colour" in page and "未知字段" in page
    example = client.get(reverse("cultivation:self-assessment") + "?example=1").content.decode()
    assert "示例科技有限公司" in example


def test_self_assessment_example_gives_a_coaching_line_with_the_amount(client, db):
    from kechuang.cultivation.services import example_input

    page = client.post(reverse("cultivation:self-assessment"), {"text": example_input()}).content.decode()
    assert 'data-testid="verdict-TSME">符合' in page
    assert "需再投入研发费用 15.97 万元" in page


def test_api_rejects_unknown_figures_fields(client, cast, cultivated):
    client.force_login(cast["acme"])
    response = client.put(f"/api/cultivation/enterprises/{cultivated['acme_ltd'].pk}/figures/2024",
                          {"colour": "1"}, content_type="application/json")
    assert response.status_code == 422


def test_api_evaluate_and_read_back(client, cast, cultivated):
    client.force_login(cast["tongchuan"])
    response = client.post(f"/api/cultivation/enterprises/{cultivated['acme_ltd'].pk}/evaluate?year=2025")
    assert response.status_code == 200
    body = response.json()
    assert body["hnte_label"] == "PASS" and body["result"]["tiers"]["HNTE"]["label"] == "PASS"
    figures = client.get(f"/api/cultivation/enterprises/{cultivated['acme_ltd'].pk}/figures").json()
    assert [row["year"] for row in figures] == [2021, 2022, 2023, 2024]


def test_precheck_says_at_once_when_the_year_is_already_held(client, cast, cultivated):
    client.force_login(cast["acme"])
    url = reverse("cultivation:figures-check", args=[cultivated["acme_ltd"].pk])
    assert "2024 年度数据已存在" in client.post(url, {"year": 2024, "editing": ""}).content.decode()
    assert "已存在" not in client.post(url, {"year": 2024, "editing": "2024"}).content.decode()
    new = client.get(reverse("cultivation:figures-new", args=[cultivated["acme_ltd"].pk])).content.decode()
    assert 'name="year" value="2025"' in new  # the first fiscal year not yet entered
