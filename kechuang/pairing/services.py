"""Pairing campaigns: affinities from the matching engine, the optimal conflict-free assignment from
the assignment engine, hand swaps re-validated against the same rules, publication and export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kechuang.common.access import ADD, VIEW, can, restricted_fields, role_allows
from kechuang.common.workflow import run_transition
from kechuang.core.models import Organisation
from kechuang.engines.pairing import AssignmentError, assign, derive_conflicts
from kechuang.market.models import Expert, TechField
from kechuang.matchmaking.services import county_key, experts_for_enterprise
from kechuang.pairing.choices import CampaignStatus, Response, Side
from kechuang.pairing.models import (
    CONTACT_FIELDS,
    Pairing,
    PairingCampaign,
    PairScore,
    ServiceVisit,
    side_of,
)

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


@transaction.atomic
def create_campaign(form: Any, user: Any) -> PairingCampaign:
    """Create a campaign from a valid :class:`~kechuang.pairing.forms.CampaignForm` (a draft, without
    participants yet); ``user`` is recorded as its creator.

    Raises:
        PermissionDenied: the user's role may not organise campaigns.
        ValueError: the form is not valid (the caller shows its errors first).
    """
    if not role_allows(user, PairingCampaign, ADD):
        raise PermissionDenied("只有科技部门人员可以组织结对活动")
    if not form.is_valid():
        raise ValueError("create_campaign needs a valid form")
    campaign = form.save(commit=False)
    campaign.created_by = user
    campaign._history_user = user
    campaign.save()
    return campaign


def affinities(campaign: PairingCampaign) -> Affinities:
    """Score every enterprise against every expert of the campaign with the matching engine: the
    enterprise's profile (industry, products, demands) is the query, the experts' profiles the corpus."""
    enterprises = list(campaign.enterprises.select_related("region__parent").order_by("pk"))
    experts = list(campaign.experts.select_related("region__parent", "organisation").order_by("pk"))
    column = {e.pk: j for j, e in enumerate(experts)}
    matrix = np.zeros((len(enterprises), len(experts)))
    terms: dict[tuple[int, int], tuple[str, ...]] = {}
    for i, enterprise in enumerate(enterprises):
        results = experts_for_enterprise(enterprise, list(column))
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
        item_regions=[county_key(e.region) for e in enterprises],
        expert_orgs=[x.organisation_id for x in experts],
        expert_avoid=[list(x.avoid_organisations.values_list("pk", flat=True)) for x in experts],
        expert_regions=[county_key(x.region) for x in experts],
        same_county=campaign.same_county_conflict,
        org_names={o.pk: o.name for o in enterprises},
    )


def capacity_of(campaign: PairingCampaign, expert: Expert) -> int:
    """How many enterprises the expert may take in this campaign: the expert's own limit, capped by the
    campaign's (one-to-one campaigns set 1)."""
    if campaign.max_per_expert:
        return min(expert.max_load, campaign.max_per_expert)
    return expert.max_load


def refuse_if_visited(campaign: PairingCampaign) -> None:
    """Refuse to replace a campaign's pairs once any pair has service visits recorded (a withdrawn
    publication keeps its pairs, answers and visits; recomputing or changing the participants would delete
    them with the pairs).

    Raises:
        ValidationError: a pair of the campaign has visits; the message names the pairs.
    """
    visited = sorted({f"{v.pairing.enterprise.name}—{v.pairing.expert.name}" for v in
                      ServiceVisit.objects.filter(pairing__campaign=campaign)
                      .select_related("pairing__enterprise", "pairing__expert")})
    if visited:
        raise ValidationError(f"已有服务记录的结对（{'、'.join(visited[:5])}{'等' if len(visited) > 5 else ''}）"
                              "不能重新生成方案或调整参与名单；服务记录须保留，可对其他结对逐个改派")


