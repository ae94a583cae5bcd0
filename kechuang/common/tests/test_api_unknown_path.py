"""An address under /api/ that names no operation answers like the API (JSON ``{"detail"}``), not with
the site's HTML 404 page: a client parsing JSON errors must not get a web page (issue 11, item 33)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/api/nope", "/api/market/nope/", "/api/market/demands/1/extra"])
def test_an_unknown_api_address_is_a_json_404(client, address):
    response = client.get(address)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "接口不存在：请查看 /api/docs 中的接口列表"}
