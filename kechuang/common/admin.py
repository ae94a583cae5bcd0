"""Admin machinery: pages for the city administrator only, narrowed by the access scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

from kechuang.common.roles import Role

if TYPE_CHECKING:
    from django.contrib import admin

    class _AdminBase(admin.ModelAdmin[Any]):
        """What these mixins find on the admin classes they are mixed into (``ModelAdmin``, and
        simple_history's ``SimpleHistoryAdmin`` for the history form)."""

        def history_form_view(
            self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
        ) -> HttpResponse: ...
else:
    _AdminBase = object


def _is_city_admin(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_staff and (user.is_superuser or user.role == Role.CITY_ADMIN))


class CityAdminOnly(_AdminBase):
    """Admin pages are for the city administrator (and superusers) only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_city_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_city_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_city_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_city_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_city_admin(request)


class ScopedAdmin(CityAdminOnly):
    """Admin pages of one record (change, delete, history) answer 404 for records outside the admin's
    queryset (``get_queryset``, narrowed by the access scope), exactly as a page or the API does —
    not Django's redirect "does not exist" that still tells the id exists elsewhere."""

    def _in_scope(self, request: HttpRequest, object_id: str) -> None:
        from django.http import Http404

        try:
            found = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError):
            found = False
        if not found:
            raise Http404("记录不存在或无权访问")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        self._in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)


class ScopedHistoryAdmin(ScopedAdmin):
    """History pages that answer 404 for records outside the admin's queryset; reverting to an old
    version is switched off (SIMPLE_HISTORY_REVERT_DISABLED), so history is read-only."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def form_for_user(form_class: type[Any], user: Any) -> type[Any]:
    """The admin's form class bound to the acting user, so the pages' forms (which take ``user=`` for
    their choices and checks) work unchanged in the admin."""

    class BoundForm(form_class):  # type: ignore[misc]  # a subclass of the form class given at run time
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("user", user)
            super().__init__(*args, **kwargs)

    return BoundForm


class ReadOnly:
    """Admin mixin: view and history only, no add, change or delete — for records whose every change goes
    through the app's services (they check the workflow, re-derive what depends on it and keep history)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
