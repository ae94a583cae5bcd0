"""House rules of the engine: documented public API, future annotations, sources on every condition."""

from __future__ import annotations

import ast
from pathlib import Path

from kechuang.engines.cultivation import Tier, Verdict, assess
from kechuang.engines.cultivation.tests.builders import APPLY, reference

PACKAGE = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in PACKAGE.glob("*.py"))


def test_every_public_function_and_class_has_a_docstring() -> None:
    missing = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if ast.get_docstring(tree) is None:
            missing.append(path.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                if ast.get_docstring(node) is None:
                    missing.append(f"{path.name}:{node.name}")
    assert missing == []


def test_every_module_uses_future_annotations() -> None:
    for path in MODULES:
        if path.read_text(encoding="utf-8").strip():
            assert "from __future__ import annotations" in path.read_text(encoding="utf-8"), path.name


def test_every_condition_and_score_part_names_its_source() -> None:
    result = assess(reference(), APPLY)
    for tier in Tier:
        tier_result = result.tier(tier)
        for cond in tier_result.conditions:
            assert cond.source.document and cond.source.article, cond.condition_id
            assert cond.source.confidence in ("H", "M", "L")
        stack = list(tier_result.score_parts)
        while stack:
            part = stack.pop()
            assert part.source.document and part.source.article, part.part_id
            stack.extend(part.children)
        assert tier_result.verdict is Verdict.PASS
