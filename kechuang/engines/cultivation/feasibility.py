"""Coaching suggestions checked against every condition of the tier (issue 11 item 17).

A suggestion ("hire 23 technical staff", "raise last year's sales by 300 万元") is a change of the
enterprise's figures. Before coaching emits it, the tier is evaluated again on the figures as changed
(the same exact arithmetic as the evaluators). When the change makes another condition of the tier
worse (PASS → NEEDS_REVIEW / FAIL, or NEEDS_REVIEW → FAIL; e.g. 500 staff + 23 new hires breaks the
tech-SME staff limit of SME-M 国科发政〔2017〕115号 第六条第（二）项), a feasible route is searched:

1. the changes the broken conditions name themselves, made together with the suggestion (e.g. new
   sales raise the HNTE R&D ratio's denominator, so the R&D expense rises with them), when each is
   an actionable change of figures; repeated at most :data:`MAX_ROUNDS` times;
2. for technical staff: reclassifying existing staff as technical staff (they take up R&D or related
   technical work; total staff unchanged) instead of hiring;

otherwise the suggestion is reported as having no route within the tier's rules.

Which figures a suggestion changes (:func:`change_for`), by the remedy's label:

========================================  =====================================================
remedy                                     change of the last fiscal year's row (``Y-1``)
========================================  =====================================================
科技人员（全年平均） n                     tech staff + n and total staff + n (new full-year staff)
现有职工转为科技人员 n                     tech staff + n (reclassified; total unchanged)
研发费用 x                                 R&D + x on the tier's scope (HNTE: also inside China;
                                           tech SME: also the costs total, which includes R&D)
境内研发费用 x                             HNTE R&D + x and domestic R&D + x
高新技术产品（服务）收入 x                 high-tech revenue, total revenue and sales revenue + x
最近一年销售收入 / 营业收入 x              sales revenue and total revenue + x
最近一年净资产 / 净利润 x                  net assets / net profit + x
最近一年职工人数 n                         total staff + n
科技成果转化 n                             achievements transformed + n
Ⅰ类 / Ⅱ类 / 自主研发 / 知识产权 n 件       n self-developed items of that class, in force, owned
========================================  =====================================================

A remedy that is not actionable, has no amount, or is a score (points) is not a change of figures and
is not checked. Only changes that touch a figure some *other* condition of the tier reads can break one (tech SME:
staff, sales, assets; HNTE: sales and total revenue; gazelle: sales); the others are emitted without
re-evaluation (the property tests in ``tests/test_feasibility.py`` re-evaluate every suggestion).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .checks import Quantity, fmt_amount, needed_to_reach
from .config import BureauConfig
from .figures import Acquisition, EnterpriseFigures, FiscalYearFigures, IPItem, IPKind
from .gazelle import evaluate_gazelle
from .hnte import check_hitech_revenue as hnte_check_hitech_revenue
from .hnte import check_rd_ratio as hnte_check_rd_ratio
from .hnte import evaluate_hnte
from .hnte.evaluate import _sum_field as hnte_sum_field
from .hnte.evaluate import _window_rows as hnte_window_rows
from .parameters import RdScope
from .results import ConditionResult, Remedy, Route, Tier, TierResult, Unit, Verdict
from .tsme import check_size as tsme_check_size
from .tsme import evaluate_tsme

__all__ = [
    "MAX_ROUNDS",
    "RECLASSIFY_LABEL",
    "Change",
    "Route",
    "apply_change",
    "change_for",
    "evaluate_tier",
    "route_for",
    "worsened",
]

MAX_ROUNDS = 3
"""How many times the changes named by broken conditions are added before giving up."""
RECLASSIFY_LABEL = "现有职工转为科技人员"
NEW_TECH_STAFF_LABEL = "科技人员（全年平均）"
_RANK = {Verdict.PASS: 2, Verdict.NEEDS_REVIEW: 1, Verdict.FAIL: 0}
_SENSITIVE = {
    # figures that a condition of the tier reads besides the one a suggestion is for
    Tier.TSME: frozenset({"staff_total_avg", "tsme_staff_total", "sales_revenue", "total_assets"}),
    Tier.HNTE: frozenset({"sales_revenue", "total_revenue", "non_taxable_revenue"}),
    Tier.GAZELLE: frozenset({"sales_revenue"}),
}
_IP_KIND = {"Ⅰ类知识产权": IPKind.INVENTION_PATENT}


@dataclass(frozen=True)
class Change:
    """A change of an enterprise's figures.

    Attributes:
        year: the fiscal year whose row changes.
        deltas: field of :class:`.figures.FiscalYearFigures` → amount added (yuan, persons, items).
        ip_items: IP items added.
    """

    year: int
    deltas: Mapping[str, Decimal | int] = dataclasses.field(default_factory=dict)
    ip_items: tuple[IPItem, ...] = ()

    def __add__(self, other: Change) -> Change:
        deltas = dict(self.deltas)
        for name, value in other.deltas.items():
            deltas[name] = deltas.get(name, 0) + value
        return Change(self.year, deltas, self.ip_items + other.ip_items)

    def sensitive(self, tier: Tier) -> bool:
        """``True`` when the change touches a figure another condition of ``tier`` may read (the
        property tests re-evaluate every suggestion, so a figure missing here would show)."""
        names = _SENSITIVE[tier]
        return any(name in names for name in self.deltas)


def evaluate_tier(
    tier: Tier, enterprise: EnterpriseFigures, evaluation_date: dt.date, config: BureauConfig
) -> TierResult:
    """Evaluate one tier (the evaluator of :class:`.results.Tier`)."""
    evaluator = {Tier.TSME: evaluate_tsme, Tier.HNTE: evaluate_hnte, Tier.GAZELLE: evaluate_gazelle}[tier]
    return evaluator(enterprise, evaluation_date, config)


def _staff_fields(tier: Tier, row: FiscalYearFigures, config: BureauConfig) -> tuple[str, str]:
    """(total staff field, tech staff field) the tier's evaluator reads in ``row``."""
    if tier is Tier.TSME:
        fallback = config.tsme_staff_fallback_to_hnte_counting
        staff = "tsme_staff_total" if row.tsme_staff_total is not None or not fallback else "staff_total_avg"
        tech = "tsme_tech_staff" if row.tsme_tech_staff is not None or not fallback else "tech_staff_avg"
        return staff, tech
    return "staff_total_avg", "tech_staff_avg"


