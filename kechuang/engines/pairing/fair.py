"""Fair assignment: maximise the worst item's affinity, then the total.

Lexicographic objective: first the largest possible ``z`` = the smallest
per-item affinity sum over the items with demand > 0; then, among the
assignments reaching ``z``, the largest total.  Required pairs count as
constants.

Algorithm
---------
* **Every residual demand ≤ 1** (e.g. k = c = 1 pairing): an item's sum is
  the affinity of its single free pair (plus its required pairs), so
  ``z* = max t`` such that a complete flow exists on the pairs worth ≥ ``t``.
  Found by bisection over the distinct pair values with max-flow checks,
  then the total is maximised by a min-cost flow on those pairs.  Exact
  (same integer-cost precision as :mod:`.solver`) and fast.
* **General demands** (NP-hard in general; HiGHS MIPs via
  ``scipy.optimize.milp``):

  1. ``z_hi`` = the smallest over items of the best sum each item could
     get alone (its top free pairs) is an upper bound.  First try to reach it
     directly: "maximise the total subject to every item ≥ ``z_hi``".  On
     random-like data this usually succeeds and is then the final answer.
  2. Otherwise solve "maximise ``z``" as a MIP (phase 1), then "maximise the
     total subject to every item ≥ ``z*``" (phase 2).

  The "maximise the total with a floor" MIPs are solved exactly on a small
  column set: the LP relaxation over all pairs is solved by column
  generation (pricing every pair with numpy), the MIP is solved on the
  generated columns, and reduced-cost fixing (a pair whose LP reduced cost
  is below ``-(LP bound - incumbent)`` cannot be in a better solution)
  proves the restricted optimum global, or adds the pairs that could still
  matter and repeats.  This keeps thousands × thousands instances
  tractable.  Phase 1 ("maximise z") uses all pairs when there are at most
  ``FULL_MIP_PAIRS`` of them (exact); above that it is solved on each item's
  best pairs plus the plain optimum's pairs and the result is reported as
  not proven optimal (``optimal=False``).

Tolerances: affinities are first normalised to ``max|a| = 1``; the floor
has a feasibility tolerance of ``1e-9 · max|a|``, so two worst-item values
closer than that count as equal; MIP relative gap ``1e-10`` (objectives are
scaled so HiGHS's absolute gap of 1e-6 stands for ``1e-12 · max|a|``).  The result's ``min_item_affinity`` is never
below the plain optimum's (the plain solution is kept whenever nothing better
is found).  HiGHS and the column generation are deterministic, so the same
input gives the same answer unless a time limit is hit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array, vstack

from .problem import AssignmentProblem
from .result import Assignment

MIP_GAP = 1e-10
OBJ_SCALE = 1e6
"""MIP objectives (on affinities normalised to max|a| = 1) are multiplied by
this so that HiGHS's absolute gap tolerance (1e-6) means 1e-12 · max|a|."""
FULL_MIP_PAIRS = 40_000
"""Phase 1 ("maximise z") uses every pair up to this many free pairs."""
_CG_TOP = 8
"""Initial columns per item beyond its demand (its best pairs)."""
_RC_EPS = 1e-9


@dataclass
class _Net:
    """Free pairs and residual data of a problem (all arrays read-only)."""

    problem: AssignmentProblem
    ii: NDArray[np.int64]
    jj: NDArray[np.int64]
    a: NDArray[np.float64]
    res_demand: NDArray[np.int64]
    res_cap: NDArray[np.int64]
    req_aff: NDArray[np.float64]
    flex: NDArray[np.int64]  # items with demand > 0 whose sum depends on x
    tol: float
    time_limit: float | None
    obj_scale: float

    @property
    def n(self) -> int:
        return self.problem.n_items

    @property
    def m(self) -> int:
        return self.problem.n_experts


def _mip_options(time_limit: float | None) -> dict[str, Any]:
    options: dict[str, Any] = {"disp": False, "mip_rel_gap": MIP_GAP, "presolve": True}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    return options


