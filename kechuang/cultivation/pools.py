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
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from kechuang.core.facts import scope_root, section_name, section_of
from kechuang.core.models import Region
from kechuang.cultivation.choices import Pool
from kechuang.cultivation.models import CultivationProfile, Evaluation
from kechuang.engines.cultivation import Tier, Verdict
from kechuang.engines.cultivation.arithmetic import add_years

#: One definition per tier across the dashboard (funnel, trend, tables): ``pass`` 符合 = the tier's verdict
#: is PASS on the evaluation date; ``held`` 持证 = holds the tier's registration or certificate valid on that
#: date, whether or not it still meets the conditions; ``review`` 待复核 = the verdict is NEEDS_REVIEW (data
#: missing or an expert must judge). The three are counted side by side, never added together.
TIER_COUNTS: list[tuple[str, str, dict[str, Q]]] = [
    ("tsme", Tier.TSME.label_zh, {"pass": Q(tsme_verdict=Verdict.PASS.value), "held": Q(tsme_registered=True),
                                  "review": Q(tsme_verdict=Verdict.NEEDS_REVIEW.value)}),
    ("hnte", Tier.HNTE.label_zh, {"pass": Q(hnte_verdict=Verdict.PASS.value), "held": Q(hnte_certified=True),
                                  "review": Q(hnte_verdict=Verdict.NEEDS_REVIEW.value)}),
    ("gazelle", Tier.GAZELLE.label_zh, {"pass": Q(gazelle_verdict=Verdict.PASS.value),
                                        "review": Q(gazelle_verdict=Verdict.NEEDS_REVIEW.value)}),
]
COUNT_LABELS = {"pass": "符合", "held": "持证", "review": "待复核"}


def tier_counts(evaluations: QuerySet) -> dict[str, Any]:
    """``{"evaluated": n, "tsme": {"pass", "held", "review"}, "hnte": {…}, "gazelle": {…}}`` of
    ``evaluations`` (one query), by the definitions of :data:`TIER_COUNTS`; a count a tier does not have
    (gazelles hold no certificate) is None."""
    aggregates = {"evaluated": Count("pk")}
    for key, _, kinds in TIER_COUNTS:
        for kind, condition in kinds.items():
            aggregates[f"{key}__{kind}"] = Count("pk", filter=condition)
    values = evaluations.order_by().aggregate(**aggregates)
    result: dict[str, Any] = {"evaluated": values["evaluated"]}
    for key, _, _kinds in TIER_COUNTS:
        result[key] = {kind: values.get(f"{key}__{kind}") for kind in COUNT_LABELS}  # None: no such count
    return result


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
        Pool.TSME_CANDIDATES: Q(tsme_verdict=Verdict.PASS.value, tsme_registered=False),
        Pool.NEAR_HNTE: Q(near_hnte=True, hnte_certified=False),
        Pool.GAZELLE_CANDIDATES: Q(gazelle_verdict=Verdict.PASS.value),
    }[Pool(pool)]


def never_near_hnte(evaluations: QuerySet, limit: int = 20) -> list[dict[str, Any]]:
    """Among ``evaluations`` (already narrowed to the user and the list's filters), the uncertified
    enterprises left out of the near-high-tech pool because they can never qualify, grouped by reason:
    ``[{"reason", "count", "names": first ``limit`` names}]``, largest group first."""
    groups: dict[str, dict[int, str]] = {}  # an enterprise evaluated in several years counts once
    rows = (evaluations.filter(hnte_certified=False).exclude(hnte_blocked="")
            .order_by("enterprise__name").values_list("hnte_blocked", "enterprise_id", "enterprise__name"))
    for reason, enterprise_id, name in rows:
        groups.setdefault(reason, {})[enterprise_id] = name
    return sorted(({"reason": reason, "count": len(names), "names": list(names.values())[:limit]}
                   for reason, names in groups.items()), key=lambda g: -g["count"])


def expiring_certificates(user: Any, today: dt.date) -> QuerySet:
    """Profiles whose HNTE certificate ends between ``today`` and 12 months later (inclusive)."""
    return (CultivationProfile.objects.visible_to(user)
            .filter(hnte_certificate_valid_until__gte=today,
                    hnte_certificate_valid_until__lte=add_years(today, 1))
            .select_related("enterprise__region").order_by("hnte_certificate_valid_until"))


@dataclass
class TierGrid:
    """Counts by group (county or industry section): enterprises evaluated and, per tier, 符合 / 持证 /
    待复核 (:func:`tier_counts`); the totals row is what the funnel shows for the year."""

    title: str
    rows: list[tuple[str, dict[str, Any]]]
    columns: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=lambda: [
        (key, label, [(kind, COUNT_LABELS[kind]) for kind in kinds]) for key, label, kinds in TIER_COUNTS])
    total: dict[str, Any] = field(default_factory=dict)

    @property
    def evaluated(self) -> int:
        return self.total.get("evaluated", 0)

    def totals_of(self, tier: str) -> dict[str, int]:
        """The totals row's counts of ``tier`` (``"tsme"``, ``"hnte"``, ``"gazelle"``)."""
        return self.total[tier]

    def cells(self, counts: dict[str, Any]) -> list[int]:
        """One row's counts in column order (after the evaluated count)."""
        return [counts[key][kind] for key, _, kinds in self.columns for kind, _ in kinds]


def _grid(title: str, qs: QuerySet, groups: list[tuple[str, Q]]) -> TierGrid:
    rows = []
    for name, condition in groups:
        counts = tier_counts(qs.filter(condition))
        if counts["evaluated"]:
            rows.append((name, counts))
    return TierGrid(title, rows, total=tier_counts(qs))


def tiers_by_county(user: Any, year: int) -> TierGrid:
    """Counts by county-level division under the user's scope root (the root's own enterprises last)."""
    root = scope_root(user)
    children = list(root.children.all()) if root else list(Region.objects.filter(parent__isnull=True))
    groups = [(g.name, Q(enterprise__region__path__startswith=g.path)) for g in children]
    own = Q(pk__in=[])
    for g in children:
        own |= Q(enterprise__region__path__startswith=g.path)
    groups.append((f"{root.name}（本级）" if root else "其他", ~own))
    return _grid("按县（市、区）", latest(user, year), groups)


def tiers_by_industry(user: Any, year: int) -> TierGrid:
    """Counts by GB/T 4754 section of the enterprise's industry code."""
    qs = latest(user, year)
    codes = set(qs.values_list("enterprise__industry_code", flat=True))
    sections = sorted({section_of(code) for code in codes if code})
    groups = [(f"{s} {section_name(s)}", Q(enterprise__industry_code__startswith=s)) for s in sections]
    groups.append(("未填行业", Q(enterprise__industry_code="") | Q(enterprise__industry_code__isnull=True)))
    return _grid("按国民经济行业门类", qs, groups)


def funnel(user: Any) -> list[dict[str, Any]]:
    """Per evaluation year (oldest first): :func:`tier_counts` of the latest evaluations, with ``year``."""
    return [{"year": year, **tier_counts(latest(user, year))} for year in sorted(years(user))]
