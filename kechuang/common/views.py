"""Base views: a scoped list page with search, filters, sorting, pagination and Excel export.

Every list starts from ``Model.objects.visible_to(user)``; subclasses declare the model, the filter
class (the same one the API uses) and the table of columns (the same one the export uses).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from kechuang.common.access import ScopedQuerySet, restricted_fields
from kechuang.common.export import xlsx_response
from kechuang.common.models import ScopedModel
from kechuang.common.tables import Table

PAGE_SIZES = (25, 50, 100)


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page links to show: the first, the last and ``around`` either side of ``current``; None marks a gap."""
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    result: list[int | None] = []
    for number in shown:
        if result and number - (result[-1] or 0) > 1:
            result.append(None)
        result.append(number)
    return result


class ScopedListView(LoginRequiredMixin, View):
    """A list page of the records the user may see.

    Query parameters: the filter class's fields, ``sort`` (a column key, ``-`` for descending),
    ``page``, ``per_page`` (25/50/100), ``export=xlsx`` (the whole filtered list as a workbook, in
    ``export_table``'s columns: what the page shows, by name), with ``layout=template`` the import
    template's layout (``template_table``: 「导出为导入模板」, re-importable). An htmx request gets only the
    results fragment.
    """

    model: ClassVar[type[ScopedModel]]
    filterset_class: ClassVar[Any]
    table: ClassVar[Table]
    export_table: ClassVar[Table | None] = None
    template_table: ClassVar[Table | None] = None
    title: str  # a list may name itself after its filter (set on the instance)
    export_name: str
    template_name = "common/list.html"
    results_template = "common/_results.html"
    create_url: ClassVar[str | None] = None

    def get_queryset(self) -> ScopedQuerySet:
        return self.model.objects.visible_to(self.request.user)

    def can_create(self) -> bool:
        return False

    def extra_links(self) -> list[tuple[str, str]]:
        """(label, url) buttons beside 新建, e.g. import and template download."""
        return []

    def sort(self, queryset: QuerySet[Any], key: str) -> tuple[QuerySet[Any], str]:
        sortable = {c.key for c in self.table.columns if c.sortable}
        name = key[1:] if key.startswith("-") else key
        if name in sortable:
            return queryset.order_by(key, "pk"), key
        return queryset, ""

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        # An invalid filter value shows its error and matches nothing (never "everything").
        filtered = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        queryset, sort = self.sort(filtered, request.GET.get("sort", ""))
        user = request.user
        if request.GET.get("export") == "xlsx":
            as_template = request.GET.get("layout") == "template" and self.template_table is not None
            table = self.template_table if as_template and self.template_table else self.export_table or self.table
            return xlsx_response(table, queryset.iterator(chunk_size=500),
                                 f"{self.export_name}-导入模板格式" if as_template else self.export_name,
                                 hide=lambda obj: restricted_fields(user, obj))
        try:
            per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
        except ValueError:
            per_page = PAGE_SIZES[0]
        per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
        page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        params.pop("layout", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        context = {
            "title": self.title,
            "filterset": filterset,
            "table": self.table,
            "page": page,
            "rows": [(obj, self.table.row(obj, restricted_fields(user, obj))) for obj in page.object_list],
            "querystring": params.urlencode(),
            "sort_querystring": sort_params.urlencode(),
            "sort": sort,
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "page_numbers": page_numbers(page.number, page.paginator.num_pages),
            "create_url": self.create_url if self.can_create() else None,
            "extra_links": self.extra_links(),
            "template_export": self.template_table is not None,
        }
        template = self.results_template if request.headers.get("HX-Request") else self.template_name
        return render(request, template, context)
