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


@pytest.mark.django_db
@pytest.mark.parametrize("method,address,allowed", [
    ("delete", "/api/market/demands/1", {"GET"}),
    ("put", "/api/market/demands", {"GET", "POST"}),
    ("patch", "/api/core/me", {"GET"}),
])
def test_a_wrong_method_is_a_json_405_with_allow(client, method, address, allowed):
    """A method the path does not take answers the API's JSON error (``{"detail"}``) with 405 and an
    ``Allow`` header, not django-ninja's text/html "Method not allowed"."""
    response = getattr(client, method)(address)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": f"不支持的请求方法：{method.upper()}"}
    assert allowed <= {part.strip() for part in response["Allow"].split(",")}
