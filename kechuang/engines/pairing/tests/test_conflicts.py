"""Conflict-of-interest derivation from plain data."""

from __future__ import annotations

import numpy as np
import pytest

from kechuang.engines.pairing import assign, derive_conflicts

ITEM_ORGS = [["A", "B"], ["C"], ["D", "A"], []]
ITEM_REGIONS = ["320102", "320104", None, "320102"]
EXPERT_ORGS = ["A", "B", "X", None, ["Y", "C"]]
EXPERT_AVOID = [set(), {"D"}, set(), {"C", "Z"}, None]
EXPERT_REGIONS = ["320104", "320102", "320102", None, "320111"]


def test_rules_and_reasons() -> None:
    report = derive_conflicts(
        ITEM_ORGS, ITEM_REGIONS, EXPERT_ORGS, EXPERT_AVOID, EXPERT_REGIONS,
        org_names={"A": "甲公司", "C": "丙大学"},
    )
    listed = [(e.item, e.expert, e.reason_code) for e in report.excluded]
    assert listed == [
        (0, 0, "same_org_applicant"),
        (0, 1, "same_org_co_applicant"),
        (1, 3, "declared_avoid"),
        (1, 4, "same_org_applicant"),
        (2, 0, "same_org_co_applicant"),
        (2, 1, "declared_avoid"),
    ]
    expected = np.zeros((4, 5), dtype=bool)
    for i, j, _ in listed:
        expected[i, j] = True
    assert np.array_equal(report.forbidden, expected)
    assert report.reasons_for(0, 0)[0].reason == "专家所在单位（甲公司）即该项的申报/所属单位"
    assert report.reasons_for(1, 3)[0].reason == "专家申明需回避单位（丙大学）"
    assert report.reasons_for(3, 2) == []


def test_same_county_only_when_asked() -> None:
    off = derive_conflicts(ITEM_ORGS, ITEM_REGIONS, EXPERT_ORGS, EXPERT_AVOID, EXPERT_REGIONS)
    on = derive_conflicts(
        ITEM_ORGS, ITEM_REGIONS, EXPERT_ORGS, EXPERT_AVOID, EXPERT_REGIONS, same_county=True
    )
    county = [(e.item, e.expert) for e in on.excluded if e.reason_code == "same_county"]
    assert county == [(0, 1), (0, 2), (1, 0), (3, 1), (3, 2)]
    assert not any(e.reason_code == "same_county" for e in off.excluded)
    assert (on.forbidden >= off.forbidden).all()
    # (0, 1) is excluded twice: co-applicant and same county.
    assert [e.reason_code for e in on.reasons_for(0, 1)] == ["same_org_co_applicant", "same_county"]
    assert "县级行政区（320102）" in on.reasons_for(0, 2)[0].reason


def test_same_county_needs_regions() -> None:
    with pytest.raises(ValueError):
        derive_conflicts(ITEM_ORGS, None, EXPERT_ORGS, same_county=True)
    with pytest.raises(ValueError):
        derive_conflicts(ITEM_ORGS, ITEM_REGIONS[:2], EXPERT_ORGS)


def test_mask_feeds_the_solver() -> None:
    report = derive_conflicts(ITEM_ORGS, ITEM_REGIONS, EXPERT_ORGS, EXPERT_AVOID, EXPERT_REGIONS)
    affinity = np.ones((4, 5))
    result = assign(affinity, 2, 2, report.forbidden)
    assert not report.forbidden[result.pairs[:, 0], result.pairs[:, 1]].any()


def test_large_input_is_fast() -> None:
    rng = np.random.default_rng(0)
    n, m = 2000, 2000
    item_orgs = [[int(x) for x in rng.integers(0, 500, size=3)] for _ in range(n)]
    expert_orgs = [int(x) for x in rng.integers(0, 500, size=m)]
    avoid = [{int(x) for x in rng.integers(0, 500, size=2)} for _ in range(m)]
    regions_i = [int(x) for x in rng.integers(0, 20, size=n)]
    regions_e = [int(x) for x in rng.integers(0, 20, size=m)]
    report = derive_conflicts(item_orgs, regions_i, expert_orgs, avoid, regions_e, same_county=True)
    assert report.forbidden.shape == (n, m)
    assert 0.05 < report.forbidden.mean() < 0.1
