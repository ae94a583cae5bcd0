"""The admin's API-token page is scoped like the user admin (issue 11, item 30): a city administrator
lists and revokes the tokens of its city's accounts only; anything else answers 404."""

from __future__ import annotations

import pytest

from kechuang.core.choices import Role
from kechuang.core.models import ApiToken, Organisation, User


@pytest.fixture
def tokens(cast, regions):
    root = User.objects.create_superuser("root", password="pw")
    wanzhou_org = Organisation.objects.create(name="万州外地公司", region=regions["万州区"])
    elsewhere = User.objects.create_user("wanzhou_user", password="pw", role=Role.ENTERPRISE_USER,
                                         organisation=wanzhou_org)
    elsewhere_admin = User.objects.create_user("wanzhou_admin", password="pw", role=Role.COUNTY_OFFICER,
                                               region=regions["万州区"])
    return {name: ApiToken.issue(user, name)[0] for name, user in [
        ("mine", cast["acme"]), ("root", root), ("elsewhere", elsewhere), ("elsewhere_admin", elsewhere_admin)]}


def test_token_list_shows_only_the_city(client, cast, tokens):
    client.force_login(cast["city"])
    page = client.get("/admin/core/apitoken/").content.decode()
    assert tokens["mine"].prefix in page
    for name in ("root", "elsewhere", "elsewhere_admin"):
        assert tokens[name].prefix not in page, name


@pytest.mark.parametrize("name", ["root", "elsewhere", "elsewhere_admin"])
def test_token_outside_the_city_answers_404_and_is_not_revoked(client, cast, tokens, name):
    client.force_login(cast["city"])
    pk = tokens[name].pk
    assert client.get(f"/admin/core/apitoken/{pk}/change/").status_code == 404
    assert client.get(f"/admin/core/apitoken/{pk}/delete/").status_code == 404
    assert client.post(f"/admin/core/apitoken/{pk}/delete/", {"post": "yes"}).status_code == 404
    client.post("/admin/core/apitoken/", {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
    assert ApiToken.objects.filter(pk=pk).exists()


def test_the_city_administrator_revokes_a_token_of_its_city(client, cast, tokens):
    client.force_login(cast["city"])
    pk = tokens["mine"].pk
    assert client.get(f"/admin/core/apitoken/{pk}/change/").status_code == 200
    client.post(f"/admin/core/apitoken/{pk}/delete/", {"post": "yes"})
    assert not ApiToken.objects.filter(pk=pk).exists()


def test_a_superuser_sees_every_token(client, tokens):
    client.force_login(User.objects.get(username="root"))
    page = client.get("/admin/core/apitoken/").content.decode()
    assert all(token.prefix in page for token in tokens.values())


def test_user_admin_outside_the_city_answers_404(client, cast, tokens):
    client.force_login(cast["city"])
    root = User.objects.get(username="root")
    assert client.get(f"/admin/core/user/{root.pk}/change/").status_code == 404
    assert client.get(f"/admin/core/user/{root.pk}/delete/").status_code == 404
