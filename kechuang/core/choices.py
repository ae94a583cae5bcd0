"""Statuses and kinds of the core app, declared once."""

from __future__ import annotations

from django.db import models


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


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市科技局管理员"
    COUNTY_OFFICER = "county_officer", "县（市、区）科技部门人员"
    STATISTICS_OFFICER = "statistics_officer", "统计人员"
    ENTERPRISE_USER = "enterprise_user", "企业用户"
    RESEARCHER = "researcher", "科研人员"
    EXPERT = "expert", "专家"


#: Roles bound to a region: they see the records of that region and everything below it.
REGION_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_OFFICER, Role.STATISTICS_OFFICER})
#: Roles bound to one organisation: they see that organisation's records only.
ORGANISATION_ROLES = frozenset({Role.ENTERPRISE_USER, Role.RESEARCHER, Role.EXPERT})
#: Organisation kinds a researcher can belong to.
INSTITUTION_KINDS = frozenset(
    {OrganisationKind.UNIVERSITY, OrganisationKind.RESEARCH_INSTITUTE, OrganisationKind.HOSPITAL}
)
