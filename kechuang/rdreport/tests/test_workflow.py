"""Filling in, pre-review, submission and the three-level review of R&D reports (pages)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from kechuang.rdreport.models import RdReport
from kechuang.rdreport.tests.conftest import page_data


def create(client, user, firm, projects, action="save", year=2025):
    client.force_login(user)
    return client.post(reverse("rdreport:report-new") + f"?year={year}", page_data(firm, projects, action=action,
                                                                                    year=str(year)))


def test_t20_is_blocked_by_r04_and_r12(client, cast, t20):
    firm, projects = t20
    response = create(client, cast["acme"], firm, projects, action="submit")
    report = RdReport.objects.get()
    assert report.status == "draft"
    rules = {f["rule_id"] for f in report.findings if f["severity"] == "E"}
    assert {"R04", "R12"} <= rules and "R06" not in rules and "R11" not in rules
    assert report.firm["rd_expense_total"] == "1000000.00"  # 1000 千元 stored in yuan
    assert response.status_code == 302  # back to the form, saved as a draft, with the reason
    messages = client.get(response["Location"]).content.decode()
    assert "报表有 2 处错误，须修改后才能报送" in messages or "处错误，须修改后才能报送" in messages
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "R04" in detail and "R12" in detail and 'data-testid="suggestion"' in detail


def test_the_whole_review_path_and_a_return_with_comments(client, cast, t20):
    firm, projects = t20
    firm["other_expense"] = "55"  # 995 + 5 = 1000: R04 holds
    projects[1]["person_months"] = "50"  # 120 ≤ 10 × 12: R12 holds
    create(client, cast["acme"], firm, projects)
    report = RdReport.objects.get()
    assert report.error_count == 0, report.findings
    for f in report.findings:
        assert f["severity"] != "E"
    explain = {f"explain:{f['rule_key']}": "说明" for f in report.findings if f["severity"] == "W"}
    client.post(reverse("rdreport:report-edit", args=[report.pk]), page_data(firm, projects, action="submit",
                                                                             year="2025", **explain))
    report.refresh_from_db()
    assert report.status == "submitted", report.findings
    # another county cannot see it; its own county pre-reviews
    client.force_login(cast["xuanhan"])
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(reverse("rdreport:report-review", args=[report.pk, "county_review"])).status_code == 404
    client.force_login(cast["tongchuan"])
    client.post(reverse("rdreport:report-review", args=[report.pk, "return_report"]),
                {"comment": "人员数请核对", "field_1": "rd_personnel_total", "text_1": "与社保人数不符"})
    report.refresh_from_db()
    assert report.status == "returned" and report.return_count == 1
    assert list(report.comments.values_list("field", flat=True)) == ["", "rd_personnel_total"]
    client.force_login(cast["acme"])
    firm["rd_personnel_total"] = "11"
    client.post(reverse("rdreport:report-edit", args=[report.pk]), page_data(firm, projects, action="submit",
                                                                             year="2025", **explain))
    report.refresh_from_db()
    assert report.status == "submitted"
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "退回后修改的内容" in detail and "与社保人数不符" in detail
    client.force_login(cast["tongchuan"])
    client.post(reverse("rdreport:report-review", args=[report.pk, "county_review"]))
    client.force_login(cast["city"])
    client.post(reverse("rdreport:report-review", args=[report.pk, "city_review"]))
    client.force_login(cast["stats"])
    client.post(reverse("rdreport:report-review", args=[report.pk, "deliver"]))
    report.refresh_from_db()
    assert report.status == "delivered"
    whos = [h.history_user.username for h in report.history.all() if h.history_user]
    assert {"acme", "tongchuan", "city", "stats"} <= set(whos)
    assert report.rd_expense_total == Decimal("1000000.00")


def test_cross_checks_use_the_cultivation_figures_even_with_fen(client, cast, orgs, t20):
    from dataclasses import replace

    from kechuang.cultivation.figures import save_figures
    from kechuang.engines.cultivation.tests.builders import reference, year

    firm, projects = t20
    figures = reference(years=(year(2025, sales_revenue=Decimal("1400000.37"), staff_total_avg=8),))
    save_figures(orgs["acme_ltd"], replace(figures, hnte_certificate=None))
    create(client, cast["acme"], firm, projects)
    report = RdReport.objects.get()
    rules = {f["rule_id"] for f in report.findings}
    assert "X03" in rules  # internal expenditure 730 千元 over revenue 1,400 千元 is above 50 %
    assert "R19a" in rules  # 10 R&D persons > 8 employees on average


def test_amounts_finer_than_a_yuan_are_refused_with_the_item_named(client, cast, t20):
    firm, projects = t20
    firm["labour_cost"] = "400.0005"
    response = create(client, cast["acme"], firm, projects)
    assert "1.人员人工费用[8]：最多保留三位小数" in response.content.decode()
    assert not RdReport.objects.exists()
