"""Issue 12 item 3: R&D reports on the shared review kit (kechuang.common.review) and the step rules in
kechuang.common.access; page and API start and review a report through the same services."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kechuang.common import access
from kechuang.common.review import Change, CommentReplyBase, ReviewCommentBase
from kechuang.rdreport import services
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.models import CommentReply, RdReport, ReviewComment
from kechuang.rdreport.tests.staff_data import YEAR, good, make_report


def test_every_report_transition_is_guarded_by_the_access_step_rules():
    transitions = RdReport._meta.get_field("status").transitions[RdReport]
    guards = {name: method._django_fsm.transitions for name, method in
              ((m.__name__, m) for m in transitions.values())}
    assert set(guards) == {"submit", "county_review", "city_review", "deliver", "return_report"}
    for name, by_source in guards.items():
        for transition in by_source.values():
            assert transition.permission.__module__ == access.__name__, name
    assert set(access.STEP_RULES["rdreport.RdReport"]) >= {"submit", "county_review", "city_review", "deliver",
                                                           "reply"}


def test_the_comment_models_are_the_kits():
    assert issubclass(ReviewComment, ReviewCommentBase) and issubclass(CommentReply, CommentReplyBase)
    assert ReviewComment._meta.db_table == "rdreport_reviewcomment"
    assert CommentReply._meta.db_table == "rdreport_commentreply"


def test_return_is_for_the_reviewer_of_the_level_the_report_waits_at(cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], ReportStatus.SUBMITTED)
    assert access.may_step(cast["tongchuan"], report, "return_report")
    assert not access.may_step(cast["xuanhan"], report, "return_report")  # another county
    assert not access.may_step(cast["stats"], report, "return_report")  # delivers, does not pre-review
    services.review(report, cast["tongchuan"], "county_review")
    assert not access.may_step(cast["tongchuan"], report, "return_report")  # now the city's
    assert access.may_step(cast["city"], report, "return_report")


def test_reply_rights_come_from_the_step_rule(cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], ReportStatus.RETURNED)
    comment = report.comments.get()
    assert services.may_reply(report, cast["acme"])
    for reviewer in ("city", "tongchuan"):
        assert not services.may_reply(report, cast[reviewer])
        with pytest.raises(PermissionDenied):
            services.reply_to_comment(comment, cast[reviewer], "由审核人代答")
    assert not services.may_reply(report, cast["rival"])
    services.reply_to_comment(comment, cast["acme"], "已核对")
    assert [r.text for r in comment.replies.all()] == ["已核对"]


def test_changes_since_return_compare_by_value_in_thousand_yuan(cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], ReportStatus.RETURNED)
    firm, projects = good()
    # the same values typed differently (1000 = 1000.000) and one real change, in a project cell
    firm = {**firm, "rd_expense_total": "1000.000"}
    projects[0] = {**projects[0], "name": "新型催化剂研发（二期）"}
    services.save_content(report, firm, projects, {}, cast["acme"])
    changes = services.changes_since_return(report)
    assert changes == [Change("项目 1 项目名称", "新型催化剂研发", "新型催化剂研发（二期）")]


def test_a_return_needs_a_comment_and_known_fields(cast, orgs):
    report = make_report(orgs["acme_ltd"], cast["city"], ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        services.review_step(report, cast["tongchuan"], "return_report", "  ")
    with pytest.raises(ValidationError, match="未知的指标"):
        services.review_step(report, cast["tongchuan"], "return_report", "请核对", [("no_such_item", "?")])
    services.review_step(report, cast["tongchuan"], "return_report", "请核对", [("labour_cost", "人工费偏高")])
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_count == 1
    assert [(c.field, c.round, c.returned) for c in report.comments.all()] == [("", 1, True),
                                                                               ("labour_cost", 1, True)]


def _api_post(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_page_and_api_start_a_report_through_one_service(client, cast, orgs):
    existing = make_report(orgs["acme_ltd"], cast["city"])
    client.force_login(cast["acme"])
    page = client.get(reverse("rdreport:report-new") + f"?year={YEAR}")
    assert page.status_code == 302 and page.url == existing.get_absolute_url()
    api = _api_post(client, "/api/rd/reports", {"year": YEAR, "firm": {}})
    assert api.status_code == 422 and api.json()["errors"] == {"year": ["该企业该年度的报表已存在"]}
    with pytest.raises(services.ReportExists):
        services.new_report(cast["acme"], None, YEAR)
    with pytest.raises(PermissionDenied):
        services.new_report(cast["stats"], orgs["acme_ltd"].pk, YEAR)
    missing = _api_post(client, "/api/rd/reports", {"firm": {}})
    assert missing.status_code == 422 and missing.json()["errors"] == {"year": ["必填"]}
    client.force_login(cast["city"])
    page = client.get(reverse("rdreport:report-new") + f"?year={YEAR}", follow=True)
    assert "请从企业页面为某一企业新建报表" in page.content.decode()
    api = _api_post(client, "/api/rd/reports", {"year": YEAR, "firm": {}})
    assert api.status_code == 422 and api.json()["errors"] == {"enterprise": ["必填：请从企业页面为某一企业新建报表"]}
