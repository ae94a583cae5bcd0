"""Assessment of all tiers and 精准辅导 (coaching) for the next tier.

The ladder is 科技型中小企业 → 高新技术企业 → 瞪羚企业 (微成长 → 小升高 → 高壮大). The next tier is the
lowest tier above the highest one passed that is still within reach; a tier is out of reach when it
fails for a structural reason no effort changes (size above the SME limits, age above the gazelle
limit, not a resident enterprise). So an HNTE-sized firm above 2亿 revenue is coached towards HNTE or
gazelle, never towards tech SME (spec §2.3).

Coaching lists, for the next tier, every failing or unresolved condition with its smallest change
and source, then — when the tier's score is short — the points short per score part with the change
that reaches the next band. Every suggested change of figures is checked against all conditions of
the tier before it is emitted (:mod:`.feasibility`): one that would break another condition is
replaced by a feasible route (e.g. reclassify existing staff instead of hiring beyond the 500-staff
limit) or said plainly to have no route within the rules.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from functools import partial

from .config import BureauConfig
from .feasibility import route_for
from .figures import EnterpriseFigures
from .gazelle import evaluate_gazelle
from .hnte import evaluate_hnte
from .results import (
    Assessment,
    CoachingItem,
    ConditionResult,
    Reason,
    Remedy,
    Route,
    ScorePart,
    Tier,
    TierResult,
    Verdict,
)
from .tsme import evaluate_tsme

__all__ = ["OUT_OF_REACH", "assess", "coaching_for", "next_tier"]

OUT_OF_REACH = frozenset({Reason.SIZE, Reason.AGE, Reason.RESIDENT})
"""Reason codes that put a tier out of reach for coaching."""

_LADDER = (Tier.TSME, Tier.HNTE, Tier.GAZELLE)
_SCORE_CONDITIONS = frozenset({"HT-C7", "S-C5.score"})
_TSME_SCORE_ROUTE = frozenset({"S-C5.score", "S-C5.tech"})
_PASS, _FAIL = Verdict.PASS, Verdict.FAIL


def _out_of_reach(result: TierResult) -> bool:
    for c in result.conditions:
        if c.verdict is _FAIL and c.reason in OUT_OF_REACH:
            return True
    return False


def next_tier(results: dict[Tier, TierResult]) -> tuple[Tier | None, Tier | None]:
    """Return ``(highest tier passed, next tier)`` from the three tier results.

    The next tier is the first tier above the highest passed one (all tiers when none passed) that is
    not out of reach (:data:`OUT_OF_REACH`); ``None`` when every such tier passes or is out of reach.
    A tier whose prerequisite fails (FAIL(PREREQ), the gazelle's high-tech status) is out of reach too
    when the tier below it is: coaching a non-resident firm towards gazelle status would mislead.
    """
    ladder = [results[t] for t in _LADDER]
    top = -1  # index of the highest tier passed
    for index, result in enumerate(ladder):
        if result.verdict is _PASS:
            top = index
    highest = _LADDER[top] if top >= 0 else None
    blocked = [_out_of_reach(result) for result in ladder]
    for index in range(1, len(ladder)):
        below = ladder[index - 1]
        if blocked[index - 1] and below.verdict is not _PASS and _fails_prerequisite(ladder[index]):
            blocked[index] = True
    for index in range(top + 1, len(_LADDER)):
        if ladder[index].verdict is not _PASS and not blocked[index]:
            return highest, _LADDER[index]
    return highest, None


def _fails_prerequisite(result: TierResult) -> bool:
    return any(c.verdict is _FAIL and c.reason is Reason.PREREQ for c in result.conditions)


def _part_text(part: ScorePart, notes: dict[str, str] | None = None) -> str:
    span = (
        f"{part.score_min} 分"
        if part.score_min == part.score_max
        else f"{part.score_min}–{part.score_max} 分"
    )
    text = f"{part.name_zh} {span}（满分 {part.max_points} 分），按下限计差 {part.points_short} 分"
    # A part's own hint already picks the best route (tech-SME R&D); otherwise its items' hints.
    notes = notes or {}
    if part.next_band is not None:
        pairs = [(part.part_id, part.next_band)]
    else:
        pairs = [(c.part_id, c.next_band) for c in part.children]
    hints = [
        h.message_zh + (f"（{notes[hint_id]}）" if hint_id in notes else "")
        for hint_id, h in pairs
        if h is not None
    ]
    if hints:
        text += "；" + "；".join(hints)
    if part.review is Reason.EXPERT_JUDGEMENT or any(
        c.review is Reason.EXPERT_JUDGEMENT for c in part.children
    ):
        text += "；部分指标由专家评审，请完善佐证材料"
    return f"{text}（依据：{part.source.cite()}）"


def _condition_text(cond: ConditionResult) -> str:
    return cond.coaching_text_zh


def _with_note(text: Callable[[], str], note_zh: str) -> str:
    return f"{text()}；{note_zh}"


def _checked(
    result: TierResult,
    item_id: str,
    remedy: Remedy | None,
    enterprise: EnterpriseFigures | None,
    config: BureauConfig | None,
) -> Route | None:
    if enterprise is None or remedy is None:
        return None
    return route_for(result, item_id, remedy, enterprise, config or BureauConfig())


def _emitted(remedy: Remedy | None, route: Route | None) -> Remedy | None:
    """The remedy a coaching line carries after its check: the route's first change, or the original
    marked not actionable when no route exists."""
    if route is None or remedy is None:
        return remedy
    if route.feasible:
        return route.remedies[0]
    return dataclasses.replace(remedy, actionable=False)


def coaching_for(
    result: TierResult, enterprise: EnterpriseFigures | None = None, config: BureauConfig | None = None
) -> tuple[CoachingItem, ...]:
    """Coaching lines for one tier: nothing when it passes; otherwise each FAIL / NEEDS_REVIEW condition
    (text with figures, smallest change and source), then the score parts with points short when the
    tier's score condition is not met. For a tech SME the direct-route line is not listed (it is an
    alternative, not a requirement).

    With ``enterprise`` (the figures ``result`` was computed from) and ``config``, every suggested change
    of figures is first checked against all conditions of the tier (:func:`.feasibility.route_for`):
    a change that breaks another condition is replaced by a feasible route or marked as having none,
    and the line's text says so; ``CoachingItem.routes`` records each check."""
    if result.verdict is _PASS:
        return ()
    tier = result.tier
    conditions = result.conditions
    items: list[CoachingItem] = []
    score_short = False
    direct = False
    for cond in conditions:
        if cond.condition_id == "S-D":
            direct = cond.verdict is _PASS
    for cond in conditions:
        condition_id = cond.condition_id
        if condition_id == "S-D" or cond.verdict is _PASS:
            continue
        if direct and condition_id in _TSME_SCORE_ROUTE:
            continue
        if condition_id in _SCORE_CONDITIONS:
            score_short = True
        route = _checked(result, condition_id, cond.remedy, enterprise, config)
        text: Callable[[], str] = partial(_condition_text, cond)
        if route is not None and route.note_zh:
            text = partial(_with_note, text, route.note_zh)
        items.append(
            CoachingItem(
                tier,
                condition_id,
                cond.verdict,
                text,
                _emitted(cond.remedy, route),
                routes=((condition_id, route),) if route is not None else (),
            )
        )
    if score_short:
        for part in result.score_parts:
            short = part.max_points - part.score_min  # ScorePart.points_short
            if short > 0:
                hint = part.next_band
                remedy = hint.remedy if hint else None
                routes: list[tuple[str, Route]] = []
                notes: dict[str, str] = {}
                hinted = [(part.part_id, hint)] if hint is not None else [
                    (c.part_id, c.next_band) for c in part.children
                ]
                for hint_id, child_hint in hinted:
                    if child_hint is None:
                        continue
                    route = _checked(result, hint_id, child_hint.remedy, enterprise, config)
                    if route is not None:
                        routes.append((hint_id, route))
                        if route.note_zh:
                            notes[hint_id] = route.note_zh
                own = routes[0][1] if hint is not None and routes else None
                items.append(
                    CoachingItem(
                        tier,
                        part.part_id,
                        _FAIL,
                        partial(_part_text, part, notes),
                        _emitted(remedy, own),
                        short,
                        tuple(routes),
                    )
                )
    return tuple(items)


