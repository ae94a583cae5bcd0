"""The import rule between the parts of the package (issue 12 item 2): apps read each other through a
public face.

* An app (``core``, ``market``, ``matchmaking``, ``pairing``, ``cultivation``, ``rdreport``) may import
  from another app only its ``models``, ``choices``, ``facts`` and ``services`` modules.
* ``common`` (the machinery every app stands on) imports no app.
* The engines import no Django and no app: checked by ``kechuang/engines/tests/test_no_django.py``.
* Top-level modules (``kechuang/urls.py``, ``api.py``, ``settings.py``, ``cli.py``, ``demo.py`` …) compose
  the apps and may import anything.
* Tests (any module under a ``tests`` folder, and ``conftest.py``) may import anything: they build rows
  with other apps' factories and fixtures.

Every import counts: module level, inside functions, under ``if TYPE_CHECKING:``, relative ones, and
``import_module("…")`` / ``__import__("…")`` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
APPS = frozenset({"core", "market", "matchmaking", "pairing", "cultivation", "rdreport"})
PUBLIC_FACE = frozenset({"models", "choices", "facts", "services"})


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, package: Path = PACKAGE) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of everything ``path`` imports, relative imports made absolute; for
    ``from a.b import c`` the name is ``a.b.c`` (``c`` may be a module or a name in ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path, package)
    parent = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parent.split(".")[: len(parent.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found += [(node.lineno, f"{source}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "__import__", "import_module"):
            found += [(node.lineno, arg.value) for arg in node.args
                      if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return found


def violation(owner: str, name: str) -> bool:
    """Whether a module of part ``owner`` (an app or ``common``) may not import ``name``."""
    parts = name.split(".")
    if parts[0] != "kechuang" or len(parts) < 2 or parts[1] == owner:
        return False
    target = parts[1]
    if owner == "common":
        return target in APPS
    if target in APPS:
        return len(parts) < 3 or parts[2] not in PUBLIC_FACE
    return False


def violations(package: Path = PACKAGE) -> list[str]:
    """Every import breaking the rule, as ``path:line name``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        owner = relative.parts[0]
        if len(relative.parts) < 2 or owner not in APPS | {"common"}:
            continue  # top-level modules compose the apps; the engines have their own test
        if "tests" in relative.parts or path.name == "conftest.py":
            continue
        found += [f"{relative}:{line} {name}" for line, name in imported_names(path, package) if violation(owner, name)]
    return found


def test_apps_read_each_other_only_through_their_public_face_and_common_imports_no_app() -> None:
    assert violations() == []


def test_the_rule_catches_each_kind_of_violation(tmp_path: Path) -> None:
    tmp_path = tmp_path / "kechuang"
    tmp_path.mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "x.py").write_text("from kechuang.core.models import User\n", encoding="utf-8")
    (tmp_path / "market").mkdir()
    (tmp_path / "market" / "y.py").write_text(
        "def f():\n    from kechuang.matchmaking.suggest import suggest\n"
        "from kechuang.core import dashboard\n"
        "from kechuang.core import facts, models\n"
        "from kechuang.cultivation.services import x\n"
        "from .models import Thing\n", encoding="utf-8")
    (tmp_path / "market" / "tests").mkdir()
    (tmp_path / "market" / "tests" / "test_z.py").write_text("from kechuang.core.demo import SEED\n",
                                                             encoding="utf-8")
    (tmp_path / "demo.py").write_text("from kechuang.market.demo import load\n", encoding="utf-8")
    found = violations(tmp_path)
    assert found == ["common/x.py:1 kechuang.core.models.User",
                     "market/y.py:3 kechuang.core.dashboard",
                     "market/y.py:2 kechuang.matchmaking.suggest.suggest"]
