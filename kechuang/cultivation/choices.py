"""Choices of the cultivation models, derived from the engine's enums so that the two cannot drift.

Database values are the enum member names (``INVENTION_PATENT``), labels the engine's Chinese values
(「发明专利」); :func:`engine_value` turns a stored value back into the engine's enum member.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from django.db import models

from kechuang.engines.cultivation import (
    Acquisition,
    AwardLevel,
    IncidentKind,
    InstitutionLevel,
    IPKind,
    StandardKind,
    StandardLevel,
    StandardRole,
    TaxMode,
    TechField,
    Tier,
    Verdict,
)

_E = TypeVar("_E", bound=Enum)

def choices_of(enum: type[Enum]) -> list[tuple[str, str]]:
    """``[(member name, Chinese value)]`` of an engine enum, for a model field's ``choices``."""
    return [(member.name, str(member.value)) for member in enum]


def engine_value(enum: type[_E], stored: str | None) -> _E | None:
    """The engine enum member stored as ``stored`` (its name), or None for blank."""
    return enum[stored] if stored else None


TAX_MODES = choices_of(TaxMode)
TECH_FIELDS = choices_of(TechField)
IP_KINDS = choices_of(IPKind)
ACQUISITIONS = choices_of(Acquisition)
STANDARD_LEVELS = choices_of(StandardLevel)
STANDARD_KINDS = choices_of(StandardKind)
STANDARD_ROLES = choices_of(StandardRole)
AWARD_LEVELS = choices_of(AwardLevel)
INSTITUTION_LEVELS = choices_of(InstitutionLevel)
INCIDENT_KINDS = choices_of(IncidentKind)
TIERS = [(tier.value, tier.label_zh) for tier in Tier]
VERDICTS = [(Verdict.PASS.value, "符合"), (Verdict.FAIL.value, "不符合"), (Verdict.NEEDS_REVIEW.value, "待复核")]


class Pool(models.TextChoices):
    """The cultivation pool lists (培育库) of issue 6 §5."""

    TSME_CANDIDATES = "tsme", "科技型中小企业培育对象（符合条件未入库）"
    NEAR_HNTE = "near-hnte", "高新技术企业后备（差一项条件或得分区间可达 71 分）"
    HNTE_EXPIRING = "hnte-expiring", "高新技术企业证书 12 个月内到期"
    GAZELLE_CANDIDATES = "gazelle", "瞪羚企业培育对象"