def _rows(net: _Net, cols: NDArray[np.int64]) -> tuple[csr_array, csr_array, csr_array]:
    """Item, expert and flexible-item affinity rows over the columns ``cols``."""
    c = cols.size
    idx = np.arange(c)
    ii, jj, a = net.ii[cols], net.jj[cols], net.a[cols]
    item_rows = csr_array((np.ones(c), (ii, idx)), shape=(net.n, c))
    expert_rows = csr_array((np.ones(c), (jj, idx)), shape=(net.m, c))
    flex_pos = np.full(net.n, -1, dtype=np.int64)
    flex_pos[net.flex] = np.arange(net.flex.size)
    keep = flex_pos[ii] >= 0
    fair_rows = csr_array((a[keep], (flex_pos[ii[keep]], idx[keep])), shape=(net.flex.size, c))
    return item_rows, expert_rows, fair_rows


def _assignment(net: _Net, used_cols: NDArray[np.int64], start: float, info: dict[str, Any]) -> Assignment:
    pairs = np.concatenate(
        [np.argwhere(net.problem.required), np.stack([net.ii[used_cols], net.jj[used_cols]], axis=1)]
    )
    return Assignment.from_pairs(
        net.problem, pairs, method="fair", optimal=False,
        solve_seconds=time.perf_counter() - start, info=info,
    )


# ---------------------------------------------------------------------------
# Maximise the total subject to a floor on every item: column generation,
# MIP on the generated columns, reduced-cost fixing.
# ---------------------------------------------------------------------------


def _floor_lp(
    net: _Net, cols: NDArray[np.int64], floor: NDArray[np.float64], penalty: float
) -> tuple[float, float, NDArray[np.float64]]:
    """Elastic LP over ``cols``; returns (objective of max problem, slack used, reduced costs of all pairs)."""
    item_rows, expert_rows, fair_rows = _rows(net, cols)
    nf = net.flex.size
    c = cols.size
    # Variables: x (c) then elastic slacks s (nf) on the floor rows.
    cost = np.concatenate([-net.a[cols], np.full(nf, penalty)])
    a_eq = csr_array((item_rows.data, item_rows.indices, item_rows.indptr), shape=(net.n, c + nf))
    expert_pad = csr_array((expert_rows.data, expert_rows.indices, expert_rows.indptr), shape=(net.m, c + nf))
    fair_coo = fair_rows.tocoo()
    fair_ub = csr_array(
        (
            np.concatenate([-fair_coo.data, -np.ones(nf)]),
            (np.concatenate([fair_coo.row, np.arange(nf)]), np.concatenate([fair_coo.col, c + np.arange(nf)])),
        ),
        shape=(nf, c + nf),
    )
    a_ub = vstack([expert_pad, fair_ub]).tocsr()
    b_ub = np.concatenate([net.res_cap.astype(float), -floor])
    bounds = np.zeros((c + nf, 2))
    bounds[:c, 1] = 1.0
    bounds[c:, 1] = np.inf
    res = linprog(
        cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=net.res_demand.astype(float),
        bounds=bounds, method="highs",
    )
    if res.status != 0:
        raise RuntimeError(f"LP relaxation failed: {res.message}")
    mu = res.eqlin.marginals
    lam = res.ineqlin.marginals[: net.m]
    rho = np.zeros(net.n)
    rho[net.flex] = res.ineqlin.marginals[net.m:]
    # Reduced cost in the max sense: d = a + mu_i + lam_j - rho_i * a.
    d = net.a + mu[net.ii] + lam[net.jj] - rho[net.ii] * net.a
    slack = float(res.x[c:].sum())
    value = float(net.a[cols] @ res.x[:c])
    return value, slack, d


def _rank_in_item(net: _Net) -> NDArray[np.int64]:
    """Rank (0 = best) of each free pair among its item's pairs, by affinity then index."""
    e = net.ii.size
    order = np.lexsort((np.arange(e), -net.a, net.ii))  # by item, affinity desc, index
    starts = np.searchsorted(net.ii[order], np.arange(net.n))
    rank = np.empty(e, dtype=np.int64)
    rank[order] = np.arange(e) - starts[net.ii[order]]
    return rank


