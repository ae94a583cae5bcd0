"""Workflow comments and the names of who acted are for the owner and staff only (issue 11, item 29):
another enterprise sees neither in the history of a public record, on its page or in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.common.history import history_rows
from kechuang.common.workflow import run_transition

COMMENT = "内部意见：该企业资金紧张，谨慎推荐"


@pytest.fixture
def published(cast, records):
    """The university's draft achievement, submitted by its researcher and published by the county
    officer with an internal comment; a demand returned and then published with comments."""
    achievement = records["uni_draft"]
    run_transition(achievement, "submit", cast["researcher"])
    run_transition(achievement, "publish", cast["tongchuan"], COMMENT)
    demand = records["acme_draft_demand"]
    run_transition(demand, "submit", cast["acme"])
    run_transition(demand, "return_to_draft", cast["tongchuan"], "退回意见：预算偏低，疑似虚报")
    run_transition(demand, "submit", cast["acme"])
    run_transition(demand, "publish", cast["tongchuan"], COMMENT)
    return {"achievement": achievement, "demand": demand}


@pytest.mark.parametrize("kind,url", [("achievement", "market:achievement-detail"),
                                      ("demand", "market:demand-detail")])
def test_another_enterprise_sees_no_comment_or_name(client, cast, published, kind, url):
    obj = published[kind]
    client.force_login(cast["rival"])
    page = client.get(reverse(url, args=[obj.pk])).content.decode()
    assert "发布" in page  # the step itself is public
    assert "资金紧张" not in page and "疑似虚报" not in page
    assert "tongchuan" not in page  # the officer's account name
    assert "县（市、区）科技部门人员" in page  # only the kind of account that acted
    api = client.get(f"/api/market/{kind}s/{obj.pk}").content.decode()
    assert "资金紧张" not in api and "tongchuan" not in api


@pytest.mark.parametrize("viewer", ["city", "tongchuan"])
def test_staff_see_the_comment_and_the_name(client, cast, published, viewer):
    client.force_login(cast[viewer])
    page = client.get(reverse("market:achievement-detail", args=[published["achievement"].pk])).content.decode()
    assert "资金紧张" in page and "tongchuan" in page


def test_the_owner_sees_the_comments(client, cast, published):
    client.force_login(cast["acme"])
    page = client.get(reverse("market:demand-detail", args=[published["demand"].pk])).content.decode()
    assert "资金紧张" in page and "疑似虚报" in page and "tongchuan" in page


def test_history_rows_without_a_viewer_leave_comments_out(cast, published):
    reasons = [row.reason for row in history_rows(published["demand"])]
    assert "审核发布" in reasons and not any("资金紧张" in r for r in reasons)
    assert all(row.who != "tongchuan" for row in history_rows(published["demand"], viewer=cast["rival"]))
    assert any("资金紧张" in row.reason for row in history_rows(published["demand"], viewer=cast["acme"]))
