"""The matching core must stay framework-free: no module in its folder imports Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1]
REPO = FOLDER.parents[2]


def test_no_module_imports_django() -> None:
    offenders = []
    files = sorted(FOLDER.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "__import__",
                "import_module",
            ):
                names = [
                    a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
            offenders += [f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_importing_the_package_loads_neither_django_nor_heavy_optional_packages() -> None:
    code = (
        "import sys, kechuang.engines.matching as m, kechuang.engines.matching.evaluate;"
        "bad = [n for n in ('django', 'sentence_transformers', 'torch', 'sklearn') if n in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == ""
