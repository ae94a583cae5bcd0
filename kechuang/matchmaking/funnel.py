"""The matchmaking funnel: records by stage, per county-level division and per technical field."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kechuang.core.choices import RegionLevel
from kechuang.core.models import Region
from kechuang.matchmaking.choices import FUNNEL, MatchStatus
from kechuang.matchmaking.models import MatchRecord


@dataclass
class Funnel:
    """``rows`` (label, counts of records that reached each stage in ``statuses`` order, total records)
    for one grouping."""

    title: str
    statuses: list[str]
    rows: list[tuple[str, list[int], int]]


def _county(region: Region) -> str:
    node = region
    while node is not None and node.parent is not None and node.level not in (RegionLevel.COUNTY, RegionLevel.PARK):
        node = node.parent
    return node.name if node else "—"


def reached(status: str) -> list[str]:
    """The stages a record in ``status`` has passed through, itself included."""
    if status == MatchStatus.DROPPED:
        return [MatchStatus.RECOMMENDED, MatchStatus.DROPPED]
    return list(FUNNEL[: FUNNEL.index(status) + 1])


def funnels(user) -> list[Funnel]:
    """Counts of the records the user may see, by county (of the demand) and by top technical field."""
    statuses = list(MatchStatus)
    by_county: Counter[tuple[str, str]] = Counter()
    by_field: Counter[tuple[str, str]] = Counter()
    records = MatchRecord.objects.visible_to(user).select_related("region__parent", "demand__field__parent")
    for record in records:
        field = record.demand.field
        top = (field.parent or field).name if field else "未填领域"
        # A funnel counts every stage a record has reached: a signed record was also recommended,
        # contacted and negotiated. A dropped record counts as recommended and as dropped.
        for status in reached(record.status):
            by_county[(_county(record.region), status)] += 1
            by_field[(top, status)] += 1
    result = []
    for title, counter in (("按区县", by_county), ("按技术领域", by_field)):
        labels = sorted({label for label, _ in counter})
        rows = [(label, [counter[(label, s)] for s in statuses], counter[(label, MatchStatus.RECOMMENDED)])
                for label in labels]
        result.append(Funnel(title, [s.label for s in statuses], rows))
    return result