@transaction.atomic
def _store_scores(campaign: PairingCampaign, data: Affinities) -> None:
    """Replace the campaign's stored affinity matrix with ``data`` (every cell, zeros included, so a hand
    change to any participant is scored from the same matrix)."""
    campaign.scores.all().delete()
    PairScore.objects.bulk_create(
        [PairScore(campaign=campaign, enterprise=enterprise, expert=expert, affinity=float(data.matrix[i, j]),
                   matched_terms="、".join(data.terms.get((i, j), ()))[:500])
         for i, enterprise in enumerate(data.enterprises) for j, expert in enumerate(data.experts)],
        batch_size=2000)


@transaction.atomic
def compute(campaign: PairingCampaign, user: Any) -> list[Pairing]:
    """Compute the optimal assignment, replace the campaign's pairings with it and store the affinity
    matrix it was computed from (hand changes are scored from it, see :func:`score_of`).

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
    refuse_if_visited(campaign)
    campaign.pairings.all().delete()
    _store_scores(campaign, data)
    pairings = [Pairing(campaign=campaign, enterprise=data.enterprises[i], expert=data.experts[j],
                        affinity=float(data.matrix[i, j]), matched_terms="、".join(data.terms.get((i, j), ()))[:500])
                for i, j in result.pairs.tolist()]
    for pairing in pairings:
        pairing.save()
    campaign.total_affinity = campaign.computed_affinity = float(result.total_affinity)
    run_transition(campaign, "mark_computed", user, f"总匹配度 {result.total_affinity:.2f}")
    return pairings


def score_of(campaign: PairingCampaign, enterprise: Organisation, expert: Expert) -> tuple[float, str]:
    """The affinity and matched terms of one pair, from the matrix the campaign's plan was computed from.

    A campaign computed before matrices were stored has none: the matrix is computed then for all its
    participants at once (the same scoring as :func:`compute`) and stored, never a one-expert search
    (whose fused score is on another scale: a pair with no matched words scored 0.600 where the matrix
    has 0.057).
    """
    cell = campaign.scores.filter(enterprise=enterprise, expert=expert).first()
    if cell is None:
        _store_scores(campaign, affinities(campaign))
        cell = campaign.scores.filter(enterprise=enterprise, expert=expert).first()
    if cell is None:  # not a participant of the campaign
        return 0.0, ""
    return cell.affinity, cell.matched_terms


@dataclass(frozen=True)
class Move:
    """One change of a hand swap: ``enterprise`` now has ``new`` instead of ``old`` (affinities from the
    campaign's matrix)."""

    enterprise: str
    old: str
    new: str
    old_affinity: float
    new_affinity: float

    def __str__(self) -> str:
        return (f"{self.enterprise}：{self.old} → {self.new}"
                f"（匹配度 {self.old_affinity:.3f} → {self.new_affinity:.3f}）")


@transaction.atomic
def swap(pairing: Pairing, expert: Expert, user: Any) -> list[Move]:
    """Give the pairing's enterprise another expert by hand, checked against the campaign's rules. When
    that expert has no capacity left, the two enterprises exchange experts if the exchange breaks no rule
    (in a one-to-one campaign every expert is taken, so an exchange is the only hand change there is).
    New pairs are scored from the matrix the plan was computed from, so the total stays comparable with
    (and, the plan being optimal, never above) the computed one.

    Returns:
        The moves made: one for a plain change, two when two enterprises exchanged experts.

    Raises:
        ValidationError: the campaign is published, the expert is not in the campaign, is in conflict
            with the enterprise, is already paired with it, or has no capacity left and cannot be
            exchanged, or the pairing already has service visits (Chinese message).
    """
    campaign = pairing.campaign
    if campaign.status == CampaignStatus.PUBLISHED:
        raise ValidationError("结对结果已发布，不能再调整；如需调整请先撤回发布")
    if not campaign.experts.filter(pk=expert.pk).exists():
        raise ValidationError(f"{expert.name} 未参加本次活动")
    if pairing.expert_id == expert.pk:
        raise ValidationError(f"{expert.name} 已与 {pairing.enterprise.name} 结对")
    report = conflicts(campaign, [pairing.enterprise], [expert])
    reasons = report.reasons_for(0, 0)
    if reasons:
        raise ValidationError("；".join(r.reason for r in reasons))
    if campaign.pairings.filter(enterprise=pairing.enterprise, expert=expert).exists():
        raise ValidationError(f"{expert.name} 已与 {pairing.enterprise.name} 结对")
    moves = []
    load = campaign.pairings.filter(expert=expert).count()
    if load >= capacity_of(campaign, expert):
        other = _exchange_partner(pairing, expert)
        if other is None:
            raise ValidationError(f"{expert.name} 已结对 {load} 家企业，达到上限 {capacity_of(campaign, expert)}，"
                                  "且不能与其结对企业互换专家")
        moves.append(_assign(other, pairing.expert, user))
    moves.insert(0, _assign(pairing, expert, user))
    campaign.total_affinity = sum(campaign.pairings.values_list("affinity", flat=True))
    campaign._change_reason = "人工改派：" + "；".join(str(m) for m in moves)
    campaign.save()
    return moves


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


def _assign(pairing: Pairing, expert: Expert, user: Any) -> Move:
    if pairing.visits.exists():
        raise ValidationError(f"{pairing.enterprise.name} 与 {pairing.expert.name} 已有服务记录，不能改派")
    move_from, old_affinity = pairing.expert.name, pairing.affinity
    pairing.expert, pairing.manual = expert, True
    pairing.affinity, pairing.matched_terms = score_of(pairing.campaign, pairing.enterprise, expert)
    pairing.enterprise_response = pairing.expert_response = Response.PENDING  # a new pair: to be confirmed again
    pairing.enterprise_reason = pairing.expert_reason = ""
    pairing._change_reason = f"人工改派：{user}"
    pairing.save()
    return Move(pairing.enterprise.name, move_from, expert.name, old_affinity, pairing.affinity)


@dataclass(frozen=True)
class SwapChoice:
    """One expert offered for a hand change of a pairing: field names, the enterprises the expert is
    paired with now, the affinity for this enterprise (from the campaign's matrix), the change of the
    campaign's total if chosen (None when the change is not allowed) and why it is not allowed."""

    expert: Expert
    fields: list[str]
    current: list[str]
    affinity: float
    delta: float | None
    blocked: str


def swap_choices(pairing: Pairing) -> list[SwapChoice]:
    """Every other expert of the campaign as a :class:`SwapChoice`, best affinity for this enterprise
    first. Scores come from the matrix the plan was computed from."""
    campaign = pairing.campaign
    score_of(campaign, pairing.enterprise, pairing.expert)  # stores the matrix of an older campaign
    scores = {(s.enterprise_id, s.expert_id): s.affinity for s in campaign.scores.all()}
    current: dict[int, list[Pairing]] = {}
    for other in campaign.pairings.select_related("enterprise"):
        current.setdefault(other.expert_id, []).append(other)
    field_names = dict(TechField.objects.values_list("code", "name"))
    experts = list(campaign.experts.select_related("region__parent", "organisation")
                   .prefetch_related("avoid_organisations").exclude(pk=pairing.expert_id))
    report = conflicts(campaign, [pairing.enterprise], experts)
    mine = scores.get((pairing.enterprise_id, pairing.expert_id), pairing.affinity)
    choices = []
    for j, expert in enumerate(experts):
        affinity = scores.get((pairing.enterprise_id, expert.pk), 0.0)
        held = current.get(expert.pk, [])
        blocked, delta = "；".join(r.reason for r in report.reasons_for(0, j)), None
        if not blocked and any(p.enterprise_id == pairing.enterprise_id for p in held):
            blocked = "已与本企业结对"
        if not blocked:
            if len(held) < capacity_of(campaign, expert):
                delta = affinity - mine
            else:
                partner = _exchange_partner(pairing, expert)
                if partner is None:
                    blocked = "已达结对上限，且不能互换"
                else:
                    delta = (affinity - mine + scores.get((partner.enterprise_id, pairing.expert_id), 0.0)
                             - scores.get((partner.enterprise_id, expert.pk), partner.affinity))
        choices.append(SwapChoice(expert, [field_names.get(c, c) for c in expert.field_codes],
                                  [p.enterprise.name for p in held], affinity, delta, blocked))
    choices.sort(key=lambda c: (bool(c.blocked), -c.affinity, c.expert.name))
    return choices


def publish(campaign: PairingCampaign, user: Any) -> PairingCampaign:
    """Publish the pairings: each expert and enterprise then sees its own, with the other side's contact
    details, and may confirm or decline it.

    Raises:
        PermissionDenied: not computed, or the user is not staff over the campaign (Chinese message).
    """
    return run_transition(campaign, "publish", user, f"{campaign.pairings.count()} 对结对")


def withdraw(campaign: PairingCampaign, user: Any, reason: str) -> PairingCampaign:
    """Withdraw a published campaign back to its computed plan (the sides no longer see it; the plan may
    then be changed and published again). The reason is kept in the campaign's history.

    Raises:
        ValidationError: no reason given.
        PermissionDenied: not published, or the user is not staff over the campaign.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写撤回理由")
    return run_transition(campaign, "withdraw", user, reason)


@dataclass(frozen=True)
class ContactCard:
    """One side's contact person and phone (blank when not registered)."""

    name: str
    phone: str
    extra: str = ""


def contacts(pairing: Pairing, user: Any) -> dict[str, ContactCard] | None:
    """The contact details of both sides of ``pairing`` (``"enterprise"``: its first registered contact
    person, else its user account with a phone; ``"expert"``: the expert's phone and e-mail), or None
    when the user may not see them (decided by the pairing's access scope, see
    :func:`kechuang.pairing.models.may_see_contacts`)."""
    if set(CONTACT_FIELDS) & restricted_fields(user, pairing):
        return None
    enterprise = pairing.enterprise
    person = enterprise.contacts.order_by("pk").first()
    if person is not None:
        card = ContactCard(person.name, person.phone, person.position)
    else:
        account = enterprise.users.exclude(phone="").order_by("pk").first()
        card = ContactCard(account.full_name or account.username, account.phone) if account else ContactCard("", "")
    expert = pairing.expert
    return {"enterprise": card, "expert": ContactCard(expert.name, expert.phone, expert.email)}


@transaction.atomic
def respond(pairing: Pairing, user: Any, confirmed: bool, reason: str = "") -> Pairing:
    """The user's side of a published pair confirms it, or declines it with a reason (kept in the
    pairing's history; staff see it on the campaign's page).

    Raises:
        PermissionDenied: the user is neither side of the pair.
        ValidationError: the campaign is not published, or a decline without a reason.
    """
    side = side_of(user, pairing)
    if side is None:
        raise PermissionDenied("只有结对的企业和专家本人可以确认")
    if pairing.campaign.status != CampaignStatus.PUBLISHED:
        raise ValidationError("结对结果尚未发布")
    reason = (reason or "").strip()
    if not confirmed and not reason:
        raise ValidationError("婉拒须填写理由")
    answer = Response.CONFIRMED if confirmed else Response.DECLINED
    setattr(pairing, f"{side}_response", answer)
    setattr(pairing, f"{side}_reason", "" if confirmed else reason[:500])
    pairing._change_reason = f"{Side(side).label}{answer.label}" + (f"：{reason[:80]}" if reason and not confirmed else "")
    pairing.save()
    return pairing


def may_record_visit(user: Any, pairing: Pairing) -> bool:
    """Whether the user may record a service visit of the pair: a role that may add visits, reaching the
    pairing (its two sides once published; staff over the campaign's region)."""
    return (pairing.campaign.status == CampaignStatus.PUBLISHED and role_allows(user, ServiceVisit, ADD)
            and can(user, VIEW, pairing))


@transaction.atomic
def record_visit(pairing: Pairing, user: Any, form: Any) -> ServiceVisit:
    """Save a service visit of the pair from a valid :class:`kechuang.pairing.forms.ServiceVisitForm`.

    Raises:
        PermissionDenied: the user may not record visits of this pair (see :func:`may_record_visit`).
    """
    if not may_record_visit(user, pairing):
        raise PermissionDenied("只有结对双方和科技部门人员可以登记服务记录（结对发布后）")
    visit = form.save(commit=False)
    visit.pairing, visit.recorded_by = pairing, user
    visit._change_reason = f"登记服务记录：{user}"
    visit.save()
    return visit
