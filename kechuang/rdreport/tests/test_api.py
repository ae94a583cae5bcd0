"""The R&D report API: the same checks and the same access as the pages."""

from __future__ import annotations

from kechuang.rdreport.models import RdReport


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_report_with_an_error_cannot_be_submitted_through_the_api(client, cast, t20):
    firm, projects = t20
    client.force_login(cast["acme"])
    created = post(client, "/api/rd/reports", {"year": 2025, "firm": firm, "projects": projects})
    assert created.status_code == 200, created.content
    body = created.json()
    assert {"R04", "R12"} <= {f["rule_id"] for f in body["findings"] if f["severity"] == "E"}
    assert body["firm"]["rd_expense_total"] == "1000"  # 千元 out as in
    submitted = post(client, f"/api/rd/reports/{body['id']}/submit", {})
    assert submitted.status_code == 422 and "错误" in submitted.json()["errors"]["__all__"][0]
    assert RdReport.objects.get().status == "draft"


def test_unknown_items_and_bad_numbers_are_named(client, cast):
    client.force_login(cast["acme"])
    bad = post(client, "/api/rd/reports", {"year": 2025, "firm": {"rd_expense_totl": 1},
                                           "projects": [{"colour": "red"}]})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"firm.rd_expense_totl", "projects[0].colour"}
    worse = post(client, "/api/rd/reports", {"year": 2025, "firm": {}, "projects": [{"expense": "abc"}]})
    assert worse.status_code == 422 and "“abc”不是有效的数字" in worse.json()["errors"]["__all__"][0]


def test_other_county_and_other_enterprise_get_404(client, cast, t20):
    firm, projects = t20
    client.force_login(cast["acme"])
    report_id = post(client, "/api/rd/reports", {"year": 2025, "firm": firm, "projects": projects}).json()["id"]
    for who in ("rival", "xuanhan", "researcher"):
        client.force_login(cast[who])
        assert client.get(f"/api/rd/reports/{report_id}").status_code == 404
        assert post(client, f"/api/rd/reports/{report_id}/review/return_report", {"comment": "x"}).status_code == 404
    client.force_login(cast["tongchuan"])
    assert client.get(f"/api/rd/reports/{report_id}").status_code == 200
    assert client.get("/api/rd/reports?year=2025").json()["count"] == 1
    client.force_login(cast["xuanhan"])
    assert client.get("/api/rd/reports?year=2025").json()["count"] == 0


def test_type_errors_name_the_item(client, cast):
    client.force_login(cast["acme"])
    bad = post(client, "/api/rd/reports", {"year": 2025, "firm": {"labour_cost": "abc"}})
    assert bad.status_code == 422 and "firm.labour_cost" in bad.json()["errors"]
