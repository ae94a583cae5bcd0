"""Column definitions shared by a list page and its Excel export, so the two cannot drift."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Column:
    """One column: ``key`` (export header key and sort key), Chinese ``label``, and how to get the value.

    ``value`` takes the record and returns a str, number, date or None; by default the attribute
    ``key`` (choice fields show their label). ``link`` makes the page cell link to the record.
    """

    key: str
    label: str
    value: Callable[[Any], Any] | None = None
    link: bool = False
    sortable: bool = True

    def get(self, obj: Model) -> Any:
        if self.value is not None:
            return self.value(obj)
        display = getattr(obj, f"get_{self.key}_display", None)
        if callable(display):
            return display()
        result = getattr(obj, self.key, None)
        return "" if result is None else result


@dataclass(frozen=True)
class Table:
    """An ordered set of columns."""

    columns: tuple[Column, ...]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    def row(self, obj: Any, hidden: frozenset[str] | set[str] = frozenset()) -> list[Any]:
        """The cells of one record; columns whose key is in ``hidden`` come out empty."""
        return ["" if c.key in hidden else c.get(obj) for c in self.columns]

    def rows(self, objects: Iterable[Any], hide: Any = None) -> Iterable[list[Any]]:
        """Cells of each record; ``hide(obj)`` gives the keys to blank for that record."""
        for obj in objects:
            yield self.row(obj, hide(obj) if hide else frozenset())
