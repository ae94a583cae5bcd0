"""Django admin of the registries for the city administrator."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import CityAdminOnly, ScopedHistoryAdmin, form_for_user
from kechuang.market.forms import AchievementForm, DemandForm, ExpertForm
from kechuang.market.models import Achievement, Demand, Expert, TechField


@admin.register(TechField)
class TechFieldAdmin(CityAdminOnly, admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_delete_permission = has_change_permission


class ScopedAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    """Registry admin through the pages' forms (patent, duplicate and scope checks), bound to the user."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = list(self.form._meta.fields) + ["status"]
        return form_for_user(super().get_form(request, obj, change, **kwargs), request.user)


@admin.register(Achievement)
class AchievementAdmin(ScopedAdmin):
    form = AchievementForm
    list_display = ["title", "kind", "owner", "trl", "status", "updated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "keywords", "patent_numbers"]
    raw_id_fields = ["owner", "inventors"]


@admin.register(Demand)
class DemandAdmin(ScopedAdmin):
    form = DemandForm
    list_display = ["title", "enterprise", "status", "deadline", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "keywords"]
    raw_id_fields = ["enterprise", "contact_shared_with"]


@admin.register(Expert)
class ExpertAdmin(ScopedAdmin):
    form = ExpertForm
    list_display = ["name", "organisation", "title", "available", "status"]
    list_filter = ["status", "available"]
    search_fields = ["name", "keywords"]
    raw_id_fields = ["organisation", "user"]
