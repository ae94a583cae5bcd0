"""Statuses and kinds of the core app, declared once."""

from __future__ import annotations

from django.db import models

from kechuang.common.roles import ORGANISATION_ROLES, REGION_ROLES, Role

__all__ = ["ORGANISATION_ROLES", "REGION_ROLES", "Role"]  # roles live in common (access decides by them)


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    PARK = "park", "园区"


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校"
    RESEARCH_INSTITUTE = "research_institute", "科研院所"
    HOSPITAL = "hospital", "医疗卫生机构"
    OTHER = "other", "其他"


#: Organisation kinds a researcher can belong to.
INSTITUTION_KINDS = frozenset(
    {OrganisationKind.UNIVERSITY, OrganisationKind.RESEARCH_INSTITUTE, OrganisationKind.HOSPITAL}
)
