"""Issue 11 item 14: a campaign's participants are chosen with search and filters (county, industry,
cultivation tier and pool, technical field), whole filtered sets and uploaded lists, with counts shown —
not Ctrl+click in two long multiple-selects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.cultivation.models import Evaluation
from kechuang.market.models import Expert
from kechuang.pairing.models import PairingCampaign


@pytest.fixture
def draft(cast, regions):
    return PairingCampaign.objects.create(name="名单测试活动", region=regions["达州市"], created_by=cast["city"])


def _url(campaign, kind="enterprises"):
    return reverse("pairing:participants", args=[campaign.pk, kind])


def _evaluate(enterprise, **flags):
    defaults = {"tsme_verdict": "FAIL", "hnte_verdict": "FAIL", "gazelle_verdict": "FAIL"}
    return Evaluation.objects.create(enterprise=enterprise, year=2025, evaluation_date=dt.date(2025, 12, 31),
                                     rule_version="t", tsme_label="-", hnte_label="-", gazelle_label="-",
                                     result={}, figures={}, **{**defaults, **flags})


def test_create_page_has_no_long_multiple_selects_and_leads_to_the_participants(client, cast, regions):
    client.force_login(cast["city"])
    page = client.get(reverse("pairing:campaign-create")).content.decode()
    assert "multiple" not in page
    response = client.post(reverse("pairing:campaign-create"), {
        "name": "新活动", "region": regions["达州市"].pk, "experts_per_enterprise": 1})
    created = PairingCampaign.objects.get(name="新活动")
    assert response["Location"] == _url(created)


def test_enterprises_filtered_by_county_and_industry_and_added_whole(client, cast, orgs, regions, draft):
    client.force_login(cast["city"])
    page = client.get(_url(draft), {"county": regions["宣汉县"].pk}).content.decode()
    assert "宣汉乙公司" in page and "通川甲公司" not in page and "示范学院" not in page
    assert "筛选结果 1 家" in page
    client.post(_url(draft), {"action": "add_filtered", "industry": "C"})  # manufacturing: 甲 and 乙
    assert set(draft.enterprises.values_list("name", flat=True)) == {"通川甲公司", "宣汉乙公司"}
    page = client.get(_url(draft)).content.decode()
    assert 'data-testid="enterprise-count">2<' in page
    client.post(_url(draft), {"action": "remove", "ids": [orgs["rival_ltd"].pk]})
    assert list(draft.enterprises.values_list("name", flat=True)) == ["通川甲公司"]


def test_tier_and_pool_come_from_the_cultivation_evaluations(client, cast, orgs, draft):
    _evaluate(orgs["acme_ltd"], tsme_verdict="PASS", highest_tier="TSME")
    _evaluate(orgs["rival_ltd"], gazelle_verdict="PASS", highest_tier="")
    client.force_login(cast["city"])
    tsme = client.get(_url(draft), {"tier": "TSME"}).content.decode()
    assert "通川甲公司" in tsme and "宣汉乙公司" not in tsme
    client.post(_url(draft), {"action": "add_filtered", "pool": "gazelle"})
    assert list(draft.enterprises.values_list("name", flat=True)) == ["宣汉乙公司"]


def test_enterprises_by_field_of_their_registry_records(client, cast, draft, records):
    client.force_login(cast["city"])
    page = client.get(_url(draft), {"field": "0402"}).content.decode()  # 乙's demand is in 0402
    assert "宣汉乙公司" in page and "通川甲公司" not in page


def test_a_county_officer_sees_only_its_county(client, cast, draft):
    client.force_login(cast["tongchuan"])
    assert client.get(_url(draft)).status_code == 404  # a city campaign is outside its scope


def test_uploaded_code_list_reports_unknown_rows_and_adds_nothing_unless_asked(client, cast, orgs, draft):
    client.force_login(cast["city"])
    bad = "91511700MA62XXXXX0"
    body = f"统一社会信用代码,备注\n{orgs['acme_ltd'].uscc},甲\n{bad},错\n\n{orgs['uni'].uscc or ''},学院\n".encode()
    page = client.post(_url(draft), {"action": "upload", "file": SimpleUploadedFile("名单.csv", body)}).content.decode()
    assert "名单.csv：读取 3 行，识别 1，无法识别 2" in page
    assert f"“{bad}”不是有效的统一社会信用代码" in page and "<td>3</td>" in page
    assert "<td>5</td>" in page and "未填写统一社会信用代码" in page  # the university has no code
    assert not draft.enterprises.exists()
    client.post(_url(draft), {"action": "upload", "valid_only": "on", "file": SimpleUploadedFile("名单.csv", body)})
    assert list(draft.enterprises.values_list("name", flat=True)) == ["通川甲公司"]


def test_uploaded_expert_list_by_id_and_by_name(client, cast, draft, records, orgs, regions):
    chem = Expert.objects.create(name="化工专家", organisation=orgs["uni"], region=regions["通川区"],
                                 status="published")
    client.force_login(cast["city"])
    body = f"专家编号,姓名\n{chem.pk},\n,王教授\n,李研究员\n".encode()
    page = client.post(_url(draft, "experts"),
                       {"action": "upload", "file": SimpleUploadedFile("专家.csv", body)}).content.decode()
    assert "未找到已入库、接受对接的专家 李研究员" in page  # a draft expert
    client.post(_url(draft, "experts"), {"action": "upload", "valid_only": "on",
                                         "file": SimpleUploadedFile("专家.csv", body)})
    assert set(draft.experts.values_list("name", flat=True)) == {"化工专家", "王教授"}


def test_participants_of_a_published_campaign_are_fixed(client, cast, draft, orgs):
    draft.status = "published"
    draft.save()
    client.force_login(cast["city"])
    response = client.post(_url(draft), {"action": "add", "ids": [orgs["acme_ltd"].pk]}, follow=True)
    assert "不能再调整参与名单" in response.content.decode() and not draft.enterprises.exists()
