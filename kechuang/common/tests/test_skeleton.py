"""Names a newcomer guesses (issue 12 item 6).

* Every domain app has the skeleton ``docs/architecture.md`` lists, each module with real content.
* An engine is named after the app that uses it (or is a kit all engines share), so the one leads to
  the other.
* No module name means two things: an engine has no module named like a part of an app's skeleton
  (``forms.py`` is always Django forms, ``rules.py`` always an app's permissions) nor like the
  ``common`` app.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
ENGINES = PACKAGE / "engines"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"

SKELETON = ("models.py", "choices.py", "services.py", "forms.py", "filters.py", "tables.py", "api.py", "views.py",
            "urls.py", "admin.py", "rules.py", "tests/")
SHARED_ENGINES = {"rulekit": "the rule kit every engine uses (sources, dated parameters, CEL, verdicts)"}
"""Engine folders that belong to no one app, each with its reason."""

APPS = sorted(p.name for p in PACKAGE.iterdir() if (p / "apps.py").is_file() and p.name != "common")
ENGINE_PACKAGES = sorted(p.name for p in ENGINES.iterdir()
                         if (p / "__init__.py").is_file() and p.name != "tests")


def test_the_architecture_lists_this_skeleton() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    found = re.search(r"Every domain app has the same skeleton:(.*?)\n\n", text, re.S)
    assert found, "docs/architecture.md names the apps' skeleton"
    assert tuple(re.findall(r"`([^`]+)`", found.group(1))) == SKELETON


def test_the_domain_apps_are_found() -> None:
    assert {"core", "market", "matchmaking", "pairing", "cultivation", "rdreport"} <= set(APPS)


def _has_content(path: Path) -> bool:
    """A module with at least one statement beyond its docstring and imports (a definition, an
    assignment, a registration call)."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(not isinstance(node, (ast.Import, ast.ImportFrom))
               and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body)


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_skeleton(app: str) -> None:
    folder = PACKAGE / app
    missing = [part for part in SKELETON if not (folder / part.rstrip("/")).exists()]
    assert missing == [], f"{app} lacks {missing}"
    empty = [part for part in SKELETON if part.endswith(".py") and not _has_content(folder / part)]
    assert empty == [], f"{app}: placeholder modules {empty}"


def test_every_engine_is_named_after_its_app_or_is_shared() -> None:
    stray = [name for name in ENGINE_PACKAGES if name not in APPS and name not in SHARED_ENGINES]
    assert stray == [], f"name the engine after the app that uses it: {stray}"


def test_no_engine_module_is_named_like_an_app_part() -> None:
    taken = {part.removesuffix(".py") for part in SKELETON if part.endswith(".py")} | {"common", "apps"}
    clashes = [str(path.relative_to(PACKAGE)) for path in sorted(ENGINES.rglob("*.py"))
               if path.stem in taken or (path.name == "__init__.py" and path.parent.name in taken)]
    assert clashes == [], "an engine module named like an app's module means two things; rename it"
