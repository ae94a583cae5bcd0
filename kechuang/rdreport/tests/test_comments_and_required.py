"""Issue 11, item 24: reviewers' comments next to their fields on the edit page, the enterprise's replies,
and a required item left blank reported as 必填 instead of being checked as 0."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kechuang.rdreport import services
from kechuang.rdreport.models import CommentReply, RdReport
from kechuang.rdreport.tests.conftest import page_data


def fixed(t20):
    firm, projects = t20
    firm["other_expense"] = "55"  # R04 holds
    projects[1]["person_months"] = "50"  # R12 holds
    return firm, projects


@pytest.fixture
def returned(client, cast, t20):
    """acme's 2025 report, submitted and returned by 通川区 with a general comment and one on [1]."""
    firm, projects = fixed(t20)
    client.force_login(cast["acme"])
    client.post(reverse("rdreport:report-new") + "?year=2025", page_data(firm, projects, action="save", year="2025"))
    report = RdReport.objects.get()
    explain = {f"explain:{f['rule_key']}": "说明" for f in report.findings if f["severity"] == "W"}
    client.post(reverse("rdreport:report-edit", args=[report.pk]),
                page_data(firm, projects, action="submit", year="2025", **explain))
    client.force_login(cast["tongchuan"])
    client.post(reverse("rdreport:report-review", args=[report.pk, "return_report"]),
                {"comment": "请补充说明", "field_1": "rd_personnel_total", "text_1": "请提供研发人员名单作为证明"})
    report.refresh_from_db()
    assert report.status == "returned"
    return report


def field_block(page: str, key: str) -> str:
    """The edit form's column of the input ``key`` (label, input, messages, comments)."""
    match = re.search(rf'<div class="col-md-\d"><label[^>]*for="id_{key}".*?(?=<div class="col-md-\d"><label|</div>\s*<h2)',
                      page, re.S)
    assert match, key
    return match.group(0)


def test_the_returned_comment_shows_next_to_its_field_on_the_edit_page(client, cast, returned):
    client.force_login(cast["acme"])
    page = client.get(reverse("rdreport:report-edit", args=[returned.pk])).content.decode()
    assert "请提供研发人员名单作为证明" in field_block(page, "rd_personnel_total")
    assert "请提供研发人员名单作为证明" not in field_block(page, "rd_expense_total")
    assert 'data-testid="open-comments"' in page and "请补充说明" in page


def test_the_enterprise_answers_a_request_for_evidence_and_the_reviewer_reads_it(client, cast, returned):
    comment = returned.comments.get(field="rd_personnel_total")
    url = reverse("rdreport:comment-reply", args=[returned.pk, comment.pk])
    client.force_login(cast["acme"])
    response = client.post(url, {"text": "名单见研发项目立项文件，共 10 人"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "名单见研发项目立项文件" in response.content.decode()
    client.post(url, {"text": "补充：其中 8 人为全职"})
    replies = list(CommentReply.objects.filter(comment=comment))
    assert [r.text for r in replies] == ["名单见研发项目立项文件，共 10 人", "补充：其中 8 人为全职"]
    assert all(r.author == cast["acme"] and r.created_at for r in replies)
    assert replies[0].history.get().history_user == cast["acme"]
    # an empty reply is refused with a message; nothing is stored
    response = client.post(url, {"text": "  "}, HTTP_HX_REQUEST="true")
    assert "答复内容不能为空" in response.content.decode() and CommentReply.objects.count() == 2
    # the reviewer sees the replies on the review page, and cannot answer for the enterprise
    client.force_login(cast["tongchuan"])
    detail = client.get(returned.get_absolute_url()).content.decode()
    assert "名单见研发项目立项文件，共 10 人" in detail and "补充：其中 8 人为全职" in detail
    client.post(url, {"text": "我来答复"})
    assert CommentReply.objects.count() == 2
    # another enterprise does not even see the comment
    client.force_login(cast["rival"])
    assert client.post(url, {"text": "x"}).status_code == 404
    # the API gives the replies too
    client.force_login(cast["acme"])
    data = client.get(f"/api/rd/reports/{returned.pk}").json()
    thread = next(c for c in data["comments"] if c["field"] == "rd_personnel_total")
    assert [r["text"] for r in thread["replies"]] == [r.text for r in replies]


def test_no_reply_once_the_report_is_submitted_again(client, cast, returned, t20):
    comment = returned.comments.get(field="rd_personnel_total")
    client.force_login(cast["acme"])
    returned.status = "submitted"
    returned.save()
    client.post(reverse("rdreport:comment-reply", args=[returned.pk, comment.pk]), {"text": "晚了"})
    assert not CommentReply.objects.exists()


def check_page(client, user, enterprise, firm, projects) -> str:
    client.force_login(user)
    return client.post(reverse("rdreport:report-check"),
                       page_data(firm, projects, year="2025", enterprise=str(enterprise.pk)),
                       HTTP_HX_REQUEST="true").content.decode()


def test_an_emptied_required_count_says_required_not_zero(client, cast, orgs, t20):
    firm, projects = fixed(t20)
    firm["rd_personnel_total"] = ""
    page = check_page(client, cast["acme"], orgs["acme_ltd"], firm, projects)
    assert "研究开发人员合计[1]：必填" in page
    assert "（0人）" not in page and "0人×12" not in page and "应大于0" not in page
    # the message next to the field is swapped in out of band
    assert re.search(r'id="required-rd_personnel_total"[^>]*hx-swap-oob="true">必填', page)
    assert 'data-testid="suggestion"' not in page


def test_an_emptied_project_count_says_required_not_zero(client, cast, orgs, t20):
    firm, projects = fixed(t20)
    projects[0]["personnel"] = ""
    page = check_page(client, cast["acme"], orgs["acme_ltd"], firm, projects)
    assert "第1个项目“新型催化剂研发”：项目研究开发人员必填" in page
    assert "R13a" not in page and "0人×12" not in page


def test_a_blank_required_item_is_stored_blank_and_blocks_submission(client, cast, t20):
    firm, projects = fixed(t20)
    firm["rd_expense_total"] = ""
    client.force_login(cast["acme"])
    client.post(reverse("rdreport:report-new") + "?year=2025", page_data(firm, projects, action="submit", year="2025"))
    report = RdReport.objects.get()
    assert "rd_expense_total" not in report.firm and report.status == "draft"
    required = [f for f in report.findings if f["rule_id"] == services.REQUIRED_RULE]
    assert [f["fields"] for f in required] == [["rd_expense_total"]]
    assert not any("rd_expense_total" in f["fields"] for f in report.findings if f not in required)
    page = client.get(reverse("rdreport:report-edit", args=[report.pk])).content.decode()
    assert "必填" in field_block(page, "rd_expense_total")


def test_zero_is_a_value_not_a_blank(client, cast, orgs, t20):
    firm, projects = fixed(t20)
    firm["rd_personnel_total"] = "0"
    page = check_page(client, cast["acme"], orgs["acme_ltd"], firm, projects)
    assert "必填" not in page.split('id="required-')[0] and "R07" in page
