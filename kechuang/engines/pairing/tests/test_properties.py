"""Property tests of the exact solver, the fair mode and the greedy baseline."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linear_sum_assignment

from kechuang.engines.pairing import (
    AssignmentProblem,
    InfeasibleAssignment,
    check_assignment,
    greedy_assign,
    solve,
)

from .helpers import assert_valid, brute_force, contested_problems, small_problems

SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
TOL = 1e-7


@SETTINGS
@given(st.one_of(small_problems(with_required=True), contested_problems()))
def test_matches_brute_force_and_respects_constraints(problem: AssignmentProblem) -> None:
    expected = brute_force(problem)
    if expected is None:
        with pytest.raises(InfeasibleAssignment) as info:
            solve(problem)
        assert info.value.reasons
        return
    result = solve(problem)
    assert result.feasible and result.optimal
    assert_valid(problem, result.pairs)
    assert check_assignment(problem, result.pairs) == []
    assert result.total_affinity == pytest.approx(expected[0], abs=TOL)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(small_problems(with_required=True), contested_problems()))
def test_fair_is_lexicographic_optimum(problem: AssignmentProblem) -> None:
    expected = brute_force(problem)
    if expected is None:
        return
    plain = solve(problem)
    fair = solve(problem, fair=True)
    assert_valid(problem, fair.pairs)
    assert fair.method == "fair" and fair.optimal
    assert fair.min_item_affinity >= plain.min_item_affinity - TOL
    low, total = expected[1]
    assert fair.min_item_affinity == pytest.approx(low, abs=TOL)
    assert fair.total_affinity == pytest.approx(total, abs=TOL)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.integers(n, 10).flatmap(
                lambda m: st.tuples(
                    arrays(np.float64, (n, m), elements=st.floats(0, 1)),
                    arrays(np.bool_, (n, m), elements=st.sampled_from([False] * 5 + [True])),
                )
            ),
        )
    )
)
def test_unit_case_equals_linear_sum_assignment(data) -> None:
    _n, (affinity, forbidden) = data
    cost = np.where(forbidden, np.inf, -affinity)
    try:
        rows, cols = linear_sum_assignment(cost)
        lsa = float(affinity[rows, cols].sum())
    except ValueError:  # infeasible cost matrix
        lsa = None
    problem = AssignmentProblem(affinity, 1, 1, forbidden)
    if lsa is None:
        with pytest.raises(InfeasibleAssignment):
            solve(problem)
        return
    result = solve(problem)
    assert_valid(problem, result.pairs)
    assert result.total_affinity == pytest.approx(lsa, abs=TOL)
    fair = solve(problem, fair=True)
    assert fair.min_item_affinity >= result.min_item_affinity - TOL


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, 10_000), st.integers(1, 3), st.booleans())
def test_fair_never_worse_on_medium_instances(seed: int, k: int, correlated: bool) -> None:
    rng = np.random.default_rng(seed)
    n, m = 12, 10
    affinity = rng.random((n, m))
    if correlated:
        affinity = 0.7 * rng.random(m)[None, :] + 0.3 * affinity
    forbidden = rng.random((n, m)) < 0.1
    cap = int(np.ceil(n * k / m)) + 1
    problem = AssignmentProblem(affinity, k, cap, forbidden)
    try:
        plain = solve(problem)
    except InfeasibleAssignment:
        return
    fair = solve(problem, fair=True)
    assert_valid(problem, fair.pairs)
    assert fair.min_item_affinity >= plain.min_item_affinity - TOL
    assert fair.total_affinity <= plain.total_affinity + TOL


@settings(max_examples=40, deadline=None, derandomize=True)
@given(small_problems(max_items=5, max_experts=5, with_required=True))
def test_greedy_respects_constraints_and_is_not_better(problem: AssignmentProblem) -> None:
    greedy = greedy_assign(problem)
    pairs = greedy.pairs
    n, m = problem.shape
    assert not problem.forbidden[pairs[:, 0], pairs[:, 1]].any()
    assert (np.bincount(pairs[:, 0], minlength=n) <= problem.demand).all()
    assert (np.bincount(pairs[:, 1], minlength=m) <= problem.capacity).all()
    assert problem.required[pairs[:, 0], pairs[:, 1]].sum() == problem.required.sum()
    if greedy.feasible:
        assert greedy.total_affinity <= solve(problem).total_affinity + TOL


@settings(max_examples=30, deadline=None, derandomize=True)
@given(small_problems(max_items=5, max_experts=5, with_required=True), st.booleans())
def test_deterministic(problem: AssignmentProblem, fair: bool) -> None:
    try:
        first = solve(problem, fair=fair)
    except InfeasibleAssignment as exc:
        with pytest.raises(InfeasibleAssignment) as again:
            solve(problem, fair=fair)
        assert [r.to_dict() for r in again.value.reasons] == [r.to_dict() for r in exc.reasons]
        return
    rebuilt = AssignmentProblem(
        problem.affinity.copy(), problem.demand.copy(), problem.capacity.copy(),
        problem.forbidden.copy(), problem.required.copy(),
    )
    second = solve(rebuilt, fair=fair)
    assert np.array_equal(first.pairs, second.pairs)
    assert first.total_affinity == second.total_affinity


def test_deterministic_with_many_ties() -> None:
    affinity = np.full((30, 30), 0.5)
    runs = {solve(AssignmentProblem(affinity, 2, 2)).pairs.tobytes() for _ in range(3)}
    assert len(runs) == 1


def test_fair_with_time_limit_stays_valid() -> None:
    rng = np.random.default_rng(7)
    n, m = 40, 40
    affinity = 0.8 * rng.random(m)[None, :] + 0.2 * rng.random((n, m))
    problem = AssignmentProblem(affinity, 3, 3, rng.random((n, m)) < 0.05)
    plain = solve(problem)
    fair = solve(problem, fair=True, fair_time_limit=0.5)
    assert_valid(problem, fair.pairs)
    assert fair.min_item_affinity >= plain.min_item_affinity - TOL
    assert fair.total_affinity <= plain.total_affinity + TOL


@pytest.mark.parametrize("scale", [1e-300, 1e-9, 1.0, 1e9, 1e200])
def test_extreme_magnitudes_stay_valid(scale: float) -> None:
    rng = np.random.default_rng(1)
    affinity = rng.random((8, 6)) * scale
    affinity[0, 0] = -scale
    problem = AssignmentProblem(affinity, 2, 3, rng.random((8, 6)) < 0.1)
    for fair in (False, True):
        result = solve(problem, fair=fair)
        assert_valid(problem, result.pairs)
        assert np.isfinite(result.total_affinity)
