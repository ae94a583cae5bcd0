"""Pairing campaigns (科技博士进企业): experts paired with enterprises by fit, free of conflicts."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition

from kechuang.common.access import (
    ADD,
    VIEW,
    AccessScope,
    Actions,
    can,
    is_region_staff,
    is_staff_of,
)
from kechuang.common.models import HistoricScopedModel, ScopedModel
from kechuang.core.choices import OrganisationKind, Role
from kechuang.core.models import Organisation, Region, User
from kechuang.market.models import Expert
from kechuang.pairing.choices import CampaignStatus, Response, Side

__all__ = ["CampaignStatus", "PairScore", "Pairing", "PairingCampaign", "ServiceVisit"]


def _staff(instance, user) -> bool:
    return is_staff_of(user, instance)


#: The contact details of a pair (the enterprise's contact person and phone, the expert's phone and
#: e-mail): not columns of the pairing but shown with it, restricted by :func:`may_see_contacts`.
CONTACT_FIELDS = ("enterprise_contact", "expert_contact")


def side_of(user: Any, pairing: Pairing) -> str | None:
    """Which side of ``pairing`` the user is: ``Side.ENTERPRISE`` (a user of the paired enterprise),
    ``Side.EXPERT`` (the account of the paired expert), or None."""
    if getattr(user, "pk", None) is None:
        return None
    if user.role == Role.EXPERT and pairing.expert.user_id == user.pk:
        return Side.EXPERT
    if user.role == Role.ENTERPRISE_USER and user.organisation_id == pairing.enterprise_id:
        return Side.ENTERPRISE
    return None


def may_see_contacts(user: Any, pairing: Pairing) -> bool:
    """The two sides of the pair (once the campaign is published, as for the pairing itself) and the
    bureau staff over the campaign's region see each other's contact details; nobody else does."""
    if side_of(user, pairing) is not None:
        return pairing.campaign.status == CampaignStatus.PUBLISHED
    return is_region_staff(user) and can(user, VIEW, pairing.campaign)


class PairingCampaign(HistoricScopedModel):
    """A campaign: the experts and enterprises taking part, how many experts each enterprise gets, and
    the rules for conflicts of interest. Each expert takes at most their ``max_load`` enterprises."""

    name = models.CharField("活动名称", max_length=100)
    region = models.ForeignKey(Region, verbose_name="组织区域", on_delete=models.PROTECT, related_name="+")
    experts_per_enterprise = models.PositiveSmallIntegerField("每家企业配备专家数", default=1)
    max_per_expert = models.PositiveSmallIntegerField(
        "每名专家至多结对企业数", null=True, blank=True,
        help_text="留空则按各专家本人的“同时服务上限”；填 1 即一对一结对")
    same_county_conflict = models.BooleanField("同一县（市、区）回避", default=False)
    fair = models.BooleanField("兼顾公平（先提高最低匹配度）", default=False)
    experts = models.ManyToManyField(Expert, verbose_name="参与专家", related_name="campaigns")
    enterprises = models.ManyToManyField(Organisation, verbose_name="参与企业", related_name="campaigns",
                                         limit_choices_to={"kind": OrganisationKind.ENTERPRISE})
    status = FSMField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    total_affinity = models.FloatField("总匹配度", null=True, blank=True)
    computed_affinity = models.FloatField("方案计算总匹配度", null=True, blank=True,
                                          help_text="生成方案时的总匹配度；人工改派按同一匹配度矩阵计分，不兼顾公平时改派后不会超过它")
    created_by = models.ForeignKey(User, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = AccessScope(region="region", actions=Actions.STAFF_ONLY)

    class Meta:
        verbose_name = verbose_name_plural = "结对活动"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pairing:campaign-detail", args=[self.pk])

    @transition(status, source=[CampaignStatus.DRAFT, CampaignStatus.COMPUTED], target=CampaignStatus.COMPUTED,
                permission=_staff)
    def mark_computed(self) -> None:
        """生成结对方案"""

    @transition(status, source=CampaignStatus.COMPUTED, target=CampaignStatus.DRAFT, permission=_staff)
    def reopen(self) -> None:
        """调整参与名单"""

    @transition(status, source=CampaignStatus.COMPUTED, target=CampaignStatus.PUBLISHED, permission=_staff)
    def publish(self) -> None:
        """发布结对结果"""

    @transition(status, source=CampaignStatus.PUBLISHED, target=CampaignStatus.COMPUTED, permission=_staff)
    def withdraw(self) -> None:
        """撤回发布"""


class PairScore(ScopedModel):
    """One cell of the affinity matrix a campaign's plan was computed from: the matching engine's fused
    score (float in [0, 1], 0 when nothing matches) of the expert's profile for the enterprise's, scored
    against all experts of the campaign at once. Hand changes are scored from these cells, so the
    computed plan and a changed plan are on one scale."""

    campaign = models.ForeignKey(PairingCampaign, verbose_name="结对活动", on_delete=models.CASCADE,
                                 related_name="scores")
    enterprise = models.ForeignKey(Organisation, verbose_name="企业", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE, related_name="+")
    affinity = models.FloatField("匹配度", default=0.0)
    matched_terms = models.CharField("命中词", max_length=500, blank=True)

    access_scope = AccessScope(region="campaign__region", actions=Actions.STAFF_ONLY)

    class Meta:
        verbose_name = verbose_name_plural = "匹配度矩阵"
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise", "expert"],
                                               name="pairscore_unique_cell")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}×{self.expert_id}: {self.affinity:.3f}"


class Pairing(HistoricScopedModel):
    """One expert paired with one enterprise in a campaign, with the fit that chose it."""

    campaign = models.ForeignKey(PairingCampaign, verbose_name="结对活动", on_delete=models.CASCADE,
                                 related_name="pairings")
    enterprise = models.ForeignKey(Organisation, verbose_name="企业", on_delete=models.CASCADE, related_name="pairings")
    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE, related_name="pairings")
    affinity = models.FloatField("匹配度", default=0.0)
    matched_terms = models.CharField("命中词", max_length=500, blank=True)
    manual = models.BooleanField("人工调整", default=False)
    enterprise_response = models.CharField("企业确认", max_length=16, choices=Response.choices,
                                           default=Response.PENDING)
    enterprise_reason = models.CharField("企业婉拒理由", max_length=500, blank=True)
    expert_response = models.CharField("专家确认", max_length=16, choices=Response.choices, default=Response.PENDING)
    expert_reason = models.CharField("专家婉拒理由", max_length=500, blank=True)

    access_scope = AccessScope(
        region="campaign__region", organisation="enterprise", user="expert__user",
        actions=Actions.extend(Actions.OWNER_READS, expert=Actions.READ),
        owner_visible=Q(campaign__status=CampaignStatus.PUBLISHED),
        restricted={"contacts": (CONTACT_FIELDS, may_see_contacts)},
    )

    class Meta:
        verbose_name = verbose_name_plural = "结对"
        ordering = ["enterprise__name", "-affinity"]
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise", "expert"],
                                               name="pairing_unique_pair", violation_error_message="该专家已与该企业结对")]

    def __str__(self) -> str:
        return f"{self.expert} → {self.enterprise}"


class ServiceVisit(HistoricScopedModel):
    """A service visit of a published pair (走访服务记录): when and where, the enterprise's problem and
    what came of it. Either side records it; staff over the campaign's region see all of a campaign's."""

    pairing = models.ForeignKey(Pairing, verbose_name="结对", on_delete=models.CASCADE, related_name="visits")
    visit_date = models.DateField("服务日期")
    place = models.CharField("服务地点", max_length=200)
    problem = models.TextField("企业问题", max_length=2000)
    result = models.TextField("服务成效", max_length=2000)
    recorded_by = models.ForeignKey(User, verbose_name="记录人", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    access_scope = AccessScope(
        region="pairing__campaign__region", organisation="pairing__enterprise", user="pairing__expert__user",
        actions=Actions.extend(Actions.STAFF_ONLY, enterprise_user={VIEW, ADD}, expert={VIEW, ADD}),
        owner_visible=Q(pairing__campaign__status=CampaignStatus.PUBLISHED),
    )

    class Meta:
        verbose_name = verbose_name_plural = "服务记录"
        ordering = ["-visit_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.visit_date:%Y-%m-%d} {self.place}"
