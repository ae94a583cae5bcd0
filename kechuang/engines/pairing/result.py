"""The result of an assignment: chosen pairs and their scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .problem import AssignmentProblem
from .validate import check_assignment


@dataclass(frozen=True)
class Assignment:
    """A set of ``(item, expert)`` pairs with its scores.

    Attributes:
        pairs: int64 array of shape ``(P, 2)``; rows are 0-based
            ``(item, expert)``, sorted by item then expert, no duplicates.
        total_affinity: sum of the affinities of all pairs (affinity units).
        min_item_affinity: smallest per-item affinity sum over the items with
            demand > 0 (``0.0`` when there are none).
        item_affinity: float64 ``(n,)``: per-item affinity sum.
        item_count: int64 ``(n,)``: experts given to each item.
        expert_load: int64 ``(m,)``: items given to each expert.
        feasible: ``True`` when every item got exactly its demand while
            respecting capacities, conflicts and required pairs.
        method: ``"flow"`` (exact min-cost flow), ``"fair"`` (lexicographic
            max-min then max-total MIP) or ``"greedy"``.
        optimal: ``True`` when the method proved optimality (``False`` for
            greedy, or for a fair solve stopped by its time limit).
        solve_seconds: wall time spent in the solver (s).
        info: extra solver details (scale used, MIP status, ...).
    """

    pairs: NDArray[np.int64]
    total_affinity: float
    min_item_affinity: float
    item_affinity: NDArray[np.float64]
    item_count: NDArray[np.int64]
    expert_load: NDArray[np.int64]
    feasible: bool
    method: str
    optimal: bool
    solve_seconds: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_pairs(
        cls,
        problem: AssignmentProblem,
        pairs: NDArray[np.integer] | list[tuple[int, int]],
        *,
        method: str,
        optimal: bool,
        solve_seconds: float = 0.0,
        info: dict[str, Any] | None = None,
    ) -> Assignment:
        """Build an assignment for ``problem`` from ``(P, 2)`` pairs.

        Scores are recomputed from the original float affinities, and
        ``feasible`` is computed by checking every constraint (see
        :func:`~kechuang.engines.pairing.validate.check_assignment`).

        Raises:
            ValueError: pairs out of range or malformed.
        """
        arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        n, m = problem.shape
        if arr.size and ((arr[:, 0] < 0).any() or (arr[:, 0] >= n).any()
                         or (arr[:, 1] < 0).any() or (arr[:, 1] >= m).any()):
            raise ValueError("pair index out of range")
        if arr.size:
            arr = np.unique(arr, axis=0)  # sorts lexicographically, drops duplicates
        item_aff = np.zeros(n, dtype=np.float64)
        np.add.at(item_aff, arr[:, 0], problem.affinity[arr[:, 0], arr[:, 1]])
        item_count = np.bincount(arr[:, 0], minlength=n).astype(np.int64)
        expert_load = np.bincount(arr[:, 1], minlength=m).astype(np.int64)
        active = problem.demand > 0
        min_aff = float(item_aff[active].min()) if active.any() else 0.0
        total = float(problem.affinity[arr[:, 0], arr[:, 1]].sum()) if arr.size else 0.0
        feasible = not check_assignment(problem, arr)
        return cls(
            pairs=arr,
            total_affinity=total,
            min_item_affinity=min_aff,
            item_affinity=item_aff,
            item_count=item_count,
            expert_load=expert_load,
            feasible=feasible,
            method=method,
            optimal=optimal,
            solve_seconds=solve_seconds,
            info=dict(info or {}),
        )

    def experts_of(self, item: int) -> list[int]:
        """0-based experts assigned to ``item``, ascending."""
        return [int(j) for j in self.pairs[self.pairs[:, 0] == item, 1]]

    def items_of(self, expert: int) -> list[int]:
        """0-based items assigned to ``expert``, ascending."""
        return [int(i) for i in self.pairs[self.pairs[:, 1] == expert, 0]]

    def as_mask(self, shape: tuple[int, int]) -> NDArray[np.bool_]:
        """Bool ``shape`` mask of the chosen pairs."""
        mask = np.zeros(shape, dtype=bool)
        mask[self.pairs[:, 0], self.pairs[:, 1]] = True
        return mask

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary (pairs as a list of ``[item, expert]``)."""
        return {
            "pairs": self.pairs.tolist(),
            "total_affinity": self.total_affinity,
            "min_item_affinity": self.min_item_affinity,
            "feasible": self.feasible,
            "method": self.method,
            "optimal": self.optimal,
            "solve_seconds": self.solve_seconds,
        }
