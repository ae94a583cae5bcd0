"""The three registries of the technology market, each declared once on the registry kit
(:mod:`kechuang.common.registry`): pages, URLs, import, template, export and API come from these."""

from __future__ import annotations

from typing import Any

from kechuang.common.imports import ImportFileError
from kechuang.common.registry import Registry, RegistryApi
from kechuang.market import api_schemas as schemas
from kechuang.market import tables
from kechuang.market.filters import AchievementFilter, DemandFilter, ExpertFilter
from kechuang.market.forms import AchievementForm, DemandForm, ExpertForm, in_yuan
from kechuang.market.importers import (
    PRESETS,
    AchievementImporter,
    DemandImporter,
    ExpertImporter,
    make_importer,
)
from kechuang.market.models import Achievement, Demand, Expert
from kechuang.market.services import save_record, transition_record


def field_suggestion(obj: Any) -> Any:
    """The technical-field suggestion for a record without a field (achievements and demands)."""
    if not hasattr(obj, "field_id") or obj.field_id:
        return None
    from kechuang.matchmaking.services import field_suggestion as suggest

    return suggest(obj)


def _importer_of(key: str) -> Any:
    def new(user: Any, preset: str | None) -> tuple[Any, dict[str, str]]:
        try:
            return make_importer(key, user, preset, user.region)
        except KeyError as exc:
            raise ImportFileError(str(exc.args[0])) from exc
    return new


def _presets(key: str) -> dict[str, str]:
    return {k: p.label for k, p in PRESETS.items() if p.registry == key}


# Shared by the three declarations: the market's namespace, workflow services, and import presets.
def _market(key: str, name: str, **declared: Any) -> Registry:
    return Registry(key=key, name=name, namespace="market", make_importer=_importer_of(key), presets=_presets(key),
                    save=save_record, transition=transition_record, **declared)


# The API keeps money in yuan (元), whatever unit the pages show (万元): see README, API section.
ACHIEVEMENTS = _market(
    "achievements", "achievement", label="科技成果", model=Achievement, form=AchievementForm,
    filterset=AchievementFilter, table=tables.ACHIEVEMENT_TABLE, export_table=tables.ACHIEVEMENT_EXPORT,
    importer=AchievementImporter, related=("owner", "field"), detail_template="market/achievement_detail.html",
    detail_context=lambda obj, user: {"suggestion": field_suggestion(obj),
                                      "linked_experts": obj.inventors.visible_to(user)},
    api=RegistryApi(schemas.AchievementOut, schemas.AchievementIn, schemas.achievement, in_yuan(AchievementForm)),
)

DEMANDS = _market(
    "demands", "demand", label="技术需求", model=Demand, form=DemandForm,
    filterset=DemandFilter, table=tables.DEMAND_TABLE, export_table=tables.DEMAND_EXPORT,
    importer=DemandImporter, related=("enterprise", "field"), detail_template="market/demand_detail.html",
    detail_context=lambda obj, user: {"suggestion": field_suggestion(obj)},
    api=RegistryApi(schemas.DemandOut, schemas.DemandIn, schemas.demand, in_yuan(DemandForm)),
)

EXPERTS = _market(
    "experts", "expert", label="专家", model=Expert, form=ExpertForm,
    filterset=ExpertFilter, table=tables.EXPERT_TABLE, export_table=tables.EXPERT_EXPORT,
    importer=ExpertImporter, related=("organisation",), detail_template="market/expert_detail.html",
    detail_context=lambda obj, user: {"linked_achievements": obj.achievements.visible_to(user)},
    api=RegistryApi(schemas.ExpertOut, schemas.ExpertIn, schemas.expert, in_yuan(ExpertForm)),
)

REGISTRIES = {r.key: r for r in (ACHIEVEMENTS, DEMANDS, EXPERTS)}
