"""Matching in the platform: explained results, only what the user may see, the index follows the
database (withdrawn and deleted records leave it) and survives a restart; matchmaking records."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.market.models import Achievement
from kechuang.matchmaking.funnel import funnels
from kechuang.matchmaking.index_store import reset_store, store
from kechuang.matchmaking.models import MatchRecord
from kechuang.matchmaking.services import matches_for, move, recommend


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.KECHUANG_INDEX_DIR = tmp_path / "index"
    reset_store()
    yield
    reset_store()


def titles(matches):
    return [str(m.record) for m in matches]


def test_demand_finds_the_fitting_achievement_with_an_explanation(cast, records, fields):
    fitting = records["uni_public"]
    fitting.title, fitting.keywords, fitting.field = "玄武岩纤维拉丝漏板长寿命技术", "玄武岩纤维；漏板", fields["0402"]
    fitting.save()
    found = matches_for(records["rival_demand"], "achievements", cast["city"])
    top = found[0]
    assert str(top.record) == "玄武岩纤维拉丝漏板长寿命技术"
    assert "玄武岩纤维" in top.matched_terms and top.summary.startswith("命中词：")
    assert set(top.parts) >= {"retrieval", "field_agreement", "region", "freshness"}
    assert top.parts["field_agreement"]["contribution"] > 0  # same technical field 0402


def test_withdrawn_and_deleted_records_leave_the_index(cast, records):
    demand = records["rival_demand"]
    target = records["uni_public"]
    target.keywords = "玄武岩纤维；拉丝漏板；寿命"
    target.save()
    assert "天然气制氢催化剂" in titles(matches_for(demand, "achievements", cast["city"]))
    target.status = "withdrawn"
    target.save()
    assert "天然气制氢催化剂" not in titles(matches_for(demand, "achievements", cast["city"]))
    assert target.pk not in store()._indexes["achievements"]
    other = records["acme_public"]
    other.keywords = "玄武岩纤维；拉丝漏板"
    other.save()
    assert "甲醇合成余热回收装置" in titles(matches_for(demand, "achievements", cast["city"]))
    Achievement.objects.filter(pk=other.pk).delete()
    assert "甲醇合成余热回收装置" not in titles(matches_for(demand, "achievements", cast["city"]))


def test_matches_only_among_records_the_user_may_see(cast, records):
    achievement = records["uni_public"]
    achievement.keywords = "玄武岩纤维；拉丝漏板；合成氨；节能"
    achievement.save()
    staff = titles(matches_for(achievement, "demands", cast["city"]))
    assert "玄武岩纤维拉丝漏板寿命提升" in staff
    enterprise = titles(matches_for(achievement, "demands", cast["acme"]))
    assert "乙公司草稿需求" not in enterprise and "甲公司尚未提交的需求" not in enterprise
    outsider = titles(matches_for(achievement, "demands", cast["outsider"]))
    assert all(t in ("玄武岩纤维拉丝漏板寿命提升", "合成氨装置节能改造") for t in outsider)


def test_the_index_survives_a_restart(cast, records, capsys):
    call_command("index", "rebuild", "--no-progress")
    assert "已重建 5 个索引" in capsys.readouterr().out
    before = [(str(m.record), round(m.score, 6)) for m in matches_for(records["rival_demand"], "achievements",
                                                                       cast["city"])]
    reset_store()
    after = [(str(m.record), round(m.score, 6)) for m in matches_for(records["rival_demand"], "achievements",
                                                                      cast["city"])]
    assert after == before and store()._indexes["achievements"] is not None


def test_matches_panel_respects_scope(client, cast, records):
    client.force_login(cast["acme"])
    page = client.get(reverse("matchmaking:matches", args=["demand", records["acme_demand"].pk]))
    assert page.status_code == 200 and "推荐科技成果" in page.content.decode()
    assert client.get(reverse("matchmaking:matches", args=["demand", records["rival_draft_demand"].pk])
                      ).status_code == 404
    assert "加入对接" not in page.content.decode()
    client.force_login(cast["tongchuan"])
    assert "加入对接" in client.get(reverse("matchmaking:matches", args=["demand", records["acme_demand"].pk])
                                  ).content.decode()


def test_matchmaking_record_lifecycle_and_funnel(client, cast, records, orgs):
    demand = records["rival_demand"]
    client.force_login(cast["tongchuan"])  # not the demand's county: may not record it
    response = client.post(reverse("matchmaking:record-create"),
                           {"demand": demand.pk, "collection": "achievements", "target": records["uni_public"].pk})
    assert response.status_code == 403
    client.force_login(cast["xuanhan"])
    client.post(reverse("matchmaking:record-create"),
                {"demand": demand.pk, "collection": "achievements", "target": records["uni_public"].pk})
    record = MatchRecord.objects.get(demand=demand)
    assert record.status == "recommended" and record.created_by == cast["xuanhan"]
    assert recommend(demand, records["uni_public"], cast["xuanhan"]) == (record, False)  # no duplicate
    move(record, "contact", cast["xuanhan"])
    assert orgs["uni"] in demand.contact_shared_with.all()  # the university may now see the contact
    with pytest.raises(PermissionDenied, match="原因"):
        move(record, "drop", cast["xuanhan"], "")
    move(record, "drop", cast["xuanhan"], "价格未谈拢")
    assert record.status == "dropped" and record.drop_reason == "价格未谈拢"
    county = funnels(cast["city"])[0]
    assert county.rows == [("宣汉县", [1, 0, 0, 0, 1], 1)]  # reached: recommended, then dropped
    assert "价格未谈拢" in client.get(reverse("matchmaking:record-list")).content.decode()
    client.force_login(cast["acme"])
    assert "价格未谈拢" not in client.get(reverse("matchmaking:record-list")).content.decode()


def test_match_command_writes_the_fair_list(cast, records, tmp_path, capsys):
    out = tmp_path / "fair.xlsx"
    call_command("match", "--all-open", "--out", str(out), "--no-progress")
    sheet = load_workbook(out).active
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert header[1] == "技术需求" and sheet.max_row > 1
    assert "项需求" in capsys.readouterr().out


def test_api_matches(client, cast, records):
    client.force_login(cast["acme"])
    url = f"/api/matching/demand/{records['acme_demand'].pk}/matches"
    assert client.get(url, {"target": "achievements"}).status_code == 200
    assert client.get(url, {"target": "enterprises"}).status_code == 422
    assert client.get(f"/api/matching/demand/{records['rival_draft_demand'].pk}/matches",
                      {"target": "achievements"}).status_code == 404


def test_field_suggestion_is_shown_and_adopted(client, cast, records, fields, orgs, regions):
    from kechuang.market.models import Achievement
    from kechuang.matchmaking import suggest

    for i in range(12):
        Achievement.objects.create(title=f"玄武岩纤维拉丝工艺{i}", keywords="玄武岩纤维；拉丝", owner=orgs["uni"],
                                   region=regions["通川区"], field=fields["0402"])
        Achievement.objects.create(title=f"锂电池储能系统{i}", keywords="锂电池；储能", owner=orgs["uni"],
                                   region=regions["通川区"], field=fields["0603"])
    assert suggest.train() > 20
    bare = Achievement.objects.create(title="玄武岩纤维拉丝漏板", keywords="玄武岩纤维", owner=orgs["uni"],
                                      region=regions["通川区"])
    assert suggest.suggest(bare).field.code == "0402"
    client.force_login(cast["researcher"])
    page = client.get(bare.get_absolute_url()).content.decode()
    assert "建议：" in page and "无机非金属材料" in page
    client.post(reverse("market:achievement-adopt-field", args=[bare.pk]))
    bare.refresh_from_db()
    assert bare.field.code == "0402" and bare.history.latest().history_change_reason == "采纳技术领域建议"
