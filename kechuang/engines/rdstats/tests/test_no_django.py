"""The engine is framework-free: no module in the folder imports django, directly or indirectly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
REPO = PACKAGE.parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_in_the_folder_imports_django() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            n for n in _imports(path) if n == "django" or n.startswith("django.")
        )
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_engine_modules_import_only_the_standard_library_numpy_scipy_and_celpy() -> None:
    allowed_roots = set(sys.stdlib_module_names) | {"kechuang", "numpy", "scipy", "celpy", "lark"}
    test_only = {"pytest", "hypothesis"}
    for path in sorted(PACKAGE.rglob("*.py")):
        roots = {name.split(".")[0] for name in _imports(path)}
        extra = roots - allowed_roots
        if "tests" in path.relative_to(PACKAGE).parts:
            extra -= test_only
        assert extra == set(), f"{path.name} imports {extra}"


def test_importing_the_engine_works_with_django_blocked() -> None:
    code = (
        "import sys, types\n"
        "sys.modules['django'] = None\n"
        f"root = types.ModuleType('kechuang'); root.__path__ = [{str(REPO / 'kechuang')!r}]\n"
        f"eng = types.ModuleType('kechuang.engines'); eng.__path__ = [{str(REPO / 'kechuang' / 'engines')!r}]\n"
        "sys.modules['kechuang'] = root; sys.modules['kechuang.engines'] = eng\n"
        "import kechuang.engines.rdstats as r\n"
        "from kechuang.engines.rdstats import bench, localisation, regional, vectorised\n"
        "assert r.validate_report(r.Report(2025, {'papers': 1})) == []\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules if sys.modules[m] is not None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
