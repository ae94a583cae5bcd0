"""Demo R&D reporting data: a year's 一企一策 plan with targets, the reporting deadline, GDP per county, and
reports in every state of the review, all written through the services (so findings, totals, comments
and history are what the pages would produce).

For last calendar year (the report year), among the demo enterprises (``source`` 演示数据):

* :data:`PLANNED` enterprises in the plan, with a target near their expected R&D expense (some a little
  above it, so the 未达目标 list is not empty), a few with a note;
* the city's deadline (3 weeks ahead, or 31 March of the following year if later) and an earlier one for
  宣汉县 (5 days ahead: the red reminder);
* GDP of the city (2,600 亿元) and of each county-level division (shares of it; parks have none);
* reports shaped like the spec's worked case T20 (10 persons, 1,000 千元, 107-1 projects) scaled to each
  enterprise — from its cultivation figures of the year when it has them (R&D expense, average
  employees, super-deduction base), otherwise drawn — in every state: drafts (some with T20's R04 and R12
  errors), submitted, county-reviewed, city-reviewed, returned with comments, delivered; a few enterprises
  outside the plan report too. Warnings left by the cross-checks are explained as an enterprise would.

Seeded, created once: loading again adds only what is missing (plans, deadlines, GDP and reports already
there are never changed).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from kechuang.common.demo import DEMO_SOURCE
from kechuang.core.choices import OrganisationKind, RegionLevel, Role
from kechuang.core.models import Organisation, Region, User
from kechuang.engines.rdreport import Severity
from kechuang.rdreport import services
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.models import RdPlan, RdReport, RegionalGdp, ReportingDeadline

DEMO_SEED = 7107
PLANNED = 60
UNPLANNED = 6
CITY_GDP_YI = 2600
#: Shares of the city's GDP by county-level division (by name), summing to 1.
GDP_SHARES = {"通川区": 0.17, "达川区": 0.17, "宣汉县": 0.19, "开江县": 0.07, "大竹县": 0.16, "渠县": 0.17,
              "万源市": 0.07}
#: States of the planned enterprises' reports (None: not started), in order of the shuffled plan.
STATES: list[str | None] = (
    [None] * 8 + ["draft_errors"] * 6 + [ReportStatus.DRAFT] * 6 + [ReportStatus.SUBMITTED] * 10
    + [ReportStatus.COUNTY_REVIEWED] * 8 + [ReportStatus.CITY_REVIEWED] * 6 + [ReportStatus.RETURNED] * 6
    + [ReportStatus.DELIVERED] * 10
)
PROJECT_NAMES = [
    "低能耗合成氨工艺优化研究", "天然气制甲醇催化剂寿命提升", "卤水提锂膜分离技术开发", "连续玄武岩纤维拉丝漏板研制",
    "微玻纤电池隔板孔径控制研究", "锂电池正极材料包覆改性", "高性能碳纤维预浸料开发", "工业视觉缺陷检测算法研究",
    "富硒茶深加工工艺研究", "苎麻纤维脱胶新工艺", "智能控制系统嵌入式平台开发", "储能电解液配方研究",
    "废气余热回收装置研制", "精细化学品连续化合成研究", "复合材料轻量化结构设计", "设备远程运维数据平台开发",
]
RETURN_COMMENTS = [
    [("", "研究开发人员与项目投入人月请再核对"), ("rd_personnel_total", "研究开发人员数与社保缴纳人数差异较大，请核实")],
    [("", "委托外部研究开发费用请补充合同依据"), ("entrusted_external", "请核对委托境内高等学校的金额")],
    [("", "研究开发费用来源合计请与费用合计核对"), ("funds_government", "政府资金请与项目立项文件一致")],
]
EXPLANATION = "（演示）已与财务账和项目台账核对，数据无误。"


@dataclass
class RdDemoReport:
    """What a load wrote."""

    year: int = 0
    plans: int = 0
    reports: dict[str, int] = field(default_factory=dict)
    gdp: int = 0
    deadlines: int = 0

    def describe(self) -> str:
        states = "，".join(f"{ReportStatus(k).label} {n}" for k, n in sorted(self.reports.items()))
        return (f"{self.year} 年度一企一策 {self.plans} 家，报表：{states or '无新增'}；"
                f"地区生产总值 {self.gdp} 条，截止日期 {self.deadlines} 条")


def _split(total: int, shares: list[float]) -> list[int]:
    """``total`` split by ``shares`` into whole numbers that add up exactly (the last takes the rest)."""
    parts = [int(total * s) for s in shares[:-1]]
    return [*parts, total - sum(parts)]


def demo_content(rng: random.Random, year: int, expense: int, persons: int, sd_base: int | None = None
                 ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A T20-shaped report (千元, 人, 人月) with [7] = ``expense`` and [1] = ``persons`` that passes every
    error rule: the components add up (R04, R06, R11), the projects' person-months fit the persons
    (R12), the projects' spending is near [7] (R15)."""
    labour, direct, depreciation, intangible, design, trial, entrusted, other = _split(
        expense, [0.40, 0.20, 0.05, 0.02, 0.025, 0.05, 0.20, 0.055])
    institutes, universities, enterprises, overseas = _split(entrusted, [0.5, 0.25, 0.0, 0.25])
    fixed = int(expense * rng.uniform(0.05, 0.15))
    has_institution = persons >= 12
    institution_personnel = persons // 2 if has_institution else 0
    bachelor = max(1, int(persons * rng.uniform(0.5, 0.8)))
    phd = min(institution_personnel // 6, bachelor // 4)
    master = min(institution_personnel // 3, bachelor - phd)
    government = int(expense * rng.choice([0, 0.05, 0.1, 0.15]))
    claimed = sd_base if sd_base is not None else int(expense * rng.uniform(0.7, 0.95))
    patents = rng.randint(0, max(1, persons // 4))
    valid = rng.randint(0, patents * 2 + 1)
    sales = expense * rng.randint(5, 25)
    firm: dict[str, Any] = {
        "rd_personnel_total": persons, "rd_personnel_management": max(1, persons // 5),
        "rd_personnel_female": int(persons * rng.uniform(0.15, 0.45)), "rd_personnel_fulltime": int(persons * 0.8),
        "rd_personnel_bachelor": bachelor, "rd_personnel_external": persons // 10,
        "rd_expense_total": expense, "labour_cost": labour, "direct_inputs": direct, "depreciation": depreciation,
        "intangible_amortization": intangible, "design_cost": design, "equipment_trial_cost": trial,
        "entrusted_external": entrusted, "entrusted_domestic_institutes": institutes,
        "entrusted_domestic_universities": universities, "entrusted_domestic_enterprises": enterprises,
        "entrusted_overseas": overseas, "other_expense": other,
        "rd_fixed_assets": fixed, "rd_instruments": int(fixed * 0.6),
        "rd_institutions": 1 if has_institution else 0, "institution_personnel": institution_personnel,
        "institution_phd": phd, "institution_master": master,
        "institution_expense": int(expense * 0.3) if has_institution else 0,
        "institution_instruments_value": int(expense * 0.5) if has_institution else 0,
        "funds_enterprise": expense - government, "funds_government": government,
        "sd_claimed": claimed, "sd_tax_relief": int(claimed * 0.15 * 0.9),
        "patent_applications": patents, "invention_applications": patents // 2,
        "valid_invention_patents": valid, "implemented_invention_patents": valid // 2,
        "new_product_sales": sales, "new_product_exports": int(sales * rng.choice([0, 0, 0.05, 0.1])),
        "papers": rng.randint(0, 3), "standards": rng.choice([0, 0, 0, 1]),
    }
    count = min(max(1, persons // 4), rng.randint(2, 5))
    budget = _split(expense, [1 / count] * count)
    months = _split(int(persons * 12 * rng.uniform(0.75, 0.95)), [1 / count] * count)
    names = rng.sample(PROJECT_NAMES, count)
    projects = []
    for index in range(count):
        staff = max(1, min(persons, -(-months[index] // 10)))  # about 10 months each: 人月 ≤ 人 × 12
        spend = budget[index]
        start = (year - rng.choice([0, 0, 1])) * 100 + rng.randint(1, 6)
        end = (year + rng.choice([0, 1])) * 100 + 12
        projects.append({
            "name": names[index], "source": rng.choice([2, 4, 4, 4, 3]), "cooperation_form": rng.choice([1, 1, 2, 3]),
            "outcome_form": rng.choice([4, 6, 7, 8]), "tech_goal": rng.choice([2, 3, 4]),
            "start_ym": start, "end_ym": end, "stage": rng.randint(1, 4), "personnel": staff,
            "person_months": months[index], "expense": spend,
            "government_funds": int(spend * government / expense) if expense else 0,
            "basic_research": int(spend * 0.02), "self_conducted": spend - int(spend * 0.2),
            "entrusted": int(spend * 0.2),
        })
    return firm, projects


def _with_errors(firm: dict[str, Any], projects: list[dict[str, Any]]) -> None:
    """T20's two errors: the expense components 5 千元 short of [7] (R04), and more person-months in
    107-1 than the R&D persons can work (R12)."""
    firm["other_expense"] = max(0, firm["other_expense"] - 5)
    firm["rd_expense_total"] = sum(firm[k] for k in ("labour_cost", "direct_inputs", "depreciation",
                                                     "intangible_amortization", "design_cost", "equipment_trial_cost",
                                                     "entrusted_external", "other_expense")) + 5
    capacity = firm["rd_personnel_total"] * 12
    used = sum(p["person_months"] for p in projects)
    projects[0]["person_months"] += capacity - used + max(1, capacity // 12)  # like T20: 130 > 120
    projects[0]["personnel"] = max(projects[0]["personnel"], -(-projects[0]["person_months"] // 12))


def _figures(enterprise: Organisation, year: int) -> Any:
    from kechuang.cultivation.models import AnnualFigures  # the platform's own figures, when loaded

    return AnnualFigures.objects.filter(enterprise=enterprise, year=year).first()


def _scale(rng: random.Random, enterprise: Organisation, year: int) -> tuple[int, int, int | None]:
    """[7] in 千元, [1] in persons and the super-deduction base in 千元 (None when unknown)."""
    figures = _figures(enterprise, year)
    expense = 0
    if figures is not None and figures.rd_expense_hnte:
        expense = int(figures.rd_expense_hnte / 1000)
    if expense < 200:
        expense = int(rng.lognormvariate(7.6, 0.8))  # about 2,000 千元, from a few hundred to ~15,000
        expense = max(300, min(expense, 40000))
    persons = max(3, round(expense / rng.uniform(90, 200)))
    if figures is not None and figures.staff_total_avg:
        persons = max(1, min(persons, int(figures.staff_total_avg)))
    base = None
    if figures is not None and figures.rd_expense_super_deduction is not None:
        base = int((figures.rd_expense_super_deduction / 1000).to_integral_value())
    return expense, persons, base


def _users(city: Region) -> dict[str, Any]:
    admin = (User.objects.filter(username="city_admin", role=Role.CITY_ADMIN).first()
             or User.objects.filter(role=Role.CITY_ADMIN, region=city, is_active=True).first())
    officers = {u.region_id: u for u in User.objects.filter(role=Role.COUNTY_OFFICER, is_active=True,
                                                            region__parent=city)}
    stats = User.objects.filter(role=Role.STATISTICS_OFFICER, region=city, is_active=True).first()
    return {"admin": admin, "officers": officers, "stats": stats or admin}


def _explain(report: RdReport, user: Any) -> None:
    """Explain every warning, as an enterprise does before submitting."""
    warnings = {f["rule_key"] for f in report.findings if f["severity"] == Severity.WARNING.value}
    if warnings - set(report.explanations):
        explanations = {**report.explanations, **{k: EXPLANATION for k in warnings}}
        services.save_content(report, services.shown_values(report.year, report.firm),
                              [services.shown_values(report.year, p, project=True) for p in report.projects],
                              explanations, user)


def _advance(report: RdReport, state: str, users: dict[str, Any], rng: random.Random) -> None:
    admin = users["admin"]
    county = users["officers"].get(_county_of(report.enterprise.region).pk) or admin
    _explain(report, admin)
    services.submit(report, county)
    if state == ReportStatus.SUBMITTED:
        return
    if state == ReportStatus.RETURNED:
        if rng.random() < 0.5:  # returned by the city after the county's pre-review
            services.review(report, county, "county_review", "预审通过")
            services.return_report(report, admin, rng.choice(RETURN_COMMENTS))
        else:
            services.return_report(report, county, rng.choice(RETURN_COMMENTS))
        return
    services.review(report, county, "county_review", rng.choice(["", "预审通过", "数据完整，同意上报"]))
    if state == ReportStatus.COUNTY_REVIEWED:
        return
    services.review(report, admin, "city_review", rng.choice(["", "审核通过"]))
    if state == ReportStatus.CITY_REVIEWED:
        return
    services.review(report, users["stats"], "deliver", "")


def _county_of(region: Region) -> Region:
    while region.parent is not None and region.parent.level != RegionLevel.CITY:
        region = region.parent
    return region


def _deadlines(city: Region, year: int, today: dt.date) -> int:
    created = 0
    city_day = max(dt.date(year + 1, 3, 31), today + dt.timedelta(days=21))
    _, made = ReportingDeadline.objects.get_or_create(region=city, year=year, defaults={"deadline": city_day})
    created += made
    xuanhan = Region.objects.filter(parent=city, name="宣汉县").first()
    if xuanhan is not None:
        _, made = ReportingDeadline.objects.get_or_create(region=xuanhan, year=year,
                                                          defaults={"deadline": today + dt.timedelta(days=5)})
        created += made
    return created


def _gdp(city: Region, year: int) -> int:
    created = 0
    yi = Decimal(10) ** 8
    figures = {city: Decimal(CITY_GDP_YI)}
    for region in Region.objects.filter(parent=city, level=RegionLevel.COUNTY):
        if region.name in GDP_SHARES:
            figures[region] = (Decimal(CITY_GDP_YI) * Decimal(str(GDP_SHARES[region.name]))).quantize(Decimal("0.01"))
    for region, amount in figures.items():
        _, made = RegionalGdp.objects.get_or_create(region=region, year=year, defaults={"gdp": amount * yi})
        created += made
    return created


@transaction.atomic
def load_rd_demo(year: int | None = None) -> RdDemoReport:
    """Load (once) the demo R&D reporting data of ``year`` (default: last calendar year). Needs the demo
    organisations and accounts (``kechuang.core.demo.load_demo``); loads cultivation figures first for
    reports scaled on them (optional)."""
    today = timezone.localdate()
    year = year or today.year - 1
    result = RdDemoReport(year=year)
    city = Region.objects.filter(level=RegionLevel.CITY, code="511700").first()
    users = _users(city) if city is not None else {}
    enterprises = list(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, source=DEMO_SOURCE,
                                                   region__path__startswith=city.path if city else "/")
                       .select_related("region").order_by("pk"))
    if city is None or not enterprises or users.get("admin") is None:
        return result
    result.deadlines = _deadlines(city, year, today)
    result.gdp = _gdp(city, year)
    rng = random.Random(DEMO_SEED)
    chosen = rng.sample(enterprises, min(len(enterprises), PLANNED + UNPLANNED))
    own = User.objects.filter(username="enterprise", role=Role.ENTERPRISE_USER).first()
    own_enterprise = own.organisation if own is not None and own.organisation in enterprises else None
    if own_enterprise is not None:  # the demo enterprise login has a plan and a report returned to it
        chosen = [own_enterprise, *(e for e in chosen if e != own_enterprise)][:PLANNED + UNPLANNED]
    planned, unplanned = chosen[:PLANNED], chosen[PLANNED:]
    states = list(STATES)
    rng.shuffle(states)
    if own_enterprise is not None:
        first_returned = states.index(ReportStatus.RETURNED)
        states[0], states[first_returned] = states[first_returned], states[0]
    held = set(RdReport.objects.filter(year=year, enterprise__in=chosen).values_list("enterprise_id", flat=True))
    admin = users["admin"]
    for index, enterprise in enumerate(planned + unplanned):
        expense, persons, base = _scale(rng, enterprise, year)
        if index < len(planned):
            target = Decimal(round(expense * rng.uniform(0.8, 1.35), -1)) * 1000  # whole 10 千元
            note = rng.choice(["", "", "支持建设市级企业技术中心", "指导申报研发费用加计扣除", "对接高校共建研发平台"])
            _, made = RdPlan.objects.get_or_create(enterprise=enterprise, year=year,
                                                   defaults={"target_expense": target, "note": note})
            result.plans += made
            state = states[index % len(states)]
        else:
            state = rng.choice([ReportStatus.SUBMITTED, ReportStatus.DELIVERED])
        if state is None or enterprise.pk in held:
            continue
        firm, projects = demo_content(rng, year, expense, persons, base)
        if state == "draft_errors":
            _with_errors(firm, projects)
        report = RdReport(enterprise=enterprise, year=year)
        report._change_reason = "演示数据"
        services.save_content(report, firm, projects, {}, admin)
        status = ReportStatus.DRAFT if state == "draft_errors" else ReportStatus(state)
        if status != ReportStatus.DRAFT:
            _advance(report, status, users, rng)
        result.reports[report.status] = result.reports.get(report.status, 0) + 1
    return result


def has_rd_demo(year: int | None = None) -> bool:
    """Whether demo R&D reports of ``year`` (default: last calendar year) are loaded."""
    year = year or timezone.localdate().year - 1
    return RdReport.objects.filter(year=year, enterprise__source=DEMO_SOURCE).exists()
