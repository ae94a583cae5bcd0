"""Admin machinery: pages for the city administrator only, narrowed by the access scope."""

from __future__ import annotations

from kechuang.core.choices import Role


def _is_city_admin(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and (user.is_superuser or user.role == Role.CITY_ADMIN)


class CityAdminOnly:
    """Admin pages are for the city administrator (and superusers) only."""

    def has_module_permission(self, request):
        return _is_city_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_city_admin(request)

    def has_add_permission(self, request, obj=None):
        return _is_city_admin(request)

    def has_change_permission(self, request, obj=None):
        return _is_city_admin(request)

    def has_delete_permission(self, request, obj=None):
        return _is_city_admin(request)
