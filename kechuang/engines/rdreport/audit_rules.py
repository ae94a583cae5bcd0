"""Audit rules as data: ``audit_rules_<year>.json``, loaded into a :class:`RuleSet`.

File format (one JSON object; see ``audit_rules_2025.json``)::

    {
      "version": "2025.1",            # bumped on every change; stored with each validation result
      "year": 2025,                   # report year; the items come from catalogue_<year>.json
      "constants":  {NAME: {"value": number | [numbers], "name_zh", "source"}},
      "context":    {NAME: {"name_zh", "unit": "money|persons|ratio|bool"}},   # cross-check inputs
      "aggregates": {NAME: {"name_zh", "op": "sum|count|count_positive", "column": 107-1 key}},
      "derived":    {NAME: {"name_zh", "unit", "expression": CEL, "source"?}},  # in file order
      "rules": [RULE, …]
    }

Each ``RULE``::

    {
      "id": "R04",                    # spec rule id + a letter when one spec rule has several parts
      "kind": "form" | "cross_check",
      "scope": "firm" | "project",    # project: evaluated once per 107-1 row
      "severity": "E" | "W" | "I",
      "enabled": true,                # default; the bureau's choice overrides it (RuleSet.configured)
      "when": CEL,                    # optional guard: the rule applies only where it is true
      "expression": CEL,              # must be true for the report to pass
      "fields": [item keys],          # highlighted; used by error localisation
      "figures": {NAME: CEL},         # optional extra figures for the message (e.g. a sum)
      "message_zh": "… {rd_expense_total}千元 … {components}千元 …",
      "source": {"document", "section", "rule", "confidence", "note"?},
      "for_each": [item keys] | {"units": [units]}   # optional template, see below
    }

Variables an expression may read: 107-2 item keys (scope firm), 107-1 column keys (scope project;
project rules also read firm variables), aggregates over the projects, derived values, context values
(``prev_<item key>`` is last year's value of any 107-2 item) and constants.

A rule whose variables include a context value that is not known for a report is **not evaluated**
for that report (it neither passes nor fails; :meth:`RuleSet.required_context` says which).

Templates: ``for_each`` repeats a rule for each listed item (or each numeric item of the scope with
one of the units); ``$item`` in ``expression``, ``when``, ``fields``, ``figures`` and ``message_zh`` is
replaced by the item key. Each copy is a :class:`Rule` with ``key = "<id>:<item>"``.

Messages are ``str.format`` templates: ``{name}`` is the figure (as :func:`.amounts.fmt_figure`
shows it), ``{name:label}`` the item's Chinese name with its row code (``研究开发费用合计[7]``);
project rules also have ``{project_no}`` (1-based) and ``{project_name}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from kechuang.engines.rulekit.cel import ExpressionError, Node, cel_program, parse, substitute, variables
from kechuang.engines.rulekit.verdict import Severity

from .catalogue import DATA_DIR, FormCatalogue, Unit, form_catalogue, nearest_year
from .sources import Source

__all__ = [
    "Aggregate",
    "ContextVar",
    "Derived",
    "Rule",
    "RuleKind",
    "RuleSet",
    "Scope",
    "Severity",
    "available_rule_years",
    "load_rules",
    "rule_set",
]


class Scope(StrEnum):
    """Where a rule is evaluated."""

    FIRM = "firm"
    """once per report (107-2 items, aggregates, context)."""
    PROJECT = "project"
    """once per 107-1 row."""


class RuleKind(StrEnum):
    """Audit relationship of the form, or cross-check against data from outside the form."""

    FORM = "form"
    CROSS_CHECK = "cross_check"


@dataclass(frozen=True)
class Rule:
    """One audit rule (one copy of a template).

    Attributes:
        id: rule id, e.g. ``"R04"``, ``"R21a"``, ``"X01"``.
        key: unique key in the set: ``id``, or ``"id:item"`` for a template copy.
        kind, scope, severity: see :class:`RuleKind`, :class:`Scope`, :class:`Severity`.
        enabled: whether the rule runs.
        expression: CEL text that must be true.
        when: CEL guard or ``None``.
        fields: item keys involved, in order.
        figures: extra message figures, name → CEL text.
        message_zh: Chinese message template.
        source: :class:`.sources.Source`.
        item: the template item, or ``None``.
        node, when_node: parsed expression and guard (:mod:`.expressions`).
    """

    id: str
    key: str
    kind: RuleKind
    scope: Scope
    severity: Severity
    enabled: bool
    expression: str
    when: str | None
    fields: tuple[str, ...]
    figures: Mapping[str, str]
    message_zh: str
    source: Source
    item: str | None = None
    node: Node = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    when_node: Node | None = field(default=None, repr=False, compare=False)

    @property
    def check(self) -> Node:
        """The rule as one node: ``!when || expression`` (or just the expression)."""
        from kechuang.engines.rulekit.cel import Op

        if self.when_node is None:
            return self.node
        return Op("||", (Op("!", (self.when_node,)), self.node))


@dataclass(frozen=True)
class ContextVar:
    """A cross-check input from outside the form.

    Attributes:
        name: variable name, e.g. ``"operating_revenue"``.
        name_zh: Chinese name.
        unit: ``"money"`` (千元), ``"persons"``, ``"ratio"`` (a fraction, 1.2 = 120 %) or ``"bool"``.
    """

    name: str
    name_zh: str
    unit: str


@dataclass(frozen=True)
class Aggregate:
    """A firm-level figure computed from the 107-1 rows.

    Attributes:
        name: e.g. ``"projects_person_months_total"``.
        name_zh: Chinese name.
        op: ``"sum"`` of ``column``, ``"count"`` of rows, or ``"count_positive"`` (rows with
            ``column > 0``).
        column: the 107-1 column, or ``None`` for ``count``.
    """

    name: str
    name_zh: str
    op: str
    column: str | None


@dataclass(frozen=True)
class Derived:
    """A named value computed by a CEL expression from other variables (e.g. internal expenditure).

    Attributes:
        name, name_zh, unit: as for items (``unit`` a :class:`.catalogue.Unit` value).
        expression: CEL text; ``node`` its parse.
        source: where the definition comes from, or ``None``.
    """

    name: str
    name_zh: str
    unit: str
    expression: str
    node: Node = field(repr=False, compare=False)
    source: Source | None = None


@dataclass(frozen=True)
class RuleSet:
    """A versioned set of rules with its variables (see the module docstring for the file format).

    Attributes:
        version: version string of the file.
        year: report year.
        catalogue: the year's :class:`.catalogue.FormCatalogue`.
        constants: name → ``Decimal`` or tuple of ``Decimal``.
        context: name → :class:`ContextVar` (``prev_<item>`` is implied for every 107-2 item).
        aggregates: name → :class:`Aggregate`.
        derived: name → :class:`Derived`, in dependency order.
        rules: all rules (enabled or not), in file order.
        path: the file read, or ``None``.
    """

    version: str
    year: int
    catalogue: FormCatalogue
    constants: Mapping[str, Decimal | tuple[Decimal, ...]]
    context: Mapping[str, ContextVar]
    aggregates: Mapping[str, Aggregate]
    derived: Mapping[str, Derived]
    rules: tuple[Rule, ...]
    path: Path | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    # -- selection ---------------------------------------------------------------------------------

    @property
    def enabled_rules(self) -> tuple[Rule, ...]:
        """The rules that run, in file order."""
        return tuple(r for r in self.rules if r.enabled)

    def rule(self, key: str) -> Rule:
        """The rule with ``key`` (``"R04"``, ``"R21a:labour_cost"``).

        Raises:
            KeyError: no such rule.
        """
        for rule in self.rules:
            if rule.key == key:
                return rule
        raise KeyError(key)

    def configured(self, enabled: Mapping[str, bool]) -> RuleSet:
        """A copy with the bureau's choices applied (open decision 4).

        Args:
            enabled: on/off by the spec's rule id (``"R20"``: R20a, R20b and R20c), by rule id
                (``"R20a"``) or by rule key (``"R21a:labour_cost"``); the most specific wins.
                E.g. ``{"R16": True, "R20": True}``.

        Raises:
            KeyError: a name that matches no rule.
        """
        names = {r.id for r in self.rules} | {r.key for r in self.rules} | {r.source.rule for r in self.rules}
        unknown = sorted(set(enabled) - names)
        if unknown:
            raise KeyError(f"unknown rules: {unknown}")

        def choice(r: Rule) -> bool:
            """The most specific setting for ``r``."""
            for name in (r.key, r.id, r.source.rule):
                if name in enabled:
                    return bool(enabled[name])
            return r.enabled

        rules = tuple(replace(r, enabled=choice(r)) for r in self.rules)
        return replace(self, rules=rules, _cache={})

    def all_enabled(self) -> RuleSet:
        """A copy with every rule enabled (the full rule set, e.g. for the benchmark)."""
        return replace(self, rules=tuple(replace(r, enabled=True) for r in self.rules), _cache={})

    # -- variables ---------------------------------------------------------------------------------

    def is_context(self, name: str) -> bool:
        """True for a context variable (declared, or ``prev_<107-2 item>``)."""
        return name in self.context or (name.startswith("prev_") and name[5:] in self.catalogue.firm_items)

    def context_var(self, name: str) -> ContextVar:
        """The declared or implied context variable ``name``.

        Raises:
            KeyError: not a context variable.
        """
        if name in self.context:
            return self.context[name]
        if self.is_context(name):
            item = self.catalogue.firm_items[name[5:]]
            unit = "money" if item.unit is Unit.MONEY else "persons"
            return ContextVar(name, f"上年{item.name_zh}", unit)
        raise KeyError(name)

    def base_variables(self, node: Node) -> frozenset[str]:
        """The variables ``node`` reads, with derived values replaced by what they read."""
        out: set[str] = set()
        for name in variables(node):
            if name in self.derived:
                out |= self.base_variables(self.derived[name].node)
            else:
                out.add(name)
        return frozenset(out)

    def required_context(self, rule: Rule) -> frozenset[str]:
        """Context variables a rule needs; without all of them it is not evaluated."""
        key = f"ctx:{rule.key}"
        if key not in self._cache:
            names = self.base_variables(rule.check)
            self._cache[key] = frozenset(n for n in names if self.is_context(n))
        cached: frozenset[str] = self._cache[key]
        return cached

    def expanded(self, node: Node) -> Node:
        """``node`` with derived values substituted by their expressions (recursively)."""
        mapping = self._cache.get("derived:expanded")
        if mapping is None:
            mapping = {}
            for name, d in self.derived.items():  # a derived value reads only earlier ones
                mapping[name] = substitute(d.node, mapping)
            self._cache["derived:expanded"] = mapping
        return substitute(node, mapping)

    def program(self, text: str) -> Any:
        """The compiled celpy program of ``text`` (compiled once per process and cached, so copies
        made by :meth:`configured` share them)."""
        return cel_program(text)

    def label_zh(self, name: str) -> str:
        """Chinese name (with row code) of any variable: item, column, aggregate, derived, context."""
        catalogue = self.catalogue
        if name in catalogue.firm_items:
            return catalogue.firm_items[name].label_zh
        if name in catalogue.project_columns:
            return catalogue.project_columns[name].name_zh
        if name in self.aggregates:
            return self.aggregates[name].name_zh
        if name in self.derived:
            return self.derived[name].name_zh
        if self.is_context(name):
            return self.context_var(name).name_zh
        return name

    def known_names(self, scope: Scope) -> frozenset[str]:
        """Every variable an expression of ``scope`` may read."""
        names = set(self.catalogue.firm_items) | set(self.aggregates) | set(self.derived)
        names |= set(self.context) | {f"prev_{k}" for k in self.catalogue.firm_items} | set(self.constants)
        if scope is Scope.PROJECT:
            names |= set(self.catalogue.project_columns)
        return frozenset(names)


# --- loading ----------------------------------------------------------------------------------------


def _number(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{where}: write numbers as integers or strings, not {value!r}")
    return Decimal(value)


def _constant(value: object, where: str) -> Decimal | tuple[Decimal, ...]:
    if isinstance(value, list):
        return tuple(_number(v, where) for v in value)
    return _number(value, where)


def _parse(text: str, where: str, *, allow_division: bool = False) -> Node:
    try:
        return parse(text, allow_division=allow_division)
    except ExpressionError as exc:
        raise ValueError(f"{where}: {exc}") from exc


def _template_items(spec: object, scope: Scope, catalogue: FormCatalogue, where: str) -> list[str]:
    if isinstance(spec, list):
        return [str(k) for k in spec]
    if isinstance(spec, dict) and "units" in spec:
        units = {Unit(u) for u in spec["units"]}
        pool = catalogue.project_columns if scope is Scope.PROJECT else catalogue.firm_items
        return [k for k, item in pool.items() if item.unit in units]
    raise ValueError(f"{where}: for_each must be a list of keys or {{'units': [...]}}")


def _rules(data: Mapping[str, Any], catalogue: FormCatalogue, where: str) -> list[Rule]:
    rid = str(data["id"])
    here = f"{where}: rule {rid}"
    scope = Scope(data.get("scope", "firm"))
    items: list[str | None] = [None]
    if "for_each" in data:
        items = list(_template_items(data["for_each"], scope, catalogue, here))
    out = []
    for item in items:

        def fill(text: str, item: str | None = item) -> str:
            """``text`` with ``$item`` replaced."""
            return text.replace("$item", item) if item else text

        expression = fill(str(data["expression"]))
        when = fill(str(data["when"])) if data.get("when") else None
        out.append(
            Rule(
                id=rid,
                key=f"{rid}:{item}" if item else rid,
                kind=RuleKind(data.get("kind", "form")),
                scope=scope,
                severity=Severity(data["severity"]),
                enabled=bool(data.get("enabled", True)),
                expression=expression,
                when=when,
                fields=tuple(fill(str(f)) for f in data["fields"]),
                figures={str(k): fill(str(v)) for k, v in data.get("figures", {}).items()},
                message_zh=fill(str(data["message_zh"])),
                source=Source.from_json(data["source"], here),
                item=item,
                node=_parse(expression, here),
                when_node=_parse(when, here) if when else None,
            )
        )
    return out


def load_rules(path: Path, catalogue: FormCatalogue | None = None) -> RuleSet:
    """Read a rules file and check it (see :func:`check_rule_set`).

    Args:
        path: a ``audit_rules_<year>.json`` file.
        catalogue: the forms to use; default: :func:`.catalogue.form_catalogue` of the file's year.

    Raises:
        ValueError: malformed file, unknown variable or field, duplicate key, unsupported expression.
    """
    where = path.name
    data = json.loads(path.read_text(encoding="utf-8"))
    year = int(data["year"])
    catalogue = catalogue or form_catalogue(year)
    constants = {
        str(k): _constant(v["value"], f"{where}: constant {k}") for k, v in data.get("constants", {}).items()
    }
    context = {
        str(k): ContextVar(str(k), str(v["name_zh"]), str(v["unit"]))
        for k, v in data.get("context", {}).items()
    }
    aggregates = {
        str(k): Aggregate(str(k), str(v["name_zh"]), str(v["op"]), v.get("column"))
        for k, v in data.get("aggregates", {}).items()
    }
    derived = {
        str(k): Derived(
            str(k),
            str(v["name_zh"]),
            str(v.get("unit", "money")),
            str(v["expression"]),
            _parse(str(v["expression"]), f"{where}: derived {k}"),
            Source.from_json(v["source"], f"{where}: derived {k}") if "source" in v else None,
        )
        for k, v in data.get("derived", {}).items()
    }
    rules: list[Rule] = []
    for entry in data["rules"]:
        rules.extend(_rules(entry, catalogue, where))
    rule_set = RuleSet(
        version=str(data["version"]),
        year=year,
        catalogue=catalogue,
        constants=constants,
        context=context,
        aggregates=aggregates,
        derived=derived,
        rules=tuple(rules),
        path=path,
    )
    check_rule_set(rule_set)
    return rule_set


def check_rule_set(rule_set: RuleSet) -> None:
    """Check that a rule set is well formed.

    Checks: every rule key is unique; every variable of every expression, guard and figure is known
    for its scope; every field is an item key or a known variable; derived values refer only to
    earlier ones; aggregates name numeric 107-1 columns; every CEL text compiles in celpy; every
    message formats (placeholders are known).

    Raises:
        ValueError: the first problem found, naming the rule.
    """
    catalogue = rule_set.catalogue
    seen: set[str] = set()
    for name, agg in rule_set.aggregates.items():
        if agg.op not in ("sum", "count", "count_positive"):
            raise ValueError(f"aggregate {name}: unknown op {agg.op!r}")
        if agg.op != "count" and (
            agg.column is None
            or agg.column not in catalogue.project_columns
            or not catalogue.project_columns[agg.column].unit.numeric
        ):
            raise ValueError(f"aggregate {name}: {agg.column!r} is not a numeric 107-1 column")
    earlier: set[str] = set()
    base = rule_set.known_names(Scope.FIRM) - set(rule_set.derived)
    for name, d in rule_set.derived.items():
        unknown = variables(d.node) - base - earlier
        if unknown:
            raise ValueError(f"derived {name}: unknown variables {sorted(unknown)}")
        earlier.add(name)
        rule_set.program(d.expression)
    names_overlap = set(rule_set.constants) & (set(catalogue.firm_items) | set(catalogue.project_columns))
    if names_overlap:
        raise ValueError(f"constants shadow items: {sorted(names_overlap)}")
    for rule in rule_set.rules:
        if rule.key in seen:
            raise ValueError(f"duplicate rule key {rule.key}")
        seen.add(rule.key)
        known = rule_set.known_names(rule.scope)
        texts: list[tuple[str, Node]] = [(rule.expression, rule.node)]
        if rule.when_node is not None and rule.when is not None:
            texts.append((rule.when, rule.when_node))
        for name, text in rule.figures.items():
            texts.append((text, _parse(text, f"rule {rule.key}: figure {name}", allow_division=True)))
        for text, node in texts:
            unknown = variables(node) - known
            if unknown:
                raise ValueError(f"rule {rule.key}: unknown variables {sorted(unknown)} in {text!r}")
            rule_set.program(text)
        bad_fields = [f for f in rule.fields if f not in known]
        if bad_fields or not rule.fields:
            raise ValueError(f"rule {rule.key}: unknown or no fields {bad_fields}")
        _check_message(rule, known)


class _Probe(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> Any:
        raise ValueError(f"unknown placeholder {{{key}}}")


class _AnyFormat:
    def __format__(self, spec: str) -> str:
        if spec not in ("", "label"):
            raise ValueError(f"unknown format {spec!r}")
        return ""


def _check_message(rule: Rule, known: Iterable[str]) -> None:
    names = {n: _AnyFormat() for n in (*known, *rule.figures, "project_no", "project_name")}
    try:
        rule.message_zh.format_map(_Probe(names))
    except (ValueError, IndexError, KeyError) as exc:
        raise ValueError(f"rule {rule.key}: message: {exc}") from exc


def available_rule_years() -> tuple[int, ...]:
    """Years with a ``audit_rules_<year>.json`` file, ascending."""
    return tuple(sorted(int(p.stem.rsplit("_", 1)[1]) for p in DATA_DIR.glob("audit_rules_*.json")))


@cache
def rule_set(year: int) -> RuleSet:
    """The rule set for report year ``year`` with the file's default ``enabled`` flags (cached).

    A year without its own file uses the latest earlier year's file, or else the earliest file.

    Raises:
        ValueError: no rules file at all; a malformed file.
    """
    chosen = nearest_year(available_rule_years(), year)
    return load_rules(DATA_DIR / f"audit_rules_{chosen}.json", form_catalogue(year))
