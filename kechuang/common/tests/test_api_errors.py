"""Every API error is answered as documented JSON (issue 11, item 33): unreadable bodies (lone
surrogates, not an object, too large) 400/413 {"errors"}, bad values 422 {"errors"}, 401/403/404
{"detail"}; the OpenAPI schema declares them; R&D explanations answer existing rules only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kechuang.core.models import ApiToken

EXAMPLE = (Path(__file__).resolve().parents[3] / "docs" / "examples" / "assess_example.json").read_text("utf-8")
SURROGATE = b'"\\ud800"'


@pytest.fixture
def acme_api(client, cast):
    _, key = ApiToken.issue(cast["acme"])

    def call(method, url, body=None, **extra):
        kwargs = {"headers": {"Authorization": f"Bearer {key}"}, **extra}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(client, method)(url, **kwargs)

    return call


def _errors(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"errors"} and all(isinstance(v, list) and v for v in body["errors"].values()), body
    return body["errors"]


@pytest.mark.parametrize("url,body", [
    ("/api/market/demands", b'{"title": ' + SURROGATE + b', "description": "x"}'),
    ("/api/market/achievements", b'{"title": "ok", "summary": ' + SURROGATE + b'}'),
    ("/api/rd/reports", b'{"year": 2025, "explanations": {' + SURROGATE + b': "x"}}'),
])
def test_a_lone_surrogate_is_a_400_not_a_500(acme_api, url, body):
    errors = _errors(acme_api("post", url, body), 400)
    assert "代理项" in errors["__all__"][0]


def test_a_lone_surrogate_in_the_self_assessment(client, db):
    text = EXAMPLE.replace("达州川东智控科技有限公司（示例）", "\\ud800", 1)
    errors = _errors(client.post("/api/cultivation/assess", text.encode(), content_type="application/json"), 422)
    assert any("代理项" in m for messages in errors.values() for m in messages)
    page = client.post("/self-assessment/", {"text": text})
    assert page.status_code == 200 and "代理项" in page.content.decode()


@pytest.mark.parametrize("body", [b'"AAA"', b'["AAA"]', b"42", b"null", b"true"])
def test_a_body_that_is_not_an_object_creates_nothing(acme_api, body):
    from kechuang.market.models import Achievement, Demand

    for url in ("/api/market/demands", "/api/market/achievements"):
        errors = _errors(acme_api("post", url, body), 400)
        assert "JSON 对象" in errors["__all__"][0]
    assert not Demand.objects.exists() and not Achievement.objects.exists()


def test_broken_json_is_a_chinese_400(acme_api):
    errors = _errors(acme_api("post", "/api/market/demands", b'{"title": '), 400)
    assert "不是有效的 JSON" in errors["__all__"][0]
    errors = _errors(acme_api("post", "/api/market/demands", b'\xff\xfe{}'), 400)
    assert "UTF-8" in errors["__all__"][0]


@pytest.mark.parametrize("url", ["/api/market/demands", "/api/cultivation/assess", "/api/rd/reports"])
def test_a_body_over_the_limit_is_a_json_413(acme_api, settings, url):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    errors = _errors(acme_api("post", url, b'{"title": "' + b"a" * 20_000 + b'"}'), 413)
    assert "过大" in errors["__all__"][0]


@pytest.mark.parametrize("query,field", [("page_size=0", "page_size"), ("page_size=201", "page_size"),
                                         ("page=0", "page"), ("page_size=abc", "page_size")])
@pytest.mark.parametrize("url", ["/api/market/achievements", "/api/core/organisations", "/api/rd/reports",
                                 "/api/cultivation/evaluations"])
def test_a_bad_page_is_a_422_with_errors(acme_api, url, query, field):
    errors = _errors(acme_api("get", f"{url}?{query}"), 422)
    assert field in errors


def test_matching_parameters_answer_422_errors(acme_api, records):
    pk = records["acme_demand"].pk
    assert "top" in _errors(acme_api("get", f"/api/matching/demand/{pk}/matches?target=achievements&top=0"), 422)
    assert "target" in _errors(acme_api("get", f"/api/matching/demand/{pk}/matches?target=demands"), 422)


def test_401_403_404_are_chinese_detail(client, acme_api, cast, records):
    response = client.get("/api/market/achievements")
    assert response.status_code == 401 and "令牌" in response.json()["detail"]
    response = acme_api("get", "/api/market/achievements/999999")
    assert response.status_code == 404 and response.json() == {"detail": "记录不存在或无权访问"}
    response = acme_api("post", f"/api/market/demands/{records['acme_demand'].pk}/transitions/publish", b"{}")
    assert response.status_code == 403 and set(response.json()) == {"detail"}


def test_the_schema_declares_the_error_answers(client, cast):
    client.force_login(cast["city"])
    schema = client.get("/api/openapi.json").json()
    create = schema["paths"]["/api/market/demands"]["post"]["responses"]
    assert {"400", "401", "403", "404", "413", "422"} <= set(create)
    listing = schema["paths"]["/api/market/demands"]["get"]["responses"]
    assert {"401", "403", "404", "422"} <= set(listing) and "400" not in listing
    assess = schema["paths"]["/api/cultivation/assess"]["post"]["responses"]
    assert "401" not in assess and {"400", "413", "422"} <= set(assess)
    assert "errors" in schema["components"]["schemas"]["ApiErrors"]["properties"]


def test_the_served_schema_has_each_key_once(client, cast):
    """Swagger UI (/api/docs) refuses a document with a key twice ("duplicated mapping key"): ninja's
    own answers are keyed by int, the declared errors by str, and both once printed "404"."""
    client.force_login(cast["city"])

    def no_repeats(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"key repeated in the OpenAPI document: {keys}"
        return dict(pairs)

    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=no_repeats)


def test_rd_explanations_answer_the_years_rules_only(acme_api, cast):
    from kechuang.rdreport.models import RdReport

    body = b'{"year": 2025, "explanations": {"R16": "ok", "NOPE": "x", "zz1": "y"}}'
    errors = _errors(acme_api("post", "/api/rd/reports", body), 422)
    assert set(errors) == {"explanations.NOPE", "explanations.zz1"}
    assert not RdReport.objects.exists()
    created = acme_api("post", "/api/rd/reports", b'{"year": 2025, "explanations": {"R16": "ok"}}')
    assert created.status_code == 200 and created.json()["explanations"] == {"R16": "ok"}
