"""What each matching index holds: which records, which text, which features.

Declared in one place: a collection names its model, the records that may appear (published and
available ones only — a withdrawn achievement is never a match), the fields fed to the index with
their weights (field boosts live in the engine's IndexConfig), and the plain features the
re-ranking uses (technical field, TRL, region, freshness).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kechuang.common.demo import DEMO_SUFFIX
from kechuang.core.choices import INSTITUTION_KINDS, OrganisationKind
from kechuang.core.facts import section_name
from kechuang.core.models import Organisation, Region
from kechuang.engines.matchmaking import CandidateFeatures
from kechuang.market.choices import AchievementStatus, DemandStatus, ExpertStatus
from kechuang.market.models import Achievement, Demand, Expert, TechField


def region_key(region: Region | None) -> str | None:
    """The region as the re-ranking sees it: its division code (a park's nearest coded ancestor's)."""
    if region is None:
        return None
    return region.division_code or region.name


def field_features(field: TechField | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(disciplines, categories) of a technical field: its own code and its top field's code."""
    if field is None:
        return (), ()
    return (field.code,), (field.code[:2],)


@dataclass(frozen=True)
class Collection:
    """One index: its name, Chinese label, model, eligible records, document fields and features."""

    name: str
    label: str
    model: Any
    eligible: Callable[[], QuerySet]
    document: Callable[[Any], dict[str, str]]
    features: Callable[[Any], CandidateFeatures]


def _bare(title: str) -> str:
    """A title without the demo marker, which would otherwise match every demo record."""
    return title.replace(DEMO_SUFFIX, "")


def _achievement_doc(a: Achievement) -> dict[str, str]:
    return {"title": _bare(a.title), "keywords": a.keywords.replace("；", " "), "text": a.summary,
            "field": a.field.name if a.field_id and a.field is not None else ""}


def _demand_doc(d: Demand) -> dict[str, str]:
    return {"title": _bare(d.title), "keywords": d.keywords.replace("；", " "), "text": d.description,
            "field": d.field.name if d.field_id and d.field is not None else ""}


def _expert_doc(e: Expert) -> dict[str, str]:
    titles = " ".join(_bare(a.title) for a in e.achievements.all()[:20])  # type: ignore[attr-defined]  # reverse M2M (related_name) the plugin cannot see: two relations share the name
    return {"name": e.name, "keywords": e.keywords.replace("；", " "), "text": f"{e.biography} {titles}",
            "field": " ".join(e.field_names)}


def _organisation_doc(o: Organisation) -> dict[str, str]:
    own = [_bare(a.title) + " " + a.keywords for a in o.achievements.filter(status__in=PUBLIC_ACHIEVEMENTS)[:30]]
    wants = [_bare(d.title) + " " + d.keywords for d in o.demands.filter(status=DemandStatus.PUBLISHED)[:30]]
    return {"name": _bare(o.name), "text": f"{o.description} {section_name(o.industry_code)} {' '.join(own + wants)}"}


PUBLIC_ACHIEVEMENTS = (AchievementStatus.PUBLISHED, AchievementStatus.NEGOTIATING)


def effective_field(obj: Any) -> TechField | None:
    """The record's technical field, or the classifier's suggestion when it has none."""
    if obj.field_id:
        return obj.field
    from kechuang.matchmaking.suggest import suggest

    suggestion = suggest(obj)
    return suggestion.field if suggestion else None


def _achievement_features(a: Achievement) -> CandidateFeatures:
    disciplines, categories = field_features(effective_field(a))
    return CandidateFeatures(disciplines=disciplines, categories=categories, trl=a.trl,
                             region=region_key(a.region), published_on=a.updated_at.date())


def _demand_features(d: Demand) -> CandidateFeatures:
    disciplines, categories = field_features(effective_field(d))
    return CandidateFeatures(disciplines=disciplines, categories=categories, region=region_key(d.region),
                             published_on=d.updated_at.date())


def _expert_features(e: Expert) -> CandidateFeatures:
    codes = tuple(e.field_codes)
    return CandidateFeatures(disciplines=codes, categories=tuple({c[:2] for c in codes}),
                             region=region_key(e.region), published_on=e.updated_at.date(), available=e.available)


def _organisation_features(o: Organisation) -> CandidateFeatures:
    return CandidateFeatures(region=region_key(o.region), published_on=o.updated_at.date())


COLLECTIONS: dict[str, Collection] = {
    "achievements": Collection(
        "achievements", "科技成果", Achievement,
        lambda: Achievement.objects.filter(status__in=PUBLIC_ACHIEVEMENTS).select_related("field", "region__parent"),
        _achievement_doc, _achievement_features),
    "demands": Collection(
        "demands", "技术需求", Demand,
        lambda: Demand.objects.filter(status=DemandStatus.PUBLISHED).select_related("field", "region__parent"),
        _demand_doc, _demand_features),
    "experts": Collection(
        "experts", "专家", Expert,
        lambda: Expert.objects.filter(status=ExpertStatus.PUBLISHED, available=True)
        .select_related("region__parent").prefetch_related("achievements"),
        _expert_doc, _expert_features),
    "institutions": Collection(
        "institutions", "高校院所", Organisation,
        lambda: Organisation.objects.filter(kind__in=INSTITUTION_KINDS).select_related("region__parent"),
        _organisation_doc, _organisation_features),
    "enterprises": Collection(
        "enterprises", "企业", Organisation,
        lambda: Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).select_related("region__parent"),
        _organisation_doc, _organisation_features),
}

#: Which collections each kind of record is matched against (issue: 供需对接 directions).
DIRECTIONS: dict[type, tuple[str, ...]] = {
    Demand: ("achievements", "experts", "institutions"),
    Achievement: ("demands", "enterprises"),
    Expert: ("demands",),
}


def query_of(obj: Any) -> dict[str, str]:
    """The query fields of a demand, achievement or expert (the same text its own document has)."""
    if isinstance(obj, Achievement):
        return _achievement_doc(obj)
    if isinstance(obj, Demand):
        return _demand_doc(obj)
    if isinstance(obj, Expert):
        return _expert_doc(obj)
    raise TypeError(f"no matching query for {type(obj).__name__}")


def city_of(region: Region | None) -> Region | None:
    return region.city if region is not None else None


def own_parks(city: Region) -> tuple[str, ...]:
    return tuple(Region.objects.filter(path__startswith=city.path, code__isnull=True).values_list("name", flat=True))


