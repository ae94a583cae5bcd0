"""Check a proposed set of pairs against every constraint of a problem.

Used to certify solver output and to re-validate assignments edited by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from .errors import Reason
from .problem import AssignmentProblem

INDEX_OUT_OF_RANGE = "index_out_of_range"
DUPLICATE_PAIR = "duplicate_pair"
FORBIDDEN_PAIR = "forbidden_pair"
OVER_CAPACITY = "over_capacity"
DEMAND_MISMATCH = "demand_mismatch"
MISSING_REQUIRED = "missing_required"


def check_assignment(
    problem: AssignmentProblem, pairs: ArrayLike | Iterable[tuple[int, int]]
) -> list[Reason]:
    """List every constraint that ``pairs`` violates in ``problem``.

    Args:
        problem: the instance.
        pairs: int array-like of shape ``(P, 2)`` with 0-based
            ``(item, expert)`` rows (a list of tuples is fine).

    Returns:
        List of :class:`~kechuang.engines.pairing.errors.Reason` with codes
        ``index_out_of_range``, ``duplicate_pair``, ``forbidden_pair``,
        ``over_capacity``, ``demand_mismatch`` (item got fewer or more experts
        than its demand; ``needed`` is the demand, ``available`` the count
        given) and ``missing_required``.  Empty when the assignment is valid.
        Messages are Chinese.
    """
    arr = np.asarray(list(cast("Iterable[Any]", pairs)) if not isinstance(pairs, np.ndarray) else pairs, dtype=np.int64)
    arr = arr.reshape(-1, 2)
    n, m = problem.shape
    noun = problem.expert_noun
    reasons: list[Reason] = []
    bad = (arr[:, 0] < 0) | (arr[:, 0] >= n) | (arr[:, 1] < 0) | (arr[:, 1] >= m)
    for i, j in arr[bad]:
        reasons.append(
            Reason(INDEX_OUT_OF_RANGE, f"配对 ({int(i)}, {int(j)}) 超出范围")
        )
    arr = arr[~bad]
    uniq, counts = np.unique(arr, axis=0, return_counts=True) if arr.size else (arr, np.zeros(0))
    for (i, j), c in zip(uniq[counts > 1], counts[counts > 1], strict=True):
        i, j = int(i), int(j)
        reasons.append(
            Reason(
                DUPLICATE_PAIR,
                f"{problem.item_label(i)}与{problem.expert_label(j)}重复配对 {int(c)} 次",
                item=i, expert=j, items=(i,), experts=(j,),
            )
        )
    for i, j in uniq[problem.forbidden[uniq[:, 0], uniq[:, 1]]] if uniq.size else []:
        i, j = int(i), int(j)
        reasons.append(
            Reason(
                FORBIDDEN_PAIR,
                f"{problem.item_label(i)}与{problem.expert_label(j)}存在回避关系，不能配对",
                item=i, expert=j, items=(i,), experts=(j,),
            )
        )
    load = np.bincount(arr[:, 1], minlength=m) if arr.size else np.zeros(m, dtype=np.int64)
    for j in np.flatnonzero(load > problem.capacity):
        j = int(j)
        reasons.append(
            Reason(
                OVER_CAPACITY,
                f"{problem.expert_label(j)}被分配 {int(load[j])} 项，超过其容量 {int(problem.capacity[j])} 项",
                expert=j, needed=int(load[j]), available=int(problem.capacity[j]), experts=(j,),
            )
        )
    count = np.bincount(arr[:, 0], minlength=n) if arr.size else np.zeros(n, dtype=np.int64)
    for i in np.flatnonzero(count != problem.demand):
        i = int(i)
        reasons.append(
            Reason(
                DEMAND_MISMATCH,
                f"{problem.item_label(i)}需要 {int(problem.demand[i])} 名{noun}，"
                f"实际分配 {int(count[i])} 名",
                item=i, needed=int(problem.demand[i]), available=int(count[i]), items=(i,),
            )
        )
    chosen = np.zeros(problem.shape, dtype=bool)
    if uniq.size:
        chosen[uniq[:, 0], uniq[:, 1]] = True
    for i, j in np.argwhere(problem.required & ~chosen):
        i, j = int(i), int(j)
        reasons.append(
            Reason(
                MISSING_REQUIRED,
                f"{problem.item_label(i)}与{problem.expert_label(j)}被指定必须配对，但未配对",
                item=i, expert=j, items=(i,), experts=(j,),
            )
        )
    return reasons
