"""Benchmark the pairing (expert assignment) engine on seeded random instances.

Usage::

    python -m kechuang.engines.pairing.bench --items 2000 --experts 2000 \\
        --k 3 --cap 3 --conflict-rate 0.05 --seed 1 [--fair]

Prints the solve time and totals of the engine, of the greedy baseline and,
when k = c = 1, of scipy's ``linear_sum_assignment``; the last line is one
JSON object (see :func:`main`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from .errors import InfeasibleAssignment
from .greedy import greedy_assign
from .problem import AssignmentProblem
from .solver import solve

# Penalty standing in for a forbidden pair in linear_sum_assignment: larger
# than any achievable total of affinities in [0, 1].
_LSA_PENALTY = 1e6


def make_instance(
    items: int, experts: int, conflict_rate: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random instance.

    Returns:
        ``(affinity, forbidden)``: float64 ``(items, experts)`` uniform in
        ``[0, 1)`` and a bool ``(items, experts)`` mask with each pair
        forbidden independently with probability ``conflict_rate``.
    """
    rng = np.random.default_rng(seed)
    affinity = rng.random((items, experts))
    forbidden = rng.random((items, experts)) < conflict_rate
    return affinity, forbidden


def lsa_total(affinity: np.ndarray, forbidden: np.ndarray) -> tuple[float | None, bool, float]:
    """Optimum of the k = c = 1 problem by ``linear_sum_assignment``.

    Forbidden pairs get a large negative affinity; the solution is then
    checked: it is feasible only if it assigns every item (items ≤ experts)
    and uses no forbidden pair.

    Returns:
        ``(total, feasible, seconds)``; ``total`` is ``None`` if infeasible.
    """
    t0 = time.perf_counter()
    value = np.where(forbidden, -_LSA_PENALTY, affinity)
    rows, cols = linear_sum_assignment(value, maximize=True)
    seconds = time.perf_counter() - t0
    feasible = len(rows) == affinity.shape[0] and not forbidden[rows, cols].any()
    total = float(affinity[rows, cols].sum()) if feasible else None
    return total, bool(feasible), seconds


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def main(argv: list[str] | None = None) -> int:
    """Run one benchmark.

    Args:
        argv: command-line arguments without the program name
            (``--items N --experts M --k K --cap C --conflict-rate R --seed S
            [--fair] [--fair-time-limit T]``); ``None`` reads ``sys.argv``.

    Returns:
        Exit status: 0 when the engine found a feasible assignment whose
        total is at least greedy's (and LSA's optimum, when computed), 1 when
        the instance is infeasible, 2 when a total falls short.

    Prints human-readable lines, then as the last line one JSON object with
    ``solve_s``, ``total_affinity``, ``min_item_affinity``, ``feasible``,
    ``greedy_total_affinity``, ``greedy_min_item_affinity``,
    ``greedy_feasible``, ``greedy_s``, ``lsa_total_affinity`` (null unless
    k = c = 1), ``lsa_feasible``, ``lsa_s``, ``ratio_to_greedy``,
    ``ratio_to_lsa``, the plain-mode figures when ``--fair`` is given, the
    parameters and ``reasons`` (Chinese messages when infeasible).
    """
    parser = argparse.ArgumentParser(
        prog="kechuang bench pairing", description="Benchmark the pairing (expert assignment) engine."
    )
    parser.add_argument("--items", type=int, required=True, help="number of items (n)")
    parser.add_argument("--experts", type=int, required=True, help="number of experts (m)")
    parser.add_argument("--k", type=int, default=1, help="experts per item")
    parser.add_argument("--cap", type=int, default=1, help="items per expert")
    parser.add_argument("--conflict-rate", type=float, default=0.0, help="share of forbidden pairs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fair", action="store_true", help="max-min fairness first, then total")
    parser.add_argument(
        "--fair-time-limit", type=float, default=None, help="per-phase MIP time limit (s)"
    )
    args = parser.parse_args(argv)

    affinity, forbidden = make_instance(args.items, args.experts, args.conflict_rate, args.seed)
    problem = AssignmentProblem(affinity, args.k, args.cap, forbidden)
    out: dict[str, Any] = {
        "items": args.items,
        "experts": args.experts,
        "k": args.k,
        "cap": args.cap,
        "conflict_rate": args.conflict_rate,
        "seed": args.seed,
        "fair": args.fair,
    }
    status = 0

    t0 = time.perf_counter()
    reasons: list[str] = []
    plain = None
    try:
        plain = solve(problem)
        result = solve(problem, fair=True, fair_time_limit=args.fair_time_limit) if args.fair else plain
    except InfeasibleAssignment as exc:
        result = None
        reasons = exc.messages
    solve_s = time.perf_counter() - t0
    if args.fair and plain is not None and result is not None:
        solve_s = result.solve_seconds  # fair solve alone (it re-runs the flow)
    out["solve_s"] = round(solve_s, 6)
    if result is None:
        print(f"infeasible after {solve_s:.3f} s:")
        for line in reasons[:20]:
            print("  " + line)
        out.update(total_affinity=None, min_item_affinity=None, feasible=False, reasons=reasons[:50])
        status = 1
    else:
        label = "fair" if args.fair else "flow"
        print(
            f"{label}: solve {solve_s:.4f} s, total affinity {result.total_affinity:.6f}, "
            f"min item affinity {result.min_item_affinity:.6f}, optimal {result.optimal}"
        )
        out.update(
            total_affinity=result.total_affinity,
            min_item_affinity=result.min_item_affinity,
            feasible=result.feasible,
            optimal=result.optimal,
        )
        if args.fair and plain is not None:
            print(
                f"flow (plain): solve {plain.solve_seconds:.4f} s, total affinity "
                f"{plain.total_affinity:.6f}, min item affinity {plain.min_item_affinity:.6f}"
            )
            out.update(
                plain_solve_s=round(plain.solve_seconds, 6),
                plain_total_affinity=plain.total_affinity,
                plain_min_item_affinity=plain.min_item_affinity,
            )

    greedy = greedy_assign(problem)
    print(
        f"greedy: {greedy.solve_seconds:.4f} s, total affinity {greedy.total_affinity:.6f}, "
        f"min item affinity {greedy.min_item_affinity:.6f}, feasible {greedy.feasible}"
    )
    out.update(
        greedy_s=round(greedy.solve_seconds, 6),
        greedy_total_affinity=greedy.total_affinity,
        greedy_min_item_affinity=greedy.min_item_affinity,
        greedy_feasible=greedy.feasible,
    )

    lsa: float | None = None
    if args.k == 1 and args.cap == 1:
        lsa, lsa_ok, lsa_s = lsa_total(affinity, forbidden)
        print(f"linear_sum_assignment: {lsa_s:.4f} s, total affinity {lsa}, feasible {lsa_ok}")
        out.update(lsa_feasible=lsa_ok, lsa_s=round(lsa_s, 6))
    out["lsa_total_affinity"] = lsa

    total = out.get("total_affinity")
    # When greedy left items uncovered (greedy_feasible false) its total is
    # that of a partial assignment and the ratio is only indicative.
    out["ratio_to_greedy"] = _ratio(total, greedy.total_affinity)
    out["ratio_to_lsa"] = _ratio(total, lsa)
    if total is not None and status == 0:
        # Fair mode trades total for the worst item, so compare the plain total.
        best = out.get("plain_total_affinity", total)
        if greedy.feasible and best < greedy.total_affinity - 1e-9:
            status = 2
        if lsa is not None and abs(best - lsa) > 1e-6 * max(1.0, abs(lsa)):
            status = 2
    print(json.dumps(out, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
