"""Every create, update and delete of registered data leaves a history row with user and time."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.models import ApiToken, Contact, Organisation


def _form_data(org: Organisation, **changes) -> dict:
    data = {"name": org.name, "kind": org.kind, "uscc": org.uscc or "", "industry_code": org.industry_code,
            "region": org.region_id, "address": org.address, "legal_representative": "",
            "website": "", "description": "",
            "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000", "contacts-0-name": "", "contacts-0-position": "",
            "contacts-0-phone": "", "contacts-0-email": ""}
    data.update(changes)
    return data


def test_page_edit_records_who_when_and_what(client, cast, orgs):
    org = orgs["acme_ltd"]
    client.force_login(cast["tongchuan"])
    response = client.post(reverse("core:organisation-edit", args=[org.pk]),
                           _form_data(org, address="西外镇 8 号", **{"contacts-0-name": "张三"}))
    assert response.status_code == 302
    latest = org.history.latest()
    assert latest.history_type == "~" and latest.history_user == cast["tongchuan"]
    assert latest.address == "西外镇 8 号"
    contact = Contact.objects.get(organisation=org)
    assert contact.history.latest().history_user == cast["tongchuan"]
    page = client.get(reverse("core:organisation-detail", args=[org.pk])).content.decode()
    assert "地址：— → 西外镇 8 号" in page and "tongchuan" in page and "联系人新建" in page and "张三" in page


def test_api_create_and_token_change_are_recorded(client, cast, regions):
    client.force_login(cast["city"])
    response = client.post("/api/core/organisations", {"name": "新登记公司", "region_id": regions["渠县"].pk},
                           content_type="application/json")
    assert response.status_code == 201
    org = Organisation.objects.get(name="新登记公司")
    assert org.history.get().history_type == "+" and org.history.get().history_user == cast["city"]
    _, key = ApiToken.issue(cast["city"])
    client.logout()
    client.patch(f"/api/core/organisations/{org.pk}", {"address": "渠县 1 号"}, content_type="application/json",
                 headers={"Authorization": f"Bearer {key}"})
    assert org.history.latest().history_user == cast["city"]
    assert org.history.count() == 2


def test_delete_is_recorded(orgs):
    org = orgs["park_ltd"]
    pk = org.pk
    org.delete()
    assert Organisation.history.filter(id=pk).latest().history_type == "-"
