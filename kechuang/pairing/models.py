"""Pairing campaigns (科技博士进企业): experts paired with enterprises by fit, free of conflicts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from kechuang.common.access import ADD, CHANGE, DELETE, VIEW, AccessScope, ScopedQuerySet, is_staff_of
from kechuang.core.choices import Role
from kechuang.core.models import Organisation, Region, User
from kechuang.market.models import Expert


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    COMPUTED = "computed", "已生成方案"
    PUBLISHED = "published", "已发布"


def _staff(instance, user) -> bool:
    return is_staff_of(user, instance)


STAFF_ONLY = {Role.CITY_ADMIN: frozenset({VIEW, ADD, CHANGE, DELETE}), Role.COUNTY_OFFICER: frozenset({VIEW, ADD, CHANGE}),
              Role.STATISTICS_OFFICER: frozenset({VIEW})}


class PairingCampaign(models.Model):
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
                                         limit_choices_to={"kind": "enterprise"})
    status = FSMField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    total_affinity = models.FloatField("总匹配度", null=True, blank=True)
    created_by = models.ForeignKey(User, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    access_scope = AccessScope(region="region", organisation=None, actions=STAFF_ONLY)

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

    @transition(status, source=CampaignStatus.COMPUTED, target=CampaignStatus.PUBLISHED, permission=_staff)
    def publish(self) -> None:
        """发布结对结果"""


class Pairing(models.Model):
    """One expert paired with one enterprise in a campaign, with the fit that chose it."""

    campaign = models.ForeignKey(PairingCampaign, verbose_name="结对活动", on_delete=models.CASCADE,
                                 related_name="pairings")
    enterprise = models.ForeignKey(Organisation, verbose_name="企业", on_delete=models.CASCADE, related_name="pairings")
    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.CASCADE, related_name="pairings")
    affinity = models.FloatField("匹配度", default=0.0)
    matched_terms = models.CharField("命中词", max_length=500, blank=True)
    manual = models.BooleanField("人工调整", default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    access_scope = AccessScope(
        region="campaign__region", organisation="enterprise", user="expert__user",
        actions={**STAFF_ONLY, Role.ENTERPRISE_USER: frozenset({VIEW}), Role.EXPERT: frozenset({VIEW})},
        owner_visible=Q(campaign__status=CampaignStatus.PUBLISHED),
    )

    class Meta:
        verbose_name = verbose_name_plural = "结对"
        ordering = ["enterprise__name", "-affinity"]
        constraints = [models.UniqueConstraint(fields=["campaign", "enterprise", "expert"],
                                               name="pairing_unique_pair", violation_error_message="该专家已与该企业结对")]

    def __str__(self) -> str:
        return f"{self.expert} → {self.enterprise}"
