"""The API's shared pieces for a registry: the ``422`` answer of a form or filter that did not validate
(:func:`invalid`, the one place form errors become ``{"errors": {field: [messages]}}``), and the CRUD
endpoints a :class:`~kechuang.common.registry.Registry` declaration gives (:func:`register_crud`): list
(the page's filters, paged), detail, create, partial change and workflow transitions. Restricted fields
come back as null (the declaration's ``convert`` blanks them); access as on the pages
(:mod:`kechuang.common.access`).
"""

# No ``from __future__ import annotations`` here: django-ninja reads the endpoints' annotations
# (``data: payload``) at runtime, and the schemas are local variables.
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from kechuang.common.access import ADD, CHANGE, ScopedQuerySet, get_for_user, restricted_fields, role_allows
from kechuang.common.api_pages import page_of

if TYPE_CHECKING:
    from kechuang.common.registry import Registry


class Errors(Schema):
    """The body of a 422 answer: field name (``__all__`` for the whole record) → Chinese messages."""

    errors: dict[str, list[str]]


class TransitionIn(Schema):
    """The body of a workflow transition: an optional comment (kept in the record's history)."""

    comment: str = ""


def form_errors(form: Any, rename: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """``{field: [message]}`` of a form or filterset that did not validate; ``rename`` maps a form field to
    the name the API uses for it (``region`` → ``region_id``)."""
    names = rename or {}
    return {names.get(k, k): [str(m) for m in v] for k, v in form.errors.items()}


def invalid(form: Any, rename: Mapping[str, str] | None = None) -> Status[Any]:
    """The ``422 {"errors": …}`` answer of a form or filterset that did not validate (:func:`form_errors`)."""
    return Status(422, {"errors": form_errors(form, rename)})


def form_data(form_class: Any, payload: Schema, instance: Any, user: Any = None,
              owner_fields: tuple[str, ...] = ("owner", "enterprise", "organisation")) -> dict[str, Any]:
    """Form data for a create (model defaults, the user's own organisation in the first of
    ``owner_fields`` the form has) or a partial change (the record's current values) with the payload's
    given fields on top (``None`` → blank)."""
    data: dict[str, Any] = {}
    if instance is None:
        for name in form_class._meta.fields:
            field = form_class._meta.model._meta.get_field(name)
            if field.has_default() and not callable(field.default) and not field.many_to_many:
                data[name] = field.default
        if user is not None and user.organisation_id:
            for name in owner_fields:
                if name in form_class._meta.fields:
                    data[name] = user.organisation_id
    else:
        initial = form_class(instance=instance).initial
        for name in form_class._meta.fields:
            value = initial.get(name)
            data[name] = "" if value is None else value
    for name, value in payload.dict(exclude_unset=True).items():
        data[name] = "" if value is None else value
    return data


def register_crud(router: Router, registry: "Registry") -> None:
    """Add the five endpoints of ``registry`` (which must declare ``api``) to ``router`` under
    ``/<registry.key>``: ``GET`` list (``page``, ``page_size`` and the filterset's parameters; 422 for an
    invalid filter value), ``GET /{id}``, ``POST`` (201), ``PATCH /{id}`` (only the given fields change)
    and ``POST /{id}/transitions/{name}``. Writes go through the registry's ``save`` and ``transition``
    services; the form is ``registry.api.form`` (money in yuan) or the page form."""
    api = registry.api
    if api is None:
        raise ValueError(f"registry {registry.key} declares no API schemas")
    model, out, payload, convert = registry.model, api.out, api.payload, api.convert
    form_class = api.form or registry.form
    name, noun, path = model._meta.model_name, model._meta.verbose_name, registry.key

    def queryset() -> ScopedQuerySet:
        return registry.queryset()

    def shown(request: HttpRequest, obj: Any) -> dict[str, Any]:
        return convert(obj, restricted_fields(request.user, obj))

    page_schema = type(f"{out.__name__}Page", (Schema,), {"__annotations__": {"items": list[out], "count": int}})  # type: ignore[valid-type]  # schema given at run time

    @router.get(f"/{path}", response={200: page_schema, 422: Errors}, summary=f"{noun}列表",
                operation_id=f"list_{name}")
    def list_records(request: HttpRequest, page: int = 1, page_size: int = 50) -> Any:
        filterset = registry.filterset(request.GET, queryset=queryset().visible_to(request.user), request=request)
        if not filterset.is_valid():
            return invalid(filterset)
        return page_of(filterset.qs, page, page_size, lambda obj: shown(request, obj))

    @router.get(f"/{path}/{{record_id}}", response=out, summary=f"{noun}详情", operation_id=f"get_{name}")
    def get_record(request: HttpRequest, record_id: int) -> Any:
        return shown(request, get_for_user(queryset(), request.user, record_id))

    @router.post(f"/{path}", response={201: out, 422: Errors}, summary=f"新建{noun}", operation_id=f"create_{name}")
    def create_record(request: HttpRequest, data: payload) -> Any:  # type: ignore[valid-type]  # schema given at run time
        if not role_allows(request.user, model, ADD):
            raise PermissionDenied("无权新建")
        form = form_class(data=form_data(form_class, data, None, request.user), user=request.user)
        if not form.is_valid():
            return invalid(form)
        return Status(201, shown(request, registry.save(form)))

    @router.patch(f"/{path}/{{record_id}}", response={200: out, 422: Errors}, summary=f"修改{noun}",
                  operation_id=f"update_{name}")
    def update_record(request: HttpRequest, record_id: int, data: payload) -> Any:  # type: ignore[valid-type]  # schema given at run time
        obj = get_for_user(queryset(), request.user, record_id, CHANGE)
        form = form_class(data=form_data(form_class, data, obj), instance=obj, user=request.user)
        if not form.is_valid():
            return invalid(form)
        return Status(200, shown(request, registry.save(form)))

    @router.post(f"/{path}/{{record_id}}/transitions/{{transition}}", response={200: out, 422: Errors},
                 summary=f"{noun}状态流转（submit/publish/return_to_draft/withdraw …）",
                 operation_id=f"transition_{name}")
    def transition(request: HttpRequest, record_id: int, transition: str, data: TransitionIn) -> Any:
        obj = get_for_user(queryset(), request.user, record_id)
        try:
            registry.transition(obj, transition, request.user, data.comment)
        except ValidationError as exc:
            return Status(422, {"errors": {"__all__": exc.messages}})
        return shown(request, obj)
