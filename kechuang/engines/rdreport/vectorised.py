"""Vectorised validation of a whole table of reports (imports, the statistics bureau's batch).

:func:`validate_table` runs the **same** CEL rules as :func:`.validator.validate_report`, but
evaluates each rule once for all reports with numpy: the celpy parse tree of each expression
(:func:`.expressions.parse`) is walked into numpy operations.

Exactness: every figure is held as an integer ``value × 10**e`` (``e`` = 3 for form figures, see
:mod:`.amounts`; a decimal literal ``0.15`` is ``15 × 10**-2``); additions align the exponents,
multiplications add them, comparisons align and compare integers. ``int64`` is used while a
static bound on the magnitudes (tracked through every operation) stays below ``2**62``; beyond it the
operation switches to Python integers (``object`` arrays), so the result is exact whatever the
figures. Division is not part of rule expressions (see :mod:`.expressions`).

Inputs (one row per report, every array of length ``n``):

* 107-2 item columns by key: ``int`` arrays (form units), ``float`` arrays (converted exactly; at most
  3 decimals; NaN = blank = 0) or ``object`` arrays of ``Decimal`` / ``int`` / ``str`` / ``None``;
  a missing column is blank (0) for every report. Speed: a numeric array of 100,000 cells converts
  in about 1 ms, an ``object`` array in about 0.1 s (each cell checked as a ``Decimal``), so a large
  import should pass ``float64`` 千元 (e.g. ``yuan / 1000`` — exact for ``|x| < 10**12`` 千元);
* context columns by variable name (``prev_<item>``, ``operating_revenue``, ``is_hnte``, ``sd_rate``
  …): ``None`` / NaN cells are unknown, and the cross-checks needing them are not evaluated for those
  rows (:func:`.crosschecks.context_columns` builds them from :class:`.crosschecks.ReviewContext` s);
* 107-1 rows in ``projects`` (column key → array of length ``m``) with ``project_report`` (``int``
  array, length ``m``, the report row of each project, in form order within a report). Without
  ``projects``, aggregate columns (``projects_person_months_total`` …) may be given directly;
  rules reading an aggregate that is neither computed nor given are skipped (listed in
  :attr:`TableResult.skipped`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from kechuang.engines.rulekit.cel import Lit, Node, Var

from .amounts import DECIMALS, ReportInputError, to_figure
from .audit_rules import Rule, RuleSet, Scope, Severity, rule_set
from .catalogue import Unit

__all__ = ["TableResult", "validate_table"]

_LIMIT = 2**62


@dataclass(frozen=True)
class _Num:
    data: Any  # int or ndarray (int64 / object)
    exp: int
    bound: int


@dataclass(frozen=True)
class _Bool:
    data: Any  # bool or ndarray of bool


@dataclass(frozen=True)
class _Str:
    data: Any  # str or ndarray of str


@dataclass(frozen=True)
class _List:
    values: tuple[Decimal, ...]


_Value = _Num | _Bool | _Str | _List


@dataclass(frozen=True)
class TableResult:
    """Outcome of :func:`validate_table`.

    Attributes:
        n: number of reports (rows).
        rules: the firm-scope rules evaluated, in file order.
        violations: ``bool`` array ``(len(rules), n)``: rule ``i`` broken by report ``j``.
        project_rules: the project-scope rules evaluated.
        project_violations: ``bool`` array ``(len(project_rules), m)`` over the 107-1 rows.
        project_report: ``int`` array ``(m,)``: report row of each 107-1 row.
        project_index: ``int`` array ``(m,)``: index of each 107-1 row within its report.
        skipped: keys of enabled rules not evaluated at all (a needed column absent).
        file_order: keys of the evaluated rules in rules-file order.
    """

    n: int
    rules: tuple[Rule, ...]
    violations: np.ndarray
    project_rules: tuple[Rule, ...]
    project_violations: np.ndarray
    project_report: np.ndarray
    project_index: np.ndarray
    skipped: tuple[str, ...]
    file_order: tuple[str, ...] = ()

    @property
    def findings_count(self) -> int:
        """Total number of findings (one per broken rule per report, per 107-1 row for project rules)."""
        return int(self.violations.sum()) + int(self.project_violations.sum())

    def rows_with(self, severity: Severity = Severity.ERROR) -> np.ndarray:
        """``bool`` array ``(n,)``: reports with at least one finding of ``severity``."""
        out = np.zeros(self.n, dtype=bool)
        firm = [i for i, r in enumerate(self.rules) if r.severity is severity]
        if firm:
            out |= self.violations[firm].any(axis=0)
        proj = [i for i, r in enumerate(self.project_rules) if r.severity is severity]
        if proj and self.project_report.size:
            hit = self.project_violations[proj].any(axis=0)
            out[self.project_report[hit]] = True
        return out

    def counts(self) -> dict[str, int]:
        """Rule key → number of findings."""
        out = {r.key: int(self.violations[i].sum()) for i, r in enumerate(self.rules)}
        for i, r in enumerate(self.project_rules):
            out[r.key] = out.get(r.key, 0) + int(self.project_violations[i].sum())
        return out

    def keys_for(self, row: int) -> list[tuple[str, int | None]]:
        """``(rule_key, project_index or None)`` of every finding of report ``row``, in the order of
        :func:`.validator.validate_report` (rules-file order, then project index)."""
        out: list[tuple[str, int | None]] = []
        firm = {r.key: i for i, r in enumerate(self.rules)}
        proj = {r.key: i for i, r in enumerate(self.project_rules)}
        rows = np.flatnonzero(self.project_report == row)
        for key in self.file_order:
            if key in firm:
                if self.violations[firm[key], row]:
                    out.append((key, None))
            else:
                hits = rows[self.project_violations[proj[key], rows]]
                out.extend(
                    (key, int(self.project_index[j]))
                    for j in sorted(hits, key=lambda j: self.project_index[j])
                )
        return out


# --- input conversion ---------------------------------------------------------------------------------


@dataclass
class _Column:
    value: _Value
    present: np.ndarray | None  # None: known everywhere


def _numeric(name: str, raw: object, n: int, exp: int, blank_is_zero: bool) -> _Column:
    arr = np.asarray(raw)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ReportInputError(name, f"expected a 1-d array of length {n}", f"{name}：列长度应为 {n}")
    factor = 10**exp
    present: np.ndarray | None = None
    if arr.dtype.kind in "iu":
        data = arr.astype(np.int64)
        top = int(np.abs(data).max()) if n else 0
        bound = top * factor
        data = data.astype(object) * factor if bound >= _LIMIT else data * factor
    elif arr.dtype.kind == "b":
        raise ReportInputError(name, "boolean column for a number", f"{name}：应为数值")
    elif arr.dtype.kind == "f":
        nan = np.isnan(arr)
        if nan.any():
            present = None if blank_is_zero else ~nan
            arr = np.where(nan, 0.0, arr)
        if not np.isfinite(arr).all():
            raise ReportInputError(name, "infinite value", f"{name}：数值无效")
        scaled = arr * factor
        rounded = np.rint(scaled)
        if (np.abs(scaled - rounded) > 1e-6 + np.abs(rounded) * 1e-15).any():
            raise ReportInputError(name, f"more than {exp} decimal places", f"{name}：最多保留{exp}位小数")
        top_float = float(np.abs(rounded).max()) if n else 0.0
        if top_float >= 2.0**62:
            data = np.array([int(v) for v in rounded], dtype=object)
        else:
            data = rounded.astype(np.int64)
        bound = int(top_float)
    else:
        cells = []
        mask = np.ones(n, dtype=bool)
        for i, cell in enumerate(arr.tolist()):
            if cell is None or (isinstance(cell, float) and np.isnan(cell)):
                mask[i] = False
                cells.append(0)
                continue
            if isinstance(cell, float):
                cell = Decimal(repr(cell))
            value = to_figure(cell, name)
            scaled_value = value.scaleb(exp)
            if scaled_value != scaled_value.to_integral_value():
                raise ReportInputError(name, f"not a whole number: {cell}", f"{name}：须为整数（{cell}）")
            cells.append(int(scaled_value))
        bound = max((abs(c) for c in cells), default=0)
        data = np.array(cells, dtype=np.int64 if bound < _LIMIT else object)
        if not mask.all() and not blank_is_zero:
            present = mask
    return _Column(_Num(data, exp, bound), present)


def _boolean(name: str, raw: object, n: int) -> _Column:
    arr = np.asarray(raw)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ReportInputError(name, f"expected a 1-d array of length {n}", f"{name}：列长度应为 {n}")
    if arr.dtype.kind == "b":
        return _Column(_Bool(arr), None)
    mask = np.array([c is not None for c in arr.tolist()], dtype=bool)
    for c in arr.tolist():
        if c is not None and not isinstance(c, bool | np.bool_):
            raise ReportInputError(name, f"not a bool: {c!r}", f"{name}：须为是/否")
    data = np.array([bool(c) if c is not None else False for c in arr.tolist()], dtype=bool)
    return _Column(_Bool(data), None if mask.all() else mask)


def _text(name: str, raw: object, n: int) -> _Column:
    arr = np.asarray(raw)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ReportInputError(name, f"expected a 1-d array of length {n}", f"{name}：列长度应为 {n}")
    if arr.dtype.kind != "U":
        arr = np.array(["" if c is None else str(c) for c in arr.tolist()], dtype=str)
    return _Column(_Str(arr), None)


def _decimal_parts(value: Decimal) -> tuple[int, int]:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent >= 0:
        return int(value), 0
    return int(value.scaleb(-exponent)), -exponent


# --- evaluation ---------------------------------------------------------------------------------------


def _widen(data: Any, bound: int) -> Any:
    if bound >= _LIMIT and isinstance(data, np.ndarray) and data.dtype != object:
        return data.astype(object)
    return data


def _rescale(v: _Num, exp: int) -> _Num:
    if exp == v.exp:
        return v
    factor = 10 ** (exp - v.exp)
    bound = v.bound * factor
    return _Num(_widen(v.data, bound) * factor, exp, bound)


def _align(a: _Num, b: _Num) -> tuple[_Num, _Num]:
    exp = max(a.exp, b.exp)
    return _rescale(a, exp), _rescale(b, exp)


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


class _Evaluator:
    """Evaluates parsed expressions over columns of one scope (firm rows or 107-1 rows)."""

    def __init__(self, lookup: Callable[[str], _Value]) -> None:
        self.lookup = lookup

    def num(self, node: Node) -> _Num:
        """Evaluate a numeric node."""
        value = self.eval(node)
        if not isinstance(value, _Num):
            raise TypeError(f"expected a number: {node!r}")
        return value

    def boolean(self, node: Node) -> Any:
        """Evaluate a condition: ``bool`` or a boolean array."""
        value = self.eval(node)
        if not isinstance(value, _Bool):
            raise TypeError(f"expected a condition: {node!r}")
        return value.data

    def eval(self, node: Node) -> _Value:  # noqa: C901 - one branch per operation
        """Evaluate any node."""
        if isinstance(node, Var):
            return self.lookup(node.name)
        if isinstance(node, Lit):
            value = node.value
            if isinstance(value, bool):
                return _Bool(value)
            if isinstance(value, Decimal):
                data, exp = _decimal_parts(value)
                return _Num(data, exp, abs(data))
            if isinstance(value, str):
                return _Str(value)
            return _List(tuple(v for v in value if isinstance(v, Decimal)))
        op, args = node.op, node.args
        if op in ("+", "-"):
            a, b = _align(self.num(args[0]), self.num(args[1]))
            bound = a.bound + b.bound
            da, db = _widen(a.data, bound), _widen(b.data, bound)
            return _Num(da + db if op == "+" else da - db, a.exp, bound)
        if op == "*":
            a, b = self.num(args[0]), self.num(args[1])
            bound = a.bound * b.bound
            return _Num(_widen(a.data, bound) * _widen(b.data, bound), a.exp + b.exp, bound)
        if op == "neg":
            a = self.num(args[0])
            return _Num(-a.data, a.exp, a.bound)
        if op == "abs":
            a = self.num(args[0])
            return _Num(np.abs(a.data) if isinstance(a.data, np.ndarray) else abs(a.data), a.exp, a.bound)
        if op in _COMPARE:
            left, right = self.eval(args[0]), self.eval(args[1])
            if isinstance(left, _Num) and isinstance(right, _Num):
                a, b = _align(left, right)
                return _Bool(_COMPARE[op](a.data, b.data))
            if isinstance(left, _Bool) and isinstance(right, _Bool) and op in ("==", "!="):
                return _Bool(_COMPARE[op](left.data, right.data))
            raise TypeError(f"cannot compare {node!r}")
        if op == "&&":
            return _Bool(np.logical_and(self.boolean(args[0]), self.boolean(args[1])))
        if op == "||":
            return _Bool(np.logical_or(self.boolean(args[0]), self.boolean(args[1])))
        if op == "!":
            return _Bool(np.logical_not(self.boolean(args[0])))
        if op == "?:":
            cond = self.boolean(args[0])
            then, other = self.eval(args[1]), self.eval(args[2])
            if isinstance(then, _Num) and isinstance(other, _Num):
                a, b = _align(then, other)
                return _Num(np.where(cond, a.data, b.data), a.exp, max(a.bound, b.bound))
            if isinstance(then, _Bool) and isinstance(other, _Bool):
                return _Bool(np.where(cond, then.data, other.data))
            raise TypeError(f"branches of different types: {node!r}")
        if op == "in":
            item, container = self.num(args[0]), self.eval(args[1])
            if not isinstance(container, _List):
                raise TypeError(f"'in' needs a list: {node!r}")
            hit: Any = False
            for value in container.values:
                data, exp = _decimal_parts(value)
                a, b = _align(item, _Num(data, exp, abs(data)))
                hit = np.logical_or(hit, np.equal(a.data, b.data))
            return _Bool(hit)
        if op == "is_integer":
            a = self.num(args[0])
            if a.exp <= 0:
                return _Bool(True)
            return _Bool(np.equal(a.data % (10**a.exp), 0))
        if op == "contains":
            text, needle = self.eval(args[0]), self.eval(args[1])
            if not isinstance(text, _Str) or not isinstance(needle, _Str):
                raise TypeError(f"contains needs text: {node!r}")
            if isinstance(text.data, np.ndarray):
                return _Bool(np.char.find(text.data, needle.data) >= 0)
            return _Bool(needle.data in text.data)
        raise TypeError(f"unsupported operation {op!r}")


def _broadcast(data: Any, size: int) -> np.ndarray:
    out = np.asarray(data, dtype=bool)
    return np.broadcast_to(out, (size,)).copy() if out.shape != (size,) else out


def validate_table(
    columns: Mapping[str, Any],
    *,
    projects: Mapping[str, Any] | None = None,
    project_report: Any = None,
    rules: RuleSet | None = None,
    year: int | None = None,
) -> TableResult:
    """Run every enabled rule on a table of reports at once (see the module docstring for inputs).

    Args:
        columns: 107-2 item, context and (optionally) aggregate columns, each of length ``n``.
        projects: 107-1 columns, each of length ``m``; with ``project_report``.
        project_report: ``int`` array ``(m,)``, values in ``0 … n-1``.
        rules: the rule set; default :func:`.audit_rules.rule_set` of ``year``.
        year: report year, when ``rules`` is not given.

    Returns:
        :class:`TableResult` (boolean violation matrices; :meth:`TableResult.keys_for` lists one
        report's findings in the same order as :func:`.validator.validate_report`).

    Raises:
        ReportInputError: an unknown column, a column of the wrong length or type, more than 3
            decimals, ``project_report`` out of range (the error names the column).
        ValueError: neither ``rules`` nor ``year`` given, or no columns.
    """
    if rules is None:
        if year is None:
            raise ValueError("give rules or year")
        rules = rule_set(year)
    catalogue = rules.catalogue
    if not columns:
        raise ValueError("no columns")
    n = len(next(iter(columns.values())))
    firm: dict[str, _Column] = {}
    for name, raw in columns.items():
        if name in catalogue.firm_items:
            if not catalogue.firm_items[name].unit.numeric:
                raise ReportInputError(name, "not a numeric item", f"{name}：不是数值项目")
            firm[name] = _numeric(name, raw, n, DECIMALS, blank_is_zero=True)
        elif rules.is_context(name):
            if rules.context_var(name).unit == "bool":
                firm[name] = _boolean(name, raw, n)
            else:
                firm[name] = _numeric(name, raw, n, DECIMALS, blank_is_zero=False)
        elif name in rules.aggregates and projects is None:
            exp = DECIMALS if rules.aggregates[name].op == "sum" else 0
            firm[name] = _numeric(name, raw, n, exp, blank_is_zero=True)
        else:
            raise ReportInputError(name, "unknown column", f"未知的列：{name}")
    zero = _Column(_Num(np.zeros(n, dtype=np.int64), DECIMALS, 0), None)
    for key in catalogue.numeric_firm_keys:
        firm.setdefault(key, zero)
    for name, value in rules.constants.items():
        if isinstance(value, tuple):
            firm[name] = _Column(_List(value), None)
        else:
            data, exp = _decimal_parts(value)
            firm[name] = _Column(_Num(data, exp, abs(data)), None)

    m = 0
    proj: dict[str, _Column] = {}
    report_of = np.zeros(0, dtype=np.int64)
    index_in_report = np.zeros(0, dtype=np.int64)
    if projects is not None:
        report_of = np.asarray(project_report, dtype=np.int64)
        m = report_of.shape[0]
        if report_of.ndim != 1 or (m and (report_of.min() < 0 or report_of.max() >= n)):
            raise ReportInputError(
                "project_report", "report rows out of range", "project_report：报表行号超出范围"
            )
        for name, raw in projects.items():
            column = catalogue.project_columns.get(name)
            if column is None:
                raise ReportInputError(name, "unknown 107-1 column", f"107-1 表中没有该栏目：{name}")
            if column.unit is Unit.TEXT:
                proj[name] = _text(name, raw, m)
            elif column.unit.numeric:
                proj[name] = _numeric(name, raw, m, DECIMALS, blank_is_zero=True)
            else:
                proj[name] = _numeric(name, raw, m, 0, blank_is_zero=True)
        for key, column in catalogue.project_columns.items():
            if key not in proj:
                if column.unit is Unit.TEXT:
                    proj[key] = _Column(_Str(np.full(m, "", dtype=str)), None)
                else:
                    exp = DECIMALS if column.unit.numeric else 0
                    proj[key] = _Column(_Num(np.zeros(m, dtype=np.int64), exp, 0), None)
        order = np.argsort(report_of, kind="stable")
        sorted_reports = report_of[order]
        first = np.searchsorted(sorted_reports, sorted_reports, side="left")
        index_in_report = np.empty(m, dtype=np.int64)
        index_in_report[order] = np.arange(m) - first
        for name, agg in rules.aggregates.items():
            firm[name] = _aggregate(agg.op, proj.get(agg.column) if agg.column else None, report_of, n)

    derived_cache: dict[str, _Value] = {}
    gathered: dict[str, _Value] = {}

    def firm_lookup(name: str) -> _Value:
        """A firm-level variable (column, constant, aggregate or derived, computed once)."""
        if name in firm:
            return firm[name].value
        if name in rules.derived:
            if name not in derived_cache:
                derived_cache[name] = firm_eval.eval(rules.derived[name].node)
            return derived_cache[name]
        raise KeyError(name)

    def project_lookup(name: str) -> _Value:
        """A 107-1 column, or a firm variable gathered onto the 107-1 rows."""
        if name in proj:
            return proj[name].value
        if name not in gathered:
            value = firm_lookup(name)
            if isinstance(value, _Num) and isinstance(value.data, np.ndarray):
                value = _Num(value.data[report_of], value.exp, value.bound)
            elif isinstance(value, _Bool | _Str) and isinstance(value.data, np.ndarray):
                value = type(value)(value.data[report_of])
            gathered[name] = value
        return gathered[name]

    firm_eval = _Evaluator(firm_lookup)
    project_eval = _Evaluator(project_lookup)

    evaluated: list[Rule] = []
    rows: list[np.ndarray] = []
    p_evaluated: list[Rule] = []
    p_rows: list[np.ndarray] = []
    skipped: list[str] = []
    available = set(firm) | set(rules.derived) | (set(proj) if projects is not None else set())
    for rule in rules.enabled_rules:
        needed = rules.base_variables(rule.check)
        if rule.scope is Scope.PROJECT and projects is None:
            skipped.append(rule.key)
            continue
        if not needed <= available:
            skipped.append(rule.key)
            continue
        size = n if rule.scope is Scope.FIRM else m
        evaluator = firm_eval if rule.scope is Scope.FIRM else project_eval
        holds = _broadcast(evaluator.boolean(rule.check), size)
        broken = ~holds
        for name in rules.required_context(rule):
            present = firm[name].present
            if present is not None:
                broken &= present if rule.scope is Scope.FIRM else present[report_of]
        (evaluated if rule.scope is Scope.FIRM else p_evaluated).append(rule)
        (rows if rule.scope is Scope.FIRM else p_rows).append(broken)
    done = {r.key for r in evaluated} | {r.key for r in p_evaluated}
    result = TableResult(
        n=n,
        rules=tuple(evaluated),
        violations=np.array(rows, dtype=bool).reshape(len(rows), n),
        project_rules=tuple(p_evaluated),
        project_violations=np.array(p_rows, dtype=bool).reshape(len(p_rows), m),
        project_report=report_of,
        project_index=index_in_report,
        skipped=tuple(skipped),
        file_order=tuple(r.key for r in rules.enabled_rules if r.key in done),
    )
    return result


def _aggregate(op: str, column: _Column | None, report_of: np.ndarray, n: int) -> _Column:
    if op == "count":
        return _Column(_Num(np.bincount(report_of, minlength=n).astype(np.int64), 0, len(report_of)), None)
    assert column is not None and isinstance(column.value, _Num)
    value = column.value
    data = value.data
    if op == "count_positive":
        hits = report_of[np.asarray(data > 0, dtype=bool)]
        return _Column(_Num(np.bincount(hits, minlength=n).astype(np.int64), 0, len(report_of)), None)
    bound = value.bound * max(len(report_of), 1)
    if isinstance(data, np.ndarray) and data.dtype != object and bound < _LIMIT:
        out = np.zeros(n, dtype=np.int64)
        np.add.at(out, report_of, data)
    else:
        out = np.zeros(n, dtype=object)
        for r, v in zip(report_of.tolist(), np.asarray(data, dtype=object).tolist(), strict=True):
            out[r] += int(v)
    return _Column(_Num(out, value.exp, bound), None)
