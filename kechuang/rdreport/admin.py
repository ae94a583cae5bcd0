"""Django admin of R&D reporting settings for the city administrator: reporting deadlines by region."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import ScopedHistoryAdmin
from kechuang.rdreport.models import ReportingDeadline


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    """Deadlines of a year's reports (a county may have an earlier one than the city)."""

    list_display = ["year", "region", "deadline"]
    list_filter = ["year"]

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)
