"""Found reading the change again: one return writes one history row; the API's reply keeps the
service's Chinese length message; a required blank is said once, without the rule's code."""

from __future__ import annotations

from kechuang.rdreport import services
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.models import ReviewComment
from kechuang.rdreport.tests.staff_data import make_report


def test_one_return_writes_one_history_row(cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], ReportStatus.SUBMITTED)
    before = report.history.count()
    services.return_report(report, cast["tongchuan"], [("", "请补充合同")])
    report.refresh_from_db()
    rows = list(report.history.all()[: report.history.count() - before])
    assert len(rows) == 1, [r.history_change_reason for r in rows]
    assert report.return_count == 1 and report.returned_snapshot


def test_an_over_long_reply_through_the_api_gets_the_services_message(client, cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], ReportStatus.SUBMITTED)
    services.return_report(report, cast["tongchuan"], [("", "请补充合同")])
    comment = ReviewComment.objects.get(report=report)
    client.force_login(cast["acme"])
    url = f"/api/rd/reports/{report.pk}/comments/{comment.pk}/replies"
    response = client.post(url, {"text": "证" * (services.REPLY_MAX + 1)}, content_type="application/json")
    assert response.status_code == 422
    assert f"最多 {services.REPLY_MAX} 字" in str(response.json()["errors"]), response.json()
    assert not comment.replies.exists()
