"""Publication workflow: owners post and submit, staff review and publish; every step is in history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kechuang.common.workflow import available_transitions, run_transition
from kechuang.market.models import Achievement, Demand


def test_researcher_posts_submits_and_county_publishes(client, cast, orgs, fields):
    client.force_login(cast["researcher"])
    response = client.post(reverse("market:achievement-create"), {
        "title": "富硒茶深加工工艺", "kind": "product", "owner": orgs["uni"].pk, "field": fields["0207"].pk,
        "trl": "5", "transfer_modes": ["licence", "assignment"], "asking_price": "300000"})
    assert response.status_code == 302, response.content.decode()[:3000]
    achievement = Achievement.objects.get(title="富硒茶深加工工艺")
    assert achievement.status == "draft" and achievement.region == orgs["uni"].region
    assert achievement.transfer_modes == "licence；assignment"
    assert [n for n, _ in available_transitions(achievement, cast["researcher"])] == ["submit", "withdraw"]

    client.post(reverse("market:achievement-transition", args=[achievement.pk, "submit"]))
    achievement.refresh_from_db()
    assert achievement.status == "submitted"
    # The owner cannot publish or edit while it waits for review.
    client.post(reverse("market:achievement-transition", args=[achievement.pk, "publish"]))
    achievement.refresh_from_db()
    assert achievement.status == "submitted"
    assert client.get(reverse("market:achievement-edit", args=[achievement.pk])).status_code == 403

    client.force_login(cast["xuanhan"])  # another county's officer does not even see it
    assert client.get(achievement.get_absolute_url()).status_code == 404
    client.force_login(cast["tongchuan"])
    client.post(reverse("market:achievement-transition", args=[achievement.pk, "publish"]), {"comment": "材料齐全"})
    achievement.refresh_from_db()
    assert achievement.status == "published"
    latest = achievement.history.latest()
    assert latest.history_user == cast["tongchuan"] and latest.history_change_reason == "审核发布：材料齐全"
    page = client.get(achievement.get_absolute_url()).content.decode()
    assert "审核发布：材料齐全" in page and "状态：待审核 → 已发布" in page


def test_return_to_draft_lets_the_owner_edit_again(cast, records):
    demand = records["acme_draft_demand"]
    run_transition(demand, "submit", cast["acme"])
    with pytest.raises(PermissionDenied):
        run_transition(demand, "publish", cast["acme"])
    run_transition(demand, "return_to_draft", cast["tongchuan"], "请补充预算")
    assert Demand.objects.visible_to(cast["acme"], "change").filter(pk=demand.pk).exists()
    assert demand.history.latest().history_change_reason == "退回修改：请补充预算"


def test_api_transition_and_its_refusal(client, cast, records):
    client.force_login(cast["acme"])
    draft = records["acme_draft_demand"]
    ok = client.post(f"/api/market/demands/{draft.pk}/transitions/submit", {}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    refused = client.post(f"/api/market/demands/{draft.pk}/transitions/publish", {}, content_type="application/json")
    assert refused.status_code == 403 and "无权执行" in refused.json()["detail"]
    other = records["rival_draft_demand"]
    assert client.post(f"/api/market/demands/{other.pk}/transitions/submit", {},
                       content_type="application/json").status_code == 404


def test_expert_keeps_own_profile(client, cast, records):
    client.force_login(cast["expert"])
    prof = records["prof"]
    response = client.patch(f"/api/market/experts/{prof.pk}", {"keywords": "玄武岩纤维；氢能"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["keywords"] == ["玄武岩纤维", "氢能"]
    assert client.patch(f"/api/market/experts/{records['hidden_expert'].pk}", {"keywords": "x"},
                        content_type="application/json").status_code == 404


def test_enterprise_cannot_post_for_another_enterprise(client, cast, orgs):
    client.force_login(cast["acme"])
    response = client.post("/api/market/demands", {"title": "冒名需求", "enterprise": orgs["rival_ltd"].pk},
                           content_type="application/json")
    assert response.status_code == 422 and "enterprise" in response.json()["errors"]
    ok = client.post("/api/market/demands", {"title": "本企业需求", "enterprise": orgs["acme_ltd"].pk,
                                             "budget_min": "1000", "budget_max": "500"},
                     content_type="application/json")
    assert ok.status_code == 422 and "预算上限不能低于下限" in ok.json()["errors"]["budget_max"][0]


@pytest.mark.parametrize("payload,field,fragment", [
    ({"patent_numbers": "CN200310102344.6"}, "patent_numbers", "校验位错误"),
    ({"trl": 12}, "trl", "9"),
    ({"transfer_modes": ["gift"]}, "transfer_modes", "gift"),
    ({"asking_price": "1000", "price_negotiable": True}, "asking_price", "面议"),
])
def test_achievement_bad_input_names_the_field(client, cast, orgs, payload, field, fragment):
    client.force_login(cast["researcher"])
    before = Achievement.objects.count()
    response = client.post("/api/market/achievements", {"title": "坏数据成果", "owner": orgs["uni"].pk, **payload},
                           content_type="application/json")
    assert response.status_code == 422
    assert fragment in " ".join(response.json()["errors"][field])
    assert Achievement.objects.count() == before


def test_a_patent_already_registered_is_refused_on_the_form(client, cast, records, orgs):
    client.force_login(cast["researcher"])
    response = client.post("/api/market/achievements", {"title": "另一个成果", "owner": orgs["uni"].pk,
                                                         "patent_numbers": "200310102344.5"},
                           content_type="application/json")
    assert response.status_code == 422
    message = response.json()["errors"]["patent_numbers"][0]
    assert "已登记在其他成果中" in message and "天然气制氢催化剂" not in message  # never names a hidden record
