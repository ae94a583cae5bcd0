"""List search cuts a Chinese query into words as the matching does (issue 11 item 26): 「锂电池正极」 finds
what 「锂电池 正极」 finds, in the pages, the API and the organisation list."""

from __future__ import annotations

from django.urls import reverse

from kechuang.common.search import query_words
from kechuang.market.models import Achievement


def listed(client, url: str, query: str) -> set[str]:
    rows = client.get(url, {"q": query}).context["rows"]
    return {str(obj) for obj, _ in rows}


def test_query_without_spaces_finds_what_the_spaced_words_find(client, cast, records, orgs, regions):
    Achievement.objects.create(title="锂电池回收工艺", keywords="正极；再生", owner=orgs["uni"],
                               region=regions["通川区"], status="published")
    Achievement.objects.create(title="正极材料烧结炉", owner=orgs["uni"], region=regions["通川区"],
                               status="published")  # 正极 only: matches neither query
    assert query_words("锂电池正极") == ["锂电池", "正极"]
    client.force_login(cast["city"])
    url = reverse("market:achievement-list")
    spaced = listed(client, url, "锂电池 正极")
    assert spaced == {"锂电池回收工艺"}
    assert listed(client, url, "锂电池正极") == spaced
    api = {i["title"] for i in client.get("/api/market/achievements", {"q": "锂电池正极"}).json()["items"]}
    assert api == spaced
    # a whole string that is there still matches as before
    assert listed(client, url, "天然气制氢催化剂") == {"天然气制氢催化剂"}


def test_demand_and_organisation_lists_segment_too(client, cast, records, orgs):
    client.force_login(cast["city"])
    # 「合成氨装置节能改造」 is one title; 「合成氨节能」 is not a substring of it
    assert listed(client, reverse("market:demand-list"), "合成氨节能") == {"合成氨装置节能改造"}
    orgs["acme_ltd"].address = "通川区西外化工园区"
    orgs["acme_ltd"].save()
    assert "通川甲公司" in listed(client, reverse("core:organisation-list"), "甲公司化工园区")
