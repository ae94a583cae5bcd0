"""Error localisation (Fellegi–Holt): the fewest fields whose correction can satisfy every error rule.

Principle (Fellegi & Holt, *A systematic approach to automatic edit and imputation*, JASA 71, 1976):
a report that breaks edit rules should be made to satisfy all of them by changing the smallest
(weighted) set of fields; which values to put there is a second step. Here, as a mixed-integer
program solved by HiGHS (``scipy.optimize.milp``):

* variables: ``x_v`` (corrected value of field ``v``, in ``[0, U]``: R21a non-negativity; integer for
  persons and counts: R21b), ``d_v ≥ |x_v − value_v|``, ``z_v ∈ {0,1}`` with ``d_v ≤ M_v z_v``;
* constraints: every **error** (E) rule of scope firm that is a linear (in)equality or a boolean
  combination of them. Conditional rules (R07, R09, R14: ``when`` guard ⇒ condition) are written
  ``!when || expression`` and turned into a disjunction of linear systems, each linked to a binary
  ``y`` with big-M (``Σ y ≥ 1``). Strict inequalities (``> 0``) get a margin of one form unit
  (1 千元, 1 person, 1 person-month), so a suggested value is visibly positive;
* objective: ``Σ w_v z_v`` (weights default 1) plus a tie-break ``δ Σ d_v / U`` (δ small enough never
  to trade a field for size) that prefers the smallest changes.

The chosen set is then **verified**: the same constraints with every field outside the set fixed at
its reported value exactly (bounds, no big-M); if that fails (big-M round-off), the set is cut off and
the search repeats. The verification also gives one feasible correction (:attr:`Localisation.corrected`).

Not localised (listed in :attr:`Localisation.excluded_rules`): warnings and info, cross-checks (they
need context), 107-1 row rules (R13: each concerns one row, whose fields the finding already names),
and any rule outside the linear subset (``in``, ``contains``, ``abs``, ``is_integer`` other than R21b,
products of two fields). 107-1 totals used by firm rules (``projects_person_months_total``,
``projects_with_expense_count`` …) are variables like the 107-2 items: correcting one means
correcting the 107-1 rows that add up to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from kechuang.engines.rulekit.cel import Lit, Node, Op, Var

from .audit_rules import RuleSet, Scope, Severity, rule_set
from .catalogue import Report
from .crosschecks import ReviewContext
from .validator import prepare_report

__all__ = ["Localisation", "NotLinear", "linear_rules", "localise_errors", "localise_values"]

_MAX_DISJUNCTS = 16
_MAX_ROUNDS = 20


class NotLinear(ValueError):
    """An expression outside the linear subset used by the localisation."""


_Form = tuple[dict[str, Fraction], Fraction]  # Σ coef·x + const
_Atom = tuple[dict[str, Fraction], Fraction, str]  # form op 0, op in "<=", "<", "=="
_Dnf = list[list[_Atom]]


@dataclass(frozen=True)
class Localisation:
    """Result of :func:`localise_errors`.

    Attributes:
        fields: the smallest weighted set of fields to correct, in form order (107-2 keys and 107-1
            totals); empty when no considered rule is broken.
        corrected: one feasible correction: field → new value (form units; persons and counts whole;
            money and person-months to 0.001). Indicative: any values satisfying the rules will do.
        broken_rules: keys of the considered error rules that the report breaks.
        considered_rules: keys of the error rules used as constraints.
        excluded_rules: keys of enabled error rules left out (see the module docstring).
        weight: total weight of ``fields``.
        feasible: ``False`` when no correction within the bounds exists (the rules contradict each
            other for this report; never for a consistent rules file).
    """

    fields: tuple[str, ...]
    corrected: Mapping[str, Decimal] = field(default_factory=dict)
    broken_rules: tuple[str, ...] = ()
    considered_rules: tuple[str, ...] = ()
    excluded_rules: tuple[str, ...] = ()
    weight: float = 0.0
    feasible: bool = True


# --- linearisation ---------------------------------------------------------------------------------


def _linear(node: Node, rules: RuleSet, variables: frozenset[str]) -> _Form:
    if isinstance(node, Lit):
        if isinstance(node.value, Decimal):
            return {}, Fraction(node.value)
        raise NotLinear(f"not a number: {node!r}")
    if isinstance(node, Var):
        constant = rules.constants.get(node.name)
        if isinstance(constant, Decimal):
            return {}, Fraction(constant)
        if node.name in variables:
            return {node.name: Fraction(1)}, Fraction(0)
        raise NotLinear(f"variable {node.name} is not localisable")
    op, args = node.op, node.args
    if op in ("+", "-"):
        (ca, ka), (cb, kb) = _linear(args[0], rules, variables), _linear(args[1], rules, variables)
        sign = 1 if op == "+" else -1
        out = dict(ca)
        for name, coef in cb.items():
            out[name] = out.get(name, Fraction(0)) + sign * coef
        return {k: v for k, v in out.items() if v}, ka + sign * kb
    if op == "neg":
        coefs, const = _linear(args[0], rules, variables)
        return {k: -v for k, v in coefs.items()}, -const
    if op == "*":
        (ca, ka), (cb, kb) = _linear(args[0], rules, variables), _linear(args[1], rules, variables)
        if ca and cb:
            raise NotLinear("product of two fields")
        coefs, const, factor = (ca, ka, kb) if not cb else (cb, kb, ka)
        return {k: v * factor for k, v in coefs.items() if v * factor}, const * factor
    raise NotLinear(f"operation {op!r} is not linear")


def _atoms(op: str, form: _Form, negate: bool) -> _Dnf:
    coefs, const = form
    neg = ({k: -v for k, v in coefs.items()}, -const)
    flip = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
    if negate:
        op = flip[op]
    if op == "<=":
        return [[(coefs, const, "<=")]]
    if op == "<":
        return [[(coefs, const, "<")]]
    if op == ">=":
        return [[(neg[0], neg[1], "<=")]]
    if op == ">":
        return [[(neg[0], neg[1], "<")]]
    if op == "==":
        return [[(coefs, const, "==")]]
    return [[(coefs, const, "<")], [(neg[0], neg[1], "<")]]  # !=


def _dnf(node: Node, rules: RuleSet, variables: frozenset[str], negate: bool = False) -> _Dnf:
    if isinstance(node, Lit) and isinstance(node.value, bool):
        return [[]] if node.value != negate else []
    if not isinstance(node, Op):
        raise NotLinear(f"not a condition: {node!r}")
    op, args = node.op, node.args
    if op in ("<", "<=", ">", ">=", "==", "!="):
        (ca, ka), (cb, kb) = _linear(args[0], rules, variables), _linear(args[1], rules, variables)
        coefs = dict(ca)
        for name, coef in cb.items():
            coefs[name] = coefs.get(name, Fraction(0)) - coef
        return _atoms(op, ({k: v for k, v in coefs.items() if v}, ka - kb), negate)
    if op == "!":
        return _dnf(args[0], rules, variables, not negate)
    if op in ("&&", "||"):
        conj = (op == "&&") != negate
        left, right = _dnf(args[0], rules, variables, negate), _dnf(args[1], rules, variables, negate)
        if conj:
            out = [a + b for a in left for b in right]
        else:
            out = left + right
        if len(out) > _MAX_DISJUNCTS:
            raise NotLinear("too many cases")
        return out
    if op == "?:":
        cond, then, other = args
        rewritten = Op("||", (Op("&&", (cond, then)), Op("&&", (Op("!", (cond,)), other))))
        return _dnf(rewritten, rules, variables, negate)
    raise NotLinear(f"operation {op!r} is not linear")


def linear_rules(rules: RuleSet) -> tuple[dict[str, _Dnf], tuple[str, ...]]:
    """The enabled firm-scope error rules as disjunctions of linear systems.

    Returns:
        ``(considered, excluded)``: rule key → DNF (list of alternatives, each a list of atoms
        ``(coefficients, constant, op)`` meaning ``Σ coef·x + constant op 0`` with op ``<=``, ``<`` or
        ``==``), and the keys of enabled error rules that are not used. R21a/R21b (non-negativity,
        whole persons) are not in ``considered``: they are the variables' bounds and integrality.
    """
    key = "localisation:linear"
    if key in rules._cache:
        return rules._cache[key]  # type: ignore[no-any-return]
    variables = frozenset(rules.catalogue.numeric_firm_keys) | frozenset(rules.aggregates)
    considered: dict[str, _Dnf] = {}
    excluded: list[str] = []
    for rule in rules.enabled_rules:
        if rule.severity is not Severity.ERROR:
            continue
        if rule.id in ("R21a", "R21b") and rule.scope is Scope.FIRM:
            continue
        if rule.scope is not Scope.FIRM or rules.required_context(rule):
            excluded.append(rule.key)
            continue
        try:
            considered[rule.key] = _dnf(rules.expanded(rule.check), rules, variables)
        except NotLinear:
            excluded.append(rule.key)
    rules._cache[key] = (considered, tuple(excluded))
    return considered, tuple(excluded)


# --- the program -----------------------------------------------------------------------------------


def _value(form: Mapping[str, Fraction], const: Fraction, values: Mapping[str, Decimal]) -> Fraction:
    return sum((coef * Fraction(values[name]) for name, coef in form.items()), const)


def _holds(dnf: _Dnf, values: Mapping[str, Decimal]) -> bool:
    for conj in dnf:
        ok = True
        for coefs, const, op in conj:
            v = _value(coefs, const, values)
            if (op == "<=" and v > 0) or (op == "<" and v >= 0) or (op == "==" and v != 0):
                ok = False
                break
        if ok:
            return True
    return False


def _integer(name: str, rules: RuleSet) -> bool:
    item = rules.catalogue.firm_items.get(name)
    if item is not None:
        return item.unit.integer
    agg = rules.aggregates.get(name)
    return agg is not None and agg.op != "sum"


class _Program:
    """Builds and solves the MILP for one report."""

    def __init__(
        self,
        names: list[str],
        values: Mapping[str, Decimal],
        rules: Mapping[str, _Dnf],
        integer: list[bool],
        weights: list[float],
    ) -> None:
        self.names = names
        self.index = {n: i for i, n in enumerate(names)}
        self.values = np.array([float(values[n]) for n in names])
        self.rules = rules
        self.integer = integer
        self.weights = weights
        top = max([1.0, *np.abs(self.values).tolist()])
        self.upper = 10.0 * top + 1000.0
        self.cuts: list[set[str]] = []

    def solve(self, fixed: set[str] | None) -> tuple[np.ndarray, np.ndarray] | None:
        """Solve; ``fixed``: fields held at their value (verification), or None (search)."""
        k = len(self.names)
        # variable blocks: x (k), d (k), z (k), y (one per alternative of multi-case rules)
        alternatives = [(key, j) for key, dnf in self.rules.items() if len(dnf) > 1 for j in range(len(dnf))]
        total = 3 * k + len(alternatives)
        rows: list[np.ndarray] = []
        lower: list[float] = []
        upper: list[float] = []

        def row() -> np.ndarray:
            """A zero constraint row."""
            return np.zeros(total)

        def add(coefficients: np.ndarray, low: float, high: float) -> None:
            """Add ``low <= coefficients · v <= high``."""
            rows.append(coefficients)
            lower.append(low)
            upper.append(high)

        big = self.upper * 4
        for i in range(k):
            r = row()
            r[i], r[k + i] = 1.0, -1.0  # x - d <= v
            add(r, -np.inf, self.values[i])
            r = row()
            r[i], r[k + i] = -1.0, -1.0  # -x - d <= -v
            add(r, -np.inf, -self.values[i])
            r = row()
            r[k + i], r[2 * k + i] = 1.0, -(self.upper + abs(self.values[i]))  # d <= M z
            add(r, -np.inf, 0.0)
        y_index = {alt: 3 * k + j for j, alt in enumerate(alternatives)}
        for key, dnf in self.rules.items():
            if len(dnf) > 1:
                r = row()
                for j in range(len(dnf)):
                    r[y_index[(key, j)]] = 1.0
                add(r, 1.0, np.inf)
            elif not dnf:
                return None  # a rule that can never hold
            for j, conj in enumerate(dnf):
                y = y_index.get((key, j))
                for coefs, const, op in conj:
                    r = row()
                    for name, coef in coefs.items():
                        r[self.index[name]] = float(coef)
                    rhs = -float(const) - (1.0 if op == "<" else 0.0)
                    reach = float(sum(abs(c) for c in coefs.values())) * self.upper + abs(float(const)) + big
                    if y is None:
                        add(r, rhs if op == "==" else -np.inf, rhs)
                        continue
                    r2 = r.copy()
                    r2[y] = reach  # Σ ≤ rhs + reach (1 - y)
                    add(r2, -np.inf, rhs + reach)
                    if op == "==":
                        r3 = r.copy()
                        r3[y] = -reach  # Σ ≥ rhs - reach (1 - y)
                        add(r3, rhs - reach, np.inf)
        for cut in self.cuts:
            r = row()
            for name in self.names:
                if name not in cut:
                    r[2 * k + self.index[name]] = 1.0
            add(r, 1.0, np.inf)
        lb = np.zeros(total)
        ub = np.concatenate(
            [np.full(k, self.upper), np.full(k, 2 * self.upper), np.ones(k), np.ones(len(alternatives))]
        )
        cost = np.zeros(total)
        if fixed is None:
            delta = min(self.weights) / (2.0 * (k + 1))
            cost[k : 2 * k] = delta / (2 * self.upper)
            cost[2 * k : 3 * k] = self.weights
        else:
            cost[k : 2 * k] = 1.0 / self.upper
            for name in fixed:
                i = self.index[name]
                lb[i] = ub[i] = self.values[i]
                ub[2 * k + i] = 0.0
        integrality = np.concatenate(
            [np.array(self.integer, dtype=float), np.zeros(k), np.ones(k), np.ones(len(alternatives))]
        )
        done = milp(
            cost,
            constraints=LinearConstraint(np.array(rows), np.array(lower), np.array(upper)),
            integrality=integrality,
            bounds=Bounds(lb, ub),
            options={"disp": False, "time_limit": 30},
        )
        if done.x is None:
            return None
        return done.x[:k], done.x[2 * k : 3 * k]


def localise_values(
    values: Mapping[str, Decimal],
    rules: RuleSet,
    weights: Mapping[str, float] | None = None,
) -> Localisation:
    """Fellegi–Holt localisation on firm-level values (107-2 items and 107-1 totals).

    Args:
        values: every numeric 107-2 item and aggregate, ``Decimal`` in form units (as
            :meth:`.validator.PreparedReport.values` gives them).
        rules: the rule set (its enabled error rules are the constraints).
        weights: field → weight (default 1; a larger weight makes a field less likely to be chosen,
            e.g. for figures confirmed by another source).

    Returns:
        :class:`Localisation`.

    Raises:
        ValueError: a non-positive weight.
    """
    considered, excluded = linear_rules(rules)
    broken = tuple(key for key, dnf in considered.items() if not _holds(dnf, values))
    catalogue = rules.catalogue
    bad_bounds = [
        k
        for k in catalogue.numeric_firm_keys
        if values[k] < 0
        or (catalogue.firm_items[k].unit.integer and values[k] != values[k].to_integral_value())
    ]
    base = Localisation((), {}, broken, tuple(considered), excluded, 0.0, True)
    if not broken and not bad_bounds:
        return base
    names_set: set[str] = set(bad_bounds)
    for dnf in considered.values():
        for conj in dnf:
            for coefs, _, _ in conj:
                names_set.update(coefs)
    order = [*catalogue.numeric_firm_keys, *rules.aggregates]
    names = [n for n in order if n in names_set]
    w = dict(weights or {})
    if any(v <= 0 for v in w.values()):
        raise ValueError("weights must be positive")
    program = _Program(
        names,
        values,
        considered,
        [_integer(n, rules) for n in names],
        [float(w.get(n, 1.0)) for n in names],
    )
    for _ in range(_MAX_ROUNDS):
        found = program.solve(None)
        if found is None:
            return Localisation((), {}, broken, tuple(considered), excluded, 0.0, False)
        _, z = found
        chosen = {n for n, flag in zip(names, z, strict=True) if flag > 0.5}
        check = program.solve(set(names) - chosen)
        if check is None:
            program.cuts.append(chosen)
            continue
        x, _ = check
        corrected = {n: _rounded(x[program.index[n]], _integer(n, rules)) for n in names if n in chosen}
        fields = tuple(n for n in names if n in chosen)
        return Localisation(
            fields,
            corrected,
            broken,
            tuple(considered),
            excluded,
            float(sum(w.get(n, 1.0) for n in fields)),
            True,
        )
    return Localisation((), {}, broken, tuple(considered), excluded, 0.0, False)


def _rounded(value: float, integer: bool) -> Decimal:
    number = Decimal(repr(float(value)))
    if integer:
        return number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return number.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def localise_errors(
    report: Report,
    context: ReviewContext | None = None,
    rules: RuleSet | None = None,
    weights: Mapping[str, float] | None = None,
) -> Localisation:
    """Suggest the fewest fields of ``report`` whose correction can satisfy all its error rules.

    Args:
        report: the report (form units).
        context: unused by the error rules today; accepted so a caller passes what it passes to
            :func:`.validator.validate_report`.
        rules: rule set (default: that of ``report.year``).
        weights: field → positive weight (default 1 each).

    Returns:
        :class:`Localisation` — e.g. for a report breaking only R04, one of R04's fields.

    Raises:
        ReportInputError: bad input (as :func:`.validator.validate_report`).
    """
    rules = rules or rule_set(report.year)
    prepared = prepare_report(report, context, rules)
    values = {**prepared.firm, **prepared.aggregates}
    return localise_values(values, rules, weights)
