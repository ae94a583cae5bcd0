"""The R&D reporting dashboard of a year: which enterprises are expected to report, how far each has got,
counts by county, and the deadline.

Enterprises in scope for year Y are those with an :class:`~kechuang.rdreport.models.RdPlan` for Y plus any
with a report of Y, among what the user may see (``visible_to``), so a county officer's dashboard is its
county's and an enterprise user's its own. Stages (:class:`Stage`): 未开始 (a plan but no report), 草稿,
待审核 (submitted / county-reviewed / city-reviewed: the level it waits at is shown), 已退回, 已报送统计.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from kechuang.core.choices import RegionLevel, Role
from kechuang.core.facts import scope_root
from kechuang.core.models import Organisation, Region
from kechuang.rdreport.choices import WAITING, ReportStatus
from kechuang.rdreport.models import RdPlan, RdReport, ReportingDeadline
from kechuang.rdreport.targets import qian

#: Days before the deadline from which the reminder turns red.
URGENT_DAYS = 7


class Stage(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    DRAFT = "draft", "草稿"
    WAITING = "waiting", "待审核"
    RETURNED = "returned", "已退回"
    DELIVERED = "delivered", "已报送统计"


WAITING_LEVEL = {
    ReportStatus.SUBMITTED: "待县级预审",
    ReportStatus.COUNTY_REVIEWED: "待市级审核",
    ReportStatus.CITY_REVIEWED: "待报送统计部门",
}


def stage_of(report: RdReport | None) -> Stage:
    """The dashboard stage of an enterprise with ``report`` (None: no report yet)."""
    if report is None:
        return Stage.NOT_STARTED
    if report.status in WAITING:
        return Stage.WAITING
    return {ReportStatus.DRAFT: Stage.DRAFT, ReportStatus.RETURNED: Stage.RETURNED,
            ReportStatus.DELIVERED: Stage.DELIVERED}[ReportStatus(report.status)]


def default_year() -> int:
    """The report year one works on: last calendar year."""
    return timezone.localdate().year - 1


def years(user: Any) -> list[int]:
    """Years with plans or reports the user may see, and the default year, newest first."""
    found = set(RdPlan.objects.visible_to(user).values_list("year", flat=True))
    found |= set(RdReport.objects.visible_to(user).values_list("year", flat=True))
    return sorted(found | {default_year()}, reverse=True)


@dataclass(frozen=True)
class Deadline:
    """A reporting deadline and how it stands on ``today``."""

    date: dt.date
    today: dt.date

    @property
    def days_left(self) -> int:
        """Days until the deadline (0 on the day, negative once past)."""
        return (self.date - self.today).days

    @property
    def urgent(self) -> bool:
        """True within :data:`URGENT_DAYS` days of the deadline or past it (shown in red)."""
        return self.days_left <= URGENT_DAYS

    @property
    def text(self) -> str:
        if self.days_left > 0:
            return f"{self.date:%Y-%m-%d}（剩余 {self.days_left} 天）"
        if self.days_left == 0:
            return f"{self.date:%Y-%m-%d}（今天截止）"
        return f"{self.date:%Y-%m-%d}（已过期 {-self.days_left} 天）"


def deadline_of_region(region: Region | None, year: int, known: dict[int, dt.date] | None = None) -> dt.date | None:
    """The deadline of ``year`` for enterprises in ``region``: the nearest region up the tree with one."""
    if known is None:
        known = dict(ReportingDeadline.objects.filter(year=year).values_list("region_id", "deadline"))
    while region is not None:
        if region.pk in known:
            return known[region.pk]
        region = region.parent
    return None


def deadline(date: dt.date | None, today: dt.date | None = None) -> Deadline | None:
    return Deadline(date, today or timezone.localdate()) if date else None


@dataclass
class EnterpriseRow:
    """One enterprise of the year: its plan (target in yuan), its report, its stage and county."""

    enterprise: Organisation
    county: str
    plan: RdPlan | None
    report: RdReport | None

    @property
    def stage(self) -> Stage:
        return stage_of(self.report)

    @property
    def level(self) -> str:
        """For a report waiting for review, the level it waits at."""
        return WAITING_LEVEL.get(self.report.status, "") if self.report is not None else ""

    @property
    def target(self) -> Decimal | None:
        return self.plan.target_expense if self.plan is not None else None

    @property
    def target_qian(self) -> Decimal | int | None:
        return qian(self.target)

    @property
    def expense_qian(self) -> Decimal | int | None:
        return qian(self.report.rd_expense_total) if self.report is not None else None


@dataclass
class CountyCounts:
    """Enterprises per stage in one county (or the scope root's own level)."""

    name: str
    region: Region | None
    counts: list[int]
    deadline: Deadline | None = None

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Overview:
    """The dashboard of a year for a user."""

    year: int
    rows: list[EnterpriseRow]
    counties: list[CountyCounts]
    deadline: Deadline | None
    stages: list[tuple[str, str]] = field(default_factory=lambda: list(Stage.choices))

    def by_stage(self) -> list[tuple[Stage, list[EnterpriseRow]]]:
        return [(stage, [r for r in self.rows if r.stage == stage]) for stage in Stage]

    @property
    def totals(self) -> list[int]:
        return [sum(c.counts[i] for c in self.counties) for i in range(len(Stage))]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def waiting_levels(self) -> list[tuple[str, int]]:
        counter = Counter(r.level for r in self.rows if r.stage == Stage.WAITING)
        return [(label, counter[label]) for label in WAITING_LEVEL.values() if counter[label]]


def county_groups(user: Any) -> tuple[Region | None, list[Region], str]:
    """The scope root, the regions its figures are grouped by (the root's children — counties and parks
    — for a city; the root itself below city level) and the label of the root's own level."""
    root = scope_root(user)
    if root is None:
        return None, list(Region.objects.filter(parent__isnull=True)), "其他"
    if root.level in (RegionLevel.CITY, RegionLevel.PROVINCE):
        children = sorted(root.children.all(), key=lambda r: (r.level == RegionLevel.PARK, r.code or "", r.pk))
        return root, children, f"{root.name}（本级）"
    return root, [root], root.name


def group_of(path: str, groups: list[Region], own: str) -> str:
    return next((g.name for g in groups if path.startswith(g.path)), own)


def overview(user: Any, year: int, today: dt.date | None = None) -> Overview:
    """The enterprises in scope for ``year`` with their stage, counts by county and the deadline."""
    today = today or timezone.localdate()
    plans = {p.enterprise_id: p for p in RdPlan.objects.visible_to(user).filter(year=year)
             .select_related("enterprise__region")}
    reports = {r.enterprise_id: r for r in RdReport.objects.visible_to(user).filter(year=year)
               .select_related("enterprise__region")}
    root, groups, own = county_groups(user)
    rows = []
    for enterprise_id in plans.keys() | reports.keys():
        source = plans.get(enterprise_id) or reports[enterprise_id]
        enterprise = source.enterprise
        rows.append(EnterpriseRow(enterprise, group_of(enterprise.region.path, groups, own),
                                  plans.get(enterprise_id), reports.get(enterprise_id)))
    order = {g.name: i for i, g in enumerate(groups)}
    rows.sort(key=lambda r: (order.get(r.county, len(order)), r.enterprise.name))
    known = dict(ReportingDeadline.objects.filter(year=year).values_list("region_id", "deadline"))
    counter = Counter((r.county, r.stage) for r in rows)
    counties = []
    names = [g.name for g in groups] + ([own] if own not in order else [])
    regions = {g.name: g for g in groups}
    for name in names:
        counts = [counter[(name, stage)] for stage in Stage]
        region = regions.get(name, root)
        if sum(counts) or name in regions:
            counties.append(CountyCounts(name, region, counts,
                                         deadline(deadline_of_region(region, year, known), today)))
    if user.role == Role.ENTERPRISE_USER and user.organisation_id:
        mine = deadline_of_region(user.organisation.region, year, known)
    else:
        mine = deadline_of_region(root, year, known)
    return Overview(year, rows, counties, deadline(mine, today))


def enterprise_reports(user: Any) -> list[RdReport]:
    """An enterprise user's own reports, newest year first."""
    return list(RdReport.objects.visible_to(user).select_related("enterprise").order_by("-year"))
