"""The cultivation pool (培育库): pool lists, tier counts by county and industry, the funnel by year.

Every function starts from what the user may see (``visible_to``), so a county officer's counts and
lists are its county's, an enterprise's its own. Pool membership (issue 6 §5), from the latest
evaluation of each enterprise in the year:

* tech-SME candidates: the tech-SME verdict is PASS and the enterprise is not registered that year;
* near-high-tech: not certified, HNTE not passed, able to qualify at all, and one condition short or the
  score range reaching 71 (``Evaluation.near_hnte``, set by :func:`kechuang.cultivation.services.summary_of`);
  those who can never qualify (``Evaluation.hnte_blocked``) are listed apart with the reason
  (:func:`never_near_hnte`);
* gazelle candidates: the gazelle verdict is PASS;
* HNTE certificates expiring within 12 months of ``today`` (from the profiles, whether evaluated or not).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from kechuang.core.dashboard import scope_root
from kechuang.core.industry import section_name, section_of
from kechuang.core.models import Region
from kechuang.cultivation.choices import Pool
from kechuang.cultivation.models import CultivationProfile, Evaluation
from kechuang.engines.cultivation import Tier
from kechuang.engines.cultivation.arithmetic import add_years

LADDER = [("", "未达到"), (Tier.TSME.value, Tier.TSME.label_zh), (Tier.HNTE.value, Tier.HNTE.label_zh),
          (Tier.GAZELLE.value, Tier.GAZELLE.label_zh)]


def latest(user: Any, year: int | None = None) -> QuerySet:
    """The latest evaluation of each enterprise the user may see (of ``year`` when given)."""
    qs = Evaluation.objects.visible_to(user).filter(is_latest=True).select_related("enterprise__region")
    return qs.filter(year=year) if year else qs


def years(user: Any) -> list[int]:
    """Evaluation years with results the user may see, newest first."""
    return sorted(set(Evaluation.objects.visible_to(user).values_list("year", flat=True)), reverse=True)


def pool_filter(pool: str) -> Q:
    """The condition on ``Evaluation`` rows of an evaluation-based pool."""
    return {
        Pool.TSME_CANDIDATES: Q(tsme_verdict="PASS", tsme_registered=False),
        Pool.NEAR_HNTE: Q(near_hnte=True, hnte_certified=False),
        Pool.GAZELLE_CANDIDATES: Q(gazelle_verdict="PASS"),
    }[Pool(pool)]


def never_near_hnte(evaluations: QuerySet, limit: int = 20) -> list[dict[str, Any]]:
    """Among ``evaluations`` (already narrowed to the user and the list's filters), the uncertified
    enterprises left out of the near-high-tech pool because they can never qualify, grouped by reason:
    ``[{"reason", "count", "names": first ``limit`` names}]``, largest group first."""
    groups: dict[str, list[str]] = {}
    rows = (evaluations.filter(hnte_certified=False).exclude(hnte_blocked="")
            .order_by("enterprise__name").values_list("hnte_blocked", "enterprise__name"))
    for reason, name in rows:
        groups.setdefault(reason, []).append(name)
    return sorted(({"reason": reason, "count": len(names), "names": names[:limit]} for reason, names in groups.items()),
                  key=lambda g: -g["count"])


def expiring_certificates(user: Any, today: dt.date) -> QuerySet:
    """Profiles whose HNTE certificate ends between ``today`` and 12 months later (inclusive)."""
    return (CultivationProfile.objects.visible_to(user)
            .filter(hnte_certificate_valid_until__gte=today,
                    hnte_certificate_valid_until__lte=add_years(today, 1))
            .select_related("enterprise__region").order_by("hnte_certificate_valid_until"))


@dataclass
class TierGrid:
    """Counts of enterprises by group (county or industry section) and highest tier reached."""

    title: str
    tiers: list[str]
    rows: list[tuple[str, list[int], int]]

    @property
    def totals(self) -> list[int]:
        return [sum(r[1][i] for r in self.rows) for i in range(len(self.tiers))]

    @property
    def total(self) -> int:
        return sum(r[2] for r in self.rows)


def _grid(title: str, pairs: list[tuple[str, str]], order: list[str] | None = None) -> TierGrid:
    counter = Counter(pairs)
    groups = order or sorted({g for g, _ in pairs})
    rows = []
    for group in groups:
        cells = [counter[(group, tier)] for tier, _ in LADDER]
        if sum(cells):
            rows.append((group, cells, sum(cells)))
    return TierGrid(title, [label for _, label in LADDER], rows)


def tiers_by_county(user: Any, year: int) -> TierGrid:
    """Highest tier reached by county-level division under the user's scope root."""
    root = scope_root(user)
    groups = list(root.children.all()) if root else list(Region.objects.filter(parent__isnull=True))
    own = f"{root.name}（本级）" if root else "其他"
    pairs = []
    for path, tier in latest(user, year).values_list("enterprise__region__path", "highest_tier"):
        label = next((g.name for g in groups if path.startswith(g.path)), own)
        pairs.append((label, tier))
    return _grid("按县（市、区）", pairs, [g.name for g in groups] + [own])


def tiers_by_industry(user: Any, year: int) -> TierGrid:
    """Highest tier reached by GB/T 4754 section of the enterprise's industry code."""
    pairs = []
    for code, tier in latest(user, year).values_list("enterprise__industry_code", "highest_tier"):
        pairs.append((f"{section_of(code)} {section_name(code)}" if code else "未填行业", tier))
    return _grid("按国民经济行业门类", pairs)


def funnel(user: Any) -> list[dict[str, Any]]:
    """Per evaluation year (oldest first): enterprises evaluated, and how many are tech SMEs (passing or
    registered), high-tech enterprises (passing or certified) and gazelles (passing)."""
    result = []
    for year in sorted(years(user)):
        qs = latest(user, year)
        result.append({
            "year": year,
            "evaluated": qs.count(),
            "tsme": qs.filter(Q(tsme_verdict="PASS") | Q(tsme_registered=True)).count(),
            "hnte": qs.filter(Q(hnte_verdict="PASS") | Q(hnte_certified=True)).count(),
            "gazelle": qs.filter(gazelle_verdict="PASS").count(),
        })
    return result
