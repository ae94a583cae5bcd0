"""Findings of the break-it session on R&D reporting, each kept fixed by a test."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.rdreport import services
from kechuang.rdreport.importers import ReportImporter
from kechuang.rdreport.models import RdReport
from kechuang.rdreport.tests.conftest import page_data
from kechuang.rdreport.tests.staff_data import good, make_report, rows_for, workbook


def put(client, report_id, firm, projects=()):
    return client.put(f"/api/rd/reports/{report_id}", {"firm": firm, "projects": list(projects)},
                      content_type="application/json")


@pytest.mark.parametrize(("key", "value", "message"), [
    ("rd_expense_total", "10000000000000", "数值过大"), ("rd_expense_total", "1e40", "数值过大"),
    ("rd_personnel_total", "1e20", "数值过大"), ("labour_cost", "1.0001", "最多保留三位小数"),
])
def test_values_the_columns_cannot_hold_are_refused_everywhere(client, cast, orgs, key, value, message):
    firm, projects = good()
    report = make_report(orgs["acme_ltd"], cast["city"])
    client.force_login(cast["acme"])
    response = put(client, report.pk, {**firm, key: value}, projects)
    assert response.status_code == 422 and message in response.json()["errors"]["__all__"][0]
    page = client.post(reverse("rdreport:report-edit", args=[report.pk]),
                       page_data({**firm, key: value}, projects, year="2025"))
    assert page.status_code == 200 and message in page.content.decode()
    check = client.post(reverse("rdreport:report-check"),
                        page_data({**firm, key: value}, projects, year="2025", report=str(report.pk)))
    assert check.status_code == 200 and message in check.content.decode()
    assert client.get(reverse("rdreport:dashboard")).status_code == 200


@pytest.mark.parametrize("persons", ["-1", "1.5"])
def test_negative_or_fractional_persons_are_findings_not_crashes(client, cast, orgs, persons):
    firm, projects = good()
    report = make_report(orgs["acme_ltd"], cast["city"])
    client.force_login(cast["acme"])
    response = put(client, report.pk, {**firm, "rd_personnel_total": persons}, projects)
    assert response.status_code == 200
    assert "R21" in {f["rule_id"][:3] for f in response.json()["findings"] if f["severity"] == "E"}
    assert RdReport.objects.get(pk=report.pk).rd_personnel_total == 0


@pytest.mark.parametrize("year", ["1999", "2017", "3000", "abc"])
def test_report_years_outside_the_supported_range_are_refused(client, cast, year):
    client.force_login(cast["acme"])
    page = client.get(reverse("rdreport:report-new") + f"?year={year}", follow=True)
    assert "报告年度" in page.content.decode() and not RdReport.objects.exists()
    api = client.post("/api/rd/reports", {"year": year if year.isdigit() else 0, "firm": {}},
                      content_type="application/json")
    assert api.status_code == 422
    check = client.post(reverse("rdreport:report-check"), {"year": year})
    assert check.status_code == 400


def test_a_report_with_seventy_projects_saves_from_the_page(client, cast, orgs):
    firm, projects = good()
    many = [{**projects[0], "name": f"项目{i}", "person_months": "1", "expense": "10"} for i in range(70)]
    client.force_login(cast["acme"])
    response = client.post(reverse("rdreport:report-new") + "?year=2025", page_data(firm, many, year="2025"))
    assert response.status_code == 302
    assert len(RdReport.objects.get().projects) == 70


def test_the_api_caps_projects_and_checks_codes(client, cast, orgs):
    firm, projects = good()
    report = make_report(orgs["acme_ltd"], cast["city"])
    client.force_login(cast["acme"])
    assert put(client, report.pk, firm, [projects[0]] * 501).status_code == 422
    bad_code = put(client, report.pk, firm, [{**projects[0], "source": 99}])
    assert bad_code.status_code == 422 and "不在代码表中" in bad_code.json()["errors"]["__all__"][0]
    bad_name = put(client, report.pk, firm, [{**projects[0], "name": {"a": 1}}])
    assert bad_name.status_code == 422


def test_what_changed_since_the_return_lists_only_real_changes(client, cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], "submitted")
    client.force_login(cast["tongchuan"])
    client.post(reverse("rdreport:report-review", args=[report.pk, "return_report"]), {"comment": "请核对人工费"})
    firm, projects = good()
    firm = {**firm, "labour_cost": "401", "direct_inputs": "199"}
    client.force_login(cast["acme"])
    client.post(reverse("rdreport:report-edit", args=[report.pk]), page_data(firm, projects, year="2025"))
    changes = services.changes_since_return(RdReport.objects.get(pk=report.pk))
    assert [label for label, _, _ in changes] == ["1.人员人工费用[8]", "2.直接投入费用[9]"]


def test_an_explanation_survives_a_typo_elsewhere(client, cast, orgs):
    firm, projects = good()
    client.force_login(cast["acme"])
    page = client.post(reverse("rdreport:report-check"),
                       page_data({**firm, "labour_cost": "abc"}, projects, year="2025",
                                 enterprise=str(orgs["acme_ltd"].pk), **{"explain:R15": "资本性支出计入项目"}))
    assert 'name="explain:R15" value="资本性支出计入项目"' in page.content.decode()


def test_targets_and_gdp_refuse_huge_numbers_with_a_message(client, cast, orgs):
    client.force_login(cast["tongchuan"])
    response = client.post(reverse("rdreport:targets") + "?year=2025",
                           {"uscc": orgs["acme_ltd"].uscc, "target": "1e20", "note": ""})
    assert response.status_code == 200 and "金额过大" in response.content.decode()
    client.force_login(cast["city"])
    from kechuang.core.models import Region

    county = Region.objects.get(name="通川区")
    gdp = client.post(reverse("rdreport:gdp") + "?year=2025", {f"gdp_{county.pk}": "9999999999.9999"})
    assert gdp.status_code == 200


def test_an_import_cell_of_1e40_names_the_row_and_column(cast, orgs):
    firm, projects = good()
    row, _ = rows_for(orgs["acme_ltd"], {**firm, "labour_cost": "1e40"}, [])
    report = ReportImporter(cast["city"]).run(workbook([row]), "rd.xlsx")
    assert not report.written and report.problems[0].row == 2 and "数值过大" in report.problems[0].message


def test_only_return_comments_are_labelled_with_the_return(client, cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], "submitted")
    client.force_login(cast["tongchuan"])
    client.post(reverse("rdreport:report-review", args=[report.pk, "county_review"]), {"comment": "同意"})
    page = client.get(report.get_absolute_url()).content.decode()
    assert "同意" in page and "次退回" not in page
