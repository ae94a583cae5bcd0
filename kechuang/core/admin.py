"""Django admin for the city administrator; every queryset narrowed by the same access scope and
every organisation edited through the same form as the pages."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import CityAdminOnly, ScopedHistoryAdmin, form_for_user
from kechuang.core.forms import OrganisationForm
from kechuang.core.models import ApiToken, Contact, Organisation, Region, User


@admin.register(Region)
class RegionAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
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
class OrganisationAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "uscc", "industry_code", "region", "updated_at"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "uscc"]
    inlines = [ContactInline]
    form = OrganisationForm

    def get_queryset(self, request):
        return Organisation.objects.visible_to(request.user).select_related("region")

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The page's form, bound to the admin's scope (region choices, code normalisation)."""
        return form_for_user(super().get_form(request, obj, change, **kwargs), request.user)


@admin.register(User)
class UserAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "region", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    role_fields = ("角色与范围", {"fields": ("full_name", "role", "region", "organisation", "phone")})
    autocomplete_fields = ["organisation"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("username", "password1", "password2")}), self.role_fields)
        if request.user.is_superuser:
            return BaseUserAdmin.fieldsets + (self.role_fields,)
        # A city administrator manages accounts of its city, never privileges.
        return ((None, {"fields": ("username", "password")}), ("状态", {"fields": ("is_active", "is_staff")}),
                self.role_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = Region.objects.assignable_by(request.user)
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.visible_to(request.user, "change")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        region = request.user.region
        in_city = queryset.filter(region__path__startswith=region.path) | queryset.filter(
            organisation__region__path__startswith=region.path)
        return in_city.filter(is_superuser=False)


@admin.register(ApiToken)
class ApiTokenAdmin(CityAdminOnly, admin.ModelAdmin):
    """Tokens are issued with ``kechuang token`` (the key is shown once); here they are listed and revoked."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "user", "name", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
