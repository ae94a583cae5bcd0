"""R&D expenditure of a year by county and by industry, and regional R&D intensity.

Counted reports: those **submitted or later** — 已报送待县级预审, 县级已预审, 市级已审核 and 已报送统计部门
(:data:`COUNTED`); drafts and reports returned for correction are not counted (their figures are not
the enterprise's final word). Figures per report: 研究开发费用合计 ([7], ``rd_expense_total``) and R&D经费内部支出
(``internal_expenditure``, derived by the engine, spec §5.3 [M]), both in yuan, summed exactly.

Regional R&D intensity = internal expenditure of the region's counted reports / the region's GDP
(:class:`~kechuang.rdreport.models.RegionalGdp` of the year), by the engine's
:func:`~kechuang.engines.rdreport.rd_intensity` (spec §5.3; T21: 25 亿 / 2,500 亿 = 1.00 %). The platform only
holds the reports it collects, so this is the intensity of the reporting enterprises, not the statistics
bureau's 全社会 figure. A region without a GDP for the year has no intensity; the city's intensity uses the
city's own GDP, never a sum of county figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from kechuang.common.access import ADD, CHANGE, VIEW, can, role_allows
from kechuang.core.choices import REGION_ROLES, RegionLevel
from kechuang.core.facts import section_name, section_of
from kechuang.core.models import Region
from kechuang.engines.rdreport import ReportInputError, fmt_percent, rd_intensity
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.dashboard import county_groups, group_of
from kechuang.rdreport.models import RdReport, RegionalGdp

COUNTED = (ReportStatus.SUBMITTED, ReportStatus.COUNTY_REVIEWED, ReportStatus.CITY_REVIEWED,
           ReportStatus.DELIVERED)
"""Report states whose figures count in the aggregates (submitted or later)."""

YI = Decimal(10) ** 8
WAN = Decimal(10) ** 4


@dataclass
class Aggregate:
    """Counted reports of one group (county, industry section or the whole scope); money in yuan."""

    label: str
    region: Region | None = None
    reports: int = 0
    rd_expense: Decimal = Decimal(0)
    internal: Decimal = Decimal(0)
    gdp: Decimal | None = None

    @property
    def intensity(self) -> Decimal | None:
        """internal / GDP as a fraction (0.01 = 1.00 %); None without a positive GDP."""
        if not self.gdp:
            return None
        try:
            return rd_intensity(self.internal, self.gdp)
        except ReportInputError:
            return None

    @property
    def intensity_text(self) -> str:
        return fmt_percent(self.intensity) if self.intensity is not None else "—"

    def add(self, rd_expense: Decimal | None, internal: Decimal | None) -> None:
        self.reports += 1
        self.rd_expense += rd_expense or 0
        self.internal += internal or 0


@dataclass
class Aggregates:
    """A year's aggregates for a user: by county (with the scope's total) and by industry section."""

    year: int
    counties: list[Aggregate]
    total: Aggregate
    industries: list[Aggregate] = field(default_factory=list)

    def chart(self) -> dict[str, Any]:
        """Chart data: county names, expenditure in 万元, intensity in percent (None without GDP)."""
        def wan(value: Decimal) -> float:
            return float((value / WAN).quantize(Decimal("0.1")))

        return {
            "year": self.year,
            "names": [a.label for a in self.counties],
            "rd_expense": [wan(a.rd_expense) for a in self.counties],
            "internal": [wan(a.internal) for a in self.counties],
            "intensity": [float((a.intensity * 100).quantize(Decimal("0.01"))) if a.intensity is not None else None
                          for a in self.counties],
            "total_intensity": float((self.total.intensity * 100).quantize(Decimal("0.01")))
            if self.total.intensity is not None else None,
        }


def counted_reports(user: Any, year: int) -> QuerySet:
    """The reports of ``year`` the user may see that count (:data:`COUNTED`)."""
    return RdReport.objects.visible_to(user).filter(year=year, status__in=COUNTED)


def gdp_of(regions: list[Region], year: int) -> dict[int, Decimal]:
    """Region id → GDP of ``year`` (yuan), for the regions that have one."""
    return dict(RegionalGdp.objects.filter(year=year, region__in=regions).values_list("region_id", "gdp"))


def by_county(user: Any, year: int) -> tuple[list[Aggregate], Aggregate]:
    """Counted reports by county-level division (and park) under the user's scope root, with GDP and
    intensity; and the scope's total with the root's GDP (the city's intensity)."""
    root, groups, own = county_groups(user)
    rows = {g.name: Aggregate(g.name, g) for g in groups}
    total = Aggregate(root.name if root else "合计", root)
    for path, expense, internal in counted_reports(user, year).values_list(
            "enterprise__region__path", "rd_expense_total", "internal_expenditure"):
        name = group_of(path, groups, own)
        rows.setdefault(name, Aggregate(name, root)).add(expense, internal)
        total.add(expense, internal)
    gdp = gdp_of([g for g in groups] + ([root] if root else []), year)
    for row in rows.values():
        if row.region in groups:  # the root's own level has no GDP of its own: the root's is the total's
            row.gdp = gdp.get(row.region.pk)
    if root is not None:
        total.gdp = gdp.get(root.pk)
    return list(rows.values()), total


def by_industry(user: Any, year: int) -> list[Aggregate]:
    """Counted reports by GB/T 4754-2017 section (门类) of the enterprise's industry code, largest first."""
    rows: dict[str, Aggregate] = {}
    for code, expense, internal in counted_reports(user, year).values_list(
            "enterprise__industry_code", "rd_expense_total", "internal_expenditure"):
        label = f"{section_of(code)} {section_name(code)}" if code else "未填行业"
        rows.setdefault(label, Aggregate(label)).add(expense, internal)
    return sorted(rows.values(), key=lambda a: (-a.rd_expense, a.label))


def aggregates(user: Any, year: int) -> Aggregates:
    """Everything of the aggregates page."""
    counties, total = by_county(user, year)
    return Aggregates(year, counties, total, by_industry(user, year))


def years(user: Any) -> list[int]:
    """Years with counted reports or GDP the user may see, newest first."""
    found = set(RdReport.objects.visible_to(user).filter(status__in=COUNTED).values_list("year", flat=True))
    found |= set(RegionalGdp.objects.visible_to(user).values_list("year", flat=True))
    return sorted(found, reverse=True)


# ------------------------------------------------------------------------------------------------- GDP


def gdp_regions(user: Any) -> list[Region]:
    """The regions whose GDP the user may see on the GDP page: its scope root and the county-level
    divisions and parks right below a city root."""
    if not role_allows(user, RegionalGdp, VIEW) or user.role not in REGION_ROLES and not user.is_superuser:
        return []
    root, groups, _ = county_groups(user)
    regions = ([root] if root is not None else []) + [g for g in groups if g != root]
    allowed = set(Region.objects.assignable_by(user).values_list("pk", flat=True))
    return [r for r in regions if r.pk in allowed and r.level != RegionLevel.PROVINCE]


def may_set_gdp(user: Any, region: Region) -> bool:
    """Whether ``user`` may enter the GDP of ``region``: city administrators and county officers, in
    their own region's subtree (the GDP row's access scope; a new row: the region must be theirs)."""
    if not (role_allows(user, RegionalGdp, ADD) and role_allows(user, RegionalGdp, CHANGE)):
        return False
    held = RegionalGdp.objects.filter(region=region).first()
    if held is not None:
        return can(user, CHANGE, held)
    return Region.objects.assignable_by(user).filter(pk=region.pk).exists()