def _initial_columns(net: _Net, seed_cols: list[NDArray[np.int64]]) -> NDArray[np.bool_]:
    """Each item's best pairs (demand + ``_CG_TOP``) plus the given columns."""
    in_c = _rank_in_item(net) < (net.res_demand[net.ii] + _CG_TOP)
    for cols in seed_cols:
        in_c[cols] = True
    return in_c


def _max_total_with_floor(
    net: _Net, floor_value: float, seed_cols: list[NDArray[np.int64]], info: dict[str, Any], start: float,
    *, max_rounds: int = 50,
) -> tuple[Assignment | None, bool]:
    """Maximise the total with every flexible item's sum ≥ ``floor_value``.

    Returns ``(assignment or None, proven)``: ``None, True`` means proven
    infeasible (LP infeasible); ``None, False`` means no solution found.
    """
    floor = floor_value - net.tol - net.req_aff[net.flex]
    penalty = 1e6  # affinities are normalised to max|a| = 1
    in_c = _initial_columns(net, seed_cols)
    rounds = 0
    while True:  # column generation for the LP relaxation
        cols = np.flatnonzero(in_c)
        lp_value, slack, d = _floor_lp(net, cols, floor, penalty)
        enter = ~in_c & (d > _RC_EPS)
        rounds += 1
        if not enter.any():
            break
        in_c |= enter
    info.setdefault("cg_rounds", []).append(rounds)
    if slack > 1e-7:
        return None, True
    ub = lp_value
    best: Assignment | None = None
    best_value = -np.inf
    proven = False
    for _ in range(max_rounds):
        cols = np.flatnonzero(in_c)
        item_rows, expert_rows, fair_rows = _rows(net, cols)
        cons = [
            LinearConstraint(item_rows, net.res_demand, net.res_demand),
            LinearConstraint(expert_rows, 0, net.res_cap),
            LinearConstraint(fair_rows, floor, np.inf),
        ]
        res = milp(
            -net.a[cols] * net.obj_scale, integrality=np.ones(cols.size), bounds=Bounds(0, 1),
            constraints=cons, options=_mip_options(net.time_limit),
        )
        info.setdefault("mip_status", []).append(int(res.status))
        if res.x is not None:
            used = cols[res.x > 0.5]
            value = float(net.a[used].sum())
            if value > best_value:
                cand = _assignment(net, used, start, info)
                if cand.feasible:
                    best, best_value = cand, value
        gap = ub - best_value if np.isfinite(best_value) else np.inf
        if res.status not in (0, 2):  # time/node limit: no optimality proof
            break
        # Pairs outside the column set that could still improve on the incumbent.
        width = gap if np.isfinite(gap) else 0.05 * (1.0 + abs(ub)) * 2 ** len(info["mip_status"])
        # The margin covers the LP solver's dual tolerance (1e-7).
        enter = ~in_c & (d > -(width + 1e-6))
        if not enter.any():
            proven = best is not None and res.status == 0
            break
        in_c |= enter
    info.setdefault("columns", []).append(int(in_c.sum()))
    return best, proven


# ---------------------------------------------------------------------------
# Phase 1 for general demands: maximise z.
# ---------------------------------------------------------------------------


def _max_min_mip(
    net: _Net, cols: NDArray[np.int64], z_lo: float, z_hi: float, info: dict[str, Any], start: float
) -> tuple[Assignment | None, bool]:
    """MIP "maximise z" on the columns ``cols``; returns (assignment, optimal)."""
    c = cols.size
    item_rows, expert_rows, fair_rows = _rows(net, cols)
    nf = net.flex.size

    def pad(mat: csr_array) -> csr_array:
        return csr_array((mat.data, mat.indices, mat.indptr), shape=(mat.shape[0], c + 1))

    fc = fair_rows.tocoo()
    fair_z = csr_array(
        (
            np.concatenate([fc.data, -np.ones(nf)]),
            (np.concatenate([fc.row, np.arange(nf)]), np.concatenate([fc.col, np.full(nf, c)])),
        ),
        shape=(nf, c + 1),
    )
    cons = [
        LinearConstraint(pad(item_rows), net.res_demand, net.res_demand),
        LinearConstraint(pad(expert_rows), 0, net.res_cap),
        LinearConstraint(fair_z, -net.req_aff[net.flex], np.inf),
    ]
    cost = np.zeros(c + 1)
    cost[c] = -net.obj_scale
    integ = np.ones(c + 1)
    integ[c] = 0
    lb, ub = np.zeros(c + 1), np.ones(c + 1)
    lb[c], ub[c] = z_lo, z_hi + net.tol
    res = milp(cost, integrality=integ, bounds=Bounds(lb, ub), constraints=cons,
               options=_mip_options(net.time_limit))
    info.setdefault("mip_status", []).append(int(res.status))
    if res.x is None:
        return None, False
    return _assignment(net, cols[res.x[:c] > 0.5], start, info), res.status == 0


