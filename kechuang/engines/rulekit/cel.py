"""Rule expressions: CEL text, parsed once by cel-python (``celpy``), in two evaluators (rule kit).

The CEL compile step of every rule engine (moved here from ``engines/rdreport``, which imports it).

Every rule's ``expression`` and ``when`` guard is a CEL expression (https://cel.dev) over item keys,
e.g. ``rd_personnel_total >= rd_personnel_female``. The text is parsed by celpy's own parser (no
``eval``, no home-made parser) and then evaluated either

* per report by celpy's interpreter (:func:`cel_program`), with the arithmetic and comparison
  functions replaced by exact ``Decimal`` ones (:data:`CEL_FUNCTIONS`): CEL's int/double overloads
  would use binary floating point for ``0.15`` and refuse ``int * decimal``; here every number is an
  exact decimal, as the spec requires (``super_deduction.md`` §0 "Arithmetic"); or
* for a whole table by :mod:`.vectorised`, which walks the same parse tree converted to the small
  node tree of this module (:func:`parse`).

Supported subset (checked when a rules file is loaded): number literals (``12``, ``0.15``), string
and bool literals, list literals, identifiers, ``+ - *``, unary ``-``, ``< <= > >= == !=``, ``&& || !``,
``c ? a : b``, ``x in [..]`` / ``x in constant_list``, ``abs(x)``, ``is_integer(x)`` and
``name.contains("…")``. Division and ``%`` are refused: a ratio is written cross-multiplied
(``a * 100 <= b * 50`` for "a/b ≤ 50 %"), which keeps every comparison exact and defined at b = 0.
"""

from __future__ import annotations

import ast as pyast
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import lru_cache
from typing import Any

import celpy
import lark
from celpy import celtypes

__all__ = [
    "CEL_FUNCTIONS",
    "EXACT",
    "ExpressionError",
    "Lit",
    "Node",
    "Op",
    "Var",
    "cel_program",
    "coerce_decimal",
    "parse",
    "to_cel_value",
    "variables",
]


EXACT = Context(prec=60)
"""Decimal context of the CEL operators: 60 significant digits, so sums and products of report figures
are exact (``kechuang.engines.rdreport.amounts.EXACT`` is this context)."""


class ExpressionError(ValueError):
    """A rule expression that celpy cannot parse or that leaves the supported subset."""


@dataclass(frozen=True)
class Lit:
    """A literal: ``Decimal`` number, ``bool``, ``str`` or a tuple of literals (a list)."""

    value: Decimal | bool | str | tuple[Decimal | bool | str, ...]


@dataclass(frozen=True)
class Var:
    """A variable: an item key, aggregate, derived value, context value or constant."""

    name: str


@dataclass(frozen=True)
class Op:
    """An operation. ``op`` is one of ``+ - * / neg < <= > >= == != && || ! ?: in abs is_integer
    contains``; ``args`` are the operands in order (``?:``: condition, then, else)."""

    op: str
    args: tuple[Node, ...]


Node = Lit | Var | Op
"""A node of a parsed expression."""

_ENV = celpy.Environment()
_RELATIONS = {
    "relation_lt": "<",
    "relation_le": "<=",
    "relation_gt": ">",
    "relation_ge": ">=",
    "relation_eq": "==",
    "relation_ne": "!=",
    "relation_in": "in",
}
_FUNCTIONS = {"abs": 1, "is_integer": 1}


def _cel_tree(text: str) -> lark.Tree[Any]:
    try:
        return _ENV.compile(text)
    except celpy.CELParseError as exc:
        raise ExpressionError(f"CEL syntax error in {text!r}: {exc}") from exc


def parse(text: str, *, allow_division: bool = False) -> Node:
    """Parse CEL ``text`` with celpy's parser and convert the tree to :data:`Node` s.

    Args:
        text: CEL source.
        allow_division: accept ``/`` (message figures only: they are evaluated by celpy alone, with
            exact decimal division; rule expressions never divide).

    Raises:
        ExpressionError: a syntax error, or an operation outside the supported subset (division
            unless allowed, ``%``, maps, field selection, unknown functions).
    """
    return _convert(_cel_tree(text), text, allow_division)


def _kids(tree: lark.Tree[Any]) -> list[Any]:
    return [c for c in tree.children if c is not None]


