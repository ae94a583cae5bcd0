"""The demo data set: fictional organisations of the reference city and demo accounts, one per role.

Every name ends with 「（演示）」 and every record's ``source`` is 「演示数据」, so demo data can never be
taken for real records. The generator is seeded, so loading twice gives the same records; a load only
creates what is missing (keyed by credit code and username), so loading twice duplicates nothing and
never undoes edits or resets a password.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction

from kechuang.common.demo import DEMO_PASSWORD, DEMO_SOURCE, DEMO_SUFFIX, INDUSTRIES, INSTITUTIONS, SEED
from kechuang.common.uscc import ALPHABET, check_character
from kechuang.core.choices import OrganisationKind, Role
from kechuang.core.models import Contact, Organisation, Region, User
from kechuang.core.regions import DAZHOU_CSV, load_regions

ENTERPRISE_COUNT = 200

BRANDS = ["巴山", "川东", "渠江", "州河", "明月", "凤凰", "莲花湖", "罗家坝", "竹海", "八台山", "賨人", "洲河",
          "铁山", "龙潭", "华蓥", "普光", "金垭", "大巴山", "峨城", "百里峡"]
SUFFIXES = ["有限公司", "股份有限公司", "科技有限公司"]
# Share of enterprises by county-level division and park (by name), summing to 1.
SPREAD = {"通川区": 0.16, "达川区": 0.15, "宣汉县": 0.13, "开江县": 0.08, "大竹县": 0.12, "渠县": 0.12,
          "万源市": 0.07, "达州高新区": 0.10, "达州东部经开区": 0.07}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田萧潘袁蒋蔡余杜叶程魏苏吕丁任沈"
GIVEN = "建国伟华明丽芳军勇敏静强磊洋艳杰娟涛超秀英霞平刚桂兰云飞鹏辉红梅玲斌宇浩凯"



@dataclass
class DemoReport:
    """What a demo load wrote: counts by kind, and the demo logins as (role label, username, scope)."""

    regions: int = 0
    organisations: dict[str, int] = field(default_factory=dict)
    contacts: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)
    """Organisations outside the city, in the neighbouring cooperation zone: (name, region)."""


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters (Chinese, 「（」) take two
    (Unicode East Asian Width W/F, UAX #11), combining marks none, everything else one."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (see :func:`display_width`)."""
    return text + " " * max(width - display_width(text), 0)


def login_table(users: list[tuple[str, str, str]]) -> list[str]:
    """The demo logins as aligned lines: header 角色 / 用户名 / 范围, one line per (role, username, scope),
    columns padded by terminal width so that Chinese labels line up."""
    rows = [("角色", "用户名", "范围"), *users]
    widths = [max(display_width(row[i]) for row in rows) + 2 for i in range(2)]
    return [(pad(role, widths[0]) + pad(username, widths[1]) + scope).rstrip() for role, username, scope in rows]


def outside_note(outside: list[tuple[str, str]]) -> str:
    """One sentence on the organisations outside the city: where they are and why they are there."""
    if not outside:
        return ""
    where = "、".join(dict.fromkeys(region for _, region in outside))
    return (f"其中 {len(outside)} 家机构位于市外的邻近协作区（{where}，如万达开川渝统筹发展示范区）：它们参与供需匹配"
            f"（排在本市之后、其他地区之前），但不属于本市任何区县，所以本市人员的首页和统计不计入它们")


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714): 8 digits and its check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(rng: random.Random, division: str, authority_type: str = "91") -> str:
    """A valid unified social credit code for a division (``91`` = enterprise registered with market
    regulation, ``12`` = public institution registered with the establishment office)."""
    first17 = authority_type + division + _org_code(rng)
    assert all(c in ALPHABET for c in first17)
    return first17 + check_character(first17)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _region(name_or_code: str) -> Region:
    if name_or_code.isdigit():
        return Region.objects.get(code=name_or_code)
    return Region.objects.get(name=name_or_code)


