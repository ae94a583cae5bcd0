"""The assignment problem: validated, normalised input arrays.

An instance has ``n`` items (enterprises, applications) and ``m`` experts
(doctors, reviewers).  Item ``i`` must receive exactly ``demand[i]`` distinct
experts; expert ``j`` takes at most ``capacity[j]`` items; forbidden pairs are
never used; required pairs are always used.  The objective is the sum of the
affinities of the chosen pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import (
    REQUIRED_FORBIDDEN,
    REQUIRED_OVER_CAPACITY,
    REQUIRED_OVER_DEMAND,
    Reason,
    RequiredPairError,
)

DEFAULT_EXPERT_NOUN = "评审专家"


def pairs_to_mask(
    pairs: ArrayLike | Iterable[tuple[int, int]] | None, shape: tuple[int, int], what: str
) -> NDArray[np.bool_]:
    """Turn a bool mask or a list of ``(item, expert)`` pairs into a bool mask.

    Args:
        pairs: ``None`` (no pairs), a bool array of shape ``shape``, or an
            integer array-like of shape ``(P, 2)`` with 0-based
            ``(item, expert)`` indices (duplicates are fine).
        shape: ``(n, m)``.
        what: name used in error messages ("forbidden", "required").

    Returns:
        Bool array of shape ``(n, m)``; a fresh copy.

    Raises:
        ValueError: wrong shape, non-integer pairs or out-of-range indices.
    """
    n, m = shape
    if pairs is None:
        return np.zeros(shape, dtype=bool)
    arr = np.asarray(pairs if not isinstance(pairs, (set, frozenset)) else sorted(pairs))
    if arr.dtype == np.bool_:
        if arr.shape != shape:
            raise ValueError(f"{what} mask has shape {arr.shape}, expected {shape}")
        return arr.copy()
    if arr.size == 0:
        return np.zeros(shape, dtype=bool)
    if arr.ndim != 2 or arr.shape[1] != 2 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{what} pairs must be a bool mask {shape} or integer pairs of shape (P, 2)")
    i, j = arr[:, 0], arr[:, 1]
    if (i < 0).any() or (i >= n).any() or (j < 0).any() or (j >= m).any():
        raise ValueError(f"{what} pair index out of range for shape {shape}")
    mask = np.zeros(shape, dtype=bool)
    mask[i, j] = True
    return mask


def _as_counts(value: ArrayLike, size: int, what: str) -> NDArray[np.int64]:
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(size, arr)
    if arr.shape != (size,):
        raise ValueError(f"{what} must be a scalar or have shape ({size},), got {arr.shape}")
    if arr.size and not np.all(np.equal(np.mod(arr, 1), 0)):
        raise ValueError(f"{what} must be integers")
    out = arr.astype(np.int64)
    if (out < 0).any():
        raise ValueError(f"{what} must be non-negative")
    return out


class AssignmentProblem:
    """A validated assignment instance.

    Args:
        affinity: float array-like, shape ``(n, m)`` (items × experts); any
            finite real (typically a matching score in ``[0, 1]``).  Higher is
            better.  NaN/inf are rejected: use ``forbidden`` instead.
        demand: per-item number of experts ``k_i`` (int ≥ 0), shape ``(n,)``
            or a scalar.  Demands are met *exactly*.
        capacity: per-expert maximum number of items ``c_j`` (int ≥ 0), shape
            ``(m,)`` or a scalar.
        forbidden: conflicts: ``None``, bool mask ``(n, m)`` or ``(P, 2)``
            integer ``(item, expert)`` pairs.
        required: pairs that must be in the answer; same forms as
            ``forbidden``.
        item_labels: optional names of the items used in Chinese messages
            (default ``"第 i+1 项"``, i.e. 1-based for people).
        expert_labels: optional names of the experts (default ``"第 j+1 位专家"``).
        expert_noun: noun for an expert in messages (default ``"评审专家"``;
            e.g. ``"专家"`` for pairing campaigns).

    Attributes:
        affinity (float64 ``(n, m)``), demand (int64 ``(n,)``), capacity
        (int64 ``(m,)``), forbidden (bool ``(n, m)``), required (bool ``(n, m)``),
        n_items, n_experts.

    Raises:
        ValueError: bad shapes, non-finite affinities, negative or
            non-integer demand/capacity, out-of-range pair indices.
        RequiredPairError: a required pair is forbidden, or required pairs
            exceed an expert's capacity or an item's demand.
    """

    def __init__(
        self,
        affinity: ArrayLike,
        demand: ArrayLike,
        capacity: ArrayLike,
        forbidden: Any = None,
        required: Any = None,
        *,
        item_labels: Sequence[str] | None = None,
        expert_labels: Sequence[str] | None = None,
        expert_noun: str = DEFAULT_EXPERT_NOUN,
    ) -> None:
        a = np.array(affinity, dtype=np.float64)
        if a.ndim != 2:
            raise ValueError(f"affinity must be 2-D (items × experts), got shape {a.shape}")
        if not np.isfinite(a).all():
            raise ValueError("affinity must be finite; mark impossible pairs as forbidden")
        n, m = a.shape
        self.affinity: NDArray[np.float64] = a
        self.n_items: int = n
        self.n_experts: int = m
        self.demand: NDArray[np.int64] = _as_counts(demand, n, "demand")
        self.capacity: NDArray[np.int64] = _as_counts(capacity, m, "capacity")
        self.forbidden: NDArray[np.bool_] = pairs_to_mask(forbidden, (n, m), "forbidden")
        self.required: NDArray[np.bool_] = pairs_to_mask(required, (n, m), "required")
        if item_labels is not None and len(item_labels) != n:
            raise ValueError(f"item_labels must have {n} entries")
        if expert_labels is not None and len(expert_labels) != m:
            raise ValueError(f"expert_labels must have {m} entries")
        self.item_labels = list(item_labels) if item_labels is not None else None
        self.expert_labels = list(expert_labels) if expert_labels is not None else None
        self.expert_noun = expert_noun
        for arr in (self.affinity, self.demand, self.capacity, self.forbidden, self.required):
            arr.setflags(write=False)
        self._check_required()

    # -- labels -----------------------------------------------------------
    def item_label(self, i: int) -> str:
        """Display name of item ``i`` (0-based) for Chinese messages."""
        if self.item_labels is not None:
            return str(self.item_labels[i])
        return f"第 {i + 1} 项"

    def expert_label(self, j: int) -> str:
        """Display name of expert ``j`` (0-based) for Chinese messages."""
        if self.expert_labels is not None:
            return str(self.expert_labels[j])
        return f"第 {j + 1} 位专家"

    def items_label(self, items: Sequence[int], limit: int = 10) -> str:
        """Join item labels with '、', abbreviating after ``limit`` entries."""
        shown = "、".join(self.item_label(i) for i in items[:limit])
        if len(items) > limit:
            shown += f" 等 {len(items)} 项"
        return shown

    def experts_label(self, experts: Sequence[int], limit: int = 10) -> str:
        """Join expert labels with '、', abbreviating after ``limit`` entries."""
        shown = "、".join(self.expert_label(j) for j in experts[:limit])
        if len(experts) > limit:
            shown += f" 等 {len(experts)} 位"
        return shown

    # -- derived quantities ----------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        """``(n_items, n_experts)``."""
        return (self.n_items, self.n_experts)

    @property
    def allowed(self) -> NDArray[np.bool_]:
        """Bool ``(n, m)``: pairs that may be used (not forbidden)."""
        return ~self.forbidden

    @property
    def required_per_item(self) -> NDArray[np.int64]:
        """Int ``(n,)``: number of required pairs of each item."""
        out: NDArray[np.int64] = self.required.sum(axis=1).astype(np.int64)
        return out

    @property
    def required_per_expert(self) -> NDArray[np.int64]:
        """Int ``(m,)``: number of required pairs of each expert."""
        out: NDArray[np.int64] = self.required.sum(axis=0).astype(np.int64)
        return out

    @property
    def total_demand(self) -> int:
        """Sum of ``demand`` (expert slots needed)."""
        return int(self.demand.sum())

    @property
    def total_capacity(self) -> int:
        """Sum of ``capacity`` (expert slots offered)."""
        return int(self.capacity.sum())

    def _check_required(self) -> None:
        reasons: list[Reason] = []
        noun = self.expert_noun
        for i, j in np.argwhere(self.required & self.forbidden):
            i, j = int(i), int(j)
            reasons.append(
                Reason(
                    REQUIRED_FORBIDDEN,
                    f"{self.item_label(i)}与{self.expert_label(j)}被指定为必须配对，但二者存在回避关系",
                    item=i,
                    expert=j,
                    items=(i,),
                    experts=(j,),
                )
            )
        per_expert = self.required_per_expert
        for j in np.flatnonzero(per_expert > self.capacity):
            j = int(j)
            its = tuple(int(i) for i in np.flatnonzero(self.required[:, j]))
            reasons.append(
                Reason(
                    REQUIRED_OVER_CAPACITY,
                    f"{self.expert_label(j)}被指定必须承担 {int(per_expert[j])} 项，"
                    f"超过其容量 {int(self.capacity[j])} 项",
                    expert=j,
                    needed=int(per_expert[j]),
                    available=int(self.capacity[j]),
                    items=its,
                    experts=(j,),
                )
            )
        per_item = self.required_per_item
        for i in np.flatnonzero(per_item > self.demand):
            i = int(i)
            exps = tuple(int(j) for j in np.flatnonzero(self.required[i]))
            reasons.append(
                Reason(
                    REQUIRED_OVER_DEMAND,
                    f"{self.item_label(i)}被指定了 {int(per_item[i])} 名必须配对的{noun}，"
                    f"超过其需要的 {int(self.demand[i])} 名",
                    item=i,
                    needed=int(self.demand[i]),
                    available=int(per_item[i]),
                    items=(i,),
                    experts=exps,
                )
            )
        if reasons:
            raise RequiredPairError(reasons)
