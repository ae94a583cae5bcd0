"""The access matrix of the registries (kechuang.common.testing.ScopedAccessChecks), each in its draft
and its published state: published records are public to every signed-in user, drafts stay with their
owner and the staff over them."""

from __future__ import annotations

from typing import ClassVar

from django.urls import reverse

from kechuang.common.testing import ScopedAccessChecks
from kechuang.market.models import Achievement, Demand, Expert


def registry_urls(registry: str, singular: str) -> dict:
    """The pages and API of one registry (list, export, detail, edit, API list and detail)."""
    return {
        "list": lambda r: reverse(f"market:{singular}-list"),
        "export": lambda r: reverse(f"market:{singular}-list") + "?export=xlsx",
        "detail": lambda r: reverse(f"market:{singular}-detail", args=[r.pk]),
        "edit": lambda r: reverse(f"market:{singular}-edit", args=[r.pk]),
        "api_list": lambda r: f"/api/market/{registry}",
        "api_detail": lambda r: f"/api/market/{registry}/{r.pk}",
    }


class TestAchievementDraftAccess(ScopedAccessChecks):
    model = Achievement
    owners: ClassVar[tuple[str, ...]] = ("acme",)
    urls = registry_urls("achievements", "achievement")

    def make(self, orgs, cast, regions):
        return Achievement.objects.create(title="甲公司余热回收草稿", owner=orgs["acme_ltd"], region=regions["通川区"],
                                          trl=5, kind="product")


class TestAchievementPublishedAccess(TestAchievementDraftAccess):
    owners = ("researcher", "expert")  # the university's: its researcher registers, its expert reads

    def make(self, orgs, cast, regions):
        return Achievement.objects.create(title="天然气制氢催化剂", owner=orgs["uni"], region=regions["通川区"],
                                          trl=6, kind="patent", status="published")


class TestDemandDraftAccess(ScopedAccessChecks):
    model = Demand
    owners = ("acme",)
    urls = registry_urls("demands", "demand")

    def make(self, orgs, cast, regions):
        return Demand.objects.create(title="甲公司尚未提交的需求", enterprise=orgs["acme_ltd"], region=regions["通川区"],
                                     contact_phone="0818-2000002")


class TestDemandPublishedAccess(TestDemandDraftAccess):
    def make(self, orgs, cast, regions):
        return Demand.objects.create(title="合成氨装置节能改造", enterprise=orgs["acme_ltd"], region=regions["通川区"],
                                     contact_name="甲联系人", contact_phone="0818-2000001", status="published")


class TestExpertDraftAccess(ScopedAccessChecks):
    model = Expert
    owners = ("expert",)  # the expert's own profile (its account), not the university's
    urls = registry_urls("experts", "expert")

    def make(self, orgs, cast, regions):
        return Expert.objects.create(name="李研究员", organisation=orgs["uni"], region=regions["通川区"],
                                     phone="13800000002", user=cast["expert"])


class TestExpertPublishedAccess(TestExpertDraftAccess):
    def make(self, orgs, cast, regions):
        return Expert.objects.create(name="王教授", organisation=orgs["uni"], region=regions["通川区"], title="教授",
                                     phone="13800000001", status="published", user=cast["expert"])
