"""Pairing campaigns: affinities from the matching engine, the optimal conflict-free assignment from
the assignment engine, hand swaps re-validated against the same rules, publication and export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.common.workflow import run_transition
from kechuang.core.models import Organisation
from kechuang.engines.assignment import AssignmentError, assign, derive_conflicts
from kechuang.market.models import Expert
from kechuang.matchmaking.collections import COLLECTIONS, region_key
from kechuang.matchmaking.index_store import store
from kechuang.pairing.models import Pairing, PairingCampaign

#: Fairness mode proves its max-min optimum by a MIP that can be slow on adversarial data; past this
#: limit (seconds) the best assignment found is used (flagged not proven optimal by the engine).
FAIR_TIME_LIMIT_S = 20.0


@dataclass
class Affinities:
    """``matrix``: float (n enterprises × m experts), the matching engine's fused score of the expert's
    profile for the enterprise's (0 when nothing matches); ``terms[(i, j)]``: matched terms of the pair."""

    enterprises: list[Organisation]
    experts: list[Expert]
    matrix: np.ndarray
    terms: dict[tuple[int, int], tuple[str, ...]]


def affinities(campaign: PairingCampaign) -> Affinities:
    """Score every enterprise against every expert of the campaign with the matching engine: the
    enterprise's profile (industry, products, demands) is the query, the experts' profiles the corpus."""
    enterprises = list(campaign.enterprises.select_related("region__parent").order_by("pk"))
    experts = list(campaign.experts.select_related("region__parent", "organisation").order_by("pk"))
    column = {e.pk: j for j, e in enumerate(experts)}
    matrix = np.zeros((len(enterprises), len(experts)))
    terms: dict[tuple[int, int], tuple[str, ...]] = {}
    indexed = store()
    document = COLLECTIONS["enterprises"].document
    for i, enterprise in enumerate(enterprises):
        results = indexed.search("experts", document(enterprise), len(experts), allowed_ids=list(column))
        for result in results:
            j = column[result.doc_id]
            matrix[i, j] = result.score
            terms[(i, j)] = result.matched_terms
    return Affinities(enterprises, experts, matrix, terms)


def conflicts(campaign: PairingCampaign, enterprises: list[Organisation], experts: list[Expert]):
    """Forbidden pairs of the campaign: the expert works at the enterprise, declared it to avoid, or
    (when the campaign says so) sits in the same county-level division."""
    return derive_conflicts(
        item_orgs=[[e.pk] for e in enterprises],
        item_regions=[region_key(e.region) for e in enterprises],
        expert_orgs=[x.organisation_id for x in experts],
        expert_avoid=[list(x.avoid_organisations.values_list("pk", flat=True)) for x in experts],
        expert_regions=[region_key(x.region) for x in experts],
        same_county=campaign.same_county_conflict,
        org_names={o.pk: o.name for o in enterprises},
    )


def capacity_of(campaign: PairingCampaign, expert: Expert) -> int:
    """How many enterprises the expert may take in this campaign: the expert's own limit, capped by the
    campaign's (one-to-one campaigns set 1)."""
    if campaign.max_per_expert:
        return min(expert.max_load, campaign.max_per_expert)
    return expert.max_load


