"""Statuses and kinds of the pairing app, declared once."""

from __future__ import annotations

from django.db import models


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    COMPUTED = "computed", "已生成方案"
    PUBLISHED = "published", "已发布"


class Response(models.TextChoices):
    """One side's answer to its published pairing."""

    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "已婉拒"


class Side(models.TextChoices):
    """The two sides of a pair."""

    ENTERPRISE = "enterprise", "企业"
    EXPERT = "expert", "专家"


class ParticipantKind(models.TextChoices):
    """Who takes part in a campaign, as chosen on the participants page."""

    ENTERPRISES = "enterprises", "企业"
    EXPERTS = "experts", "专家"
