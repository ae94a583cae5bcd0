"""Django admin for the city administrator; every queryset narrowed by the same access scope and
every organisation edited through the same form as the pages."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as BaseAccessFailureLogAdmin
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset as reset_login_failures
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q, QuerySet
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import ScopedAdmin, ScopedHistoryAdmin, form_for_user
from kechuang.core.forms import OrganisationForm
from kechuang.core.models import ApiToken, Contact, Organisation, Region, User


def users_in_scope(user, queryset: QuerySet | None = None) -> QuerySet:
    """The accounts an administrator manages: every account for a superuser; for a city administrator
    the accounts bound to a region of its city or to an organisation there, never a superuser."""
    queryset = User.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    if user.region_id is None:
        return queryset.none()
    path = user.region.path
    in_city = queryset.filter(Q(region__path__startswith=path) | Q(organisation__region__path__startswith=path))
    return in_city.filter(is_superuser=False)


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
    actions = ["unlock_logins"]

    @admin.action(description="解除登录锁定（清除所选账号的登录失败记录）")
    def unlock_logins(self, request, queryset):
        """Lift the login lockout of the selected accounts (django-axes attempts by username)."""
        names = list(queryset.values_list("username", flat=True))
        for name in names:
            reset_login_failures(username=name)
        self.message_user(request, f"已解除 {len(names)} 个账号的登录锁定", messages.SUCCESS)

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
        return users_in_scope(request.user, super().get_queryset(request))


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin, admin.ModelAdmin):
    """Tokens are issued with ``kechuang token`` (the key is shown once); here they are listed and revoked:
    only the tokens of the accounts the administrator manages (outside: 404)."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "user", "name", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            user__in=users_in_scope(request.user)).select_related("user")


def _failures_in_scope(request, queryset: QuerySet) -> QuerySet:
    """Login failures of the accounts the administrator manages, and of names that are no account
    (guesses, which lock the address out); never those of accounts outside its scope."""
    if request.user.is_superuser:
        return queryset
    managed = users_in_scope(request.user).values("username")
    unknown = ~Q(username__in=User.objects.values("username"))
    return queryset.filter(Q(username__in=managed) | unknown | Q(username__isnull=True))


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ScopedAdmin, BaseAccessAttemptAdmin):
    """Login failures by account and address (django-axes); deleting one lifts its lockout."""

    def get_queryset(self, request):
        return _failures_in_scope(request, super().get_queryset(request))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ScopedAdmin, BaseAccessFailureLogAdmin):
    """Every failed login, kept as a record (read-only)."""

    def get_queryset(self, request):
        return _failures_in_scope(request, super().get_queryset(request))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
