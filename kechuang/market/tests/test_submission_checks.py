"""Issue 11, item 25: a demand whose deadline has passed is refused on submission (not as a draft), phone
fields everywhere accept only phone-like values, and every patent-number example the product shows passes
the platform's own check."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kechuang.common.phones import PhoneField, phone_number_error
from kechuang.core.forms import ContactFormSet
from kechuang.core.models import Contact, User
from kechuang.market.forms import DemandForm, ExpertForm
from kechuang.market.models import Demand
from kechuang.market.patents import patent_number_error

ROOT = Path(__file__).resolve().parents[3]


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def test_a_draft_may_keep_a_past_deadline_but_is_not_submitted_with_it(client, cast, records):
    draft = records["acme_draft_demand"]
    client.force_login(cast["acme"])
    form = DemandForm(data={"title": draft.title, "enterprise": draft.enterprise_id, "deadline": yesterday(),
                            "cooperation_mode": draft.cooperation_mode, "contact_phone": "0818-2000002"},
                      instance=draft, user=cast["acme"])
    assert form.is_valid(), form.errors
    form.save()
    response = client.post(reverse("market:demand-transition", args=[draft.pk, "submit"]), follow=True)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert f"截止日期 {yesterday():%Y-%m-%d} 已过" in response.content.decode()
    # nor through the API, nor published directly by staff
    api = client.post(f"/api/market/demands/{draft.pk}/transitions/submit", {}, content_type="application/json")
    assert api.status_code == 422 and "已过" in api.json()["errors"]["__all__"][0]
    client.force_login(cast["tongchuan"])
    client.post(reverse("market:demand-transition", args=[draft.pk, "publish"]))
    draft.refresh_from_db()
    assert draft.status == "draft"
    # today or later goes through
    Demand.objects.filter(pk=draft.pk).update(deadline=timezone.localdate())
    draft.refresh_from_db()
    client.post(reverse("market:demand-transition", args=[draft.pk, "publish"]))
    draft.refresh_from_db()
    assert draft.status == "published"


GOOD_PHONES = ["13800001234", "138 0000 1234", "+86 138-0000-1234", "0818-2123456", "(0818)2123456",
               "010-12345678", "0818-2123456-801", "0818-2123456转801", "400-123-4567", "１３８００００１２３４"]
BAD_PHONES = ["张三", "2123456", "12345", "1380000123", "23800001234", "a@b.cn", "0818-212",
              "0818-2123456；13800001234"]


@pytest.mark.parametrize("value", GOOD_PHONES)
def test_phone_like_values_pass(value):
    assert phone_number_error(value) is None


@pytest.mark.parametrize("value", BAD_PHONES)
def test_other_values_are_refused_with_the_accepted_forms(value):
    assert "0818-2123456" in phone_number_error(value)


def test_every_phone_field_of_the_product_uses_the_one_check():
    phones = [(m, f) for m in apps.get_models() if m._meta.app_label in ("core", "market", "pairing", "matchmaking")
              and not m.__name__.startswith("Historical") for f in m._meta.fields
              if "phone" in f.name or "电话" in str(f.verbose_name) or "手机" in str(f.verbose_name)]
    assert len(phones) >= 4
    assert [f"{m.__name__}.{f.name}" for m, f in phones if not isinstance(f, PhoneField)] == []


def test_pages_admin_and_imports_refuse_a_bad_phone(cast, records, orgs):
    demand = DemandForm(data={"title": "新需求", "enterprise": orgs["acme_ltd"].pk, "cooperation_mode": "joint_development",
                              "contact_phone": "张三"}, user=cast["acme"])
    assert not demand.is_valid() and "电话号码“张三”格式不正确" in demand.errors["contact_phone"][0]
    expert = ExpertForm(data={"name": "赵专家", "organisation": orgs["uni"].pk, "phone": "12345", "max_load": 3},
                        user=None)
    assert not expert.is_valid() and "phone" in expert.errors
    contacts = ContactFormSet(data={"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
                                    "contacts-0-name": "钱联系人", "contacts-0-phone": "办公室"},
                              instance=orgs["acme_ltd"], prefix="contacts")
    assert not contacts.is_valid() and "phone" in contacts.forms[0].errors
    with pytest.raises(ValidationError):
        Contact(organisation=orgs["acme_ltd"], name="孙联系人", phone="8888").full_clean()
    account = User.objects.get(username="acme")
    account.phone = "0818"
    with pytest.raises(ValidationError):
        account.full_clean(exclude=["password"])
    account.phone = "139 8888 0000"
    account.full_clean(exclude=["password"])


PATENT_LIKE = re.compile(r"(?:CN|ZL)\s?\d{8,13}(?:\s?\.\s?[0-9X])?")


def shown_examples() -> list[tuple[str, str]]:
    """Patent numbers written in the product's messages, templates, docstrings and docs (tests excluded)."""
    found = []
    for path in [*ROOT.joinpath("kechuang").rglob("*"), *ROOT.joinpath("docs").rglob("*"), ROOT / "README.md"]:
        if path.suffix not in (".py", ".html", ".md", ".json", ".csv") or "tests" in path.parts:
            continue
        for match in PATENT_LIKE.finditer(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(ROOT)), match.group(0)))
    return found


def test_every_patent_number_example_passes_the_platform_check():
    examples = shown_examples()
    message_example = re.search(r"如 (\S+)$", patent_number_error("12345")).group(1)
    examples.append(("patent_number_error", message_example))
    assert len(examples) >= 4
    assert [(where, number) for where, number in examples if patent_number_error(number)] == []
