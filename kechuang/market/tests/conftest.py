"""Registry records over the shared cast (see kechuang/conftest.py).

  uni_draft       achievement of the university, draft          uni_public   published, with a patent
  acme_public     achievement of acme_ltd, published
  acme_demand     demand of acme_ltd, published, with contact    acme_draft_demand   draft
  rival_demand    demand of rival_ltd, published, with contact   rival_draft_demand  draft
  prof            published expert at the university, with personal data, owned by the 'expert' user
  hidden_expert   draft expert at the university
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.market.models import Achievement, Demand, Expert, TechField
from kechuang.market.tech_fields import load_tech_fields

VALID_PATENT = "CN200310102344.5"
VALID_ID = "511702198001010015"


@pytest.fixture
def fields(db) -> dict[str, TechField]:
    if not TechField.objects.exists():
        load_tech_fields(TechField)
    return {f.code: f for f in TechField.objects.all()}


@pytest.fixture
def records(cast, orgs, regions, fields) -> dict:
    a = Achievement.objects.create
    d = Demand.objects.create
    made = {
        "uni_draft": a(title="玄武岩纤维表面改性技术", owner=orgs["uni"], region=regions["通川区"],
                       field=fields["0402"], trl=4, kind="patent"),
        "uni_public": a(title="天然气制氢催化剂", owner=orgs["uni"], region=regions["通川区"], field=fields["0602"],
                        trl=6, kind="patent", patent_numbers=VALID_PATENT, status="published",
                        asking_price=Decimal("800000")),
        "acme_public": a(title="甲醇合成余热回收装置", owner=orgs["acme_ltd"], region=regions["通川区"],
                         field=fields["0604"], trl=7, kind="product", status="published", price_negotiable=True),
        "acme_demand": d(title="合成氨装置节能改造", enterprise=orgs["acme_ltd"], region=regions["通川区"],
                         field=fields["0604"], contact_name="甲联系人", contact_phone="0818-2000001",
                         status="published", budget_min=Decimal("100000"), budget_max=Decimal("500000")),
        "acme_draft_demand": d(title="甲公司尚未提交的需求", enterprise=orgs["acme_ltd"], region=regions["通川区"],
                               contact_phone="0818-2000002"),
        "rival_demand": d(title="玄武岩纤维拉丝漏板寿命提升", enterprise=orgs["rival_ltd"], region=regions["宣汉县"],
                          field=fields["0402"], contact_name="乙联系人", contact_phone="0818-3000001",
                          contact_email="yi@example.com", status="published"),
        "rival_draft_demand": d(title="乙公司草稿需求", enterprise=orgs["rival_ltd"], region=regions["宣汉县"],
                                contact_phone="0818-3000002"),
        "prof": Expert.objects.create(name="王教授", organisation=orgs["uni"], region=regions["通川区"],
                                      title="教授", tech_fields="0402；0602", keywords="玄武岩纤维；催化",
                                      phone="13800000001", email="wang@example.com", id_number=VALID_ID,
                                      status="published", user=cast["expert"]),
        "hidden_expert": Expert.objects.create(name="李研究员", organisation=orgs["uni"], region=regions["通川区"],
                                               phone="13800000002"),
    }
    return made
