"""Per-report validation (as the user types): every enabled rule on one report, with celpy.

Entry point :func:`validate_report`. Each rule's CEL text is compiled once per rule set and cached
(:meth:`.rules.RuleSet.program`); a report is evaluated with exact ``Decimal`` arithmetic
(:mod:`.expressions`). The same rules run vectorised over a whole table in :mod:`.vectorised`;
both give the same findings (property test ``tests/test_agreement.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from celpy import CELEvalError, celtypes

from kechuang.engines.rulekit.cel import coerce_decimal, to_cel_value
from kechuang.engines.rulekit.verdict import Finding as KitFinding

from .amounts import fmt_figure
from .audit_rules import Rule, RuleKind, RuleSet, Scope, rule_set
from .catalogue import Report, Unit
from .crosschecks import ReviewContext

__all__ = [
    "Finding",
    "PreparedReport",
    "RuleEvaluationError",
    "blocks_submission",
    "prepare_report",
    "validate_report",
]


class RuleEvaluationError(RuntimeError):
    """A rule could not be evaluated (a bug in the rules file: a non-boolean result, a type error).

    Attributes:
        rule_key: the rule.
    """

    def __init__(self, rule_key: str, detail: str) -> None:
        super().__init__(f"rule {rule_key}: {detail}")
        self.rule_key = rule_key


@dataclass(frozen=True, kw_only=True)
class Finding(KitFinding):
    """One broken rule on one report (or one 107-1 row of it): the rule kit's
    :class:`~kechuang.engines.rulekit.verdict.Finding` with the statistics' own details (keywords only).

    Attributes:
        rule_id: e.g. ``"R04"``; ``rule_key`` adds the template item (``"R21a:labour_cost"``).
        severity: :class:`.audit_rules.Severity` (E blocks submission, W needs an explanation, I informs).
        kind: form audit relationship or cross-check.
        message_zh: Chinese message with the figures, e.g. ``"研究开发费用合计[7]（1,000千元）应等于…"``.
        fields: item keys to highlight (107-2 keys; 107-1 column keys when ``project_index`` is set;
            aggregate names such as ``projects_person_months_total`` stand for a 107-1 column total).
        source: :class:`.sources.Source` (spec section, rule, confidence).
        project_index: index of the 107-1 row in ``report.projects`` for project rules, else ``None``.
        values: the figures of ``fields`` as evaluated (form units).
    """

    rule_key: str
    kind: RuleKind
    project_index: int | None = None
    values: Mapping[str, object] = field(default_factory=dict)


def blocks_submission(findings: Sequence[Finding]) -> bool:
    """True when any finding is an error (spec §5.2: E blocks submission in 预审前置)."""
    return any(f.blocking for f in findings)


@dataclass(frozen=True)
class PreparedReport:
    """A report read against a rule set: every variable the rules may read, as exact values.

    Attributes:
        rules: the :class:`.audit_rules.RuleSet`.
        firm: every numeric 107-2 item (``Decimal``, form units; blank = 0).
        projects: each 107-1 row normalised (:meth:`.forms.FormCatalogue.read_project`).
        aggregates: aggregate name → ``Decimal``.
        context: the known context variables.
        derived: derived name → ``Decimal`` (only those whose inputs are known).
    """

    rules: RuleSet
    firm: Mapping[str, Decimal]
    projects: Sequence[Mapping[str, object]]
    aggregates: Mapping[str, Decimal]
    context: Mapping[str, Decimal | bool]
    derived: Mapping[str, Decimal]

    def values(self) -> dict[str, object]:
        """All firm-level variables in one mapping (items, aggregates, context, derived, constants)."""
        return {
            **self.rules.constants,
            **self.firm,
            **self.aggregates,
            **self.context,
            **self.derived,
        }


def prepare_report(
    report: Report, context: ReviewContext | None = None, rules: RuleSet | None = None
) -> PreparedReport:
    """Read ``report`` (and ``context``) into exact values for the rules.

    Raises:
        ReportInputError: unknown item or column key, non-numeric value, more than 3 decimals, bad
            code or date, bad context value (the error names the item).
    """
    rules = rules or rule_set(report.year)
    catalogue = rules.catalogue
    firm = catalogue.read_firm(report.firm)
    projects = [catalogue.read_project(p.values, i) for i, p in enumerate(report.projects)]
    aggregates: dict[str, Decimal] = {}
    for name, agg in rules.aggregates.items():
        if agg.op == "count":
            aggregates[name] = Decimal(len(projects))
        else:
            # a numeric project column (RuleSet checks it): read_project gives Decimal there
            column = cast(str, agg.column)
            values = [cast(Decimal, p[column]) for p in projects]
            if agg.op == "count_positive":
                aggregates[name] = Decimal(sum(1 for v in values if v > 0))
            else:
                aggregates[name] = sum(values, Decimal(0))
    known = (context or ReviewContext()).variables(report.year)
    derived: dict[str, Decimal] = {}
    activation = _activation({**rules.constants, **firm, **aggregates, **known})
    for name, d in rules.derived.items():
        if all(n in activation for n in rules.base_variables(d.node)):
            value = coerce_decimal(_run(rules, d.expression, activation, f"derived {name}"))
            derived[name] = value
            activation[name] = value
    return PreparedReport(rules, firm, projects, aggregates, known, derived)


def _activation(values: Mapping[str, object]) -> dict[str, Any]:
    return {k: to_cel_value(v) for k, v in values.items()}


def _run(rules: RuleSet, text: str, activation: Mapping[str, Any], where: str) -> Any:
    try:
        result = rules.program(text).evaluate(activation)
    except CELEvalError as exc:
        raise RuleEvaluationError(where, str(exc)) from exc
    if isinstance(result, CELEvalError):
        raise RuleEvaluationError(where, str(result))
    return result


def _holds(rules: RuleSet, rule: Rule, activation: Mapping[str, Any]) -> bool:
    if rule.when is not None:
        guard = _run(rules, rule.when, activation, rule.key)
        if not isinstance(guard, celtypes.BoolType):
            raise RuleEvaluationError(rule.key, f"guard is not boolean: {guard!r}")
        if not guard:
            return True
    result = _run(rules, rule.expression, activation, rule.key)
    if not isinstance(result, celtypes.BoolType):
        raise RuleEvaluationError(rule.key, f"expression is not boolean: {result!r}")
    return bool(result)


def validate_report(
    report: Report,
    context: ReviewContext | None = None,
    rules: RuleSet | None = None,
    *,
    only: Collection[str] | None = None,
) -> list[Finding]:
    """Run every enabled rule on one report.

    Args:
        report: the report (form units: 千元, 人, 人月; blank items are 0).
        context: data for the cross-checks (:class:`.crosschecks.ReviewContext`); a cross-check whose
            inputs are unknown is not evaluated.
        rules: the rule set (default: :func:`.audit_rules.rule_set` of ``report.year`` with the file's
            ``enabled`` flags; apply the bureau's choices with :meth:`.rules.RuleSet.configured`).
        only: evaluate just these rule keys (e.g. those :func:`.vectorised.validate_table` found broken,
            plus the cross-checks it had no context for), to write the messages of a checked table
            without evaluating every rule again; ``None`` = every enabled rule.

    Returns:
        The findings in rules-file order (project rules: by project index within a rule). Empty when
        the report passes every evaluated rule.

    Raises:
        ReportInputError: bad input (unknown key, non-numeric value, > 3 decimals, bad code/date,
            negative context amount), naming the item. Negative or fractional form figures are not
            input errors: R21a / R21b report them.
        RuleEvaluationError: a rule of the file cannot be evaluated (a bug of the file).
    """
    prepared = prepare_report(report, context, rules)
    rule_set_ = prepared.rules
    values = prepared.values()
    activation = _activation(values)
    findings: list[Finding] = []
    for rule in rule_set_.enabled_rules:
        if only is not None and rule.key not in only:
            continue
        if not rule_set_.required_context(rule) <= prepared.context.keys():
            continue
        if rule.scope is Scope.FIRM:
            if not _holds(rule_set_, rule, activation):
                findings.append(_finding(rule_set_, rule, values, activation, None, None))
            continue
        for index, project in enumerate(prepared.projects):
            row_activation = {**activation, **_activation(project)}
            if not _holds(rule_set_, rule, row_activation):
                findings.append(
                    _finding(rule_set_, rule, {**values, **project}, row_activation, index, project)
                )
    return findings


class _Shown:
    __slots__ = ("label", "plain", "value")

    def __init__(self, value: object, label: str, plain: bool = False) -> None:
        self.value = value
        self.label = label
        self.plain = plain  # codes and YYYYMM dates: digits only

    def __format__(self, spec: str) -> str:
        if spec == "label":
            return self.label
        if isinstance(self.value, str):
            return self.value
        if self.plain and isinstance(self.value, Decimal):
            return str(int(self.value))
        if isinstance(self.value, tuple):
            return "、".join(fmt_figure(v) for v in self.value)
        return fmt_figure(self.value)  # type: ignore[arg-type]


class _Figures(dict):  # type: ignore[type-arg]
    def __init__(self, rules: RuleSet, values: Mapping[str, object]) -> None:
        super().__init__()
        self.rules = rules
        self.source = values

    def __missing__(self, key: str) -> _Shown:
        column = self.rules.catalogue.project_columns.get(key)
        plain = column is not None and column.unit in (Unit.CODE, Unit.YEAR_MONTH)
        return _Shown(self.source.get(key), self.rules.label_zh(key), plain)


def _finding(
    rules: RuleSet,
    rule: Rule,
    values: Mapping[str, object],
    activation: Mapping[str, Any],
    index: int | None,
    project: Mapping[str, object] | None,
) -> Finding:
    shown: dict[str, object] = dict(values)
    for name, text in rule.figures.items():
        try:
            result = _run(rules, text, activation, f"{rule.key} figure {name}")
            shown[name] = result if isinstance(result, bool | celtypes.BoolType) else coerce_decimal(result)
        except (RuleEvaluationError, ArithmeticError, TypeError):
            shown[name] = "—"
        if isinstance(shown[name], celtypes.BoolType):
            shown[name] = bool(shown[name])
    if project is not None and index is not None:
        shown["project_no"] = Decimal(index + 1)
        shown["project_name"] = str(project.get("name") or "（未命名）")
    message = rule.message_zh.format_map(_Figures(rules, shown))
    return Finding(
        rule_id=rule.id,
        rule_key=rule.key,
        severity=rule.severity,
        kind=rule.kind,
        message_zh=message,
        fields=rule.fields,
        source=rule.source,
        project_index=index,
        values={f: values.get(f) for f in rule.fields},
    )
