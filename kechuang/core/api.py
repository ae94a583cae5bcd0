"""REST endpoints of the core app: regions, organisations, the current user.

Lists go through ``visible_to`` and the same filter class as the pages; single records through
``get_for_user`` (404 outside the scope); writes through the same form as the pages, so validation
errors read the same: ``422 {"errors": {field: [message, …]}}``.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from kechuang.common.access import CHANGE, get_for_user
from kechuang.common.api_crud import Errors, form_errors, invalid
from kechuang.common.api_pages import page_of
from kechuang.core.choices import OrganisationKind
from kechuang.core.filters import OrganisationFilter
from kechuang.core.forms import OrganisationForm, can_add_organisation
from kechuang.core.models import Organisation, Region
from kechuang.core.services import save_organisation

router = Router(tags=["基础数据"])


class RegionOut(Schema):
    id: int
    code: str | None
    name: str
    level: str
    parent_id: int | None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    uscc: str | None
    industry_code: str
    region_id: int
    region_name: str = Field(..., alias="region.full_name")
    address: str
    legal_representative: str
    website: str
    description: str
    updated_at: datetime


class OrganisationIn(Schema):
    """Fields of an organisation; on PATCH only those given change (on POST ``kind`` defaults to
    enterprise). Values are checked by the same form as the page."""

    name: str | None = None
    kind: str | None = None
    uscc: str | None = None
    industry_code: str | None = None
    region_id: int | None = None
    address: str | None = None
    legal_representative: str | None = None
    website: str | None = None
    description: str | None = None


class OrganisationQuery(Schema):
    q: str | None = Field(None, description="关键词：名称、信用代码或地址")
    kind: str | None = Field(None, description="类型：enterprise/university/research_institute/hospital/other")
    region: int | None = Field(None, description="区域 id（含下级区域）")
    industry: str | None = Field(None, description="行业门类字母，如 C")


class Me(Schema):
    username: str
    full_name: str
    role: str
    region_id: int | None
    organisation_id: int | None


def _form_data(payload: OrganisationIn, instance: Organisation | None) -> dict:
    given = payload.dict(exclude_unset=True)
    data: dict = {"kind": OrganisationKind.ENTERPRISE}
    if instance is not None:
        for name in OrganisationForm._meta.fields or ():  # type: ignore[misc]  # the form class's Meta, read on the class
            value = getattr(instance, f"{name}_id" if name == "region" else name)
            data[name] = "" if value is None else value
    for name, value in given.items():
        data["region" if name == "region_id" else name] = "" if value is None else value
    return data


def _errors(form: OrganisationForm) -> dict[str, list[str]]:
    return form_errors(form, {"region": "region_id"})


@router.get("/me", response=Me, summary="当前用户")
def me(request: HttpRequest):
    return request.user


@router.get("/regions", response=list[RegionOut], summary="行政区域")
def list_regions(request: HttpRequest):
    return Region.objects.all()


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    count: int


@router.get("/organisations", response={200: OrganisationPage, 422: Errors}, summary="组织机构列表")
def list_organisations(request: HttpRequest, filters: Query[OrganisationQuery], page: int = 1,
                       page_size: int = 50):
    queryset = Organisation.objects.visible_to(request.user).select_related("region__parent__parent")
    filterset = OrganisationFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return invalid(filterset)
    return page_of(filterset.qs, page, page_size)


@router.get("/organisations/{org_id}", response=OrganisationOut, summary="组织机构详情")
def get_organisation(request: HttpRequest, org_id: int):
    return get_for_user(Organisation.objects.select_related("region"), request.user, org_id)


@router.post("/organisations", response={201: OrganisationOut, 422: Errors}, summary="新建组织机构")
def create_organisation(request: HttpRequest, payload: OrganisationIn):
    if not can_add_organisation(request.user):
        raise PermissionDenied("无权新建组织机构")
    form = OrganisationForm(data=_form_data(payload, None), user=request.user)
    if not form.is_valid():
        return Status(422, {"errors": _errors(form)})
    return Status(201, save_organisation(form))


@router.patch("/organisations/{org_id}", response={200: OrganisationOut, 422: Errors}, summary="修改组织机构")
def update_organisation(request: HttpRequest, org_id: int, payload: OrganisationIn):
    organisation = get_for_user(Organisation, request.user, org_id, CHANGE)
    form = OrganisationForm(data=_form_data(payload, organisation), instance=organisation, user=request.user)
    if not form.is_valid():
        return Status(422, {"errors": _errors(form)})
    return Status(200, save_organisation(form))
