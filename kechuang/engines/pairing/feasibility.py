"""Explain why an assignment problem has no feasible solution.

Two stages:

* :func:`precheck` runs before solving and finds the simple causes: an item
  with fewer conflict-free experts than it needs, and total capacity below
  total demand.
* :func:`explain_shortfall` runs after a maximum flow fell short of the total
  demand (a Hall-type shortfall) and names the items left uncovered plus the
  group of items that compete for too few experts (the source side of the
  minimum cut, which is the same for every maximum flow).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .errors import (
    CAPACITY_SHORT,
    GROUP_SHORTFALL,
    ITEM_UNCOVERED,
    TOO_FEW_FREE_EXPERTS,
    Reason,
)
from .problem import AssignmentProblem


def free_expert_counts(problem: AssignmentProblem) -> NDArray[np.int64]:
    """Per item, how many experts are conflict-free and have capacity ≥ 1.

    Returns:
        int64 array of shape ``(n,)`` (count of experts).
    """
    usable = problem.allowed & (problem.capacity > 0)[None, :]
    out: NDArray[np.int64] = usable.sum(axis=1).astype(np.int64)
    return out


def precheck(problem: AssignmentProblem) -> list[Reason]:
    """Find causes of infeasibility that need no solving.

    Args:
        problem: the instance.

    Returns:
        Reasons (possibly empty): one ``too_few_free_experts`` reason per item
        whose count of conflict-free experts with capacity is below its
        demand (``needed`` = demand, ``available`` = that count), then one
        ``capacity_short`` reason when total capacity < total demand
        (``needed`` = total demand, ``available`` = total capacity).
    """
    reasons: list[Reason] = []
    noun = problem.expert_noun
    free = free_expert_counts(problem)
    for raw in np.flatnonzero(free < problem.demand):
        i = int(raw)
        need, have = int(problem.demand[i]), int(free[i])
        reasons.append(
            Reason(
                TOO_FEW_FREE_EXPERTS,
                f"{problem.item_label(i)}需要 {need} 名{noun}，回避后仅有 {have} 名可用",
                item=i,
                needed=need,
                available=have,
                items=(i,),
            )
        )
    total_d, total_c = problem.total_demand, problem.total_capacity
    if total_c < total_d:
        reasons.append(
            Reason(
                CAPACITY_SHORT,
                f"{noun}总容量为 {total_c} 个名额，少于全部 {problem.n_items} 项合计需要的 "
                f"{total_d} 个名额（缺 {total_d - total_c} 个）",
                needed=total_d,
                available=total_c,
            )
        )
    return reasons


def explain_shortfall(problem: AssignmentProblem, chosen: NDArray[np.bool_]) -> list[Reason]:
    """Explain the deficit of a maximum assignment that misses some demand.

    Args:
        problem: the instance.
        chosen: bool ``(n, m)`` mask of a *maximum* valid partial assignment
            (required pairs included, no forbidden pair, capacities and
            demands not exceeded), e.g. from a maximum flow.

    Returns:
        One ``item_uncovered`` reason per item that got fewer experts than its
        demand (``needed`` = demand, ``available`` = experts obtained), followed
        by one ``group_shortfall`` reason naming the bottleneck group: the items
        that, taken together, can receive at most ``available`` experts while
        they need ``needed``; ``experts`` lists every expert they could use.
        Capacity that other items' required pairs hold counts as unavailable
        to the group.  Empty when ``chosen`` meets every demand.
    """
    noun = problem.expert_noun
    count = chosen.sum(axis=1)
    load = chosen.sum(axis=0)
    short = count < problem.demand
    if not short.any():
        return []
    reasons: list[Reason] = []
    for raw in np.flatnonzero(short):
        i = int(raw)
        need, got = int(problem.demand[i]), int(count[i])
        reasons.append(
            Reason(
                ITEM_UNCOVERED,
                f"{problem.item_label(i)}需要 {need} 名{noun}，受回避关系和专家容量限制，"
                f"仅能安排 {got} 名（缺 {need - got} 名）",
                item=i,
                needed=need,
                available=got,
                items=(i,),
            )
        )
    # Residual-graph search from the unsaturated items: item -> expert along an
    # unused allowed pair, expert -> item along a used (movable) pair.
    forward = problem.allowed & ~chosen
    backward = chosen & ~problem.required
    item_seen = short.copy()
    expert_seen = np.zeros(problem.n_experts, dtype=bool)
    frontier = short.copy()
    while frontier.any():
        new_experts = forward[frontier].any(axis=0) & ~expert_seen
        expert_seen |= new_experts
        if not new_experts.any():
            break
        new_items = backward[:, new_experts].any(axis=1) & ~item_seen
        item_seen |= new_items
        frontier = new_items
    group = [int(i) for i in np.flatnonzero(item_seen)]
    need_total = int(problem.demand[item_seen].sum())
    got_total = int(count[item_seen].sum())
    usable = problem.allowed[item_seen].any(axis=0) & (problem.capacity > 0)
    experts = tuple(int(j) for j in np.flatnonzero(usable))
    spare = int(np.maximum(problem.capacity - load, 0)[expert_seen].sum())
    expert_text = (
        f"它们可用的 {len(experts)} 位{noun}（{problem.experts_label(list(experts))}）"
        if experts
        else f"它们没有任何可用的{noun}"
    )
    reasons.append(
        Reason(
            GROUP_SHORTFALL,
            f"{problem.items_label(group)}合计需要 {need_total} 名{noun}，{expert_text}"
            f"在回避关系和容量限制下最多只能提供 {got_total} 名（缺 {need_total - got_total} 名）",
            needed=need_total,
            available=got_total,
            items=tuple(group),
            experts=experts,
        )
    )
    if spare:  # pragma: no cover - would mean ``chosen`` was not maximum
        raise AssertionError("explain_shortfall needs a maximum assignment")
    return reasons