def change_for(
    tier: Tier,
    remedy: Remedy | None,
    enterprise: EnterpriseFigures,
    evaluation_date: dt.date,
    config: BureauConfig,
) -> Change | None:
    """The change of figures ``remedy`` stands for in ``tier`` (table in the module docstring), or
    ``None`` when it is not an actionable change of figures (no amount, a score, a flag, a date)."""
    if remedy is None or not remedy.actionable or remedy.amount is None or not remedy.increase:
        return None
    if remedy.unit not in (Unit.YUAN, Unit.PERSON, Unit.ITEM):
        return None
    year = evaluation_date.year - 1
    row = enterprise.year(year)
    label, amount = remedy.label_zh, remedy.amount
    if label.endswith("知识产权"):
        kind = _IP_KIND.get(label, IPKind.SOFTWARE_COPYRIGHT)
        items = tuple(
            IPItem(f"建议新增{label}-{i + 1}", kind, Acquisition.SELF_DEVELOPED) for i in range(int(amount))
        )
        return Change(year, {}, items)
    if row is None:
        return None
    if label == "科技成果转化":
        return Change(year, {"achievements_transformed": int(amount)})
    staff, tech = _staff_fields(tier, row, config)
    if label == NEW_TECH_STAFF_LABEL:
        return Change(year, {tech: amount, staff: amount})
    if label == RECLASSIFY_LABEL:
        return Change(year, {tech: amount})
    if label == "研发费用":
        if tier is Tier.TSME:
            return Change(year, {"rd_expense_super_deduction": amount, "total_costs_and_expenses": amount})
        if tier is Tier.GAZELLE and config.parameters(evaluation_date.year).gazelle_template.rd_scope is (
            RdScope.SUPER_DEDUCTION
        ):
            return Change(year, {"rd_expense_super_deduction": amount})
        return Change(year, {"rd_expense_hnte": amount, "rd_expense_hnte_domestic": amount})
    if label == "境内研发费用":
        return Change(year, {"rd_expense_hnte": amount, "rd_expense_hnte_domestic": amount})
    if label == "高新技术产品（服务）收入":
        return Change(year, {"hitech_revenue": amount, "total_revenue": amount, "sales_revenue": amount})
    if label in ("最近一年销售收入", "最近一年营业收入"):
        return Change(year, {"sales_revenue": amount, "total_revenue": amount})
    if label == "最近一年净资产":
        return Change(year, {"net_assets": amount})
    if label == "最近一年净利润":
        return Change(year, {"net_profit": amount})
    if label == "最近一年职工人数":
        return Change(year, {"staff_total_avg": amount})
    return None


