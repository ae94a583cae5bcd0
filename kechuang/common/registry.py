"""A registry declared once: the model, its page form, filterset, list and export tables, importer, API
schemas and Chinese label in one :class:`Registry`; from it come the pages (list with search, filters,
sorting and the Excel exports; detail with workflow buttons and history; create and edit; workflow
transitions; import; template download), their URL patterns (:meth:`Registry.urls`) and the CRUD API
(:func:`kechuang.common.api_crud.register_crud`).

URLs of a registry with ``key="demands"``, ``name="demand"`` in namespace ``market``::

    demands/                      market:demand-list      (?export=xlsx: the export; &layout=template: re-importable)
    demands/new/                  market:demand-create
    demands/<pk>/                 market:demand-detail
    demands/<pk>/edit/            market:demand-edit
    demands/<pk>/<transition>/    market:demand-transition (POST)
    demands/import/               market:import   (args: ["demands"])
    demands/template.xlsx         market:template (args: ["demands"])

Views are thin: access goes through ``visible_to`` / ``get_for_user`` / ``role_allows``
(:mod:`kechuang.common.access`), writes through the declared ``save`` and ``transition`` services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path, reverse
from django.views.decorators.http import require_POST

from kechuang.common.access import (
    ADD,
    CHANGE,
    ScopedQuerySet,
    can,
    get_for_user,
    may_import,
    restricted_fields,
    role_allows,
)
from kechuang.common.history import history_rows
from kechuang.common.import_views import NOT_STAFF, import_page
from kechuang.common.models import ScopedModel
from kechuang.common.tables import Table
from kechuang.common.templates_xlsx import template_download, template_table
from kechuang.common.views import ScopedListView
from kechuang.common.workflow import available_transitions, run_transition


@transaction.atomic
def save_form(form: Any) -> models.Model:
    """Save a validated model form in a transaction (the default ``save`` of a registry).

    Raises:
        ValueError: the form was not validated first.
    """
    if not form.is_valid():
        raise ValueError("save_form needs a valid form")
    saved: models.Model = form.save()
    return saved


@dataclass(frozen=True)
class RegistryApi:
    """The API face of a registry: ``out`` (response schema), ``payload`` (create/change schema, every
    field optional), ``convert(obj, hidden) -> dict`` (the record as ``out``, restricted fields None) and
    the API's ``form`` when it differs from the page's (e.g. money in yuan where the page shows 万元)."""

    out: type
    payload: type
    convert: Callable[[Any, set[str]], dict[str, Any]]
    form: Any = None


@dataclass(frozen=True)
class Registry:
    """One registry's declaration.

    Args:
        key: URL segment and API path (``"demands"``).
        name: singular URL-name prefix (``"demand"`` → ``demand-list``, ``demand-detail`` …).
        namespace: the app's URL namespace (``"market"``).
        label: Chinese name (「技术需求」): page titles, export file names.
        model: the model; its manager has ``visible_to(user)``.
        form: the page's model form (takes ``user=``).
        filterset: the django-filter class of the list page and the API list.
        table: the list page's columns; ``export_table`` the Excel export's (default ``table``).
        detail_template: the detail page's template (gets ``obj``, ``hidden``, ``history``,
            ``can_change``, ``transitions``, ``url_prefix`` and ``detail_context(obj, user)``).
        importer: the :class:`~kechuang.common.imports.Importer` class (None: no import, no template).
        make_importer: ``(user, preset key or None) -> (importer, column mapping)``; default the importer
            with no mapping. ``presets``: preset key → Chinese label offered on the import page.
        related: relations the list, API and detail select with the record.
        api: the :class:`RegistryApi` (None: no API).
        save: the service that saves a valid form (default :func:`save_form`).
        transition: the service ``(obj, name, user, comment)`` that runs a workflow step (default
            :func:`~kechuang.common.workflow.run_transition`).
    """

    key: str
    name: str
    namespace: str
    label: str
    model: type[ScopedModel]
    form: Any
    filterset: Any
    table: Table
    detail_template: str
    export_table: Table | None = None
    importer: Any = None
    make_importer: Callable[[Any, str | None], tuple[Any, dict[str, str]]] | None = None
    presets: dict[str, str] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    api: RegistryApi | None = None
    save: Callable[[Any], Any] = save_form
    transition: Callable[..., Any] = run_transition
    detail_context: Callable[[Any, Any], dict[str, Any]] | None = None
    form_template: str = "common/registry_form.html"
    import_template: str = "common/import.html"

    # ------------------------------------------------------------------------------------- pieces

    def queryset(self) -> ScopedQuerySet:
        """All records with the declared relations selected (callers narrow it with ``visible_to``)."""
        relations = ("region", *self.related)
        return self.model.objects.select_related(*relations)

    def url(self, view: str) -> str:
        """The URL name of one of the registry's views (``"list"`` → ``"market:demand-list"``)."""
        return f"{self.namespace}:{self.name}-{view}"

    @property
    def template_table(self) -> Table | None:
        """The import template's layout as an export table (「导出为导入模板」), when there is an importer."""
        return template_table(self.importer) if self.importer is not None else None

    def new_importer(self, user: Any, preset: str | None = None) -> tuple[Any, dict[str, str]]:
        """The importer for ``user`` (and ``preset``) and the preset's column mapping."""
        if self.make_importer is not None:
            return self.make_importer(user, preset)
        return self.importer(user), {}

    # ------------------------------------------------------------------------------------- views

    def list_view(self) -> Callable[..., HttpResponseBase]:
        """The list page (search, filters, sorting, pages, ``?export=xlsx``) as a view function."""
        registry = self

        class RegistryListView(ScopedListView):
            model = registry.model
            filterset_class = registry.filterset
            table = registry.table
            export_table = registry.export_table
            template_table = registry.template_table
            title = export_name = registry.label
            create_url = registry.url("create")

            def get_queryset(self) -> ScopedQuerySet:
                return registry.queryset().visible_to(self.request.user)

            def can_create(self) -> bool:
                return role_allows(self.request.user, registry.model, ADD)

            def extra_links(self) -> list[tuple[str, str]]:
                if registry.importer is None:
                    return []
                links = [("下载导入模板", reverse(f"{registry.namespace}:template", args=[registry.key]))]
                if may_import(self.request.user):
                    links.insert(0, ("批量导入", reverse(f"{registry.namespace}:import", args=[registry.key])))
                return links

        RegistryListView.__name__ = RegistryListView.__qualname__ = f"{self.model.__name__}ListView"
        return RegistryListView.as_view()

    def detail(self, request: HttpRequest, pk: int, **_: Any) -> HttpResponse:
        """The detail page: fields (restricted ones hidden), workflow buttons, history."""
        obj = get_for_user(self.queryset(), request.user, pk)
        hidden = restricted_fields(request.user, obj)
        return render(request, self.detail_template, {
            "obj": obj,
            "registry": self,
            "hidden": hidden,
            "history": history_rows(obj, hidden=hidden, viewer=request.user),
            "can_change": can(request.user, CHANGE, obj),
            "transitions": available_transitions(obj, request.user),
            "url_prefix": f"{self.namespace}:{self.name}",
            **(self.detail_context(obj, request.user) if self.detail_context else {}),
        })

    def _edit(self, request: HttpRequest, obj: Any | None) -> HttpResponse:
        form = self.form(request.POST or None, instance=obj, user=request.user)
        if request.method == "POST" and form.is_valid():
            saved = self.save(form)
            messages.success(request, f"已保存“{saved}”")
            return redirect(saved)
        if request.method == "POST":
            messages.error(request, "保存失败，请按提示修改后重试")
        return render(request, self.form_template, {"form": form, "obj": obj, "registry": self,
                                                    "list_url": self.url("list")})

    def create(self, request: HttpRequest, **_: Any) -> HttpResponse:
        """The create page (users whose role may add records of the model)."""
        if not role_allows(request.user, self.model, ADD):
            raise PermissionDenied("无权新建")
        return self._edit(request, None)

    def edit(self, request: HttpRequest, pk: int, **_: Any) -> HttpResponse:
        """The edit page (users who may change this record)."""
        return self._edit(request, get_for_user(self.model, request.user, pk, CHANGE))

    def run_transition(self, request: HttpRequest, pk: int, name: str, **_: Any) -> HttpResponse:
        """POST: run workflow step ``name`` with the form's ``comment``; back to the record with a message."""
        obj = get_for_user(self.model, request.user, pk)
        try:
            self.transition(obj, name, request.user, request.POST.get("comment", "").strip()[:500])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"“{obj}”状态已变为“{obj.get_status_display()}”")
        return redirect(obj)

    def import_file(self, request: HttpRequest, **_: Any) -> HttpResponse:
        """The import page (:func:`~kechuang.common.import_views.import_page`), with the registry's presets."""
        if not may_import(request.user):
            raise PermissionDenied(NOT_STAFF)

        def run(upload: Any, data: dict[str, Any]) -> Any:
            importer, mapping = self.new_importer(request.user, data.get("preset") or None)
            mapping.update(data["mapping"])
            return importer.run(upload, upload.name, valid_only=data["valid_only"], mapping=mapping)

        return import_page(request, run, self.import_template, form_kwargs={"presets": self.presets},
                           context={"registry": self, "title": f"批量导入{self.label}",
                                    "template_url": reverse(f"{self.namespace}:template", args=[self.key])})

    def template(self, request: HttpRequest, **_: Any) -> HttpResponse:
        """The import template download (「<importer label>导入模板.xlsx」)."""
        return template_download(self.importer)

    # ------------------------------------------------------------------------------------- URLs

    def urls(self) -> list[URLPattern]:
        """The URL patterns of the registry's pages (see the module docstring). An app adds its own
        record-level actions (``<key>/<pk>/<action>/``) before these, since the transition pattern
        takes any name."""
        key, name = self.key, self.name
        patterns = [
            path(f"{key}/", self.list_view(), name=f"{name}-list"),
            path(f"{key}/new/", login_required(self.create), name=f"{name}-create"),
        ]
        if self.importer is not None:
            # One URL name for every registry of the app, told apart by the key: reverse("market:import", args=[key]).
            patterns += [
                re_path(rf"^(?P<registry>{key})/import/$", login_required(self.import_file), name="import"),
                re_path(rf"^(?P<registry>{key})/template\.xlsx$", login_required(self.template), name="template"),
            ]
        patterns += [
            path(f"{key}/<int:pk>/", login_required(self.detail), name=f"{name}-detail"),
            path(f"{key}/<int:pk>/edit/", login_required(self.edit), name=f"{name}-edit"),
            path(f"{key}/<int:pk>/<str:name>/", login_required(require_POST(self.run_transition)),
                 name=f"{name}-transition"),
        ]
        return patterns
