"""States of an R&D report on its way from the enterprise to the statistics bureau (三级联动)."""

from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送，待县级预审"
    COUNTY_REVIEWED = "county_reviewed", "县级已预审，待市级审核"
    CITY_REVIEWED = "city_reviewed", "市级已审核，待报送统计部门"
    DELIVERED = "delivered", "已报送统计部门"
    RETURNED = "returned", "已退回修改"


#: States in which the enterprise may still change its report.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
#: States waiting for a reviewer.
WAITING = (ReportStatus.SUBMITTED, ReportStatus.COUNTY_REVIEWED, ReportStatus.CITY_REVIEWED)
