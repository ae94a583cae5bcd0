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


@pytest.mark.parametrize("typed", ["9135 0100 M000 100Y 43", "９１３５０１００Ｍ０００１００Ｙ４３"])
def test_pasted_codes_with_spaces_or_full_width_are_accepted(client, cast, regions, typed):
    client.force_login(cast["city"])
    payload = {"name": "粘贴代码公司", "uscc": typed, "region_id": regions["通川区"].pk}
    assert client.post("/api/core/organisations", payload, content_type="application/json").status_code == 201
    assert Organisation.objects.get(name="粘贴代码公司").uscc == "91350100M000100Y43"


@pytest.mark.parametrize("code,fragment", [("9135010000M000100Y43", "应为 18 位"), ("C26145", "格式"),
                                           ("C٢٦١٤", "格式")])
def test_specific_messages_not_generic_length_ones(client, cast, regions, code, fragment):
    client.force_login(cast["city"])
    field = "industry_code" if code.startswith("C") else "uscc"
    response = client.post("/api/core/organisations", {"name": "x", field: code, "region_id": regions["通川区"].pk},
                           content_type="application/json")
    assert response.status_code == 422
    assert fragment in " ".join(response.json()["errors"][field])


def test_full_width_industry_code_is_normalised(client, cast, regions):
    client.force_login(cast["city"])
    payload = {"name": "全角行业码公司", "industry_code": "Ｃ２６１４", "region_id": regions["通川区"].pk}
    assert client.post("/api/core/organisations", payload, content_type="application/json").status_code == 201
    assert Organisation.objects.get(name="全角行业码公司").industry_code == "C2614"


@pytest.mark.parametrize("payload,field", [({"name": 123}, "name"), ({"region_id": "abc"}, "region_id")])
def test_wrong_json_types_answer_in_the_form_shape(client, cast, regions, payload, field):
    client.force_login(cast["city"])
    response = client.post("/api/core/organisations", payload, content_type="application/json")
    assert response.status_code == 422 and field in response.json()["errors"]


def test_empty_patch_writes_no_history(client, cast, orgs):
    client.force_login(cast["city"])
    org = orgs["acme_ltd"]
    before = org.history.count()
    assert client.patch(f"/api/core/organisations/{org.pk}", {}, content_type="application/json").status_code == 200
    assert org.history.count() == before
