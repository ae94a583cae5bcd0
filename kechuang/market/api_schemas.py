"""The API schemas of the market's registries (what a record looks like in JSON, what a create or change
may send) and the converters record → schema; declared on each registry in :mod:`kechuang.market.registries`.
Money is in yuan (元) here, whatever unit the pages show (万元). Restricted fields (a demand's contact
details, an expert's personal data) come back as null to users who may not see them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from kechuang.market.models import Achievement, Demand, Expert


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


def achievement(a: Achievement, hidden: set[str]) -> dict[str, Any]:
    return dict(id=a.pk, title=a.title, summary=a.summary, keywords=a.keyword_list,
                field_code=a.field.code if a.field_id and a.field is not None else None, discipline=a.discipline, trl=a.trl, kind=a.kind,
                patent_numbers=a.patent_list, owner_id=a.owner_id, owner_name=a.owner.name,
                inventor_names=a.inventor_names, transfer_modes=[m for m in a.transfer_modes.split("；") if m],
                asking_price=a.asking_price, price_negotiable=a.price_negotiable, region_id=a.region_id,
                status=a.status, source=a.source, updated_at=a.updated_at)


def demand(d: Demand, hidden: set[str]) -> dict[str, Any]:
    out = dict(id=d.pk, title=d.title, description=d.description, field_code=d.field.code if d.field_id and d.field is not None else None,
               keywords=d.keyword_list, enterprise_id=d.enterprise_id, enterprise_name=d.enterprise.name,
               budget_min=d.budget_min, budget_max=d.budget_max, deadline=d.deadline,
               cooperation_mode=d.cooperation_mode, contact_name=d.contact_name, contact_phone=d.contact_phone,
               contact_email=d.contact_email, region_id=d.region_id, status=d.status, updated_at=d.updated_at)
    return {k: (None if k in hidden else v) for k, v in out.items()}


def expert(e: Expert, hidden: set[str]) -> dict[str, Any]:
    out = dict(id=e.pk, name=e.name, organisation_id=e.organisation_id,
               organisation_name=e.organisation.name if e.organisation_id and e.organisation is not None else None, title=e.title,
               tech_fields=e.field_codes, keywords=e.keyword_list, biography=e.biography, region_id=e.region_id,
               available=e.available, max_load=e.max_load, phone=e.phone, email=e.email, id_number=e.id_number,
               status=e.status, updated_at=e.updated_at)
    return {k: (None if k in hidden else v) for k, v in out.items()}