# ---------------------------------------------------------------------------
# Demands ≤ 1: bottleneck threshold by bisection + min-cost flow.
# ---------------------------------------------------------------------------


def _fair_unit(net: _Net, plain: Assignment, start: float, info: dict[str, Any]) -> Assignment:
    from .solver import _max_flow_min_cost

    problem = net.problem
    value = net.a + net.req_aff[net.ii]  # item sum if this free pair is its one free expert
    need = int(net.res_demand.sum())
    fixed = (problem.demand > 0) & (net.res_demand == 0)
    cap_z = float(net.req_aff[fixed].min()) if fixed.any() else np.inf
    levels = np.unique(value[value >= plain.min_item_affinity - net.tol])
    levels = levels[levels <= cap_z + net.tol]

    def complete(t: float) -> NDArray[np.bool_] | None:
        keep = value >= t - net.tol
        used, _ = _max_flow_min_cost(problem, net.ii[keep], net.jj[keep], zero_cost=True)
        return keep if int(used.sum()) == need else None

    lo, hi = 0, levels.size - 1  # levels[lo] feasible (the plain optimum reaches it)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if complete(float(levels[mid])) is not None:
            lo = mid
        else:
            hi = mid - 1
    z = float(levels[lo]) if levels.size else plain.min_item_affinity
    keep = value >= min(z, cap_z) - net.tol
    used, _ = _max_flow_min_cost(problem, net.ii[keep], net.jj[keep])
    cand = _assignment(net, np.flatnonzero(keep)[used], start, info)
    info["z_star"] = z
    if cand.feasible and (cand.min_item_affinity, cand.total_affinity) >= (
        plain.min_item_affinity, plain.total_affinity
    ):
        return cand
    return plain


# ---------------------------------------------------------------------------


