"""For every role: list, detail, edit, export and API access to organisations inside and outside its
scope. "Not yours" answers 404 like "not there"; "yours to see but not to change" answers 403."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.common.access import can, get_for_user
from kechuang.core.models import ApiToken, Organisation

ALL = {"acme_ltd", "rival_ltd", "park_ltd", "uni"}
VIEW = {
    "city": ALL,
    "tongchuan": {"acme_ltd", "uni"},
    "xuanhan": {"rival_ltd"},
    "stats": ALL,
    "acme": {"acme_ltd"},
    "rival": {"rival_ltd"},
    "researcher": {"uni"},
    "expert": {"uni"},
    "outsider": set(),
}
CHANGE = {
    "city": ALL,
    "tongchuan": {"acme_ltd", "uni"},
    "xuanhan": {"rival_ltd"},
    "stats": set(),
    "acme": {"acme_ltd"},
    "rival": {"rival_ltd"},
    "researcher": set(),
    "expert": set(),
    "outsider": set(),
}
PAIRS = [(user, org) for user in VIEW for org in sorted(ALL)]


def expected_status(user: str, org: str, action: str) -> int:
    if org not in VIEW[user]:
        return 404
    if action == "change" and org not in CHANGE[user]:
        return 403
    return 200


@pytest.fixture
def as_user(client, cast):
    def login(name):
        client.force_login(cast[name])
        return client
    return login


@pytest.mark.parametrize("user", list(VIEW))
def test_queryset_scope(cast, orgs, user):
    seen = {key for key, org in orgs.items() if org in Organisation.objects.visible_to(cast[user])}
    assert seen == VIEW[user]
    changeable = {key for key, org in orgs.items() if can(cast[user], "change", org)}
    assert changeable == CHANGE[user]


@pytest.mark.parametrize("user", list(VIEW))
def test_list_page_shows_only_scope(as_user, orgs, user):
    response = as_user(user).get(reverse("core:organisation-list"))
    assert response.status_code == 200
    shown = {key for key, org in orgs.items() if org.name in response.content.decode()}
    assert shown == VIEW[user]


@pytest.mark.parametrize("user", list(VIEW))
def test_export_holds_only_scope(as_user, orgs, user):
    response = as_user(user).get(reverse("core:organisation-list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {orgs[key].name for key in VIEW[user]}
    assert next(sheet.iter_rows(max_row=1, values_only=True))[0] == "名称"


@pytest.mark.parametrize("user,org", PAIRS)
def test_detail_page(as_user, orgs, user, org):
    response = as_user(user).get(reverse("core:organisation-detail", args=[orgs[org].pk]))
    assert response.status_code == expected_status(user, org, "view")


@pytest.mark.parametrize("user,org", PAIRS)
def test_edit_page(as_user, orgs, user, org):
    response = as_user(user).get(reverse("core:organisation-edit", args=[orgs[org].pk]))
    assert response.status_code == expected_status(user, org, "change")


@pytest.mark.parametrize("user,org", PAIRS)
def test_api_detail(as_user, orgs, user, org):
    response = as_user(user).get(f"/api/core/organisations/{orgs[org].pk}")
    assert response.status_code == expected_status(user, org, "view")


@pytest.mark.parametrize("user,org", PAIRS)
def test_api_patch(as_user, orgs, user, org):
    target = orgs[org]
    response = as_user(user).patch(f"/api/core/organisations/{target.pk}", {"address": "新地址 1 号"},
                                   content_type="application/json")
    assert response.status_code == expected_status(user, org, "change"), response.content
    target.refresh_from_db()
    assert (target.address == "新地址 1 号") == (response.status_code == 200)


@pytest.mark.parametrize("user", list(VIEW))
def test_api_list(as_user, orgs, user):
    response = as_user(user).get("/api/core/organisations")
    assert response.status_code == 200
    names = {item["name"] for item in response.json()["items"]}
    assert names == {orgs[key].name for key in VIEW[user]}


def test_unknown_id_is_404_like_another_scope(as_user):
    assert as_user("city").get(reverse("core:organisation-detail", args=[999999])).status_code == 404
    assert as_user("city").get("/api/core/organisations/999999").status_code == 404


def test_anonymous_is_sent_to_login_and_refused_by_api(client, orgs):
    response = client.get(reverse("core:organisation-list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get("/api/core/organisations").status_code == 401


def test_bearer_token_has_the_same_scope(client, cast, orgs):
    _, key = ApiToken.issue(cast["xuanhan"], "test")
    headers = {"Authorization": f"Bearer {key}"}
    names = {i["name"] for i in client.get("/api/core/organisations", headers=headers).json()["items"]}
    assert names == {orgs["rival_ltd"].name}
    assert client.get(f"/api/core/organisations/{orgs['acme_ltd'].pk}", headers=headers).status_code == 404
    assert client.get("/api/core/organisations", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_session_api_write_needs_csrf(cast, orgs):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["city"])
    response = strict.patch(f"/api/core/organisations/{orgs['acme_ltd'].pk}", {"address": "x"},
                            content_type="application/json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("user,allowed", [("city", True), ("tongchuan", True), ("stats", False),
                                          ("acme", False), ("outsider", False)])
def test_who_may_create(as_user, regions, user, allowed):
    response = as_user(user).get(reverse("core:organisation-create"))
    assert response.status_code == (200 if allowed else 403)


def test_county_officer_cannot_place_an_organisation_in_another_county(as_user, regions):
    response = as_user("tongchuan").post("/api/core/organisations", {
        "name": "越界公司", "kind": "enterprise", "region_id": regions["宣汉县"].pk}, content_type="application/json")
    assert response.status_code == 422
    assert "region_id" in response.json()["errors"]
    assert not Organisation.objects.filter(name="越界公司").exists()


def test_enterprise_user_cannot_move_its_enterprise(as_user, orgs, regions):
    response = as_user("acme").patch(f"/api/core/organisations/{orgs['acme_ltd'].pk}",
                                     {"region_id": regions["宣汉县"].pk}, content_type="application/json")
    assert response.status_code == 200
    orgs["acme_ltd"].refresh_from_db()
    assert orgs["acme_ltd"].region == regions["通川区"]


def test_get_for_user_is_the_one_fetch(cast, orgs):
    from django.http import Http404

    assert get_for_user(Organisation, cast["acme"], orgs["acme_ltd"].pk) == orgs["acme_ltd"]
    with pytest.raises(Http404):
        get_for_user(Organisation, cast["acme"], orgs["rival_ltd"].pk)
    with pytest.raises(Http404):
        get_for_user(Organisation, cast["acme"], "not-a-number")


@pytest.mark.parametrize("user,allowed", [("city", True), ("tongchuan", False), ("acme", False)])
def test_admin_is_for_the_city_administrator(as_user, user, allowed):
    response = as_user(user).get("/admin/core/organisation/")
    assert (response.status_code == 200) == allowed


def test_bearer_token_writes_without_csrf(cast, orgs):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    _, key = ApiToken.issue(cast["city"])
    response = strict.patch(f"/api/core/organisations/{orgs['acme_ltd'].pk}", {"address": "令牌写入"},
                            content_type="application/json", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert strict.post("/api/core/organisations", {"name": "x"}, content_type="application/json").status_code == 401


def test_bad_paging_and_sorting_are_not_server_errors(as_user, orgs):
    client = as_user("city")
    assert client.get("/api/core/organisations", {"page": 9223372036854775807}).status_code == 422
    assert client.get("/api/core/organisations", {"page_size": 0}).status_code == 422
    for sort in ("--name", "-", "nonsense", "-region__path"):
        assert client.get(reverse("core:organisation-list"), {"sort": sort}).status_code == 200
        assert client.get(reverse("core:organisation-list"), {"sort": sort, "export": "xlsx"}).status_code == 200


def test_invalid_filter_matches_nothing_and_says_why(as_user, orgs, regions):
    client = as_user("tongchuan")
    response = client.get(reverse("core:organisation-list"), {"region": regions["宣汉县"].pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1
    page = client.get(reverse("core:organisation-list"), {"kind": "bogus"}).content.decode()
    assert "共 0 条" in page and "bogus" in page
    api = client.get("/api/core/organisations", {"kind": "bogus"})
    assert api.status_code == 422 and "kind" in api.json()["errors"]


def test_formula_like_names_export_as_text(as_user, regions):
    Organisation.objects.create(name='=HYPERLINK("http://evil.example","x")', region=regions["通川区"])
    response = as_user("city").get(reverse("core:organisation-list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    risky = next(c for c in cells if str(c.value).startswith("="))
    assert risky.data_type == "s"


def test_admin_history_and_privileges_stay_in_scope(as_user, cast, regions):
    from kechuang.core.models import User

    outside = Organisation.objects.create(name="万州外地公司", region=regions["万州区"])
    client = as_user("city")
    assert client.get(f"/admin/core/organisation/{outside.pk}/history/").status_code == 404
    root = User.objects.create_superuser("root", password="pw")
    assert client.get(f"/admin/core/user/{root.pk}/change/").status_code in (302, 404)
    page = client.get(f"/admin/core/user/{cast['tongchuan'].pk}/change/").content.decode()
    assert "is_superuser" not in page and "user_permissions" not in page
    assert "万州区" not in page  # region choices stay inside the city
    response = client.post(f"/admin/core/user/{cast['tongchuan'].pk}/change/", {
        "username": "tongchuan", "is_active": "on", "role": "county_officer", "region": regions["万州区"].pk,
        "full_name": "x"})
    assert response.status_code == 200  # refused: the region is not a valid choice
    cast["tongchuan"].refresh_from_db()
    assert cast["tongchuan"].region == regions["通川区"]


def test_admin_organisation_form_normalises_and_limits_regions(as_user, regions):
    client = as_user("city")
    response = client.post("/admin/core/organisation/add/", {
        "name": "后台新增", "kind": "enterprise", "uscc": "91350100m000100y43", "region": regions["万州区"].pk,
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and not Organisation.objects.filter(name="后台新增").exists()
    client.post("/admin/core/organisation/add/", {
        "name": "后台新增", "kind": "enterprise", "uscc": "91350100m000100y43", "region": regions["通川区"].pk,
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})
    assert Organisation.objects.get(name="后台新增").uscc == "91350100M000100Y43"