def _save_org(rng: random.Random, report: DemoReport, *, name: str, kind: str, region: Region,
              industry_code: str, address: str, description: str, authority: str) -> Organisation:
    uscc = make_uscc(rng, region.division_code or "000000", authority)
    defaults = dict(name=name, kind=kind, region=region, industry_code=industry_code, address=address,
                    description=description, source=DEMO_SOURCE, legal_representative=_person(rng))
    contact = (_person(rng), rng.choice(["科技负责人", "办公室主任", "研发总监", "总经理"]),
               f"0818-{rng.randint(2000000, 2999999)}")
    # Only what is missing is created: edits made to demo records since the last load are kept.
    organisation, created = Organisation.objects.get_or_create(uscc=uscc, defaults=defaults)
    if created:
        Contact.objects.create(organisation=organisation, name=contact[0], position=contact[1], phone=contact[2])
    report.organisations[kind] = report.organisations.get(kind, 0) + 1
    return organisation


def _enterprise_regions(rng: random.Random) -> list[Region]:
    regions = {name: _region(name) for name in SPREAD}
    counts = {name: round(share * ENTERPRISE_COUNT) for name, share in SPREAD.items()}
    counts["通川区"] += ENTERPRISE_COUNT - sum(counts.values())
    placed = [regions[name] for name, n in counts.items() for _ in range(n)]
    rng.shuffle(placed)
    return placed


@transaction.atomic
def load_demo() -> DemoReport:
    """Load (or refresh) the demo organisations and accounts. Idempotent.

    The reference city's regions are (re)loaded first, so the demo also works on a flushed database.
    """
    load_regions(Region, DAZHOU_CSV)
    rng = random.Random(SEED)
    report = DemoReport(regions=Region.objects.count())
    used_names: set[str] = set()
    enterprises: list[Organisation] = []
    for region in _enterprise_regions(rng):
        part, codes, products = rng.choice(INDUSTRIES)
        while True:
            brand, suffix = rng.choice(BRANDS), rng.choice(SUFFIXES)
            if part.endswith("科技") and suffix.startswith("科技"):
                suffix = suffix[2:]
            name = f"达州{brand}{part}{suffix}{DEMO_SUFFIX}"
            if name not in used_names:
                used_names.add(name)
                break
        enterprises.append(_save_org(
            rng, report, name=name, kind=OrganisationKind.ENTERPRISE, region=region,
            industry_code=rng.choice(codes), address=f"{region.name}{rng.choice(BRANDS)}路{rng.randint(1, 300)}号",
            description=f"主要产品：{products}。（演示数据，非真实企业）", authority="91",
        ))
    institutions: list[Organisation] = []
    for name, kind, where, address in INSTITUTIONS:
        institutions.append(_save_org(
            rng, report, name=name + DEMO_SUFFIX, kind=OrganisationKind(kind), region=_region(where), industry_code="M7320"
            if kind != OrganisationKind.UNIVERSITY else "P8341", address=address,
            description="（演示数据，非真实机构）", authority="12",
        ))
        if institutions[-1].region.neighbour:
            report.outside.append((institutions[-1].name, institutions[-1].region.full_name))
    report.contacts = Contact.objects.filter(organisation__source=DEMO_SOURCE).count()
    city = _region("511700")
    tongchuan = _region("511702")
    xuanhan = _region("511722")
    own_enterprise = next(e for e in enterprises if e.region_id == tongchuan.pk)
    accounts: list[tuple[str, str, Role, Region | None, Organisation | None, bool]] = [
        ("city_admin", "陈市管（演示）", Role.CITY_ADMIN, city, None, True),
        ("county_tongchuan", "李通川（演示）", Role.COUNTY_OFFICER, tongchuan, None, False),
        ("county_xuanhan", "王宣汉（演示）", Role.COUNTY_OFFICER, xuanhan, None, False),
        ("stats", "赵统计（演示）", Role.STATISTICS_OFFICER, city, None, False),
        ("enterprise", "周企业（演示）", Role.ENTERPRISE_USER, None, own_enterprise, False),
        ("researcher", "吴研究（演示）", Role.RESEARCHER, None, institutions[0], False),
        ("expert", "郑专家（演示）", Role.EXPERT, None, institutions[2], False),
    ]
    for username, full_name, role, bound_region, organisation, staff in accounts:
        user = User.objects.filter(username=username).first()
        if user is None:  # an existing account (and its password) is never touched
            user = User(username=username, full_name=full_name, role=role, region=bound_region,
                        organisation=organisation, is_staff=staff)
            user.set_password(DEMO_PASSWORD)
            user.full_clean(exclude=["password"])
            user.save()
        report.users.append((Role(user.role).label if user.role else "—", username, user.scope_label))
    return report