def solve_fair(
    problem: AssignmentProblem,
    plain: Assignment,
    ii: NDArray[np.int64],
    jj: NDArray[np.int64],
    *,
    time_limit: float | None = None,
    t0: float | None = None,
) -> Assignment:
    """Lexicographic max-min / max-total assignment (see module docstring).

    Args:
        problem: the instance (already known to be feasible).
        plain: the optimal plain (max-total) assignment from the flow; used as
            a feasible lower bound and as the fallback answer.
        ii, jj: int64 ``(E,)`` item and expert indices of the free pairs, as
            returned by :func:`~kechuang.engines.pairing.solver.flow_edges`.
        time_limit: per-MIP HiGHS time limit (s) or ``None``.
        t0: ``time.perf_counter()`` at the start of the solve, for timing.

    Returns:
        An :class:`Assignment` with ``method="fair"``; ``optimal`` is false
        when optimality could not be proven (time limit, or phase 1 needed
        on more than ``FULL_MIP_PAIRS`` pairs); ``info`` holds
        ``z_upper_bound``, ``mip_status`` and the path taken (``fair_path``).

    Raises:
        RuntimeError: an LP/MIP backend failure (not expected).
    """
    start = time.perf_counter() if t0 is None else t0
    info: dict[str, Any] = dict(plain.info)
    original = problem
    # Work on affinities normalised to max|a| = 1 so that LP/MIP tolerances
    # are relative and huge or tiny magnitudes stay within HiGHS's range.
    norm = float(np.abs(original.affinity).max(initial=0.0)) or 1.0
    problem = AssignmentProblem(
        original.affinity / norm, original.demand, original.capacity,
        original.forbidden, original.required,
    )
    plain = Assignment.from_pairs(problem, plain.pairs, method="flow", optimal=True)
    req_aff = np.where(problem.required, problem.affinity, 0.0).sum(axis=1)
    res_demand = problem.demand - problem.required_per_item
    active = problem.demand > 0
    net = _Net(
        problem=problem, ii=ii, jj=jj, a=problem.affinity[ii, jj],
        res_demand=res_demand, res_cap=problem.capacity - problem.required_per_expert,
        req_aff=req_aff, flex=np.flatnonzero(active & (res_demand > 0)),
        tol=1e-9, time_limit=time_limit, obj_scale=OBJ_SCALE,
    )

    def finish(result: Assignment, optimal: bool, path: str) -> Assignment:
        info["fair_path"] = path
        for key in ("z_upper_bound", "z_star"):
            if key in info:
                info[key] = float(info[key]) * norm
        out = Assignment.from_pairs(
            original, result.pairs, method="fair", optimal=bool(optimal),
            solve_seconds=time.perf_counter() - start, info=info,
        )
        if not out.feasible:  # pragma: no cover
            raise RuntimeError("fair assignment violates a constraint")
        return out

    # Upper bound: each item's best conceivable sum.
    best = req_aff.copy()
    if ii.size:
        top = _rank_in_item(net) < res_demand[ii]
        np.add.at(best, ii[top], net.a[top])
    z_hi = float(best[active].min()) if active.any() else 0.0
    info["z_upper_bound"] = z_hi
    if not net.flex.size or plain.min_item_affinity >= z_hi - net.tol:
        return finish(plain, True, "plain_reaches_bound")
    if int(res_demand.max()) <= 1:
        return finish(_fair_unit(net, plain, start, info), True, "bottleneck_flow")

    plain_free = _free_cols(net, plain)
    # 1. Try the upper bound directly.
    cand, proven = _max_total_with_floor(net, z_hi, [plain_free], info, start, max_rounds=2)
    if cand is not None and cand.min_item_affinity >= z_hi - net.tol:
        if not proven:  # z* = z_hi is settled; finish maximising the total
            again, proven = _max_total_with_floor(
                net, z_hi, [plain_free, _free_cols(net, cand)], info, start
            )
            if again is not None and again.total_affinity > cand.total_affinity:
                cand = again
        return finish(cand, proven, "upper_bound_reached")

    # 2. Phase 1: maximise z.
    optimal = True
    if ii.size <= FULL_MIP_PAIRS:
        cols = np.arange(ii.size)
    else:
        cols = np.flatnonzero(_initial_columns(net, [plain_free]))
        optimal = False
    phase1, ok = _max_min_mip(net, cols, plain.min_item_affinity - net.tol, z_hi, info, start)
    optimal &= ok
    current = plain
    if phase1 is not None and phase1.feasible and (
        phase1.min_item_affinity > current.min_item_affinity + net.tol
    ):
        current = phase1
    z_star = current.min_item_affinity
    info["z_star"] = z_star
    if current is plain:
        return finish(plain, optimal, "plain_is_fair")

    # 3. Phase 2: maximise the total keeping every item ≥ z*.
    cand, proven = _max_total_with_floor(net, z_star, [_free_cols(net, current)], info, start)
    if cand is not None and cand.min_item_affinity >= z_star - net.tol and (
        cand.total_affinity > current.total_affinity
    ):
        current = cand
    return finish(current, optimal and proven, "two_phase")


def _free_cols(net: _Net, assignment: Assignment) -> NDArray[np.int64]:
    """Column indices (into ``net.ii``/``net.jj``) of an assignment's free pairs."""
    m = net.m
    keys = net.ii * m + net.jj  # sorted ascending (row-major order)
    p = assignment.pairs
    free = ~net.problem.required[p[:, 0], p[:, 1]]
    want = p[free, 0] * m + p[free, 1]
    pos: NDArray[np.int64] = np.searchsorted(keys, want).astype(np.int64)
    return pos
