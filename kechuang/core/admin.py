"""Django admin for the city administrator; every queryset narrowed by the same access scope."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import CityAdminOnly
from kechuang.core.models import ApiToken, Contact, Organisation, Region, User


@admin.register(Region)
class RegionAdmin(CityAdminOnly, SimpleHistoryAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_delete_permission = has_change_permission


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(CityAdminOnly, SimpleHistoryAdmin):
    list_display = ["name", "kind", "uscc", "industry_code", "region", "updated_at"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "uscc"]
    inlines = [ContactInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return Organisation.objects.visible_to(request.user).select_related("region")


@admin.register(User)
class UserAdmin(CityAdminOnly, SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "region", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = BaseUserAdmin.fieldsets + (("角色与范围", {"fields": ("full_name", "role", "region",
                                                                 "organisation", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("角色与范围", {"fields": ("full_name", "role", "region",
                                                                         "organisation")}),)
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        region = request.user.region
        return queryset.filter(region__path__startswith=region.path) | queryset.filter(
            organisation__region__path__startswith=region.path)


@admin.register(ApiToken)
class ApiTokenAdmin(CityAdminOnly, admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
