"""Every engine is framework-free: no module of ``kechuang/engines/<engine>`` imports Django, directly or
indirectly, nor an app of the project; each imports only the standard library, the engines and the
third-party packages listed for it here. One test for all engines (a new engine folder is checked as
soon as it exists)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ENGINES = Path(__file__).resolve().parents[1]
REPO = ENGINES.parents[1]

THIRD_PARTY: dict[str, set[str]] = {
    "cultivation": set(),
    "matchmaking": {"numpy", "scipy", "jieba", "rjieba", "rank_bm25", "opencc", "joblib", "sklearn",
                    "sentence_transformers"},
    "pairing": {"numpy", "scipy", "ortools"},
    "rdreport": {"numpy", "scipy", "celpy", "lark"},
    "rulekit": {"celpy", "lark"},
}
"""Third-party packages each engine may import (heavy ones only lazily, see :data:`HEAVY`)."""
TEST_ONLY = {"pytest", "hypothesis"}
HEAVY = ("django", "sentence_transformers", "torch", "sklearn")
"""Packages that importing an engine must not load (Django never; the model libraries only on use)."""

PACKAGES = sorted(p.name for p in ENGINES.iterdir() if (p / "__init__.py").is_file() and p.name != "tests")


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of every absolute import in ``path``, including ``__import__("x")`` and
    ``importlib.import_module("x")`` with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "__import__",
            "import_module",
        ):
            found += [(node.lineno, a.value) for a in node.args
                      if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return found


def test_every_engine_is_listed() -> None:
    assert set(PACKAGES) == set(THIRD_PARTY), "list the new engine's third-party packages in THIRD_PARTY"


@pytest.mark.parametrize("engine", PACKAGES)
def test_modules_import_only_the_standard_library_the_engines_and_their_packages(engine: str) -> None:
    folder = ENGINES / engine
    files = sorted(folder.rglob("*.py"))
    assert len(files) >= 5
    allowed = set(sys.stdlib_module_names) | THIRD_PARTY[engine]
    offenders = []
    for path in files:
        in_tests = "tests" in path.relative_to(folder).parts
        for line, name in _imports(path):
            root = name.split(".")[0]
            where = f"{path.relative_to(ENGINES)}:{line} {name}"
            if root == "kechuang":
                if not (name == "kechuang.engines" or name.startswith("kechuang.engines.")):
                    offenders.append(where)
            elif root not in allowed and not (in_tests and root in TEST_ONLY):
                offenders.append(where)
    assert offenders == []


@pytest.mark.parametrize("engine", PACKAGES)
def test_importing_every_module_works_with_django_blocked(engine: str) -> None:
    # Stub the parent packages so that only the engines' own imports are exercised.
    code = (
        "import pkgutil, sys, types, importlib\n"
        "sys.modules['django'] = None\n"
        f"root = types.ModuleType('kechuang'); root.__path__ = [{str(REPO / 'kechuang')!r}]\n"
        f"eng = types.ModuleType('kechuang.engines'); eng.__path__ = [{str(ENGINES)!r}]\n"
        "sys.modules['kechuang'] = root; sys.modules['kechuang.engines'] = eng\n"
        f"package = importlib.import_module('kechuang.engines.{engine}')\n"
        "for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "    if '.tests' not in info.name:\n"
        "        importlib.import_module(info.name)\n"
        f"print(','.join(n for n in {HEAVY!r} if sys.modules.get(n) is not None))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
