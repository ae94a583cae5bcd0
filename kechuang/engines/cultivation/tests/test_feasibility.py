"""Coaching never advises a change that breaks another condition of the tier (issue 11 item 17).

The tech-SME size limit (staff ≤ 500, SME-M 国科发政〔2017〕115号 第六条第（二）项) and the tech-staff gate
(第六条第（五）项: tech staff ≥ 10 %) meet at a firm with exactly 500 staff: hiring new tech staff breaks
the limit, so the feasible route is reclassifying existing staff. The property tests re-evaluate the
tier on the figures as changed by every suggestion the engine emits (all its routes' changes together)
and check that no condition of the tier gets worse and the suggestion reaches its aim; a suggestion
with no route must really break a condition.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.engines.cultivation import BureauConfig, EnterpriseFigures, Tier, Verdict, assess
from kechuang.engines.cultivation.bench import make_enterprise_year
from kechuang.engines.cultivation.feasibility import (
    RECLASSIFY_LABEL,
    Change,
    apply_change,
    change_for,
    evaluate_tier,
    worsened,
)
from kechuang.engines.cultivation.results import Assessment, Route, Unit
from kechuang.engines.cultivation.tests.builders import APPLY, reference, replace_year, wan

CONFIG = BureauConfig()


def _at_500_staff(staff: int | str = 500, tech: int | str = 30) -> EnterpriseFigures:
    """The reference firm without an HNTE certificate (no tech-SME direct route), 2024 staff given."""
    return replace_year(reference(hnte_certificate=None), 2024, staff_total_avg=staff, tech_staff_avg=tech)


def test_at_exactly_500_staff_coaching_reclassifies_instead_of_hiring() -> None:
    """500 staff, 30 tech (6 %): hiring 23 would give 523 staff > 500; reclassifying 20 gives 50/500 = 10 %."""
    result = assess(_at_500_staff(), APPLY)
    assert result.next_tier is Tier.TSME and result.tsme.label == "FAIL(TECH_STAFF_ZERO)"
    line = next(c for c in result.coaching if c.item_id == "S-C5.tech")
    assert line.remedy is not None
    assert (line.remedy.label_zh, line.remedy.amount, line.remedy.unit) == (RECLASSIFY_LABEL, 20, Unit.PERSON)
    assert line.feasible
    assert "将现有职工中 20 人调整为" in line.text_zh and "职工总数" in line.text_zh
    change = change_for(Tier.TSME, line.remedy, _at_500_staff(), APPLY, CONFIG)
    assert change is not None
    changed = apply_change(_at_500_staff(), change)
    after = evaluate_tier(Tier.TSME, changed, APPLY, CONFIG)
    assert after.condition("S-C5.tech").verdict is Verdict.PASS
    assert after.condition("S-C2.staff").verdict is Verdict.PASS


def test_below_the_limit_hiring_stays_the_advice() -> None:
    """With 400 staff and 30 tech, hiring 12 (42/412 ≥ 10 %) keeps staff ≤ 500: no change of advice."""
    result = assess(_at_500_staff(400), APPLY)
    line = next(c for c in result.coaching if c.item_id == "S-C5.tech")
    assert line.remedy is not None and line.remedy.label_zh == "科技人员（全年平均）" and line.remedy.amount == 12
    assert line.feasible and "调整为" not in line.text_zh


def test_new_sales_that_lower_the_rd_ratio_come_with_the_rd_they_need() -> None:
    """HNTE growth hint D2 (raise last year's sales) would push the 3-year R&D ratio below its band
    (HT-M 国科发火〔2016〕32号 第十一条第（五）项): the route adds the R&D expense needed with it."""
    firm = reference(
        hnte_certificate=None,
        expert=dataclasses.replace(reference().expert, points={"A1": 2, "A2": 2, "C1": 2, "C2": 2, "C3": 1, "C4": 1}),
    )
    # R&D exactly at 5 % of 3-year sales (10,900 万元 → 545 万元); sales growth low (D2 short)
    firm = replace_year(firm, 2022, rd_expense_hnte_wan=150, rd_expense_hnte_domestic_wan=150)
    firm = replace_year(firm, 2023, sales_revenue_wan=3900, rd_expense_hnte_wan=195, rd_expense_hnte_domestic_wan=195)
    firm = replace_year(firm, 2024, sales_revenue_wan=4000, rd_expense_hnte_wan=200, rd_expense_hnte_domestic_wan=200,
                        hitech_revenue_wan=4800, total_revenue_wan=5000)
    result = assess(firm, APPLY)
    assert result.hnte.condition("HT-C5").verdict is Verdict.PASS
    d_line = next((c for c in result.coaching if c.item_id == "D"), None)
    assert d_line is not None, [c.item_id for c in result.coaching]
    routes = dict(d_line.routes)
    assert "D2" in routes
    d2 = routes["D2"]
    assert d2.feasible and len(d2.remedies) >= 2 and d2.remedies[1].label_zh == "研发费用"
    assert "近三年研发费用占比" in d2.broken and "须同时研发费用增加" in d_line.text_zh
    _check(result, firm)


def _change_of(tier: Tier, remedies: tuple, firm: EnterpriseFigures, day: dt.date, config: BureauConfig) -> Change | None:
    total = None
    for remedy in remedies:
        change = change_for(tier, remedy, firm, day, config)
        assert change is not None, remedy
        total = change if total is None else total + change
    return total


def _check(result: Assessment, firm: EnterpriseFigures, config: BureauConfig = CONFIG) -> int:
    """Every checked suggestion of ``result``: feasible routes break nothing and reach their aim; routes
    without a way out really break a condition. Also: every change of figures in a line was checked.
    Returns the number of routes checked."""
    if result.next_tier is None:
        return 0
    before = result.tier(result.next_tier)
    day, tier = before.evaluation_date, before.tier
    checked = 0
    for line in result.coaching:
        ids = {hint_id for hint_id, _ in line.routes}
        if change_for(tier, line.remedy, firm, day, config) is not None:
            assert line.item_id in ids or line.routes, f"{line.item_id} emitted unchecked"
        for hint_id, route in line.routes:
            checked += 1
            _check_route(before, firm, hint_id, route, config)
    return checked


def _hint_remedy(before, hint_id: str):  # noqa: ANN001, ANN202 - test helper
    try:
        return before.condition(hint_id).remedy, None
    except KeyError:
        part = before.part(hint_id)
        return part.next_band.remedy, part.next_band


def _check_route(before, firm: EnterpriseFigures, hint_id: str, route: Route, config: BureauConfig) -> None:  # noqa: ANN001
    day, tier = before.evaluation_date, before.tier
    original, hint = _hint_remedy(before, hint_id)
    if not route.feasible:
        change = change_for(tier, original, firm, day, config)
        assert change is not None
        after = evaluate_tier(tier, apply_change(firm, change), day, config)
        assert worsened(before, after, except_id=hint_id), f"{hint_id}: said infeasible but breaks nothing"
        return
    change = _change_of(tier, route.remedies, firm, day, config)
    assert change is not None
    after = evaluate_tier(tier, apply_change(firm, change), day, config)
    assert not worsened(before, after, except_id=hint_id), (hint_id, route, worsened(before, after, except_id=hint_id))
    if hint is None:
        assert after.condition(hint_id).verdict is Verdict.PASS, (hint_id, route)
    else:
        assert after.part(hint_id).score_min >= hint.points_min, (hint_id, route)


EXAMPLES = settings(max_examples=120, deadline=None, database=None)


@EXAMPLES
@given(index=st.integers(min_value=0, max_value=10**6))
def test_every_suggestion_for_the_bench_mix_is_feasible_or_says_no_route(index: int) -> None:
    """The bench's mix of firms (sizes, edges, failures of each condition), one enterprise-year each."""
    firm, day = make_enterprise_year(2025, index)
    _check(assess(firm, day), firm)


@EXAMPLES
@given(
    staff=st.integers(min_value=4000, max_value=5000).map(lambda tenths: Decimal(tenths) / 10),
    tech_share=st.integers(min_value=0, max_value=140),
    sales=st.integers(min_value=1000, max_value=21000),
    rd_permille=st.integers(min_value=0, max_value=80),
    hitech_share=st.integers(min_value=30, max_value=100),
    growth=st.integers(min_value=-20, max_value=60),
    cap=st.sampled_from([None, 3000, 6000, 20000]),
)
def test_every_suggestion_near_the_limits_is_feasible_or_says_no_route(
    staff: Decimal, tech_share: int, sales: int, rd_permille: int, hitech_share: int, growth: int, cap: int | None
) -> None:
    """Firms around the 500-staff and 2亿 limits, the 10 % tech-staff and R&D-band edges, with or without
    a gazelle revenue cap (万元)."""
    from kechuang.engines.cultivation import GazelleTemplate

    config = BureauConfig(gazelle=GazelleTemplate(last_year_revenue_max=wan(cap) if cap else None))
    tech = (staff * tech_share / 1000).quantize(Decimal("0.1"))
    last = wan(sales)
    prev = (last * 100 / (100 + growth)).quantize(Decimal("0.01"))
    firm = reference(hnte_certificate=None, expert=reference().expert)
    firm = replace_year(firm, 2023, sales_revenue=prev, rd_expense_hnte=prev * rd_permille / 1000,
                        rd_expense_hnte_domestic=prev * rd_permille / 1000)
    firm = replace_year(
        firm,
        2024,
        staff_total_avg=staff,
        tech_staff_avg=tech,
        sales_revenue=last,
        total_revenue=last,
        non_taxable_revenue=Decimal(0),
        hitech_revenue=(last * hitech_share / 100).quantize(Decimal("0.01")),
        rd_expense_hnte=last * rd_permille / 1000,
        rd_expense_hnte_domestic=last * rd_permille / 1000,
        rd_expense_super_deduction=last * rd_permille / 1000,
        total_assets=wan(6000),
    )
    for day in (APPLY, dt.date(2025, 1, 15)):
        _check(assess(firm, day, config), firm, config)
    certified = dataclasses.replace(firm, hnte_certificate=reference().hnte_certificate)
    _check(assess(certified, APPLY, config), certified, config)  # coached towards gazelle


def test_a_suggestion_with_no_route_within_the_rules_says_so() -> None:
    """Gazelle template with a 5,000 万元 revenue cap: the growth that is short (17 % < 20 %) needs last
    year's revenue at 5,184 万元, above the cap, and no change of figures undoes a cap: no route."""
    from kechuang.engines.cultivation import GazelleTemplate

    config = BureauConfig(gazelle=GazelleTemplate(last_year_revenue_max=wan(5000)))
    firm = replace_year(reference(), 2021, sales_revenue_wan=3000)
    result = assess(firm, APPLY, config)
    assert result.next_tier is Tier.GAZELLE and result.gazelle.condition("G-GROWTH").verdict is Verdict.FAIL
    line = next(c for c in result.coaching if c.item_id == "G-GROWTH")
    assert not line.feasible
    assert line.remedy is not None and line.remedy.actionable is False
    assert "没有可行的调整途径" in line.text_zh
    (_, route), = line.routes
    assert route.broken and route.remedies == ()
