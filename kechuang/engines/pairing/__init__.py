"""Framework-free assignment engine.

Pairs experts with items (enterprises, applications) to maximise total
affinity under per-item demands, per-expert capacities, conflicts of interest
and required pairs; optionally maximises the worst item's affinity first.

Typical use::

    from kechuang.engines.pairing import assign, derive_conflicts

    report = derive_conflicts(item_orgs, item_regions, expert_orgs, expert_avoid)
    result = assign(affinity, demand=3, capacity=3, forbidden=report.forbidden)
    result.pairs            # (P, 2) int array of (item, expert)

Nothing here imports Django; the platform layer wraps it.
"""

from __future__ import annotations

from .conflicts import ConflictReport, ExcludedPair, derive_conflicts
from .errors import AssignmentError, InfeasibleAssignment, Reason, RequiredPairError
from .feasibility import explain_shortfall, free_expert_counts, precheck
from .greedy import greedy_assign
from .problem import AssignmentProblem, pairs_to_mask
from .result import Assignment
from .solver import COST_RANGE, assign, solve
from .validate import check_assignment

__all__ = [
    "COST_RANGE",
    "Assignment",
    "AssignmentError",
    "AssignmentProblem",
    "ConflictReport",
    "ExcludedPair",
    "InfeasibleAssignment",
    "Reason",
    "RequiredPairError",
    "assign",
    "check_assignment",
    "derive_conflicts",
    "explain_shortfall",
    "free_expert_counts",
    "greedy_assign",
    "pairs_to_mask",
    "precheck",
    "solve",
]
