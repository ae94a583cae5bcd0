"""Matching for users: rank the candidates of a record that the user may see, re-rank them with the
declared weights, explain each; and the matchmaking records staff make of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from kechuang.common.access import VIEW, scope_q
from kechuang.common.workflow import run_transition
from kechuang.core.models import Region
from kechuang.engines.matchmaking import QueryContext, RegionPreference, RerankWeights, rerank
from kechuang.market.choices import CooperationMode
from kechuang.market.models import Achievement, Demand, Expert, TechField
from kechuang.matchmaking.collections import (
    COLLECTIONS,
    DIRECTIONS,
    city_of,
    effective_field,
    field_features,
    own_parks,
    query_of,
    region_key,
)
from kechuang.matchmaking.index_store import store
from kechuang.matchmaking.models import MatchRecord

#: Retrieval depth before re-ranking.
CANDIDATES = 50
#: THE re-ranking weights of the platform (one place; see RerankWeights for each part's meaning).
WEIGHTS = RerankWeights(retrieval=1.0, field_agreement=0.3, trl_fit=0.2, region=0.15, freshness=0.1)
#: Demands whose cooperation mode means "ready to use" want TRL 6 or more (production readiness).
PRODUCTION_MODES = (CooperationMode.TRANSFER, CooperationMode.LICENCE)
PRODUCTION_TRL = 6


@dataclass
class Match:
    """One candidate for a record: the candidate, its rank and score, the explanation parts
    (name → value, weight, contribution), Chinese reasons, matched terms and a one-line summary."""

    collection: str
    record: Any
    rank: int
    score: float
    parts: dict[str, dict[str, float]]
    reasons: dict[str, str]
    matched_terms: tuple[str, ...]
    summary: str
    recordable: bool = False


def region_preference(obj: Any) -> RegionPreference:
    """Own city first (the query record's city, its parks by name), then the regions marked as the
    neighbouring cooperation zone (``Region.neighbour``, from the region file); nothing is hard-wired."""
    city = city_of(getattr(obj, "region", None))
    neighbours = tuple(str(code) for code in  # not null (filtered)
                       Region.objects.filter(neighbour=True, code__isnull=False).values_list("code", flat=True))
    if city is None or not city.code:
        return RegionPreference(own_prefixes=(), neighbour_prefixes=neighbours, own_names=())
    return RegionPreference(own_prefixes=(city.code[:4],), neighbour_prefixes=neighbours, own_names=own_parks(city))


def query_context(obj: Any) -> QueryContext:
    """What the query record wants: its field and, for a demand to use at once, TRL ≥ 6."""
    if isinstance(obj, Expert):
        codes = tuple(obj.field_codes)
        return QueryContext(disciplines=codes, categories=tuple({c[:2] for c in codes}), today=date.today())
    disciplines, categories = field_features(effective_field(obj))
    min_trl = PRODUCTION_TRL if isinstance(obj, Demand) and obj.cooperation_mode in PRODUCTION_MODES else None
    return QueryContext(disciplines=disciplines, categories=categories, min_trl=min_trl, today=date.today())


def allowed_ids(user: Any, collection: str) -> set[int]:
    """Ids of the collection's records the user may see (matches never leak what a user may not see)."""
    spec = COLLECTIONS[collection]
    q = scope_q(user, spec.model, VIEW)
    if q is None:
        return set()
    return set(spec.eligible().filter(q).values_list("pk", flat=True))


def matches_for(obj: Any, collection: str, user: Any, top_k: int = 10) -> list[Match]:
    """The best ``top_k`` candidates of ``collection`` for a demand, achievement or expert, among the
    records ``user`` may see, re-ranked and explained.

    Raises:
        KeyError: the collection is not a direction of this kind of record.
    """
    if collection not in DIRECTIONS.get(type(obj), ()):
        raise KeyError(f"{type(obj).__name__} is not matched against {collection}")
    spec = COLLECTIONS[collection]
    exclude = [obj.pk] if spec.model is type(obj) else []
    results = store().search(collection, query_of(obj), CANDIDATES, allowed_ids(user, collection), exclude)
    candidates = {c.pk: c for c in spec.eligible().filter(pk__in=[r.doc_id for r in results])}
    features = {pk: spec.features(c) for pk, c in candidates.items()}
    ranked = rerank(results, features, query_context(obj), weights=WEIGHTS, regions=region_preference(obj),
                    top_k=top_k)
    names = field_names([m.reasons.get("field_agreement", "") for m in ranked])
    return [Match(collection, candidates[m.doc_id], m.rank, m.score, {k: dict(v) for k, v in m.parts.items()},
                  {k: named_fields(v, names) for k, v in m.reasons.items()}, m.matched_terms,
                  named_fields(m.describe(), names)) for m in ranked]


#: The engine's field-agreement wording (field codes) → the platform's (technical field names).
_FIELD_WORDS = {"同学科": "同一技术领域", "同门类": "同一技术大类"}
_FIELD_CODE = re.compile(r"(同学科|同门类)：(\w+)")


def field_names(texts: list[str]) -> dict[str, str]:
    """Technical field code → Chinese name, for the codes named in the engine's explanations ``texts``
    (one query)."""
    codes = {code for text in texts for _, code in _FIELD_CODE.findall(text)}
    return dict(TechField.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def named_fields(text: str, names: dict[str, str]) -> str:
    """``text`` with the engine's "同学科：0402" / "同门类：04" written as the technical field by name
    ("同一技术领域：新型无机非金属材料"); an unknown code stays as given."""
    return _FIELD_CODE.sub(lambda m: f"{_FIELD_WORDS[m.group(1)]}：{names.get(m.group(2), m.group(2))}", text)


#: The counterpart collection of a demand, by the counterpart's model (a demand's directions).
_COUNTERPART = {Achievement: ("achievement", "achievements"), Expert: ("expert", "experts")}


def check_eligible(demand: Demand, counterpart: Any) -> None:
    """Refuse a matchmaking pair that matching itself would never show: the demand must be published and
    the counterpart one of the demand's match candidates — a published (or transferred) achievement, a
    published expert available for consultation, or a university, institute or hospital. A draft or
    withdrawn counterpart would show its title to the demand's enterprise.

    Raises:
        ValidationError: with a Chinese message naming what is not eligible.
    """
    from django.core.exceptions import ValidationError

    if not COLLECTIONS["demands"].eligible().filter(pk=demand.pk).exists():
        raise ValidationError("只有已发布的技术需求可以创建对接记录")
    _, collection = _COUNTERPART.get(type(counterpart), ("organisation", "institutions"))
    if collection not in DIRECTIONS[Demand]:
        raise ValidationError("技术需求不能与此类记录对接")
    spec = COLLECTIONS[collection]
    if not isinstance(counterpart, spec.model) or not spec.eligible().filter(pk=counterpart.pk).exists():
        raise ValidationError(f"对接对象须为已发布、可对接的{spec.label}（草稿、已撤回或暂停对接的记录不能对接）")


@transaction.atomic
def pair_match(demand: Demand, counterpart: Any, user: Any) -> Match | None:
    """The matching service's match of ``counterpart`` for ``demand`` — the same ranking, score and
    explanation as the demand's 推荐匹配 panel (:func:`matches_for`, over all ``CANDIDATES`` retrieved),
    among the records ``user`` may see; None when the engine does not rank the pair."""
    collection = _COUNTERPART.get(type(counterpart), ("organisation", ""))[1]
    if not collection:
        return None
    return next((m for m in matches_for(demand, collection, user, CANDIDATES) if m.record.pk == counterpart.pk),
                None)


def recommend(demand: Demand, counterpart: Any, user: Any) -> tuple[MatchRecord, bool]:
    """Turn a match into a matchmaking record (对接记录, status recommended); returns (record, created) —
    the existing record when the pair is already recorded.

    The score and explanation are computed here by the matching service (:func:`pair_match`), never
    taken from the client; a pair the engine does not rank gets no score and no explanation.

    Raises:
        ValidationError: the demand or the counterpart is not eligible (:func:`check_eligible`).
    """
    check_eligible(demand, counterpart)
    kind, _ = _COUNTERPART.get(type(counterpart), ("organisation", ""))
    existing = MatchRecord.objects.filter(demand=demand, **{kind: counterpart}).first()
    if existing is not None:
        return existing, False
    match = pair_match(demand, counterpart, user)
    return MatchRecord.objects.get_or_create(
        demand=demand, **{kind: counterpart},
        defaults={"score": match.score if match else None, "explanation": match.summary[:2000] if match else "",
                  "created_by": user, "region": demand.region})


def move(record: MatchRecord, name: str, user: Any, comment: str = "") -> MatchRecord:
    """Run a matchmaking transition (contact, negotiate, sign, drop). Dropping needs a reason.

    Raises:
        PermissionDenied: not allowed, or a drop without a reason.
    """
    from django.core.exceptions import PermissionDenied

    if name == "drop":
        if not comment.strip():
            raise PermissionDenied("终止对接须填写原因")
        record.drop_reason = comment.strip()
    return run_transition(record, name, user, comment)


# ------------------------------------------------------------------------- the face other apps call


def experts_for_enterprise(enterprise: Any, expert_ids: list[int]) -> list[Any]:
    """The experts ``expert_ids`` scored against one enterprise's profile (industry, products, demands as
    the query) in the matching index: the engine's search results (``doc_id`` = expert id, ``score``,
    ``matched_terms``), best first; experts without a match are absent. Used by the pairing campaigns."""
    document = COLLECTIONS["enterprises"].document
    return store().search("experts", document(enterprise), len(expert_ids), allowed_ids=list(expert_ids))


def county_key(region: Region | None) -> str | None:
    """The region as the matching and the pairing conflicts compare it: its division code (a park's
    nearest coded ancestor's), or its name; None without a region."""
    return region_key(region)


def field_suggestion(obj: Any) -> Any:
    """The technical-field suggestion (``FieldSuggestion``) for an achievement or a demand without a field,
    from the classifier trained on the records that have one; None when no classifier is trained yet."""
    from kechuang.matchmaking.suggest import suggest

    return suggest(obj)
