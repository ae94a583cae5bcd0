"""Issue 11 item 15: each side of a published pair sees the other's contact person and phone and
profile, confirms or declines with a reason, records service visits staff see per campaign; publishing
asks for confirmation; a published campaign can be withdrawn with a reason kept in its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.common.access import VIEW, can
from kechuang.core.models import Contact
from kechuang.market.models import Expert
from kechuang.matchmaking.index_store import reset_store
from kechuang.pairing import services
from kechuang.pairing.choices import CampaignStatus
from kechuang.pairing.models import Pairing, PairingCampaign, ServiceVisit


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    yield
    reset_store()


@pytest.fixture
def published(cast, records, orgs, regions):
    """甲公司 ↔ 化工专家, 乙公司 ↔ 王教授 (the 'expert' account), published."""
    acme, rival = orgs["acme_ltd"], orgs["rival_ltd"]
    acme.description, rival.description = "合成氨 甲醇 节能 余热回收", "玄武岩纤维 拉丝 漏板"
    acme.save()
    rival.save()
    Contact.objects.create(organisation=rival, name="乙联系人", position="技术部长", phone="0818-3000009")
    Contact.objects.create(organisation=acme, name="甲联系人", phone="0818-2000009")
    chem = Expert.objects.create(name="化工专家", organisation=orgs["uni"], region=regions["通川区"],
                                 keywords="合成氨；甲醇；余热回收；节能", status="published", max_load=1,
                                 phone="13900000002")
    campaign = PairingCampaign.objects.create(name="结对发布测试", region=regions["达州市"], created_by=cast["city"])
    campaign.enterprises.set([acme, rival])
    campaign.experts.set([records["prof"], chem])
    services.compute(campaign, cast["city"])
    services.publish(campaign, cast["city"])
    return campaign


def _pair(name):
    return Pairing.objects.get(enterprise__name=name)


def test_each_side_sees_the_other_sides_contact_and_profile(client, cast, published):
    client.force_login(cast["rival"])
    mine = client.get(reverse("pairing:mine")).content.decode()
    assert "王教授" in mine and "13800000001" in mine  # the expert's phone, for its own pair only
    assert "13900000002" not in mine
    page = client.get(reverse("pairing:pairing-detail", args=[_pair("宣汉乙公司").pk])).content.decode()
    assert "玄武岩纤维" in page and "13800000001" in page and "教授" in page
    client.force_login(cast["expert"])  # 王教授
    mine = client.get(reverse("pairing:mine")).content.decode()
    assert "乙联系人" in mine and "0818-3000009" in mine and "0818-2000009" not in mine
    page = client.get(reverse("pairing:pairing-detail", args=[_pair("宣汉乙公司").pk])).content.decode()
    assert "玄武岩纤维 拉丝 漏板" in page and "技术部长" in page
    assert client.get(reverse("pairing:pairing-detail", args=[_pair("通川甲公司").pk])).status_code == 404


def test_contacts_are_for_the_two_sides_and_staff_over_the_campaign(client, cast, published):
    pair = _pair("宣汉乙公司")
    assert services.contacts(pair, cast["city"]) is not None
    assert services.contacts(pair, cast["stats"]) is not None
    assert services.contacts(pair, cast["acme"]) is None  # another enterprise
    assert services.contacts(pair, cast["researcher"]) is None
    assert services.contacts(pair, cast["xuanhan"]) is None  # a county officer: the campaign is the city's
    published.status = "computed"
    published.save()
    assert services.contacts(_pair("宣汉乙公司"), cast["rival"]) is None  # not published: the sides do not see it


def test_confirm_or_decline_with_a_reason(client, cast, published):
    pair = _pair("宣汉乙公司")
    url = reverse("pairing:pairing-respond", args=[pair.pk])
    client.force_login(cast["rival"])
    client.post(url, {"decision": "decline"})
    pair.refresh_from_db()
    assert pair.enterprise_response == "pending"  # a decline needs a reason
    client.post(url, {"decision": "decline", "reason": "本季度停产检修"})
    client.force_login(cast["expert"])
    client.post(url, {"decision": "confirm"})
    pair.refresh_from_db()
    assert (pair.enterprise_response, pair.enterprise_reason, pair.expert_response) == (
        "declined", "本季度停产检修", "confirmed")
    client.force_login(cast["acme"])
    assert client.post(url, {"decision": "confirm"}).status_code == 404
    client.force_login(cast["city"])
    page = client.get(published.get_absolute_url()).content.decode()
    assert "已婉拒：本季度停产检修" in page


def test_service_visits_recorded_by_a_side_and_seen_by_staff(client, cast, published):
    pair = _pair("宣汉乙公司")
    url = reverse("pairing:visit-create", args=[pair.pk])
    client.force_login(cast["expert"])
    client.post(url, {"visit_date": "2026-03-02", "place": "宣汉县乙公司车间", "problem": "漏板寿命短",
                      "result": "调整拉丝温度，寿命提升 20%"})
    visit = ServiceVisit.objects.get()
    assert visit.recorded_by == cast["expert"] and visit.history.count() == 1
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    client.post(url, {"visit_date": future, "place": "x", "problem": "x", "result": "x"})
    assert ServiceVisit.objects.count() == 1
    client.force_login(cast["acme"])  # not its pair
    assert client.post(url, {"visit_date": "2026-03-03", "place": "x", "problem": "x", "result": "x"}
                       ).status_code == 404
    assert not can(cast["acme"], VIEW, visit)
    client.force_login(cast["city"])
    page = client.get(published.get_absolute_url()).content.decode()
    assert "宣汉县乙公司车间" in page and "调整拉丝温度" in page
    with pytest.raises(Exception, match="已有服务记录"):
        published.status = "computed"
        published.save()
        services.swap(pair, Expert.objects.get(name="化工专家"), cast["city"])


def test_publishing_asks_for_confirmation(client, cast, records, orgs, regions):
    campaign = PairingCampaign.objects.create(name="确认发布测试", region=regions["达州市"], created_by=cast["city"])
    campaign.enterprises.set([orgs["rival_ltd"]])
    campaign.experts.set([records["prof"]])
    services.compute(campaign, cast["city"])
    client.force_login(cast["city"])
    url = reverse("pairing:campaign-publish", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "将发布 <strong>1</strong> 对结对" in page
    client.post(url)
    campaign.refresh_from_db()
    assert campaign.status == "computed"
    client.post(url, {"confirm": "on"})
    campaign.refresh_from_db()
    assert campaign.status == "published"


def test_withdrawing_needs_a_reason_kept_in_history(client, cast, published):
    url = reverse("pairing:campaign-withdraw", args=[published.pk])
    client.force_login(cast["city"])
    client.post(url, {"reason": "  "})
    published.refresh_from_db()
    assert published.status == "published"
    client.post(url, {"reason": "乙公司婉拒，需改派"})
    published.refresh_from_db()
    assert published.status == "computed"
    assert published.history.first().history_change_reason == "撤回发布：乙公司婉拒，需改派"
    assert "撤回发布：乙公司婉拒，需改派" in client.get(published.get_absolute_url()).content.decode()
    client.force_login(cast["rival"])
    assert "王教授" not in client.get(reverse("pairing:mine")).content.decode()


def test_service_visits_access_matrix(cast, published):
    pair = _pair("宣汉乙公司")
    visit = ServiceVisit.objects.create(pairing=pair, visit_date=dt.date(2026, 3, 2), place="车间", problem="p",
                                        result="r", recorded_by=cast["rival"])
    seen = {name: ServiceVisit.objects.visible_to(user).filter(pk=visit.pk).exists() for name, user in cast.items()}
    assert seen == {"city": True, "stats": True, "rival": True, "expert": True, "tongchuan": False,
                    "xuanhan": False, "acme": False, "researcher": False, "outsider": False}
    assert services.may_record_visit(cast["rival"], pair) and not services.may_record_visit(cast["stats"], pair)


# --- the same through the API (issue 12 item 6: every app has its API) ---------------------------------


def test_api_staff_list_and_read_their_campaigns(client, cast, published):
    client.force_login(cast["city"])
    page = client.get("/api/pairing/campaigns").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["name"], item["status"], item["enterprise_count"], item["expert_count"]) == (
        "结对发布测试", CampaignStatus.PUBLISHED, 2, 2)
    detail = client.get(f"/api/pairing/campaigns/{published.pk}").json()
    assert sorted(p["enterprise_name"] for p in detail["pairings"]) == ["宣汉乙公司", "通川甲公司"]


def test_api_an_enterprise_sees_its_own_pair_and_the_experts_contact_only(client, cast, published):
    client.force_login(cast["rival"])
    assert client.get("/api/pairing/campaigns").json() == {"items": [], "count": 0}
    assert client.get(f"/api/pairing/campaigns/{published.pk}").status_code == 404
    page = client.get("/api/pairing/pairings").json()
    assert [p["enterprise_name"] for p in page["items"]] == ["宣汉乙公司"]
    own = Pairing.objects.get(enterprise__name="宣汉乙公司")
    detail = client.get(f"/api/pairing/pairings/{own.pk}").json()
    assert detail["expert_name"] == "王教授" and detail["contacts"]["expert"]["phone"] == "13800000001"
    other = Pairing.objects.get(enterprise__name="通川甲公司")
    assert client.get(f"/api/pairing/pairings/{other.pk}").status_code == 404


def test_api_before_publication_the_sides_see_nothing(client, cast, published):
    published.status = CampaignStatus.COMPUTED
    published.save()
    client.force_login(cast["rival"])
    assert client.get("/api/pairing/pairings").json()["count"] == 0


def test_a_withdrawn_campaign_keeps_its_visits_when_recomputed_or_its_participants_change(cast, orgs, published):
    """A withdrawal keeps pairs, answers and visits; recomputing or changing the participants would delete
    the pairs and, with them, the visits (CASCADE): refused, naming the pair, and nothing changes."""
    from django.core.exceptions import ValidationError

    from kechuang.pairing import participants

    pair = _pair("宣汉乙公司")
    ServiceVisit.objects.create(pairing=pair, visit_date=dt.date(2026, 3, 2), place="车间", problem="漏板",
                                result="调温", recorded_by=cast["expert"])
    services.withdraw(published, cast["city"], "名单有误")
    published.refresh_from_db()
    assert published.status == CampaignStatus.COMPUTED
    with pytest.raises(ValidationError, match="宣汉乙公司—王教授"):
        services.compute(published, cast["city"])
    with pytest.raises(ValidationError, match="已有服务记录"):
        participants.remove(published, cast["city"], "enterprises", [orgs["acme_ltd"].pk])
    published.refresh_from_db()
    assert published.status == CampaignStatus.COMPUTED and published.enterprises.count() == 2
    assert ServiceVisit.objects.count() == 1 and Pairing.objects.filter(campaign=published).count() == 2


def test_the_pairing_admin_only_looks_and_lists_no_other_citys_enterprises(client, cast, published):
    """The campaign pages own every change (their services check the workflow); the admin's campaign page
    had a widget of every organisation in the database and let pairs be edited past the swap checks."""
    client.force_login(cast["city"])
    page = client.get(reverse("admin:pairing_pairingcampaign_change", args=[published.pk]))
    assert page.status_code == 200
    assert "高新丙公司" not in page.content.decode()  # an enterprise outside the campaign
    pair = _pair("宣汉乙公司")
    response = client.post(reverse("admin:pairing_pairing_change", args=[pair.pk]),
                           {"campaign": published.pk, "enterprise": pair.enterprise_id, "expert": pair.expert_id,
                            "affinity": "9", "manual": "on"})
    assert response.status_code == 403
    pair.refresh_from_db()
    assert pair.affinity != 9
