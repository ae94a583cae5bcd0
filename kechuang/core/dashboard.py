"""Live counts for the home page: organisations by county-level division (or park) and kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kechuang.core.choices import OrganisationKind, RegionLevel
from kechuang.core.models import Organisation, Region


@dataclass
class CountTable:
    """Counts in a grid: ``rows`` are region names, ``kinds`` the organisation kinds (labels),
    ``cells[i][j]`` the count of kind j in region i, with row and column totals."""

    root: str
    rows: list[str]
    kinds: list[str]
    cells: list[list[int]]

    @property
    def row_totals(self) -> list[int]:
        return [sum(r) for r in self.cells]

    @property
    def column_totals(self) -> list[int]:
        return [sum(c) for c in zip(*self.cells, strict=False)] if self.cells else [0] * len(self.kinds)

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def as_rows(self) -> list[tuple[str, list[int], int]]:
        return list(zip(self.rows, self.cells, self.row_totals, strict=True))


def scope_root(user) -> Region | None:
    """The region a user's dashboard is about: its own region; for an organisation-bound user the city of
    its organisation; for an unbound superuser the only city (or None when there are several)."""
    if user.region_id:
        return user.region
    if user.organisation_id and user.organisation.region.city is not None:
        return user.organisation.region.city
    cities = list(Region.objects.filter(level=RegionLevel.CITY)[:2])
    return cities[0] if len(cities) == 1 else None


def organisation_counts(user) -> CountTable:
    """Counts of the organisations the user may see, grouped under the children of its scope root
    (records attached to the root itself form their own row), by kind."""
    root = scope_root(user)
    visible = Organisation.objects.visible_to(user).values_list("region__path", "kind")
    kinds = list(OrganisationKind)
    if root is None:
        groups = list(Region.objects.filter(parent__isnull=True))
        own_label = None
    else:
        groups = list(root.children.all())
        own_label = f"{root.name}（本级）"
    counter: Counter[tuple[str, str]] = Counter()
    for path, kind in visible:
        label = next((g.name for g in groups if path.startswith(g.path)), own_label or "其他")
        counter[(label, kind)] += 1
    labels = [g.name for g in groups] + ([own_label] if own_label else [])
    labels = [name for name in labels if any(counter[(name, k)] for k in kinds)] or labels
    cells = [[counter[(name, k)] for k in kinds] for name in labels]
    return CountTable(root=root.name if root else "全部", rows=labels, kinds=[k.label for k in kinds],
                      cells=cells)
