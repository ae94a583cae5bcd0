"""Registry access: published records are public, drafts stay with their owner and the staff over them;
contact details and personal data stay restricted in pages, exports and API."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.market.models import Achievement, Demand, Expert


def names_in_export(client, url):
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    return header, [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- demands: an enterprise sees others' published demands without contact, and none of their drafts -----

def test_enterprise_sees_published_demands_of_others_but_not_their_drafts(client, cast, records):
    client.force_login(cast["acme"])
    page = client.get(reverse("market:demand-list")).content.decode()
    assert records["rival_demand"].title in page
    assert records["rival_draft_demand"].title not in page
    assert records["acme_draft_demand"].title in page
    assert "0818-3000001" not in page
    assert client.get(records["rival_draft_demand"].get_absolute_url()).status_code == 404
    detail = client.get(records["rival_demand"].get_absolute_url()).content.decode()
    assert "0818-3000001" not in detail and "yi@example.com" not in detail and "请通过科技局对接" in detail


def test_enterprise_api_and_export_hide_contact_and_drafts(client, cast, records):
    client.force_login(cast["acme"])
    items = {i["title"]: i for i in client.get("/api/market/demands").json()["items"]}
    assert records["rival_draft_demand"].title not in items
    rival = items[records["rival_demand"].title]
    assert rival["contact_name"] is None and rival["contact_phone"] is None and rival["contact_email"] is None
    assert items[records["acme_demand"].title]["contact_phone"] == "0818-2000001"
    assert client.get(f"/api/market/demands/{records['rival_draft_demand'].pk}").status_code == 404
    one = client.get(f"/api/market/demands/{records['rival_demand'].pk}").json()
    assert one["contact_phone"] is None
    _, rows = names_in_export(client, reverse("market:demand-list"))
    by_title = {r["需求名称"]: r for r in rows}
    assert records["rival_draft_demand"].title not in by_title
    assert by_title[records["rival_demand"].title]["联系电话"] in (None, "")
    assert by_title[records["acme_demand"].title]["联系电话"] == "0818-2000001"


@pytest.mark.parametrize("user,sees_contact", [("city", True), ("xuanhan", True), ("tongchuan", False),
                                               ("rival", True), ("acme", False), ("stats", False),
                                               ("researcher", False)])
def test_who_sees_a_demands_contact(client, cast, records, user, sees_contact):
    client.force_login(cast[user])
    one = client.get(f"/api/market/demands/{records['rival_demand'].pk}").json()
    assert (one["contact_phone"] == "0818-3000001") == sees_contact


def test_putting_parties_in_contact_reveals_the_contact(client, cast, records, orgs):
    records["rival_demand"].contact_shared_with.add(orgs["acme_ltd"])
    client.force_login(cast["acme"])
    assert client.get(f"/api/market/demands/{records['rival_demand'].pk}").json()["contact_phone"] == "0818-3000001"


# --- experts: personal data for city staff (and the expert) only ------------------------------------

@pytest.mark.parametrize("user,sees", [("city", True), ("expert", True), ("tongchuan", False), ("stats", False),
                                       ("acme", False), ("researcher", False)])
def test_expert_personal_data(client, cast, records, user, sees):
    client.force_login(cast[user])
    prof = records["prof"]
    one = client.get(f"/api/market/experts/{prof.pk}").json()
    assert (one["phone"] == "13800000001") == sees
    assert (one["id_number"] is not None) == sees
    page = client.get(prof.get_absolute_url()).content.decode()
    assert ("13800000001" in page) == sees and ("511702198001010015" in page) == sees
    _, rows = names_in_export(client, reverse("market:expert-list"))
    row = next(r for r in rows if r["姓名"] == "王教授")
    assert (row["身份证号码"] == "511702198001010015") == sees
    listing = client.get(reverse("market:expert-list")).content.decode()
    assert ("13800000001" in listing) == sees


def test_draft_expert_is_not_public(client, cast, records):
    client.force_login(cast["acme"])
    assert client.get(records["hidden_expert"].get_absolute_url()).status_code == 404
    client.force_login(cast["tongchuan"])
    assert client.get(records["hidden_expert"].get_absolute_url()).status_code == 200


# --- achievements: drafts stay with the owner and the staff over them ------------------------------

@pytest.mark.parametrize("user,sees_draft", [("city", True), ("tongchuan", True), ("xuanhan", False),
                                             ("researcher", True), ("acme", False),
                                             ("expert", True)])  # the expert account belongs to the university
def test_achievement_drafts(client, cast, records, user, sees_draft):
    client.force_login(cast[user])
    status = client.get(records["uni_draft"].get_absolute_url()).status_code
    assert status == (200 if sees_draft else 404)
    assert client.get(records["uni_public"].get_absolute_url()).status_code == 200
    ids = {i["id"] for i in client.get("/api/market/achievements").json()["items"]}
    assert (records["uni_draft"].pk in ids) == sees_draft


def test_querysets_agree_with_pages(cast, records):
    assert records["uni_draft"] not in Achievement.objects.visible_to(cast["acme"])
    assert records["rival_demand"] in Demand.objects.visible_to(cast["acme"])
    assert records["rival_demand"] not in Demand.objects.visible_to(cast["acme"], "change")
    assert records["prof"] in Expert.objects.visible_to(cast["expert"], "change")
    assert records["hidden_expert"] not in Expert.objects.visible_to(cast["expert"], "change")


def test_outsider_sees_only_public_records(client, cast, records):
    client.force_login(cast["outsider"])
    ids = {i["id"] for i in client.get("/api/market/achievements").json()["items"]}
    assert ids == {records["uni_public"].pk, records["acme_public"].pk}


def test_history_never_shows_restricted_values(client, cast, records):
    demand = records["rival_demand"]
    demand.contact_phone = "0818-3999999"
    demand.save()
    client.force_login(cast["acme"])
    page = client.get(demand.get_absolute_url()).content.decode()
    assert "0818-3999999" not in page and "0818-3000001" not in page and "联系电话：（不可见）" in page
    client.force_login(cast["xuanhan"])
    assert "0818-3999999" in client.get(demand.get_absolute_url()).content.decode()
