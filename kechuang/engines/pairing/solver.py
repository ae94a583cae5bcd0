"""Exact maximum-affinity assignment as a min-cost flow (OR-Tools).

Network: source → item ``i`` (capacity ``k_i`` minus its required pairs),
item ``i`` → expert ``j`` for every allowed, not-required pair (capacity 1,
cost ``-round(a_ij · scale)``), expert ``j`` → sink (capacity ``c_j`` minus its
required pairs).  A maximum flow of minimum cost is a maximum-affinity
assignment; if the maximum flow is below the residual demand, the problem is
infeasible and the minimum cut explains why.

Precision
---------
OR-Tools works on 64-bit integer costs, so affinities are scaled by
``scale = COST_RANGE / max|a|`` (``COST_RANGE = 10**9``) and rounded to the
nearest integer.  Each pair's affinity is thus off by at most
``0.5 / scale = 5e-10 · max|a|``; the returned assignment is exactly optimal
for the rounded affinities and its true total is within
``P / scale = P · 1e-9 · max|a|`` of the true optimum, where ``P`` is the
number of assigned pairs (≤ 6e-6 for 6,000 pairs of scores in [0, 1]).
Reported totals are always recomputed from the original float affinities.
Should OR-Tools report a cost-range overflow (only conceivable for graphs
with millions of nodes), the scale is divided by 1000 and the solve retried.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from .errors import InfeasibleAssignment
from .fair import solve_fair
from .feasibility import explain_shortfall, precheck
from .problem import DEFAULT_EXPERT_NOUN, AssignmentProblem
from .result import Assignment

COST_RANGE = 10**9
"""Largest absolute integer cost used for an affinity (see module docstring)."""


def flow_edges(problem: AssignmentProblem) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Free (allowed, not required) pairs that can still carry an expert.

    Returns:
        ``(items, experts)``: two int64 arrays of equal length ``E``, listing
        the pairs in row-major (item, then expert) order.
    """
    res_demand = problem.demand - problem.required_per_item
    res_cap = problem.capacity - problem.required_per_expert
    mask = problem.allowed & ~problem.required
    mask &= (res_demand > 0)[:, None]
    mask &= (res_cap > 0)[None, :]
    ii, jj = np.nonzero(mask)
    return ii.astype(np.int64), jj.astype(np.int64)


def _max_flow_min_cost(
    problem: AssignmentProblem,
    ii: NDArray[np.int64],
    jj: NDArray[np.int64],
    *,
    zero_cost: bool = False,
) -> tuple[NDArray[np.bool_], float]:
    """Solve the flow network on the free pairs ``(ii, jj)``.

    Returns the chosen pairs (bool ``(E,)``) and the cost scale used;
    ``zero_cost=True`` only computes a maximum flow (all costs 0).
    """
    n, m = problem.shape
    res_demand = problem.demand - problem.required_per_item
    res_cap = problem.capacity - problem.required_per_expert
    a = problem.affinity[ii, jj]
    amax = float(np.abs(a).max()) if a.size and not zero_cost else 0.0
    # Clamp keeps the scale finite for subnormal affinities (all costs then round to 0).
    scale = min(COST_RANGE / amax, 1e300) if amax > 0 else 1.0
    source, sink = 0, n + m + 1
    items = np.arange(n, dtype=np.int32) + 1
    experts = np.arange(m, dtype=np.int32) + 1 + n
    tails = np.concatenate(
        [np.full(n, source, dtype=np.int32), (ii + 1).astype(np.int32), experts]
    )
    heads = np.concatenate(
        [items, (jj + 1 + n).astype(np.int32), np.full(m, sink, dtype=np.int32)]
    )
    caps = np.concatenate([res_demand, np.ones(ii.size, dtype=np.int64), res_cap]).astype(np.int64)
    supply = int(res_demand.sum())
    for _attempt in range(4):
        costs = np.concatenate(
            [
                np.zeros(n, dtype=np.int64),
                np.zeros(ii.size, dtype=np.int64) if zero_cost else -np.rint(a * scale).astype(np.int64),
                np.zeros(m, dtype=np.int64),
            ]
        )
        smcf = SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        smcf.set_node_supply(source, supply)
        smcf.set_node_supply(sink, -supply)
        status = smcf.solve_max_flow_with_min_cost()
        if status == SimpleMinCostFlow.BAD_COST_RANGE:
            scale /= 1000.0
            continue
        if status != SimpleMinCostFlow.OPTIMAL:
            raise RuntimeError(f"OR-Tools min-cost flow failed with status {status!r}")
        arcs = np.arange(n, n + ii.size, dtype=np.int32)
        flows = np.asarray(smcf.flows(arcs)) if ii.size else np.zeros(0, dtype=np.int64)
        return flows > 0, scale
    raise RuntimeError("OR-Tools min-cost flow: cost range overflow even after rescaling")