def apply_change(enterprise: EnterpriseFigures, change: Change) -> EnterpriseFigures:
    """``enterprise`` with ``change`` made (unknown figures stay unknown; exact Decimal arithmetic)."""
    rows = []
    for row in enterprise.years:
        if row.year == change.year and change.deltas:
            updates = {}
            for name, delta in change.deltas.items():
                value = getattr(row, name)
                if value is not None:
                    updates[name] = value + delta
            row = dataclasses.replace(row, **updates)
        rows.append(row)
    return dataclasses.replace(
        enterprise, years=tuple(rows), ip_items=enterprise.ip_items + change.ip_items
    )


def worsened(before: TierResult, after: TierResult, *, except_id: str | None = None) -> tuple[ConditionResult, ...]:
    """Conditions of ``after`` whose verdict is worse than in ``before`` (PASS > NEEDS_REVIEW > FAIL).

    The tech-SME direct route (S-D) is an alternative, not a requirement, and is not compared; nor is
    ``except_id`` (the condition the suggestion is for)."""
    old = {c.condition_id: c.verdict for c in before.conditions}
    return tuple(
        c
        for c in after.conditions
        if c.condition_id not in (except_id, "S-D")
        and c.condition_id in old
        and _RANK[c.verdict] < _RANK[old[c.condition_id]]
    )


def _reclassify(
    tier: Tier,
    item_id: str,
    result: TierResult,
    remedy: Remedy,
    enterprise: EnterpriseFigures,
    config: BureauConfig,
) -> Remedy | None:
    """Fewest existing staff to reclassify as technical staff (total unchanged) reaching the ratio the
    suggestion aims at: the condition's threshold when ``item_id`` is a ratio condition, else the ratio
    the suggested hires reach. ``None`` when more staff than there are would be needed."""
    row = enterprise.year(result.evaluation_date.year - 1)
    if row is None:
        return None
    staff_name, tech_name = _staff_fields(tier, row, config)
    staff, tech = getattr(row, staff_name), getattr(row, tech_name)
    if staff is None or tech is None or staff <= 0:
        return None
    target: Fraction | Decimal
    condition = next((c for c in result.conditions if c.condition_id == item_id), None)
    if condition is not None and condition.unit is Unit.RATIO and isinstance(condition.threshold, Decimal):
        target = condition.threshold
    else:
        hires = Fraction(remedy.amount or 0)
        target = (Fraction(tech) + hires) / (Fraction(staff) + hires)
    need = int(needed_to_reach(tech, staff, target, Quantity(RECLASSIFY_LABEL, Unit.PERSON)))
    if condition is None:  # a band hint: the hires' ratio may overshoot the band's bound by a person or two
        while need > 1 and _reaches(
            result, item_id, enterprise, config, Remedy(RECLASSIFY_LABEL, need - 1, Unit.PERSON)
        ):
            need -= 1
    if tech + need > staff:
        return None
    return Remedy(RECLASSIFY_LABEL, need, Unit.PERSON)


def _reaches(
    result: TierResult, item_id: str, enterprise: EnterpriseFigures, config: BureauConfig, remedy: Remedy
) -> bool:
    """Whether ``remedy`` alone makes condition ``item_id`` pass, or score part ``item_id`` reach the
    band its hint names."""
    change = change_for(result.tier, remedy, enterprise, result.evaluation_date, config)
    if change is None:
        return False
    after = evaluate_tier(result.tier, apply_change(enterprise, change), result.evaluation_date, config)
    for cond in after.conditions:
        if cond.condition_id == item_id:
            return cond.verdict is Verdict.PASS
    hint = result.part(item_id).next_band
    return hint is not None and after.part(item_id).score_min >= hint.points_min


