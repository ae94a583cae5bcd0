"""Structured reasons and the exceptions raised by the assignment engine.

Every problem the engine finds with an input is described by a :class:`Reason`:
a machine-readable code, the indices involved, the numbers that do not add up
and a Chinese sentence meant to be shown to users as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

# Reason codes -------------------------------------------------------------
TOO_FEW_FREE_EXPERTS = "too_few_free_experts"
"""An item has fewer conflict-free experts (with capacity) than it needs."""
CAPACITY_SHORT = "capacity_short"
"""Total expert capacity is smaller than total item demand."""
ITEM_UNCOVERED = "item_uncovered"
"""After a maximum flow, this item still lacks experts (Hall-type shortfall)."""
GROUP_SHORTFALL = "group_shortfall"
"""A group of items competes for too few experts (the minimum cut)."""
REQUIRED_FORBIDDEN = "required_forbidden"
"""A required pair is also forbidden."""
REQUIRED_OVER_CAPACITY = "required_over_capacity"
"""An expert has more required pairs than capacity."""
REQUIRED_OVER_DEMAND = "required_over_demand"
"""An item has more required pairs than its demand."""


@dataclass(frozen=True)
class Reason:
    """One explained problem with an assignment input or an assignment.

    Attributes:
        code: machine-readable reason code (module constants in ``errors``,
            ``validate``).
        message: Chinese sentence for users.
        item: 0-based item index the reason is about, or ``None``.
        expert: 0-based expert index the reason is about, or ``None``.
        needed: how many expert slots were needed (count), or ``None``.
        available: how many were available / obtainable (count), or ``None``.
        items: all 0-based item indices involved (for group reasons; for a
            single-item reason this is ``(item,)``).
        experts: 0-based expert indices involved, if any.
    """

    code: str
    message: str
    item: int | None = None
    expert: int | None = None
    needed: int | None = None
    available: int | None = None
    items: tuple[int, ...] = field(default_factory=tuple)
    experts: tuple[int, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Return the reason as a JSON-serialisable ``dict``."""
        d = asdict(self)
        d["items"] = list(self.items)
        d["experts"] = list(self.experts)
        return d


class AssignmentError(ValueError):
    """Base class for assignment input errors that carry structured reasons.

    Attributes:
        reasons: list of :class:`Reason`, never empty.
    """

    def __init__(self, reasons: Sequence[Reason], summary: str | None = None) -> None:
        self.reasons: list[Reason] = list(reasons)
        text = summary or "；".join(r.message for r in self.reasons[:5])
        if len(self.reasons) > 5:
            text += f"；等共 {len(self.reasons)} 条原因"
        super().__init__(text)

    @property
    def messages(self) -> list[str]:
        """Chinese messages of all reasons, in order."""
        return [r.message for r in self.reasons]

    @property
    def item_indices(self) -> list[int]:
        """Sorted 0-based indices of all items named by any reason."""
        out: set[int] = set()
        for r in self.reasons:
            out.update(r.items)
            if r.item is not None:
                out.add(r.item)
        return sorted(out)


class InfeasibleAssignment(AssignmentError):
    """No assignment meets every item's demand within capacities and conflicts.

    ``reasons`` name the items that cannot be covered and why (codes
    ``too_few_free_experts``, ``capacity_short``, ``item_uncovered``,
    ``group_shortfall``).
    """


class RequiredPairError(AssignmentError):
    """Required pairs contradict the other constraints.

    Raised when a required pair is forbidden, or when required pairs alone
    exceed an expert's capacity or an item's demand (codes
    ``required_forbidden``, ``required_over_capacity``, ``required_over_demand``).
    """
