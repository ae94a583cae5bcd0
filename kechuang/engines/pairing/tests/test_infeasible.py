"""Infeasible inputs are explained: which items, how many needed vs available."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from kechuang.engines.pairing import (
    AssignmentProblem,
    InfeasibleAssignment,
    RequiredPairError,
    assign,
    solve,
)

from .helpers import brute_force, small_problems


def test_too_few_conflict_free_experts_names_items() -> None:
    affinity = np.ones((5, 4))
    forbidden = np.zeros((5, 4), dtype=bool)
    forbidden[2, :2] = True  # item 2: 2 free experts, needs 3
    forbidden[4, :3] = True  # item 4: 1 free expert, needs 3
    with pytest.raises(InfeasibleAssignment) as info:
        assign(affinity, 3, 10, forbidden)
    reasons = [r for r in info.value.reasons if r.code == "too_few_free_experts"]
    assert [(r.item, r.needed, r.available) for r in reasons] == [(2, 3, 2), (4, 3, 1)]
    assert reasons[0].message == "第 3 项需要 3 名评审专家，回避后仅有 2 名可用"
    assert info.value.item_indices == [2, 4]
    assert "第 3 项需要 3 名评审专家，回避后仅有 2 名可用" in str(info.value)


def test_zero_capacity_experts_are_not_available() -> None:
    capacity = np.array([0, 0, 5])
    with pytest.raises(InfeasibleAssignment) as info:
        assign(np.ones((1, 3)), 2, capacity)
    (reason,) = info.value.reasons
    assert (reason.item, reason.needed, reason.available) == (0, 2, 1)


def test_total_capacity_short() -> None:
    with pytest.raises(InfeasibleAssignment) as info:
        assign(np.ones((10, 6)), 2, 3)  # demand 20 > capacity 18
    (reason,) = info.value.reasons
    assert reason.code == "capacity_short"
    assert (reason.needed, reason.available) == (20, 18)
    assert "缺 2 个" in reason.message


def test_hall_shortfall_names_the_bottleneck_group() -> None:
    # Items 0, 1, 2 may only use experts 0 and 1 (capacity 1 each); items 3, 4
    # can use anyone.  Per-item counts and total capacity are fine.
    forbidden = np.zeros((5, 6), dtype=bool)
    forbidden[:3, 2:] = True
    problem = AssignmentProblem(
        np.random.default_rng(0).random((5, 6)), 1, 1, forbidden,
        item_labels=["甲", "乙", "丙", "丁", "戊"], expert_noun="专家",
    )
    with pytest.raises(InfeasibleAssignment) as info:
        solve(problem)
    codes = [r.code for r in info.value.reasons]
    assert codes.count("item_uncovered") == 1
    (group,) = [r for r in info.value.reasons if r.code == "group_shortfall"]
    assert group.items == (0, 1, 2)
    assert (group.needed, group.available) == (3, 2)
    assert group.experts == (0, 1)
    assert group.message.startswith("甲、乙、丙合计需要 3 名专家")
    uncovered = next(r for r in info.value.reasons if r.code == "item_uncovered")
    assert uncovered.item in (0, 1, 2)
    assert (uncovered.needed, uncovered.available) == (1, 0)


def test_required_pair_that_is_forbidden() -> None:
    forbidden = [(0, 1)]
    with pytest.raises(RequiredPairError) as info:
        assign(np.ones((2, 2)), 1, 1, forbidden, required=[(0, 1)])
    (reason,) = info.value.reasons
    assert reason.code == "required_forbidden"
    assert (reason.item, reason.expert) == (0, 1)
    assert "回避" in reason.message


def test_required_pairs_over_capacity_and_demand() -> None:
    with pytest.raises(RequiredPairError) as info:
        assign(np.ones((3, 2)), 1, 1, required=[(0, 0), (1, 0)])
    assert [r.code for r in info.value.reasons] == ["required_over_capacity"]
    assert info.value.reasons[0].expert == 0
    with pytest.raises(RequiredPairError) as info:
        assign(np.ones((1, 3)), 1, 2, required=[(0, 0), (0, 1)])
    assert [r.code for r in info.value.reasons] == ["required_over_demand"]


def test_required_pairs_are_honoured_even_when_poor() -> None:
    affinity = np.array([[1.0, 0.0], [0.0, 1.0]])
    result = assign(affinity, 1, 1, required=[(0, 1)])
    assert result.pairs.tolist() == [[0, 1], [1, 0]]
    assert result.total_affinity == 0.0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(small_problems(max_items=4, max_experts=4))
def test_infeasible_explanations_are_correct(problem: AssignmentProblem) -> None:
    if brute_force(problem) is not None:
        solve(problem)
        return
    with pytest.raises(InfeasibleAssignment) as info:
        solve(problem)
    reasons = info.value.reasons
    assert reasons and all(r.message for r in reasons)
    for r in reasons:
        assert r.available is not None and r.needed is not None
        if r.code == "too_few_free_experts":
            free = (~problem.forbidden[r.item] & (problem.capacity > 0)).sum()
            assert r.available == free < r.needed == problem.demand[r.item]
        elif r.code == "capacity_short":
            assert r.available == problem.total_capacity < r.needed == problem.total_demand
        elif r.code == "group_shortfall":
            # The named group alone is already infeasible.
            sub = AssignmentProblem(
                problem.affinity[list(r.items)], problem.demand[list(r.items)],
                problem.capacity, problem.forbidden[list(r.items)],
            )
            assert brute_force(sub) is None
            assert r.available < r.needed
        else:
            assert r.code == "item_uncovered"
            assert r.available < r.needed


def test_bad_inputs_raise_value_error() -> None:
    with pytest.raises(ValueError):
        AssignmentProblem(np.ones(3), 1, 1)
    with pytest.raises(ValueError):
        AssignmentProblem(np.array([[np.nan]]), 1, 1)
    with pytest.raises(ValueError):
        AssignmentProblem(np.ones((2, 2)), [1, -1], 1)
    with pytest.raises(ValueError):
        AssignmentProblem(np.ones((2, 2)), 1, [1, 2, 3])
    with pytest.raises(ValueError):
        AssignmentProblem(np.ones((2, 2)), 1.5, 1)
    with pytest.raises(ValueError):
        AssignmentProblem(np.ones((2, 2)), 1, 1, forbidden=[(0, 5)])
