"""Derive conflicts of interest (forbidden pairs) from plain data.

Rules, each with a reason code:

* ``same_org_applicant``: the expert works at the item's own organisation
  (the applicant of an application, or the enterprise itself in a pairing
  campaign).
* ``same_org_co_applicant``: the expert works at one of the item's
  co-applicants.
* ``declared_avoid``: the expert declared one of the item's organisations as
  one to avoid.
* ``same_county`` (only when ``same_county=True``): the expert and the item
  are in the same county-level division.

Organisation ids and region codes are any hashable values compared with
``==`` (e.g. database ids, unified social credit codes, 6-digit county
codes); ``None`` means unknown and never conflicts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from numpy.typing import NDArray

SAME_ORG_APPLICANT = "same_org_applicant"
SAME_ORG_CO_APPLICANT = "same_org_co_applicant"
DECLARED_AVOID = "declared_avoid"
SAME_COUNTY = "same_county"

_CODE_ORDER = {SAME_ORG_APPLICANT: 0, SAME_ORG_CO_APPLICANT: 1, DECLARED_AVOID: 2, SAME_COUNTY: 3}


@dataclass(frozen=True)
class ExcludedPair:
    """One excluded ``(item, expert)`` pair and why.

    Attributes:
        item: 0-based item index.
        expert: 0-based expert index.
        reason_code: one of the module's reason codes.
        reason: Chinese explanation for users.
    """

    item: int
    expert: int
    reason_code: str
    reason: str


@dataclass(frozen=True)
class ConflictReport:
    """Result of :func:`derive_conflicts`.

    Attributes:
        forbidden: bool array ``(n_items, n_experts)``, true for excluded pairs.
        excluded: every ``(item, expert, reason)``, sorted by item, expert,
            then rule; a pair excluded by several rules appears once per rule.
    """

    forbidden: NDArray[np.bool_]
    excluded: list[ExcludedPair]

    def reasons_for(self, item: int, expert: int) -> list[ExcludedPair]:
        """All exclusion reasons of one pair (empty if the pair is allowed)."""
        return [e for e in self.excluded if e.item == item and e.expert == expert]


def _orgs_of(value: Hashable | Iterable[Hashable] | None) -> list[Hashable]:
    """Normalise one expert's organisation(s) to a list without ``None``."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if v is not None]
    return [cast(Hashable, value)]  # not a collection: one organisation


def derive_conflicts(
    item_orgs: Sequence[Sequence[Hashable]],
    item_regions: Sequence[Hashable | None] | None,
    expert_orgs: Sequence[Hashable | Iterable[Hashable] | None],
    expert_avoid: Sequence[Iterable[Hashable] | None] | None = None,
    expert_regions: Sequence[Hashable | None] | None = None,
    *,
    same_county: bool = False,
    org_names: Mapping[Hashable, str] | None = None,
) -> ConflictReport:
    """Compute the forbidden mask and the list of excluded pairs.

    Args:
        item_orgs: length ``n``; for each item, its organisation ids: the
            applicant (or the enterprise) first, then any co-applicants.
            An empty sequence means unknown.
        item_regions: length ``n`` county-level region code per item (or
            ``None`` entries / ``None`` for all unknown).
        expert_orgs: length ``m``; each expert's organisation id (a list/set
            of ids is accepted for experts with several affiliations;
            ``None`` = unknown).
        expert_avoid: length ``m``; organisation ids each expert declared to
            avoid (``None`` = no declarations).
        expert_regions: length ``m`` county-level region code per expert.
        same_county: also exclude pairs in the same county-level division.
        org_names: optional id → display name, used in the Chinese reasons
            (default: the id itself).

    Returns:
        A :class:`ConflictReport` with ``forbidden`` of shape ``(n, m)``.

    Raises:
        ValueError: sequences of inconsistent length, or ``same_county``
            without region data.
    """
    n, m = len(item_orgs), len(expert_orgs)
    if item_regions is not None and len(item_regions) != n:
        raise ValueError(f"item_regions must have {n} entries")
    if expert_avoid is not None and len(expert_avoid) != m:
        raise ValueError(f"expert_avoid must have {m} entries")
    if expert_regions is not None and len(expert_regions) != m:
        raise ValueError(f"expert_regions must have {m} entries")
    if same_county and (item_regions is None or expert_regions is None):
        raise ValueError("same_county needs item_regions and expert_regions")
    names = org_names or {}

    def name(org: Hashable) -> str:
        return str(names.get(org, org))

    experts_by_org: dict[Hashable, list[int]] = defaultdict(list)
    for j, value in enumerate(expert_orgs):
        for org in dict.fromkeys(_orgs_of(value)):
            experts_by_org[org].append(j)
    avoiders_by_org: dict[Hashable, list[int]] = defaultdict(list)
    if expert_avoid is not None:
        for j, avoid in enumerate(expert_avoid):
            for org in dict.fromkeys(_orgs_of(list(avoid) if avoid is not None else None)):
                avoiders_by_org[org].append(j)
    experts_by_region: dict[Hashable, list[int]] = defaultdict(list)
    if same_county and expert_regions is not None:
        for j, region in enumerate(expert_regions):
            if region is not None:
                experts_by_region[region].append(j)

    forbidden = np.zeros((n, m), dtype=bool)
    excluded: list[ExcludedPair] = []
    for i, orgs in enumerate(item_orgs):
        seen_orgs = list(dict.fromkeys(o for o in orgs if o is not None))
        for pos, org in enumerate(seen_orgs):
            is_applicant = pos == 0 and orgs[0] is not None
            code = SAME_ORG_APPLICANT if is_applicant else SAME_ORG_CO_APPLICANT
            text = (
                f"专家所在单位（{name(org)}）即该项的申报/所属单位"
                if is_applicant
                else f"专家所在单位（{name(org)}）是该项的合作单位"
            )
            for j in experts_by_org.get(org, ()):
                excluded.append(ExcludedPair(i, j, code, text))
            for j in avoiders_by_org.get(org, ()):
                excluded.append(
                    ExcludedPair(i, j, DECLARED_AVOID, f"专家申明需回避单位（{name(org)}）")
                )
        if same_county and item_regions is not None:
            region = item_regions[i]
            if region is not None:
                for j in experts_by_region.get(region, ()):
                    excluded.append(
                        ExcludedPair(
                            i, j, SAME_COUNTY, f"专家与该项同属一个县级行政区（{region}）"
                        )
                    )
    excluded = list(dict.fromkeys(excluded))  # same org listed twice by an expert
    excluded.sort(key=lambda e: (e.item, e.expert, _CODE_ORDER[e.reason_code], e.reason))
    if excluded:
        idx = np.array([(e.item, e.expert) for e in excluded], dtype=np.int64)
        forbidden[idx[:, 0], idx[:, 1]] = True
    return ConflictReport(forbidden=forbidden, excluded=excluded)
