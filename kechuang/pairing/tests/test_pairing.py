"""Pairing campaigns: optimal, conflict-free, explained; hand swaps re-validated; each side sees only
its own pairing once published."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.market.models import Expert
from kechuang.matchmaking.index_store import reset_store
from kechuang.pairing import services
from kechuang.pairing.models import Pairing, PairingCampaign


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    yield
    reset_store()


@pytest.fixture
def campaign(cast, records, orgs, regions):
    acme, rival = orgs["acme_ltd"], orgs["rival_ltd"]
    acme.description, rival.description = "合成氨 甲醇 节能 余热回收", "玄武岩纤维 拉丝 漏板"
    acme.save()
    rival.save()
    prof = records["prof"]  # 玄武岩纤维；催化 at the university
    chem = Expert.objects.create(name="化工专家", organisation=orgs["uni"], region=regions["通川区"], title="研究员",
                                 keywords="合成氨；甲醇；余热回收；节能", status="published", max_load=1)
    insider = Expert.objects.create(name="甲公司总工", organisation=acme, region=regions["通川区"],
                                    keywords="合成氨；甲醇；节能", status="published", max_load=2)
    made = PairingCampaign.objects.create(name="2026 科技博士进企业", region=regions["达州市"], created_by=cast["city"])
    made.enterprises.set([acme, rival])
    made.experts.set([prof, chem, insider])
    return made


def test_compute_pairs_by_fit_and_never_with_own_enterprise(campaign, cast, orgs):
    pairings = services.compute(campaign, cast["city"])
    pairs = {(p.enterprise.name, p.expert.name) for p in pairings}
    assert pairs == {("通川甲公司", "化工专家"), ("宣汉乙公司", "王教授")}
    assert all(not (p.expert.organisation_id == p.enterprise_id) for p in pairings)
    assert campaign.status == "computed" and campaign.total_affinity > 0
    assert all(p.matched_terms for p in pairings)


def test_infeasible_campaign_names_the_enterprise_and_saves_nothing(campaign, cast):
    campaign.experts_per_enterprise = 3
    campaign.save()
    with pytest.raises(ValidationError) as caught:
        services.compute(campaign, cast["city"])
    assert any("通川甲公司" in m for m in caught.value.messages)
    assert not Pairing.objects.exists() and campaign.status == "draft"


def test_swaps_are_revalidated(campaign, cast, records):
    services.compute(campaign, cast["city"])
    acme_pair = Pairing.objects.get(enterprise__name="通川甲公司")
    insider = Expert.objects.get(name="甲公司总工")
    with pytest.raises(ValidationError):
        services.swap(acme_pair, insider, cast["city"])  # works at the enterprise
    rival_pair = Pairing.objects.get(enterprise__name="宣汉乙公司")
    services.swap(rival_pair, insider, cast["city"])  # free capacity: a plain change
    with pytest.raises(ValidationError, match="上限"):
        # 化工专家 (max_load 1) serves 甲公司, which may not take 甲公司总工 (its own engineer): no exchange
        services.swap(rival_pair, Expert.objects.get(name="化工专家"), cast["city"])
    services.swap(acme_pair, records["prof"], cast["city"])
    acme_pair.refresh_from_db()
    assert acme_pair.expert == records["prof"] and acme_pair.manual


def test_a_full_expert_is_exchanged_when_the_rules_allow(campaign, cast, records):
    services.compute(campaign, cast["city"])  # 甲公司 ↔ 化工专家 (max_load 1), 乙公司 ↔ 王教授
    rival_pair = Pairing.objects.get(enterprise__name="宣汉乙公司")
    services.swap(rival_pair, Expert.objects.get(name="化工专家"), cast["city"])
    pairs = {p.enterprise.name: p.expert.name for p in Pairing.objects.select_related("enterprise", "expert")}
    assert pairs == {"宣汉乙公司": "化工专家", "通川甲公司": "王教授"}
    assert all(p.manual for p in Pairing.objects.all())


def test_each_side_sees_only_its_own_pairing_once_published(client, campaign, cast, records):
    services.compute(campaign, cast["city"])
    client.force_login(cast["acme"])
    assert "化工专家" not in client.get(reverse("pairing:mine")).content.decode()  # not yet published
    services.publish(campaign, cast["city"])
    page = client.get(reverse("pairing:mine")).content.decode()
    assert "化工专家" in page and "王教授" not in page
    client.force_login(cast["expert"])  # the account of 王教授
    page = client.get(reverse("pairing:mine")).content.decode()
    assert "宣汉乙公司" in page and "通川甲公司" not in page
    client.force_login(cast["rival"])
    assert client.get(campaign.get_absolute_url()).status_code == 404


def test_pages_create_compute_export(client, cast, campaign, orgs, records):
    client.force_login(cast["city"])
    response = client.post(reverse("pairing:campaign-create"), {
        "name": "页面新建活动", "region": campaign.region.pk, "experts_per_enterprise": 1,
        "enterprises": [orgs["acme_ltd"].pk], "experts": [records["prof"].pk]})
    assert response.status_code == 302
    created = PairingCampaign.objects.get(name="页面新建活动")
    client.post(reverse("pairing:campaign-compute", args=[campaign.pk]))
    assert client.get(campaign.get_absolute_url()).status_code == 200
    book = load_workbook(io.BytesIO(client.get(campaign.get_absolute_url(), {"export": "xlsx"}).content))
    assert next(book.active.iter_rows(max_row=1, values_only=True))[:2] == ("企业", "专家")
    assert book.active.max_row == 3
    client.force_login(cast["acme"])
    assert client.get(reverse("pairing:campaign-create")).status_code == 403
    assert client.get(created.get_absolute_url()).status_code == 404


def _matrix_score(campaign, enterprise_name, expert_name) -> float:
    """The affinity of a pair in the matrix a fresh computation scores the whole campaign with."""
    data = services.affinities(campaign)
    i = next(i for i, e in enumerate(data.enterprises) if e.name == enterprise_name)
    j = next(j for j, x in enumerate(data.experts) if x.name == expert_name)
    return float(data.matrix[i, j])


def test_hand_changes_are_scored_from_the_computed_matrix(campaign, cast, records):
    """Issue 11 item 13: a hand change scored by a one-expert search came out on another scale (0.057 in
    the matrix became 0.600) and the total rose above the computed optimum."""
    services.compute(campaign, cast["city"])
    campaign.refresh_from_db()
    computed = campaign.total_affinity
    rival_pair = Pairing.objects.get(enterprise__name="宣汉乙公司")
    services.swap(rival_pair, Expert.objects.get(name="化工专家"), cast["city"])  # an exchange with 甲公司
    for pairing in Pairing.objects.select_related("enterprise", "expert"):
        assert pairing.affinity == pytest.approx(_matrix_score(campaign, pairing.enterprise.name, pairing.expert.name))
    rival_pair.refresh_from_db()
    services.swap(rival_pair, Expert.objects.get(name="甲公司总工"), cast["city"])  # a plain change
    rival_pair.refresh_from_db()
    assert rival_pair.affinity == pytest.approx(_matrix_score(campaign, "宣汉乙公司", "甲公司总工"))
    campaign.refresh_from_db()
    assert campaign.total_affinity <= computed + 1e-9


def test_an_exchange_names_both_moves(campaign, cast):
    services.compute(campaign, cast["city"])
    rival_pair = Pairing.objects.get(enterprise__name="宣汉乙公司")
    moves = services.swap(rival_pair, Expert.objects.get(name="化工专家"), cast["city"])
    assert [(m.enterprise, m.old, m.new) for m in moves] == [("宣汉乙公司", "王教授", "化工专家"),
                                                            ("通川甲公司", "化工专家", "王教授")]


def test_swap_page_shows_field_current_enterprise_and_score(client, campaign, cast, records, fields):
    services.compute(campaign, cast["city"])
    Expert.objects.filter(name="化工专家").update(tech_fields="0604")
    rival_pair = Pairing.objects.get(enterprise__name="宣汉乙公司")
    client.force_login(cast["city"])
    page = client.get(reverse("pairing:pairing-swap", args=[rival_pair.pk])).content.decode()
    chem_score = _matrix_score(campaign, "宣汉乙公司", "化工专家")
    assert "化工专家" in page and "通川甲公司" in page and f"{chem_score:.3f}" in page
    assert fields["0604"].name in page  # the expert's field by name
    response = client.post(reverse("pairing:pairing-swap", args=[rival_pair.pk]),
                           {"expert": Expert.objects.get(name="化工专家").pk}, follow=True)
    text = response.content.decode()
    assert "宣汉乙公司：王教授 → 化工专家" in text and "通川甲公司：化工专家 → 王教授" in text