def assess(
    enterprise: EnterpriseFigures, evaluation_date: dt.date, config: BureauConfig | None = None
) -> Assessment:
    """Evaluate all three tiers for ``enterprise`` on ``evaluation_date`` and coach for the next tier.

    Args:
        enterprise: the enterprise's figures.
        evaluation_date: the assessment (or application) date.
        config: the bureau's choices (default :class:`.config.BureauConfig`).

    Returns:
        :class:`.results.Assessment`.

    Raises:
        LookupError: when no rule parameters are in force for the year.
        ValueError: for invalid expert input.
    """
    config = config or BureauConfig()
    results = {
        Tier.TSME: evaluate_tsme(enterprise, evaluation_date, config),
        Tier.HNTE: evaluate_hnte(enterprise, evaluation_date, config),
        Tier.GAZELLE: evaluate_gazelle(enterprise, evaluation_date, config),
    }
    highest, target = next_tier(results)
    coaching = coaching_for(results[target], enterprise, config) if target is not None else ()
    return Assessment(
        enterprise=enterprise.name,
        evaluation_date=evaluation_date,
        rule_version=results[Tier.HNTE].rule_version,
        tsme=results[Tier.TSME],
        hnte=results[Tier.HNTE],
        gazelle=results[Tier.GAZELLE],
        highest_tier_passed=highest,
        next_tier=target,
        coaching=coaching,
    )
