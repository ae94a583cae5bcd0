"""Django admin of tiered cultivation for the city administrator: read-only views of enterprises'
profiles, yearly figures, evaluations and regional re-evaluations, with their history, narrowed by the
access scope. Every change goes through the pages and the API (``cultivation/services.py``), which
re-evaluate what depends on it; the admin only looks."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import ReadOnly, ScopedAdmin, ScopedHistoryAdmin
from kechuang.cultivation.models import AnnualFigures, CultivationProfile, Evaluation, EvaluationRun


class _ScopedList:
    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user).select_related("enterprise")


@admin.register(CultivationProfile)
class CultivationProfileAdmin(ReadOnly, _ScopedList, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["enterprise", "updated_at"]
    search_fields = ["enterprise__name", "enterprise__uscc"]


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(ReadOnly, _ScopedList, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["enterprise", "year"]
    list_filter = ["year"]
    search_fields = ["enterprise__name", "enterprise__uscc"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly, _ScopedList, ScopedAdmin, admin.ModelAdmin):
    list_display = ["enterprise", "year", "highest_tier", "next_tier", "rule_version", "is_latest", "created_at"]
    list_filter = ["year", "highest_tier", "is_latest"]
    search_fields = ["enterprise__name", "enterprise__uscc"]


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnly, ScopedAdmin, admin.ModelAdmin):
    list_display = ["region", "year", "status", "done", "total", "skipped", "created_at", "finished_at"]
    list_filter = ["status", "year"]

    def get_queryset(self, request):
        return EvaluationRun.objects.visible_to(request.user).select_related("region")