def _quick_ok(result: TierResult, enterprise: EnterpriseFigures, change: Change, config: BureauConfig) -> bool:
    """``True`` when the conditions of the tier that read the changed figures (tech SME: the size limits
    S-C2; HNTE: HT-C5 and HT-C6) are no worse on the changed figures, by the evaluators' own checks;
    ``False`` means "evaluate the whole tier". Saves a full evaluation for most suggestions."""
    tier, date = result.tier, result.evaluation_date
    changed = apply_change(enterprise, change)
    rules = config.parameters(date.year)
    row = changed.year(date.year - 1)
    if row is None:
        return False
    if tier is Tier.TSME:
        staff_name, _ = _staff_fields(tier, row, config)
        checks: tuple[ConditionResult, ...] = tsme_check_size(getattr(row, staff_name), row.sales_revenue, row.total_assets, rules.tsme)
    elif tier is Tier.HNTE:
        rows = hnte_window_rows(changed, date, rules.hnte)
        checks = (
            hnte_check_rd_ratio(
                hnte_sum_field(rows, "rd_expense_hnte"), hnte_sum_field(rows, "sales_revenue"),
                row.sales_revenue, rules.hnte,
            ),
            hnte_check_hitech_revenue(row.hitech_revenue, row.total_revenue, row.non_taxable_revenue, rules.hnte),
        )
    else:
        return False
    old = {c.condition_id: c.verdict for c in result.conditions}
    return all(_RANK[c.verdict] >= _RANK[old.get(c.condition_id, Verdict.FAIL)] for c in checks)


def route_for(
    result: TierResult,
    item_id: str,
    remedy: Remedy | None,
    enterprise: EnterpriseFigures,
    config: BureauConfig,
    *,
    always: bool = False,
) -> Route | None:
    """Check one suggestion of ``result``'s tier and find a feasible route (module docstring).

    Args:
        result: the tier's result on ``enterprise``.
        item_id: the condition or score-part id the suggestion is for.
        remedy: the suggested change.
        always: re-evaluate even when the change touches no figure another condition reads.

    Returns:
        ``None`` when ``remedy`` is not a change of figures; else a :class:`Route` (feasible as is,
        feasible with other changes, or no route).
    """
    date, tier = result.evaluation_date, result.tier
    change = change_for(tier, remedy, enterprise, date, config)
    if change is None or remedy is None:
        return None
    if not (always or change.sensitive(tier)):
        return Route(True, (remedy,))
    if not always and _quick_ok(result, enterprise, change, config):
        return Route(True, (remedy,))
    after = evaluate_tier(tier, apply_change(enterprise, change), date, config)
    broken = worsened(result, after, except_id=item_id)
    if not broken:
        return Route(True, (remedy,))
    names = tuple(dict.fromkeys(c.name_zh for c in broken))
    # 1. add what the broken conditions name themselves
    remedies, total = [remedy], change
    for _ in range(MAX_ROUNDS):
        extra: list[tuple[Remedy, Change]] = []
        for cond in broken:
            more = change_for(tier, cond.remedy, enterprise, date, config)
            if more is None or cond.remedy is None:
                extra = []
                break
            extra.append((cond.remedy, more))
        if not extra:
            break
        for more_remedy, more in extra:
            remedies.append(more_remedy)
            total = total + more
        after = evaluate_tier(tier, apply_change(enterprise, total), date, config)
        broken = worsened(result, after, except_id=item_id)
        if not broken:
            also = "、".join(f"{r.label_zh}增加 {fmt_amount(r.amount or 0, r.unit, round_up=True)}" for r in remedies[1:])
            return Route(
                True,
                tuple(remedies),
                names,
                f"按此建议将使“{'、'.join(names)}”不再符合，须同时{also}",
            )
    # 2. technical staff: reclassify existing staff instead of hiring
    if remedy.label_zh == NEW_TECH_STAFF_LABEL:
        swap = _reclassify(tier, item_id, result, remedy, enterprise, config)
        if swap is not None:
            change = change_for(tier, swap, enterprise, date, config)
            assert change is not None
            after = evaluate_tier(tier, apply_change(enterprise, change), date, config)
            if not worsened(result, after, except_id=item_id):
                return Route(
                    True,
                    (swap,),
                    names,
                    f"新增 {fmt_amount(remedy.amount or 0, Unit.PERSON)}将使“{'、'.join(names)}”不再符合；"
                    f"可行做法：将现有职工中 {fmt_amount(swap.amount or 0, Unit.PERSON)}调整为从事研发和相关"
                    "技术创新活动的科技人员（职工总数不变）",
                )
    return Route(
        False,
        (),
        names,
        f"按此建议将使“{'、'.join(names)}”不再符合，在本梯度的条件内没有可行的调整途径",
    )