def solve(
    problem: AssignmentProblem,
    *,
    fair: bool = False,
    fair_time_limit: float | None = None,
) -> Assignment:
    """Find a maximum-total-affinity assignment for ``problem``.

    Args:
        problem: the instance (see :class:`AssignmentProblem`).
        fair: if true, first maximise the smallest per-item affinity sum
            (over items with demand > 0), then the total among those
            assignments (see :mod:`.fair`; a MIP, much slower than the flow).
        fair_time_limit: wall-clock limit (s) for each MIP the fair mode
            solves; ``None`` means no limit.  When a limit is hit the best
            solution found is returned with ``optimal=False`` (and the result
            may then depend on machine speed).  Random-like instances solve
            in seconds (2,000 × 2,000, k = c = 3) and demands ≤ 1 always
            solve by flows, but with k ≥ 2 on data where every item wants
            the same few experts, proving the max-min optimum is NP-hard and
            can take minutes from ~30 items on: give a limit in interactive
            use.

    Returns:
        An :class:`Assignment` with ``feasible=True``; ``method`` is
        ``"flow"`` or ``"fair"``.  Ties between equally good assignments are
        broken deterministically: the same input always gives the same pairs.

    Raises:
        InfeasibleAssignment: no assignment meets every demand; ``reasons``
            name the items that cannot be covered and why.
        RuntimeError: the solver backend failed unexpectedly.
    """
    t0 = time.perf_counter()
    reasons = precheck(problem)
    if reasons:
        raise InfeasibleAssignment(reasons)
    ii, jj = flow_edges(problem)
    used, scale = _max_flow_min_cost(problem, ii, jj)
    chosen = problem.required.copy()
    chosen[ii[used], jj[used]] = True
    shortfall = explain_shortfall(problem, chosen)
    if shortfall:
        raise InfeasibleAssignment(shortfall)
    pairs = np.argwhere(chosen)
    info: dict[str, Any] = {
        "scale": scale,
        "max_rounding_error": float(len(pairs) / scale),
        "n_free_pairs": int(ii.size),
    }
    plain = Assignment.from_pairs(
        problem, pairs, method="flow", optimal=True,
        solve_seconds=time.perf_counter() - t0, info=info,
    )
    if not plain.feasible:  # pragma: no cover - guarded by explain_shortfall
        raise RuntimeError("min-cost flow returned an invalid assignment")
    if not fair:
        return plain
    return solve_fair(problem, plain, ii, jj, time_limit=fair_time_limit, t0=t0)


def assign(
    affinity: ArrayLike,
    demand: ArrayLike,
    capacity: ArrayLike,
    forbidden: Any = None,
    required: Any = None,
    *,
    fair: bool = False,
    fair_time_limit: float | None = None,
    item_labels: list[str] | None = None,
    expert_labels: list[str] | None = None,
    expert_noun: str = DEFAULT_EXPERT_NOUN,
) -> Assignment:
    """Build an :class:`AssignmentProblem` and :func:`solve` it in one call.

    Args:
        affinity: float ``(n, m)`` items × experts (affinity units, higher
            is better).
        demand: int ``(n,)`` or scalar: experts per item (met exactly).
        capacity: int ``(m,)`` or scalar: maximum items per expert.
        forbidden: ``None``, bool mask ``(n, m)`` or int pairs ``(P, 2)``.
        required: same forms as ``forbidden``.
        fair, fair_time_limit: see :func:`solve`.
        item_labels, expert_labels, expert_noun: wording of Chinese messages
            (see :class:`AssignmentProblem`).

    Returns:
        The optimal :class:`Assignment`.

    Raises:
        ValueError: malformed input.
        RequiredPairError: required pairs contradict conflicts or capacities.
        InfeasibleAssignment: no assignment meets every demand.
    """
    problem = AssignmentProblem(
        affinity, demand, capacity, forbidden, required,
        item_labels=item_labels, expert_labels=expert_labels, expert_noun=expert_noun,
    )
    return solve(problem, fair=fair, fair_time_limit=fair_time_limit)
