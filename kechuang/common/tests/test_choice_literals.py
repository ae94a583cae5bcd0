"""Statuses (and every other choice value) are named by their choices' members, never by string literals
(issue 12 item 6): ``Demand.objects.filter(status=DemandStatus.PUBLISHED)``, not ``status="published"``.
A literal drifts silently when a value is renamed; a member fails at import.

An AST scan of the apps' source (migrations and tests excepted): a string literal compared with, assigned
to, or passed as a lookup of a field that has choices in a model of the project (``status``, ``kind``,
``level``, ``role``, the verdicts …) fails the test, with file, line and code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

PACKAGE = Path(__file__).resolve().parents[2]
SKIPPED_PARTS = {"migrations", "tests", "engines"}
"""Folders not scanned: migrations freeze values, tests state them, engines have no Django choices."""
SKIPPED_FILES = {"conftest.py", "testing.py"}


def choice_field_names() -> frozenset[str]:
    """Names of the project's model fields that have choices, less names that are also plain fields
    elsewhere (``source`` is free text on organisations): those could not be told apart by name."""
    with_choices: set[str] = set()
    plain: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("kechuang.") or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if field.concrete:
                (with_choices if getattr(field, "choices", None) else plain).add(field.name)
    return frozenset(with_choices - plain)


def _lookup_field(name: str, fields: frozenset[str]) -> bool:
    """``status``, ``status__in``, ``campaign__status``, ``campaign__status__in`` … of a choice field."""
    parts = name.split("__")
    if parts[-1] in {"in", "exact", "iexact"}:
        parts = parts[:-1]
    return bool(parts) and parts[-1] in fields


def _strings(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
    return False


def _field_of(node: ast.AST, fields: frozenset[str]) -> bool:
    """``obj.status`` (any object), or a bare ``status`` variable."""
    if isinstance(node, ast.Attribute):
        return node.attr in fields
    return isinstance(node, ast.Name) and node.id == "status"


def literal_choices(source: str, fields: frozenset[str]) -> list[tuple[int, str]]:
    """``(line, code)`` of each string literal used as the value of a choice field in ``source``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any((_field_of(a, fields) and _strings(b)) or (_field_of(b, fields) and _strings(a))
                   for a, b in zip(operands, operands[1:], strict=False)):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.keyword) and node.arg and _lookup_field(node.arg, fields) and _strings(node.value):
            found.append((node.value.lineno, f"{node.arg}={ast.unparse(node.value)}"))
        elif isinstance(node, ast.Assign) and _strings(node.value):
            if any(isinstance(t, ast.Attribute) and t.attr in fields for t in node.targets):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (isinstance(key, ast.Constant) and isinstance(key.value, str)
                        and _lookup_field(key.value, fields) and _strings(value)):
                    found.append((key.lineno, f"{key.value!r}: {ast.unparse(value)}"))
    return found


def _sources() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))
            if not SKIPPED_PARTS & set(p.relative_to(PACKAGE).parts) and p.name not in SKIPPED_FILES]


def test_the_scan_knows_the_choice_fields() -> None:
    assert {"status", "kind", "level", "role", "highest_tier"} <= choice_field_names()
    assert "source" not in choice_field_names()


@pytest.mark.parametrize("code", [
    'Demand.objects.filter(status="published")',
    'qs.exclude(campaign__status__in=["draft", "computed"])',
    'ok = record.status == "published"',
    'ok = "draft" != campaign.status',
    'if status in ("draft", "returned"): pass',
    'report.status = "submitted"',
    'enterprise = models.ForeignKey(Organisation, limit_choices_to={"kind": "enterprise"})',
    'Region.objects.exclude(level="province")',
    'Q(**{"enterprise__kind": "enterprise"})',
])
def test_a_literal_choice_value_is_found(code: str) -> None:
    assert literal_choices(code, choice_field_names()), code


@pytest.mark.parametrize("code", [
    "Demand.objects.filter(status=DemandStatus.PUBLISHED)",
    'Organisation.objects.filter(source="演示数据", name="甲")',
    'response = {"detail": "无权"}',
    "if kind == 'demand': pass",  # a URL's kind, not a field
])
def test_members_and_other_literals_pass(code: str) -> None:
    assert literal_choices(code, choice_field_names()) == []


def test_the_apps_name_choice_values_by_their_members() -> None:
    fields = choice_field_names()
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{line}: {code}"
                 for path in _sources() for line, code in literal_choices(path.read_text(encoding="utf-8"), fields)]
    assert offenders == [], "use the choices' members:\n" + "\n".join(offenders)
