"""REST endpoints of pairing (科技博士进企业): campaigns (list, detail with their pairs) and the caller's
own pairs (list, detail with the other side's contact details). Read-only; same access rules as the pages:
campaigns are the bureau staff's over their region, a pair is also its two sides' once published."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router, Schema

from kechuang.common.access import get_for_user
from kechuang.common.api_pages import page_of
from kechuang.pairing import services
from kechuang.pairing.choices import CampaignStatus
from kechuang.pairing.models import Pairing, PairingCampaign

router = Router(tags=["科技博士进企业"])


class CampaignOut(Schema):
    id: int
    name: str
    region_id: int
    region_name: str
    status: str
    experts_per_enterprise: int
    max_per_expert: int | None
    same_county_conflict: bool
    fair: bool
    total_affinity: float | None
    enterprise_count: int
    expert_count: int
    created_at: datetime
    updated_at: datetime


class CampaignPage(Schema):
    items: list[CampaignOut]
    count: int


class PairingOut(Schema):
    id: int
    campaign_id: int
    campaign_name: str
    enterprise_id: int
    enterprise_name: str
    expert_id: int
    expert_name: str
    expert_organisation: str
    affinity: float
    matched_terms: str
    manual: bool
    enterprise_response: str
    expert_response: str


class PairingPage(Schema):
    items: list[PairingOut]
    count: int


class CampaignDetail(CampaignOut):
    pairings: list[PairingOut]


class ContactOut(Schema):
    name: str
    phone: str
    extra: str


class PairingDetail(PairingOut):
    contacts: dict[str, ContactOut] | None


def _campaign(c: PairingCampaign) -> dict:
    data = {name: getattr(c, name) for name in CampaignOut.model_fields if hasattr(c, name)}
    data["region_name"] = c.region.name
    data["enterprise_count"] = getattr(c, "enterprise_count", None)
    data["expert_count"] = getattr(c, "expert_count", None)
    if data["enterprise_count"] is None:
        data["enterprise_count"], data["expert_count"] = c.enterprises.count(), c.experts.count()
    return data


def _pairing(p: Pairing) -> dict:
    data = {name: getattr(p, name) for name in PairingOut.model_fields if hasattr(p, name)}
    data.update(campaign_name=p.campaign.name, enterprise_name=p.enterprise.name, expert_name=p.expert.name,
                expert_organisation=p.expert.organisation.name if p.expert.organisation is not None else "")
    return data


def _pairings(user):
    return Pairing.objects.visible_to(user).select_related("campaign", "enterprise", "expert__organisation")


@router.get("/campaigns", response=CampaignPage, summary="结对活动列表（科技部门人员，本辖区）")
def campaigns(request: HttpRequest, page: int = 1, page_size: int = 50):
    found = (PairingCampaign.objects.visible_to(request.user).select_related("region")
             .annotate(enterprise_count=Count("enterprises", distinct=True),
                       expert_count=Count("experts", distinct=True)))
    return page_of(found, page, page_size, _campaign)


@router.get("/campaigns/{campaign_id}", response=CampaignDetail, summary="一个结对活动及其结对名单")
def campaign(request: HttpRequest, campaign_id: int):
    found = get_for_user(PairingCampaign.objects.select_related("region"), request.user, campaign_id)
    return {**_campaign(found),
            "pairings": [_pairing(p) for p in _pairings(request.user).filter(campaign=found)]}


@router.get("/pairings", response=PairingPage, summary="我的结对（已发布活动中本人或本企业的结对；科技部门人员：本辖区）")
def pairings(request: HttpRequest, page: int = 1, page_size: int = 50):
    found = _pairings(request.user).filter(campaign__status=CampaignStatus.PUBLISHED).order_by("campaign_id", "pk")
    return page_of(found, page, page_size, _pairing)


@router.get("/pairings/{pairing_id}", response=PairingDetail,
            summary="一个结对，含双方联系方式（仅结对双方与科技部门人员可见，否则为 null）")
def pairing(request: HttpRequest, pairing_id: int):
    found = get_for_user(_pairings(request.user), request.user, pairing_id)
    cards = services.contacts(found, request.user)
    contacts = None if cards is None else {side: asdict(card) for side, card in cards.items()}
    return {**_pairing(found), "contacts": contacts}
