"""The Django admin opens for the city administrator, narrowed to the city."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("url", ["/admin/", "/admin/core/organisation/", "/admin/core/user/", "/admin/core/user/add/",
                                 "/admin/core/region/", "/admin/core/apitoken/"])
def test_admin_pages_open_for_the_city_administrator(client, cast, url):
    client.force_login(cast["city"])
    assert client.get(url).status_code == 200


def test_admin_change_page_and_history(client, cast, orgs):
    client.force_login(cast["city"])
    pk = orgs["acme_ltd"].pk
    assert client.get(f"/admin/core/organisation/{pk}/change/").status_code == 200
    assert client.get(f"/admin/core/organisation/{pk}/history/").status_code == 200


def test_admin_lists_only_the_city(client, cast, orgs, regions):
    from kechuang.core.models import Organisation

    Organisation.objects.create(name="万州外地公司", region=regions["万州区"])
    client.force_login(cast["city"])
    page = client.get("/admin/core/organisation/").content.decode()
    assert "通川甲公司" in page and "万州外地公司" not in page
