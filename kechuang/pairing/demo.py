"""A demo pairing campaign in draft, ready to compute from the pages (created once, never reset)."""

from __future__ import annotations

from kechuang.common.demo import DEMO_SOURCE
from kechuang.core.choices import OrganisationKind, RegionLevel
from kechuang.core.models import Organisation, Region, User
from kechuang.market.choices import ExpertStatus
from kechuang.market.models import Expert
from kechuang.pairing.models import PairingCampaign

DEMO_CAMPAIGN = "2026 年科技博士进企业（演示）"


def load_pairing_demo() -> PairingCampaign | None:
    """Create the draft one-to-one demo campaign (20 enterprises, 20 available experts, the demo expert
    account's profile among them) unless it exists."""
    existing = PairingCampaign.objects.filter(name=DEMO_CAMPAIGN).first()
    if existing is not None:
        return existing
    city = Region.objects.filter(code="511700").first() or Region.objects.filter(level=RegionLevel.CITY).first()
    enterprises = list(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, source=DEMO_SOURCE)
                       .order_by("pk")[:20])
    available = Expert.objects.filter(status=ExpertStatus.PUBLISHED, available=True)
    # The demo expert account's profile takes part, so its 「我的结对」 shows a pair once published.
    experts = list(available.filter(user__username="expert")) + list(
        available.exclude(user__username="expert").order_by("pk")[:19])
    if city is None or not enterprises or not experts:
        return None
    campaign = PairingCampaign.objects.create(name=DEMO_CAMPAIGN, region=city, experts_per_enterprise=1, max_per_expert=1,
                                              created_by=User.objects.filter(username="city_admin").first())
    campaign.enterprises.set(enterprises)
    campaign.experts.set(experts)
    return campaign
