"""Parameters dated like legislation: each value is in force from a date, with its document and article.

A notice changes a rate or a threshold from a given day; earlier days keep the earlier value, so a back
year is recomputed with the values in force then. :class:`DatedParameter` holds the values in date order
and answers "what was in force on this day, and by which text" (:meth:`DatedParameter.value_on`) and
"which values applied over this span" (:meth:`DatedParameter.periods`, e.g. a tax year with a rate
change on 1 October).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from .source import Source

__all__ = ["DatedParameter", "InForce", "NotInForce"]

T = TypeVar("T")


class NotInForce(LookupError):
    """No value of the parameter is in force on the day asked (before the first value, or after an end)."""


@dataclass(frozen=True)
class InForce(Generic[T]):
    """One value of a parameter and the span it is in force.

    Attributes:
        start: first day in force.
        value: the value.
        source: the :class:`.source.Source` that sets it (document, article, confidence).
        end: last day in force (inclusive), or ``None`` = until the next value starts (or for ever).
    """

    start: dt.date
    value: T
    source: Source
    end: dt.date | None = None


class DatedParameter(Generic[T]):
    """A named parameter whose value depends on the date (values in force from dates).

    Args:
        name: the parameter's name, used in error messages.
        values: :class:`InForce` entries; sorted by ``start`` here. Each entry lasts until its ``end``
            or, without one, until the next entry starts.

    Raises:
        ValueError: no value, two values starting the same day, or an ``end`` before its ``start`` or
            after the next value's start (overlap).
    """

    __slots__ = ("name", "values")

    def __init__(self, name: str, values: Iterable[InForce[T]]) -> None:
        ordered = tuple(sorted(values, key=lambda v: v.start))
        if not ordered:
            raise ValueError(f"{name}: no value")
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.start == later.start:
                raise ValueError(f"{name}: two values in force from {later.start.isoformat()}")
            if earlier.end is not None and earlier.end >= later.start:
                raise ValueError(f"{name}: value from {earlier.start.isoformat()} overlaps the next one")
        for v in ordered:
            if v.end is not None and v.end < v.start:
                raise ValueError(f"{name}: value from {v.start.isoformat()} ends before it starts")
        self.name = name
        self.values: tuple[InForce[T], ...] = ordered

    def _last_day(self, index: int) -> dt.date | None:
        entry = self.values[index]
        if entry.end is not None:
            return entry.end
        if index + 1 < len(self.values):
            return self.values[index + 1].start - dt.timedelta(days=1)
        return None

    def entry_on(self, day: dt.date) -> InForce[T]:
        """The :class:`InForce` entry in force on ``day``.

        Raises:
            NotInForce: ``day`` is before the first value or in a gap after an ``end``.
        """
        for index in range(len(self.values) - 1, -1, -1):
            entry = self.values[index]
            if entry.start <= day:
                last = self._last_day(index)
                if last is not None and day > last:
                    break
                return entry
        raise NotInForce(f"{self.name}: no value in force on {day.isoformat()}")

    def value_on(self, day: dt.date) -> tuple[T, Source]:
        """The value in force on ``day`` and its :class:`.source.Source`.

        Raises:
            NotInForce: as :meth:`entry_on`.
        """
        entry = self.entry_on(day)
        return entry.value, entry.source

    def periods(self, first: dt.date, last: dt.date) -> tuple[tuple[dt.date, dt.date, T, Source], ...]:
        """The values over ``first`` … ``last`` (inclusive) as ``(start, end, value, source)`` pieces in
        date order, cut at ``first`` and ``last``; consecutive pieces cover the span without gap.

        Raises:
            ValueError: ``last`` before ``first``.
            NotInForce: some day of the span has no value in force.
        """
        if last < first:
            raise ValueError(f"{self.name}: span ends {last.isoformat()} before it starts {first.isoformat()}")
        pieces: list[tuple[dt.date, dt.date, T, Source]] = []
        day = first
        while day <= last:
            entry = self.entry_on(day)
            index = self.values.index(entry)
            end = self._last_day(index)
            stop = last if end is None or end > last else end
            pieces.append((day, stop, entry.value, entry.source))
            day = stop + dt.timedelta(days=1)
        return tuple(pieces)

    def __repr__(self) -> str:
        return f"DatedParameter({self.name!r}, {len(self.values)} values)"
