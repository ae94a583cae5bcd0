"""The access matrix of pairing campaigns (kechuang.common.testing.ScopedAccessChecks): staff over the
campaign's region organise them; once published, each side (the enterprise's users, the expert's own
account) sees its own pair and records service visits."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kechuang.common.testing import ScopedAccessChecks
from kechuang.market.models import Expert
from kechuang.pairing.choices import CampaignStatus
from kechuang.pairing.models import Pairing, PairingCampaign, PairScore, ServiceVisit


def _campaign(regions, status=CampaignStatus.PUBLISHED) -> PairingCampaign:
    return PairingCampaign.objects.create(name="2025 年科技博士进企业", region=regions["通川区"], status=status)


def _expert(orgs, cast) -> Expert:
    """The published expert profile of the cast's expert account, at the university (通川区)."""
    return Expert.objects.create(name="王教授", organisation=orgs["uni"], region=orgs["uni"].region, title="教授",
                                 status="published", user=cast["expert"])


def _pairing(orgs, cast, regions, status=CampaignStatus.PUBLISHED) -> Pairing:
    return Pairing.objects.create(campaign=_campaign(regions, status), enterprise=orgs["acme_ltd"],
                                  expert=_expert(orgs, cast), affinity=0.5)


class TestPairingCampaignAccess(ScopedAccessChecks):
    model = PairingCampaign
    urls = {
        "list": lambda r: reverse("pairing:campaign-list"),
        "detail": lambda r: reverse("pairing:campaign-detail", args=[r.pk]),
        "edit": lambda r: reverse("pairing:participants", args=[r.pk, "enterprises"]),
        "api_list": lambda r: "/api/pairing/campaigns",
        "api_detail": lambda r: f"/api/pairing/campaigns/{r.pk}",
    }

    def make(self, orgs, cast, regions):
        return _campaign(regions, CampaignStatus.DRAFT)


class TestPairScoreAccess(ScopedAccessChecks):
    model = PairScore

    def make(self, orgs, cast, regions):
        return PairScore.objects.create(campaign=_campaign(regions), enterprise=orgs["acme_ltd"],
                                        expert=_expert(orgs, cast), affinity=0.5)


class TestPairingAccess(ScopedAccessChecks):
    model = Pairing
    owners = ("acme", "expert")  # the enterprise's users and the expert's own account
    urls = {
        "list": lambda r: reverse("pairing:mine"),
        "detail": lambda r: reverse("pairing:pairing-detail", args=[r.pk]),
    }

    def make(self, orgs, cast, regions):
        return _pairing(orgs, cast, regions)

    def marker(self, record):
        return reverse("pairing:pairing-detail", args=[record.pk])


class TestPairingApiAccess(TestPairingAccess):
    """The same pair through the API: the caller's pairs and one pair with its contact details."""

    urls = {
        "api_list": lambda r: "/api/pairing/pairings",
        "api_detail": lambda r: f"/api/pairing/pairings/{r.pk}",
    }

    def marker(self, record):
        return f'"enterprise_name": "{record.enterprise.name}", "expert_id": {record.expert_id}'


class TestPairingOfDraftCampaignAccess(TestPairingAccess):
    """Before publication the pair is the staff's alone (the scope's ``owner_visible``)."""

    urls = {"detail": lambda r: reverse("pairing:pairing-detail", args=[r.pk]),
            "api_detail": lambda r: f"/api/pairing/pairings/{r.pk}"}

    def make(self, orgs, cast, regions):
        return _pairing(orgs, cast, regions, CampaignStatus.COMPUTED)


class TestServiceVisitAccess(ScopedAccessChecks):
    model = ServiceVisit
    owners = ("acme", "expert")

    def make(self, orgs, cast, regions):
        return ServiceVisit.objects.create(pairing=_pairing(orgs, cast, regions), visit_date=dt.date(2025, 5, 6),
                                           place="通川甲公司", problem="余热回收效率低", result="提出改造方案")
