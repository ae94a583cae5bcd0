"""Statuses and kinds of the technology market, declared once."""

from __future__ import annotations

from django.db import models


class AchievementKind(models.TextChoices):
    PATENT = "patent", "专利"
    SOFTWARE = "software", "软件著作权"
    VARIETY = "variety", "植物新品种"
    PRODUCT = "product", "新产品/新工艺"
    PAPER = "paper", "论文"
    OTHER = "other", "其他"


class TransferMode(models.TextChoices):
    ASSIGNMENT = "assignment", "转让"
    LICENCE = "licence", "许可"
    EQUITY = "equity", "作价入股"
    JOINT_DEVELOPMENT = "joint_development", "合作开发"


class AchievementStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    NEGOTIATING = "negotiating", "洽谈中"
    TRANSFERRED = "transferred", "已转化"
    WITHDRAWN = "withdrawn", "已撤回"


class DemandStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    MATCHED = "matched", "已对接"
    CLOSED = "closed", "已关闭"


class ExpertStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已入库"
    WITHDRAWN = "withdrawn", "已退出"


class CooperationMode(models.TextChoices):
    TRANSFER = "transfer", "技术转让"
    LICENCE = "licence", "技术许可"
    JOINT_DEVELOPMENT = "joint_development", "合作开发"
    COMMISSIONED = "commissioned", "委托开发"
    CONSULTING = "consulting", "技术咨询/服务"
    OTHER = "other", "其他"


ACHIEVEMENT_PUBLIC = (AchievementStatus.PUBLISHED, AchievementStatus.NEGOTIATING, AchievementStatus.TRANSFERRED)
DEMAND_PUBLIC = (DemandStatus.PUBLISHED, DemandStatus.MATCHED)
EXPERT_PUBLIC = (ExpertStatus.PUBLISHED,)
