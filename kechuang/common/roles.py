"""The roles of the platform's users, and which roles are bound to a region or to one organisation.

They live in ``common`` because access (``kechuang/common/access.py``), the admin guard and the
access-test cast decide by role, and ``common`` imports no app; ``kechuang.core.choices`` re-exports
them for the apps (``User.role`` takes its choices from :class:`Role`).
"""

from __future__ import annotations

from django.db import models


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