def _convert(tree: Any, text: str, division: bool = False) -> Node:  # noqa: C901 - one branch per grammar rule
    if not isinstance(tree, lark.Tree):
        raise ExpressionError(f"unexpected token {tree!r} in {text!r}")
    kids = _kids(tree)
    rule = str(tree.data)
    if rule == "expr":
        if len(kids) == 1:
            return _convert(kids[0], text, division)
        return Op("?:", tuple(_convert(k, text, division) for k in kids))
    if rule in ("conditionalor", "conditionaland"):
        if len(kids) == 1:
            return _convert(kids[0], text, division)
        return Op(
            "||" if rule == "conditionalor" else "&&",
            (_convert(kids[0], text, division), _convert(kids[1], text, division)),
        )
    if rule == "relation":
        if len(kids) == 1:
            return _convert(kids[0], text, division)
        op_tree, right = kids
        op = _RELATIONS[str(op_tree.data)]
        return Op(op, (_convert(_kids(op_tree)[0], text, division), _convert(right, text, division)))
    if rule in ("addition", "multiplication"):
        if len(kids) == 1:
            return _convert(kids[0], text, division)
        op_tree, right = kids
        name = str(op_tree.data)
        ops = {"addition_add": "+", "addition_sub": "-", "multiplication_mul": "*"}
        if division:
            ops["multiplication_div"] = "/"
        if name not in ops:
            raise ExpressionError(
                f"division and % are not supported (write ratios cross-multiplied): {text!r}"
            )
        return Op(ops[name], (_convert(_kids(op_tree)[0], text, division), _convert(right, text, division)))
    if rule == "unary":
        if len(kids) == 1:
            return _convert(kids[0], text, division)
        sign, operand = kids
        inner = _convert(operand, text, division)
        return Op("!" if str(sign.data) == "unary_not" else "neg", (inner,))
    if rule in ("member", "primary"):
        if len(kids) != 1:
            raise ExpressionError(f"unsupported construct in {text!r}")
        return _convert(kids[0], text, division)
    if rule == "paren_expr":
        return _convert(kids[0], text, division)
    if rule == "ident":
        return Var(str(kids[0]))
    if rule == "literal":
        return Lit(_literal(kids[0], text))
    if rule == "list_lit":
        items = [_convert(k, text, division) for k in _kids(kids[0])] if kids else []
        if not all(isinstance(i, Lit) and not isinstance(i.value, tuple) for i in items):
            raise ExpressionError(f"list literals may hold literals only: {text!r}")
        return Lit(tuple(i.value for i in items))  # type: ignore[union-attr, misc]
    if rule == "ident_arg":
        name = str(kids[0])
        args = tuple(_convert(k, text, division) for k in _kids(kids[1])) if len(kids) > 1 else ()
        if _FUNCTIONS.get(name) != len(args):
            raise ExpressionError(f"unknown function {name}/{len(args)} in {text!r}")
        return Op(name, args)
    if rule == "member_dot_arg":
        target = _convert(kids[0], text, division)
        method = str(kids[1])
        args = tuple(_convert(k, text, division) for k in _kids(kids[2])) if len(kids) > 2 else ()
        if (
            method != "contains"
            or len(args) != 1
            or not isinstance(args[0], Lit)
            or not isinstance(args[0].value, str)
        ):
            raise ExpressionError(f'only name.contains("…") is supported as a method: {text!r}')
        return Op("contains", (target, args[0]))
    raise ExpressionError(f"unsupported construct {rule!r} in {text!r}")


def _literal(token: lark.Token, text: str) -> Decimal | bool | str:
    kind = token.type
    raw = str(token)
    if kind == "INT_LIT":
        return Decimal(int(raw, 0))
    if kind == "UINT_LIT":
        return Decimal(int(raw[:-1], 0))
    if kind == "FLOAT_LIT":
        value = Decimal(raw)
        if Decimal(repr(float(raw))) != value:
            raise ExpressionError(f"decimal literal {raw} is not its own shortest float repr in {text!r}")
        return value
    if kind == "BOOL_LIT":
        return raw == "true"
    if kind == "STRING_LIT" and raw[:1] in "\"'":
        return str(pyast.literal_eval(raw))
    raise ExpressionError(f"unsupported literal {raw!r} in {text!r}")