@transaction.atomic
def compute(campaign: PairingCampaign, user: Any) -> list[Pairing]:
    """Compute the optimal assignment and replace the campaign's pairings with it.

    Raises:
        ValidationError: the campaign cannot be covered (too few conflict-free experts for some
            enterprise, or too little capacity); the Chinese messages name the enterprises. Nothing is
            saved then.
    """
    data = affinities(campaign)
    if not data.enterprises or not data.experts:
        raise ValidationError("请先选择参与的企业和专家")
    report = conflicts(campaign, data.enterprises, data.experts)
    try:
        result = assign(data.matrix, demand=campaign.experts_per_enterprise,
                        capacity=[capacity_of(campaign, x) for x in data.experts], forbidden=report.forbidden,
                        fair=campaign.fair, fair_time_limit=FAIR_TIME_LIMIT_S, item_labels=[e.name for e in data.enterprises],
                        expert_labels=[x.name for x in data.experts])
    except AssignmentError as exc:
        raise ValidationError(exc.messages) from exc
    campaign.pairings.all().delete()
    pairings = [Pairing(campaign=campaign, enterprise=data.enterprises[i], expert=data.experts[j],
                        affinity=float(data.matrix[i, j]), matched_terms="、".join(data.terms.get((i, j), ())))
                for i, j in result.pairs.tolist()]
    for pairing in pairings:
        pairing.save()
    campaign.total_affinity = float(result.total_affinity)
    run_transition(campaign, "mark_computed", user, f"总匹配度 {result.total_affinity:.2f}")
    return pairings


@transaction.atomic
@transaction.atomic
def swap(pairing: Pairing, expert: Expert, user: Any) -> Pairing:
    """Give the pairing's enterprise another expert by hand, checked against the campaign's rules. When
    that expert has no capacity left, the two enterprises exchange experts if the exchange breaks no rule
    (in a one-to-one campaign every expert is taken, so an exchange is the only hand change there is).

    Raises:
        ValidationError: the expert is not in the campaign, is in conflict with the enterprise, is
            already paired with it, or has no capacity left and cannot be exchanged (Chinese message).
    """
    campaign = pairing.campaign
    if campaign.status == "published":
        raise ValidationError("结对结果已发布，不能再调整")
    if not campaign.experts.filter(pk=expert.pk).exists():
        raise ValidationError(f"{expert.name} 未参加本次活动")
    report = conflicts(campaign, [pairing.enterprise], [expert])
    reasons = report.reasons_for(0, 0)
    if reasons:
        raise ValidationError("；".join(r.reason for r in reasons))
    if campaign.pairings.filter(enterprise=pairing.enterprise, expert=expert).exists():
        raise ValidationError(f"{expert.name} 已与 {pairing.enterprise.name} 结对")
    load = campaign.pairings.filter(expert=expert).count()
    if load >= capacity_of(campaign, expert):
        other = _exchange_partner(pairing, expert)
        if other is None:
            raise ValidationError(f"{expert.name} 已结对 {load} 家企业，达到上限 {capacity_of(campaign, expert)}，"
                                  "且不能与其结对企业互换专家")
        _assign(other, pairing.expert, user)
    _assign(pairing, expert, user)
    campaign.total_affinity = sum(campaign.pairings.values_list("affinity", flat=True))
    campaign.save()
    return pairing


def _exchange_partner(pairing: Pairing, expert: Expert) -> Pairing | None:
    """A pairing of ``expert`` whose enterprise may take ``pairing``'s expert instead (no conflict, not
    already paired with it), or None."""
    campaign, mine = pairing.campaign, pairing.expert
    for other in campaign.pairings.filter(expert=expert).exclude(enterprise=pairing.enterprise):
        if campaign.pairings.filter(enterprise=other.enterprise, expert=mine).exists():
            continue
        if not conflicts(campaign, [other.enterprise], [mine]).reasons_for(0, 0):
            return other
    return None


def _assign(pairing: Pairing, expert: Expert, user: Any) -> None:
    pairing.expert, pairing.manual = expert, True
    pairing.affinity, pairing.matched_terms = affinities_for_pair(pairing.enterprise, expert)
    pairing._change_reason = f"人工调整：{user}"
    pairing.save()


def affinities_for_pair(enterprise: Organisation, expert: Expert) -> tuple[float, str]:
    results = store().search("experts", COLLECTIONS["enterprises"].document(enterprise), 1, allowed_ids=[expert.pk])
    if not results:
        return 0.0, ""
    return float(results[0].score), "、".join(results[0].matched_terms)


def publish(campaign: PairingCampaign, user: Any) -> PairingCampaign:
    """Publish the pairings: each expert and enterprise then sees its own."""
    return run_transition(campaign, "publish", user)
