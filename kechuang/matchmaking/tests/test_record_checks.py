"""Matchmaking records accept only eligible counterparts, and ``next`` stays on this site (issue 11,
item 31)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.matchmaking.index_store import reset_store
from kechuang.matchmaking.models import MatchRecord
from kechuang.matchmaking.services import recommend


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    yield
    reset_store()


def _post(client, demand, collection, target, **extra):
    return client.post(reverse("matchmaking:record-create"),
                       {"demand": demand.pk, "collection": collection, "target": target.pk, **extra})


@pytest.mark.parametrize("collection,target", [("achievements", "uni_draft"), ("experts", "hidden_expert")])
def test_a_draft_counterpart_is_refused(client, cast, records, collection, target):
    client.force_login(cast["city"])  # sees the drafts of the whole city
    response = _post(client, records["rival_demand"], collection, records[target])
    assert response.status_code == 302
    assert not MatchRecord.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("已发布" in m for m in messages)
    # the demand's enterprise sees no trace of the draft's title
    client.force_login(cast["rival"])
    assert str(records[target]) not in client.get(reverse("matchmaking:record-list")).content.decode()
    with pytest.raises(ValidationError):
        recommend(records["rival_demand"], records[target], cast["city"])


def test_an_unavailable_expert_and_a_draft_demand_are_refused(cast, records):
    expert = records["prof"]
    expert.available = False
    expert.save()
    with pytest.raises(ValidationError, match="可对接"):
        recommend(records["rival_demand"], expert, cast["city"])
    with pytest.raises(ValidationError, match="已发布的技术需求"):
        recommend(records["rival_draft_demand"], records["uni_public"], cast["city"])
    assert not MatchRecord.objects.exists()


def test_an_enterprise_is_not_a_demand_counterpart(client, cast, records, orgs):
    client.force_login(cast["city"])
    assert _post(client, records["rival_demand"], "enterprises", orgs["acme_ltd"]).status_code == 403
    assert _post(client, records["rival_demand"], "demands", records["acme_demand"]).status_code == 403
    assert not MatchRecord.objects.exists()


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "http://evil.example",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_next_to_another_host_is_refused(client, cast, records, target):
    client.force_login(cast["xuanhan"])
    response = _post(client, records["rival_demand"], "achievements", records["uni_public"], next=target)
    assert response.status_code == 302 and response["Location"] == reverse("matchmaking:record-list")
    assert MatchRecord.objects.count() == 1


def test_next_on_this_site_is_followed(client, cast, records):
    client.force_login(cast["xuanhan"])
    demand = records["rival_demand"]
    response = _post(client, demand, "achievements", records["uni_public"], next=demand.get_absolute_url())
    assert response["Location"] == demand.get_absolute_url()



@pytest.mark.parametrize("score", ["nan", "1e308", "-5", "0.99"])
def test_the_posted_score_and_summary_are_ignored(client, cast, records, score):
    """The record's score and explanation are the matching service's for this pair (as the demand's
    推荐匹配 panel shows them), never what the form posts."""
    from kechuang.matchmaking.services import matches_for

    demand, counterpart = records["rival_demand"], records["prof"]
    shown = {m.record.pk: m for m in matches_for(demand, "experts", cast["xuanhan"], 50)}
    assert counterpart.pk in shown  # the engine ranks this pair (玄武岩纤维)
    client.force_login(cast["xuanhan"])
    _post(client, demand, "experts", counterpart, score=score, summary="<script>伪造的说明</script>")
    record = MatchRecord.objects.get(demand=demand)
    assert record.score == pytest.approx(shown[counterpart.pk].score)
    assert record.explanation == shown[counterpart.pk].summary and "伪造" not in record.explanation


def test_a_pair_the_engine_does_not_rank_gets_no_score(client, cast, records):
    """A counterpart outside the engine's candidates: the record has no score and no explanation, never
    the client's."""
    from kechuang.matchmaking.services import matches_for

    demand, counterpart = records["rival_demand"], records["uni_public"]
    assert counterpart.pk not in {m.record.pk for m in matches_for(demand, "achievements", cast["xuanhan"], 50)}
    client.force_login(cast["xuanhan"])
    _post(client, demand, "achievements", counterpart, score="0.97", summary="高度匹配")
    record = MatchRecord.objects.get(demand=demand)
    assert record.score is None and record.explanation == ""