def variables(node: Node) -> frozenset[str]:
    """Names of the variables a node reads."""
    if isinstance(node, Var):
        return frozenset((node.name,))
    if isinstance(node, Op):
        out: set[str] = set()
        for arg in node.args:
            out |= variables(arg)
        return frozenset(out)
    return frozenset()


# --- celpy: exact decimal functions -------------------------------------------------------------


def coerce_decimal(value: object) -> Decimal:
    """A CEL number (``IntType``, ``UintType``, ``DoubleType`` literal or ``Decimal``) as ``Decimal``.

    ``DoubleType`` only ever comes from a literal of the rules file, which is checked to be its own
    shortest repr, so ``Decimal(repr(x))`` is the literal as written.

    Raises:
        TypeError: a bool, string or other non-number.
    """
    if type(value) is Decimal:
        return value
    if isinstance(value, bool | celtypes.BoolType):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Decimal(int(value))
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    if isinstance(value, Decimal):
        return value
    raise TypeError(f"not a number: {value!r}")


def _arith(fn: Callable[[Decimal, Decimal], Decimal]) -> Callable[[object, object], Decimal]:
    def apply(a: object, b: object) -> Decimal:
        """``fn`` on the operands as ``Decimal``."""
        return fn(coerce_decimal(a), coerce_decimal(b))

    return apply


def _compare(fn: Callable[[Any, Any], bool]) -> Callable[[object, object], celtypes.BoolType]:
    def apply(a: object, b: object) -> celtypes.BoolType:
        """``fn`` on the operands (``Decimal`` for numbers) as a CEL bool."""
        if isinstance(a, str | bool) or isinstance(b, str | bool):
            return celtypes.BoolType(fn(a, b))
        return celtypes.BoolType(fn(coerce_decimal(a), coerce_decimal(b)))

    return apply


def _in(item: object, container: Iterable[object]) -> celtypes.BoolType:
    number = coerce_decimal(item)
    return celtypes.BoolType(any(coerce_decimal(c) == number for c in container))


def _is_integer(value: object) -> celtypes.BoolType:
    number = coerce_decimal(value)
    return celtypes.BoolType(number == number.to_integral_value())


CEL_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "_+_": _arith(EXACT.add),
    "_-_": _arith(EXACT.subtract),
    "_*_": _arith(EXACT.multiply),
    "_/_": _arith(EXACT.divide),
    "-_": lambda a: EXACT.minus(coerce_decimal(a)),
    "_<_": _compare(operator.lt),
    "_<=_": _compare(operator.le),
    "_>_": _compare(operator.gt),
    "_>=_": _compare(operator.ge),
    "_==_": _compare(operator.eq),
    "_!=_": _compare(operator.ne),
    "_in_": _in,
    "abs": lambda a: abs(coerce_decimal(a)),
    "is_integer": _is_integer,
}
"""celpy function overrides: CEL operators on exact ``Decimal`` values."""


@lru_cache(maxsize=4096)
def cel_program(text: str) -> celpy.Runner:
    """Compile CEL ``text`` once (cached per process) into a celpy runner using :data:`CEL_FUNCTIONS`.

    Raises:
        ExpressionError: a syntax error.
    """
    return _ENV.program(_cel_tree(text), functions=CEL_FUNCTIONS)


def to_cel_value(value: object) -> object:
    """A Python value for a celpy activation: ``Decimal`` stays, ``bool`` → ``BoolType``, ``str`` →
    ``StringType``, ``int`` → ``Decimal``, tuples/lists → ``ListType``."""
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, tuple | list):
        items: list[Any] = [to_cel_value(v) for v in value]
        return celtypes.ListType(items)
    raise TypeError(f"cannot pass {value!r} to CEL")


def literal_values(node: Node) -> Iterable[Decimal | bool | str | tuple[Decimal | bool | str, ...]]:
    """Every literal value in ``node`` (for checks of the rules file)."""
    if isinstance(node, Lit):
        yield node.value
    elif isinstance(node, Op):
        for arg in node.args:
            yield from literal_values(arg)


def substitute(node: Node, mapping: Mapping[str, Node]) -> Node:
    """``node`` with every variable named in ``mapping`` replaced by its node (derived values)."""
    if isinstance(node, Var):
        return mapping.get(node.name, node)
    if isinstance(node, Op):
        return Op(node.op, tuple(substitute(a, mapping) for a in node.args))
    return node
