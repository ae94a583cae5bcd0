"""The rules and forms files are well formed."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from kechuang.engines.rdreport import Scope, Severity, form_catalogue, load_rules, rule_set
from kechuang.engines.rulekit.cel import ExpressionError, parse, variables

PACKAGE = Path(__file__).resolve().parents[1]


def test_every_rule_key_is_unique_and_every_field_and_variable_is_known() -> None:
    rules = rule_set(2025)
    keys = [r.key for r in rules.rules]
    assert len(keys) == len(set(keys))
    for rule in rules.rules:
        known = rules.known_names(rule.scope)
        assert set(rule.fields) <= known, rule.key
        assert variables(rule.check) <= known, rule.key
        assert rule.severity in set(Severity)
        assert rule.message_zh and rule.source.document and rule.source.confidence in ("H", "M", "L")


def test_every_expression_compiles_in_celpy_and_in_the_vectorised_subset() -> None:
    rules = rule_set(2025)
    for rule in rules.rules:
        for text in filter(None, (rule.expression, rule.when)):
            rules.program(text)  # celpy
            parse(text)  # numpy subset: no division, known functions


def test_raw_file_has_version_and_one_entry_per_relationship() -> None:
    data = json.loads((PACKAGE / "audit_rules_2025.json").read_text(encoding="utf-8"))
    assert data["version"] and data["year"] == 2025
    ids = [r["id"] for r in data["rules"]]
    assert {"R01a", "R01b", "R01c", "R01d", "R04", "R12", "R17", "R18", "X01", "X02", "X03"} <= set(ids)
    # W-rules of open decision 4 are configurable and carry a default
    defaults = {r["id"]: r["enabled"] for r in data["rules"]}
    assert defaults["R15"] and defaults["R19a"] and not defaults["R16"] and not defaults["R20a"]


def test_sum_rules_are_exact_and_errors_are_firm_or_project_rules() -> None:
    rules = rule_set(2025)
    assert rules.rule("R04").expression.startswith("rd_expense_total == ")
    assert rules.rule("R13a").scope is Scope.PROJECT
    assert all(
        r.severity is Severity.WARNING
        for r in rules.rules
        if r.id in ("R15", "R16", "R17", "R18", "R19a", "R20a", "X01")
    )


def test_forms_file_codes_and_keys() -> None:
    catalogue = form_catalogue(2025)
    assert catalogue.by_code("7").key == "rd_expense_total"
    assert catalogue.by_code("29").key == "patent_applications"
    assert catalogue.firm_items["rd_expense_total"].label_zh == "研究开发费用合计[7]"
    assert catalogue.firm_items["funds_enterprise"].code is None
    assert catalogue.code_lists["tech_goal"].values[5] == "提高劳动生产率"
    assert form_catalogue(2031).year == 2025 and form_catalogue(2020).year == 2025


def _write(tmp_path: Path, rules: Sequence[Mapping[str, object]]) -> Path:
    data = json.loads((PACKAGE / "audit_rules_2025.json").read_text(encoding="utf-8"))
    data["rules"] = rules
    path = tmp_path / "audit_rules_2025.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


RULE = {
    "id": "T1",
    "severity": "E",
    "expression": "rd_expense_total >= labour_cost",
    "fields": ["rd_expense_total"],
    "message_zh": "{rd_expense_total:label}",
    "source": {"document": "d", "section": "s", "rule": "T1", "confidence": "H"},
}


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"expression": "rd_expense_total >= nonsense"}, "unknown variables"),
        ({"expression": "rd_expense_total / 2 >= labour_cost"}, "division"),
        ({"expression": "rd_expense_total >="}, "syntax"),
        ({"fields": ["nonsense"]}, "fields"),
        ({"message_zh": "{nonsense}"}, "placeholder"),
        ({"severity": "X"}, "X"),
    ],
)
def test_malformed_rules_are_refused(tmp_path: Path, change: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        load_rules(_write(tmp_path, [{**RULE, **change}]))


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        load_rules(_write(tmp_path, [RULE, RULE]))
    assert load_rules(_write(tmp_path, [RULE])).rule("T1").enabled


def test_unsupported_constructs_are_named() -> None:
    with pytest.raises(ExpressionError):
        parse("size(x) > 1")
    with pytest.raises(ExpressionError):
        parse("x.y > 1")
