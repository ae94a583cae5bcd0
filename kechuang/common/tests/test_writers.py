"""Services are the only writers (issue 12, item 3): no page, API or side module of an app calls a model
write method. A small scan of the source (AST, no import): every call of a write method (``.save()``,
``.delete()``, ``.create()`` …) in an app's modules is an error, except in the writer modules below.

A page and the API reach the database through one verb-named service function (in a transaction),
so both do the same checks and write the same history.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
APPS = ("core", "market", "matchmaking", "pairing", "cultivation", "rdreport")

#: Methods that write rows (model instances, managers, querysets, related managers, model forms).
WRITE_METHODS = frozenset({"save", "delete", "create", "get_or_create", "update_or_create", "bulk_create",
                           "bulk_update"})
#: ``.update()`` writes only on a queryset; a dict's ``update`` is fine. A receiver built by one of
#: these calls is a queryset.
QUERYSET_CALLS = frozenset({"filter", "exclude", "all", "select_for_update", "visible_to"})

#: Modules allowed to write, with the reason: by file name in every app, or by ``app/file.py``.
WRITERS = {
    "services.py": "the verb-named service functions: the writers",
    "models.py": "a model's own save() (derived columns) and the helpers it calls on save",
    "importers.py": "bulk import (common.imports' kit): each row through the page's form, in one transaction",
    "demo.py": "the demo composer (kechuang demo): builds sample data",
    "core/regions.py": "loading the region tree (load_regions command and a data migration, with the historical model)",
    "cultivation/figures.py": "writing engine figures into the records (the demo composer)",
    "pairing/participants.py": "the participant-list services (add, remove, add from a list), in transactions",
    "market/tech_fields.py": "loading the technical-field list (called by a data migration with its historical model)",
    "matchmaking/index_store.py": "saves search-index files to disk, not rows",
    "matchmaking/suggest.py": "saves the field classifier's file to disk, not rows",
}


def _is_writer(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    if any(p in ("tests", "migrations") for p in parts):
        return True
    return path.name in WRITERS or "/".join(parts) in WRITERS


def _receiver_is_queryset(node: ast.expr) -> bool:
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in QUERYSET_CALLS:
                return True
            node = func
        else:
            if node.attr == "objects":
                return True
            node = node.value
    return False


def model_writes(source: str) -> list[tuple[int, str]]:
    """``(line, method)`` of each call of a model write method in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name in WRITE_METHODS or name == "update" and _receiver_is_queryset(node.func.value):
            found.append((node.lineno, name))
    return found


def test_the_scan_sees_writes():
    source = ("form.save(commit=False)\nobj.save()\nModel.objects.create(a=1)\nqs.filter(a=1).update(b=2)\n"
              "data.update(a=1)\nrow.delete()\n")
    assert [m for _, m in model_writes(source)] == ["save", "save", "create", "update", "delete"]


def test_only_services_write():
    offenders = []
    for app in APPS:
        for path in sorted((PACKAGE / app).rglob("*.py")):
            if _is_writer(path):
                continue
            offenders += [f"{path.relative_to(PACKAGE)}:{line} .{name}()"
                          for line, name in model_writes(path.read_text(encoding="utf-8"))]
    assert not offenders, "writes outside services (move them into a service function):\n" + "\n".join(offenders)
