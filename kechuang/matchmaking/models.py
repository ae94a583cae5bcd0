"""Matchmaking records (对接记录): a demand put in contact with an achievement, an expert or an
institution, followed from recommendation to signature or drop."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition

from kechuang.common.access import AccessScope, Actions, is_staff_of
from kechuang.common.models import HistoricScopedModel
from kechuang.core.models import Organisation, Region, User
from kechuang.market.models import Achievement, Demand, Expert
from kechuang.matchmaking.choices import MatchStatus


def _staff(instance, user) -> bool:
    return is_staff_of(user, instance)


class MatchRecord(HistoricScopedModel):
    """One demand–counterpart pair the bureau works on. Exactly one counterpart is set."""

    demand = models.ForeignKey(Demand, verbose_name="技术需求", on_delete=models.CASCADE, related_name="matches")
    achievement = models.ForeignKey(Achievement, verbose_name="科技成果", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="matches")
    expert = models.ForeignKey(Expert, verbose_name="专家", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="matches")
    organisation = models.ForeignKey(Organisation, verbose_name="对接单位", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="matches")
    region = models.ForeignKey(Region, verbose_name="需求所在区域", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField("匹配得分", null=True, blank=True)
    explanation = models.TextField("匹配说明", blank=True)
    status = FSMField("状态", max_length=16, choices=MatchStatus.choices, default=MatchStatus.RECOMMENDED)
    drop_reason = models.CharField("终止原因", max_length=500, blank=True)
    created_by = models.ForeignKey(User, verbose_name="推荐人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = AccessScope(
        region="region", organisation="demand__enterprise", actions=Actions.OWNER_READS,
    )

    class Meta:
        verbose_name = verbose_name_plural = "对接记录"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(achievement__isnull=False, expert__isnull=True, organisation__isnull=True)
                           | Q(achievement__isnull=True, expert__isnull=False, organisation__isnull=True)
                           | Q(achievement__isnull=True, expert__isnull=True, organisation__isnull=False)),
                name="match_exactly_one_counterpart", violation_error_message="对接对象须且只能有一个"),
            models.UniqueConstraint(fields=["demand", "achievement"], name="match_unique_achievement",
                                    condition=Q(achievement__isnull=False)),
            models.UniqueConstraint(fields=["demand", "expert"], name="match_unique_expert",
                                    condition=Q(expert__isnull=False)),
            models.UniqueConstraint(fields=["demand", "organisation"], name="match_unique_organisation",
                                    condition=Q(organisation__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.demand} ↔ {self.counterpart}"

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:record-list") + f"?demand={self.demand_id}"

    @property
    def counterpart(self):
        return self.achievement or self.expert or self.organisation

    @property
    def counterpart_organisation(self) -> Organisation | None:
        """The organisation on the other side (an achievement's owner, an expert's unit)."""
        if self.achievement_id and self.achievement is not None:
            return self.achievement.owner
        if self.expert_id and self.expert is not None:
            return self.expert.organisation
        return self.organisation

    @transition(status, source=MatchStatus.RECOMMENDED, target=MatchStatus.CONTACTED, permission=_staff)
    def contact(self) -> None:
        """已联系双方"""
        # Putting the parties in contact lets the other side see the demand's contact details.
        other = self.counterpart_organisation
        if other is not None:
            self.demand.contact_shared_with.add(other)

    @transition(status, source=MatchStatus.CONTACTED, target=MatchStatus.NEGOTIATING, permission=_staff)
    def negotiate(self) -> None:
        """进入洽谈"""

    @transition(status, source=MatchStatus.NEGOTIATING, target=MatchStatus.SIGNED, permission=_staff)
    def sign(self) -> None:
        """已签约"""

    @transition(status, source=[MatchStatus.RECOMMENDED, MatchStatus.CONTACTED, MatchStatus.NEGOTIATING],
                target=MatchStatus.DROPPED, permission=_staff)
    def drop(self) -> None:
        """终止对接"""


