"""REST endpoints of the registries: list (same filters as the pages), detail, create, change and
workflow transitions. Restricted fields (a demand's contact details, an expert's personal data) come
back as null to users who may not see them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from kechuang.common.access import ADD, CHANGE, get_for_user, restricted_fields, role_allows
from kechuang.common.api_pages import page_of
from kechuang.market.filters import AchievementFilter, DemandFilter, ExpertFilter
from kechuang.market.forms import AchievementForm, DemandForm, ExpertForm, in_yuan
from kechuang.market.models import Achievement, Demand, Expert
from kechuang.market.services import save_record, transition_record

router = Router(tags=["技术市场"])


class Errors(Schema):
    errors: dict[str, list[str]]


class TransitionIn(Schema):
    comment: str = ""


class AchievementOut(Schema):
    id: int
    title: str
    summary: str
    keywords: list[str]
    field_code: str | None
    discipline: str
    trl: int | None
    kind: str
    patent_numbers: list[str]
    owner_id: int
    owner_name: str
    inventor_names: str
    transfer_modes: list[str]
    asking_price: Decimal | None = Field(description="转让价格，单位：元")
    price_negotiable: bool
    region_id: int
    status: str
    source: str
    updated_at: datetime


class AchievementIn(Schema):
    title: str | None = None
    summary: str | None = None
    keywords: str | None = None
    field: int | None = None
    discipline: str | None = None
    trl: int | None = None
    kind: str | None = None
    patent_numbers: str | None = None
    owner: int | None = None
    inventor_names: str | None = None
    transfer_modes: list[str] | None = None
    asking_price: Decimal | None = Field(None, description="转让价格，单位：元（页面上为万元）")
    price_negotiable: bool | None = None
    region: int | None = None


class DemandOut(Schema):
    id: int
    title: str
    description: str
    field_code: str | None
    keywords: list[str]
    enterprise_id: int
    enterprise_name: str
    budget_min: Decimal | None = Field(description="预算下限，单位：元")
    budget_max: Decimal | None = Field(description="预算上限，单位：元")
    deadline: date | None
    cooperation_mode: str
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    region_id: int
    status: str
    updated_at: datetime


class DemandIn(Schema):
    title: str | None = None
    description: str | None = None
    field: int | None = None
    keywords: str | None = None
    enterprise: int | None = None
    budget_min: Decimal | None = Field(None, description="预算下限，单位：元（页面上为万元）")
    budget_max: Decimal | None = Field(None, description="预算上限，单位：元（页面上为万元）")
    deadline: date | None = None
    cooperation_mode: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    region: int | None = None


class ExpertOut(Schema):
    id: int
    name: str
    organisation_id: int | None
    organisation_name: str | None
    title: str
    tech_fields: list[str]
    keywords: list[str]
    biography: str
    region_id: int
    available: bool
    max_load: int
    phone: str | None
    email: str | None
    id_number: str | None
    status: str
    updated_at: datetime


class ExpertIn(Schema):
    name: str | None = None
    organisation: int | None = None
    title: str | None = None
    tech_fields: str | None = None
    keywords: str | None = None
    biography: str | None = None
    region: int | None = None
    available: bool | None = None
    max_load: int | None = None
    phone: str | None = None
    email: str | None = None
    id_number: str | None = None


def _achievement(a: Achievement, hidden: set[str]) -> dict[str, Any]:
    return dict(id=a.pk, title=a.title, summary=a.summary, keywords=a.keyword_list,
                field_code=a.field.code if a.field_id else None, discipline=a.discipline, trl=a.trl, kind=a.kind,
                patent_numbers=a.patent_list, owner_id=a.owner_id, owner_name=a.owner.name,
                inventor_names=a.inventor_names, transfer_modes=[m for m in a.transfer_modes.split("；") if m],
                asking_price=a.asking_price, price_negotiable=a.price_negotiable, region_id=a.region_id,
                status=a.status, source=a.source, updated_at=a.updated_at)


def _demand(d: Demand, hidden: set[str]) -> dict[str, Any]:
    out = dict(id=d.pk, title=d.title, description=d.description, field_code=d.field.code if d.field_id else None,
               keywords=d.keyword_list, enterprise_id=d.enterprise_id, enterprise_name=d.enterprise.name,
               budget_min=d.budget_min, budget_max=d.budget_max, deadline=d.deadline,
               cooperation_mode=d.cooperation_mode, contact_name=d.contact_name, contact_phone=d.contact_phone,
               contact_email=d.contact_email, region_id=d.region_id, status=d.status, updated_at=d.updated_at)
    return {k: (None if k in hidden else v) for k, v in out.items()}


def _expert(e: Expert, hidden: set[str]) -> dict[str, Any]:
    out = dict(id=e.pk, name=e.name, organisation_id=e.organisation_id,
               organisation_name=e.organisation.name if e.organisation_id else None, title=e.title,
               tech_fields=e.field_codes, keywords=e.keyword_list, biography=e.biography, region_id=e.region_id,
               available=e.available, max_load=e.max_load, phone=e.phone, email=e.email, id_number=e.id_number,
               status=e.status, updated_at=e.updated_at)
    return {k: (None if k in hidden else v) for k, v in out.items()}


def _form_data(form_class: Any, payload: Schema, instance: Any, user: Any = None) -> dict[str, Any]:
    """Form data for a create (model defaults, the user's own organisation) or a partial change
    (the record's current values) with the payload's fields on top."""
    data: dict[str, Any] = {}
    if instance is None:
        for name in form_class._meta.fields:
            field = form_class._meta.model._meta.get_field(name)
            if field.has_default() and not callable(field.default) and not field.many_to_many:
                data[name] = field.default
        if user is not None and user.organisation_id:
            for name in ("owner", "enterprise", "organisation"):
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


def _register(path: str, model: Any, form_class: Any, filter_class: Any, out: Any, payload: Any,
              convert: Any, related: tuple[str, ...]) -> None:
    name = model._meta.model_name

    def queryset():
        return model.objects.select_related("region", *related)

    page_schema = type(f"{out.__name__}Page", (Schema,), {"__annotations__": {"items": list[out], "count": int}})

    @router.get(f"/{path}", response={200: page_schema, 422: Errors}, summary=f"{model._meta.verbose_name}列表",
                operation_id=f"list_{name}")
    def list_records(request: HttpRequest, page: int = 1, page_size: int = 50):
        filterset = filter_class(request.GET, queryset=queryset().visible_to(request.user), request=request)
        if not filterset.is_valid():
            return Status(422, {"errors": {k: [str(m) for m in v] for k, v in filterset.errors.items()}})
        return page_of(filterset.qs, page, page_size, lambda obj: convert(obj, restricted_fields(request.user, obj)))

    @router.get(f"/{path}/{{record_id}}", response=out, summary=f"{model._meta.verbose_name}详情",
                operation_id=f"get_{name}")
    def get_record(request: HttpRequest, record_id: int):
        obj = get_for_user(queryset(), request.user, record_id)
        return convert(obj, restricted_fields(request.user, obj))

    @router.post(f"/{path}", response={201: out, 422: Errors}, summary=f"新建{model._meta.verbose_name}",
                 operation_id=f"create_{name}")
    def create_record(request: HttpRequest, data: payload):
        if not role_allows(request.user, model, ADD):
            raise PermissionDenied("无权新建")
        form = form_class(data=_form_data(form_class, data, None, request.user), user=request.user)
        if not form.is_valid():
            return Status(422, {"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}})
        obj = save_record(form)
        return Status(201, convert(obj, restricted_fields(request.user, obj)))

    @router.patch(f"/{path}/{{record_id}}", response={200: out, 422: Errors}, summary=f"修改{model._meta.verbose_name}",
                  operation_id=f"update_{name}")
    def update_record(request: HttpRequest, record_id: int, data: payload):
        obj = get_for_user(queryset(), request.user, record_id, CHANGE)
        form = form_class(data=_form_data(form_class, data, obj), instance=obj, user=request.user)
        if not form.is_valid():
            return Status(422, {"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}})
        obj = save_record(form)
        return Status(200, convert(obj, restricted_fields(request.user, obj)))

    @router.post(f"/{path}/{{record_id}}/transitions/{{transition}}", response={200: out, 422: Errors},
                 summary=f"{model._meta.verbose_name}状态流转（submit/publish/return_to_draft/withdraw …）",
                 operation_id=f"transition_{name}")
    def transition(request: HttpRequest, record_id: int, transition: str, data: TransitionIn):
        obj = get_for_user(queryset(), request.user, record_id)
        try:
            transition_record(obj, transition, request.user, data.comment)
        except ValidationError as exc:
            return Status(422, {"errors": {"__all__": exc.messages}})
        return convert(obj, restricted_fields(request.user, obj))


# The API keeps money in yuan (元), whatever unit the pages show (万元): see README, API section.
_register("achievements", Achievement, in_yuan(AchievementForm), AchievementFilter, AchievementOut, AchievementIn,
          _achievement, ("owner", "field"))
_register("demands", Demand, in_yuan(DemandForm), DemandFilter, DemandOut, DemandIn, _demand, ("enterprise", "field"))
_register("experts", Expert, in_yuan(ExpertForm), ExpertFilter, ExpertOut, ExpertIn, _expert, ("organisation",))
