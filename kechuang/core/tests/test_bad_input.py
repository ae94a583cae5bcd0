"""Bad input on the organisation form and API: the error on that field, nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.core.models import Organisation

CASES = [
    ("uscc", "91350100M000100Y44", "校验位错误"),
    ("uscc", "9135010", "应为 18 位"),
    ("uscc", "91350100M0001O0Y43", "不允许的字符"),
    ("region", None, "请选择所在区域"),
    ("name", "长" * 101, "不能超过 100 个字"),
    ("industry_code", "C05", "不属于门类 C"),
]


def _payload(regions, field, value):
    data = {"name": "坏数据公司", "kind": "enterprise", "uscc": "", "region": regions["通川区"].pk}
    data[field] = "" if value is None else value
    return data


@pytest.mark.parametrize("field,value,message", CASES)
def test_page_shows_the_error_on_the_field(client, cast, regions, field, value, message):
    client.force_login(cast["city"])
    data = _payload(regions, field, value)
    data.update({"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})
    before = Organisation.objects.count()
    response = client.post(reverse("core:organisation-create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Organisation.objects.count() == before


@pytest.mark.parametrize("field,value,message", CASES)
def test_api_answers_422_with_the_field(client, cast, regions, field, value, message):
    client.force_login(cast["city"])
    payload = _payload(regions, field, value)
    payload["region_id"] = payload.pop("region") or None
    before = Organisation.objects.count()
    response = client.post("/api/core/organisations", payload, content_type="application/json")
    assert response.status_code == 422
    key = "region_id" if field == "region" else field
    assert message in " ".join(response.json()["errors"][key])
    assert Organisation.objects.count() == before


def test_duplicate_code_is_refused(client, cast, orgs, regions):
    client.force_login(cast["city"])
    payload = {"name": "重复公司", "uscc": orgs["acme_ltd"].uscc, "region_id": regions["通川区"].pk}
    response = client.post("/api/core/organisations", payload, content_type="application/json")
    assert response.status_code == 422
    assert "已登记" in response.json()["errors"]["uscc"][0]


def test_bad_contact_keeps_the_organisation_unchanged(client, cast, orgs):
    org = orgs["acme_ltd"]
    client.force_login(cast["city"])
    data = {"name": "改名后", "kind": org.kind, "uscc": org.uscc, "industry_code": org.industry_code,
            "region": org.region_id, "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "李四", "contacts-0-email": "不是邮箱"}
    response = client.post(reverse("core:organisation-edit", args=[org.pk]), data)
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.name == "通川甲公司"


def test_code_is_normalised_before_saving(client, cast, regions):
    client.force_login(cast["city"])
    payload = {"name": "规范化公司", "uscc": " 91350100m000100y43 ", "region_id": regions["通川区"].pk}
    assert client.post("/api/core/organisations", payload, content_type="application/json").status_code == 201
    assert Organisation.objects.get(name="规范化公司").uscc == "91350100M000100Y43"
