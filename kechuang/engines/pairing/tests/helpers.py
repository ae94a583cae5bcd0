"""Shared helpers for the assignment tests: brute force and strategies."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kechuang.engines.pairing import AssignmentProblem


def _six_places(x: float) -> float:
    """Round to 1e-6 so that distinct sums differ by far more than the 1e-9 tolerances."""
    return round(x, 6)


def brute_force(problem: AssignmentProblem) -> tuple[float, tuple[float, float]] | None:
    """Exhaustive search.

    Returns ``None`` if infeasible, else ``(best_total, best_lex)`` where
    ``best_lex`` = lexicographically best ``(min item sum, total)``.
    """
    n, m = problem.shape
    a = problem.affinity
    options: list[list[tuple[int, ...]]] = []
    for i in range(n):
        req = set(np.flatnonzero(problem.required[i]).tolist())
        allowed = [j for j in range(m) if not problem.forbidden[i, j]]
        opts = [c for c in combinations(allowed, int(problem.demand[i])) if req <= set(c)]
        options.append(opts)
    active = [i for i in range(n) if problem.demand[i] > 0]
    best_total = -np.inf
    best_lex = (-np.inf, -np.inf)
    load = [0] * m
    sums = [0.0] * n

    def rec(i: int) -> None:
        nonlocal best_total, best_lex
        if i == n:
            total = float(sum(sums))
            low = min((sums[k] for k in active), default=0.0)
            best_total = max(best_total, total)
            best_lex = max(best_lex, (low, total))
            return
        for combo in options[i]:
            if all(load[j] < problem.capacity[j] for j in combo):
                for j in combo:
                    load[j] += 1
                sums[i] = float(sum(a[i, j] for j in combo))
                rec(i + 1)
                for j in combo:
                    load[j] -= 1
        sums[i] = 0.0

    rec(0)
    if best_total == -np.inf:
        return None
    return best_total, best_lex


@st.composite
def small_problems(draw: st.DrawFn, max_items: int = 4, max_experts: int = 4, with_required: bool = False):
    """Small random instances (demand ≤ 2) for brute-force comparison."""
    n = draw(st.integers(1, max_items))
    m = draw(st.integers(1, max_experts))
    grid = draw(st.booleans())  # coarse grid values create many ties
    elements = (
        st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])
        if grid
        else st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False).map(_six_places)
    )
    affinity = draw(arrays(np.float64, (n, m), elements=elements))
    demand = draw(arrays(np.int64, (n,), elements=st.integers(0, min(2, m))))
    capacity = draw(arrays(np.int64, (m,), elements=st.integers(0, 3)))
    forbidden = draw(arrays(np.bool_, (n, m), elements=st.sampled_from([False, False, False, True])))
    if draw(st.booleans()):
        forbidden[:] = False
    required = None
    if with_required:
        cand = [(i, j) for i in range(n) for j in range(m) if not forbidden[i, j]]
        picked = draw(st.lists(st.sampled_from(cand), max_size=2, unique=True)) if cand else []
        # keep only required pairs compatible with demand and capacity
        ok: list[tuple[int, int]] = []
        per_i = np.zeros(n, dtype=int)
        per_j = np.zeros(m, dtype=int)
        for i, j in picked:
            if per_i[i] < demand[i] and per_j[j] < capacity[j]:
                ok.append((i, j))
                per_i[i] += 1
                per_j[j] += 1
        required = ok
    return AssignmentProblem(affinity, demand, capacity, forbidden, required)


def assert_valid(problem: AssignmentProblem, pairs: np.ndarray) -> None:
    """Independent check of every constraint (not using check_assignment)."""
    n, m = problem.shape
    assert pairs.ndim == 2 and pairs.shape[1] == 2
    assert len({(int(i), int(j)) for i, j in pairs}) == len(pairs), "duplicate pair"
    assert not problem.forbidden[pairs[:, 0], pairs[:, 1]].any(), "forbidden pair used"
    assert (np.bincount(pairs[:, 0], minlength=n) == problem.demand).all(), "demand not met"
    assert (np.bincount(pairs[:, 1], minlength=m) <= problem.capacity).all(), "capacity exceeded"
    chosen = np.zeros((n, m), dtype=bool)
    chosen[pairs[:, 0], pairs[:, 1]] = True
    assert not (problem.required & ~chosen).any(), "required pair missing"


@st.composite
def contested_problems(draw: st.DrawFn, with_required: bool = True):
    """Instances where items compete for the same good experts (fairness matters)."""
    n = draw(st.integers(3, 5))
    m = draw(st.integers(3, 4))
    quality = draw(arrays(np.float64, (m,), elements=st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0])))
    noise = draw(arrays(np.float64, (n, m), elements=st.floats(0.0, 0.3).map(_six_places)))
    demand = draw(arrays(np.int64, (n,), elements=st.integers(1, 2)))
    capacity = draw(arrays(np.int64, (m,), elements=st.integers(1, 3)))
    forbidden = draw(arrays(np.bool_, (n, m), elements=st.sampled_from([False] * 6 + [True])))
    required = None
    if with_required and draw(st.booleans()):
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(0, m - 1))
        if not forbidden[i, j]:
            required = [(i, j)]
    return AssignmentProblem(quality[None, :] + noise, demand, capacity, forbidden, required)
