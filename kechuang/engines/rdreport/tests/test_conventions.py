"""House rules of the engine: documented public API, future annotations."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
MODULES = sorted(PACKAGE.glob("*.py"))


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
        assert "from __future__ import annotations" in path.read_text(encoding="utf-8"), path.name
