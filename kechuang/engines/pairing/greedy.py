"""Greedy baseline: take the best remaining pair first.

Used as the benchmark baseline and as a quick fallback; it is not optimal and
may fail to cover some items even when a feasible assignment exists.
"""

from __future__ import annotations

import time

import numpy as np

from .problem import AssignmentProblem
from .result import Assignment


def greedy_assign(problem: AssignmentProblem) -> Assignment:
    """Assign pairs in decreasing affinity while demand and capacity allow.

    Required pairs are taken first; then every allowed pair, in decreasing
    affinity (ties by item, then expert index), is taken when its item still
    needs experts and its expert still has capacity.

    Args:
        problem: the instance.

    Returns:
        An :class:`Assignment` with ``method="greedy"`` and ``optimal=False``;
        ``feasible`` is false when some item ended short of its demand.
        Deterministic.  Never raises for a valid problem.
    """
    t0 = time.perf_counter()
    need = (problem.demand - problem.required_per_item).tolist()
    room = (problem.capacity - problem.required_per_expert).tolist()
    remaining = int(sum(need))
    pairs: list[tuple[int, int]] = [(int(i), int(j)) for i, j in np.argwhere(problem.required)]
    if remaining > 0:
        m = problem.n_experts
        free = problem.allowed & ~problem.required
        flat = np.flatnonzero(free.ravel())
        order = flat[np.argsort(-problem.affinity.ravel()[flat], kind="stable")]
        for idx in order.tolist():
            i, j = divmod(idx, m)
            if need[i] > 0 and room[j] > 0:
                pairs.append((i, j))
                need[i] -= 1
                room[j] -= 1
                remaining -= 1
                if remaining == 0:
                    break
    return Assignment.from_pairs(
        problem,
        np.array(pairs, dtype=np.int64).reshape(-1, 2),
        method="greedy",
        optimal=False,
        solve_seconds=time.perf_counter() - t0,
    )
