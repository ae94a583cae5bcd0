"""Building blocks shared by the tier evaluators: ratio checks with their smallest change,
missing-data and flag checks, incident look-backs, band hints.

Every function returns a :class:`.results.ConditionResult`; none raises on business data (a missing
figure gives ``NEEDS_REVIEW(MISSING_DATA)``). Comparisons are exact (see :mod:`.arithmetic`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .arithmetic import (
    add_years,
    ceil_persons,
    ceil_yuan,
    exact,
    fmt_count,
    fmt_pct,
    fmt_wan,
    ratio,
    to_decimal,
)
from .figures import Incident, IncidentKind
from .results import ConditionResult, Reason, Remedy, Unit, Verdict
from .sources import Source

__all__ = [
    "Quantity",
    "score_check",
    "flag_check",
    "fmt_amount",
    "incident_check",
    "missing",
    "needed_to_reach",
    "ratio_check",
    "smallest_at_least",
]


@dataclass(frozen=True)
class Quantity:
    """What the smallest change of a ratio condition adds.

    Attributes:
        label_zh: Chinese name of the figure to raise, e.g. "研发费用".
        unit: :attr:`Unit.YUAN` (rounded up to 0.01 yuan) or :attr:`Unit.PERSON` / :attr:`Unit.ITEM`
            (rounded up to whole units).
        adds_to_denominator: ``True`` when raising the figure raises the denominator too (new tech
            staff also raise total staff; new high-tech revenue also raises total income).
        verb_zh: verb used in the message, e.g. "投入" or "增加".
    """

    label_zh: str
    unit: Unit
    adds_to_denominator: bool = False
    verb_zh: str = "增加"


def fmt_amount(amount: Decimal | int | Fraction, unit: Unit, *, round_up: bool = False) -> str:
    """Chinese text for an amount with its unit: money in 万元, persons / items as counts."""
    if unit is Unit.YUAN:
        return f"{fmt_wan(amount, round_up=round_up)} 万元"
    return f"{fmt_count(amount)} {unit.value}"


def smallest_at_least(bound: Fraction, unit: Unit, *, inclusive: bool = True) -> Decimal | int:
    """Smallest representable amount ``x`` with ``x >= bound`` (``x > bound`` when not inclusive).

    Money is counted in 0.01 yuan, persons and items in whole units; the result is never negative.
    """
    step = Fraction(1, 100) if unit is Unit.YUAN else Fraction(1)
    units = math.floor(bound / step) + 1 if not inclusive else math.ceil(bound / step)
    value = max(units, 0) * step
    return ceil_yuan(value) if unit is Unit.YUAN else ceil_persons(value)


def needed_to_reach(
    numerator: Fraction, denominator: Fraction, threshold: Fraction, qty: Quantity, *, inclusive: bool = True
) -> Decimal | int:
    """Smallest addition ``x`` (in ``qty.unit``) with ``(num + x) / (den + x·k) >= threshold``,
    where ``k`` is 1 when ``qty.adds_to_denominator`` else 0 (``>`` when not ``inclusive``).

    Raises:
        ValueError: when ``adds_to_denominator`` and ``threshold >= 1`` (no finite addition exists).
    """
    if qty.adds_to_denominator:
        if threshold >= 1:
            raise ValueError("threshold must be below 1 when the addition raises the denominator")
        bound = (threshold * denominator - numerator) / (1 - threshold)
    else:
        bound = threshold * denominator - numerator
    return smallest_at_least(bound, qty.unit, inclusive=inclusive)


def missing(
    condition_id: str,
    name_zh: str,
    source: Source,
    what_zh: str,
    *,
    threshold: Decimal | int | bool | str | dt.date | None = None,
    comparator: str = ">=",
    unit: Unit = Unit.TEXT,
    reason: Reason = Reason.MISSING_DATA,
) -> ConditionResult:
    """A ``NEEDS_REVIEW`` result for a condition whose figures are missing (``what_zh`` says which)."""
    return ConditionResult(
        condition_id=condition_id,
        name_zh=name_zh,
        verdict=Verdict.NEEDS_REVIEW,
        reason=reason,
        actual=None,
        threshold=threshold,
        comparator=comparator,
        unit=unit,
        source=source,
        message_zh=f"{name_zh}：{what_zh}，无法判定",
    )


def ratio_check(
    *,
    condition_id: str,
    name_zh: str,
    source: Source,
    reason: Reason,
    numerator: Decimal | int | None,
    denominator: Decimal | int | None,
    threshold: Decimal,
    qty: Quantity,
    figures: dict[str, object],
    missing_zh: str = "数据缺失",
) -> ConditionResult:
    """Check ``numerator / denominator >= threshold`` ("不低于", inclusive) and name the smallest change.

    Args:
        condition_id, name_zh, source, reason: identify the condition and its FAIL code.
        numerator, denominator: the figures (same unit), ``None`` when missing.
        threshold: minimum ratio (fraction).
        qty: what the remedy adds (see :class:`Quantity`).
        figures: input figures to record in the result.
        missing_zh: message when a figure is missing or the denominator is not positive.

    Returns:
        PASS, FAIL(``reason``) with a :class:`Remedy`, or NEEDS_REVIEW(MISSING_DATA).
    """
    if numerator is None or denominator is None or exact(denominator) <= 0:
        return missing(condition_id, name_zh, source, missing_zh, threshold=threshold, unit=Unit.RATIO)
    value = ratio(numerator, denominator)
    assert value is not None
    limit = exact(threshold)
    if value >= limit:
        return ConditionResult(
            condition_id=condition_id,
            name_zh=name_zh,
            verdict=Verdict.PASS,
            reason=None,
            actual=to_decimal(value),
            threshold=threshold,
            comparator=">=",
            unit=Unit.RATIO,
            source=source,
            message_zh=f"{name_zh} {fmt_pct(value)}，不低于 {fmt_pct(threshold, exact_text=True)}",
            figures=figures,
        )
    amount = needed_to_reach(exact(numerator), exact(denominator), limit, qty)
    remedy = Remedy(label_zh=qty.label_zh, amount=amount, unit=qty.unit)
    return ConditionResult(
        condition_id=condition_id,
        name_zh=name_zh,
        verdict=Verdict.FAIL,
        reason=reason,
        actual=to_decimal(value),
        threshold=threshold,
        comparator=">=",
        unit=Unit.RATIO,
        source=source,
        message_zh=(
            f"{name_zh} {fmt_pct(value)}，低于 {fmt_pct(threshold, exact_text=True)}；"
            f"需再{qty.verb_zh}{qty.label_zh} {fmt_amount(amount, qty.unit, round_up=True)}"
        ),
        remedy=remedy,
        figures=figures,
    )


def flag_check(
    *,
    condition_id: str,
    name_zh: str,
    source: Source,
    reason: Reason,
    value: bool | None,
    expected: bool,
    pass_zh: str,
    fail_zh: str,
    missing_zh: str,
    figures: dict[str, object] | None = None,
) -> ConditionResult:
    """Check a yes/no fact: PASS when ``value == expected``, FAIL(``reason``) otherwise (a structural
    fact, so the remedy is not actionable), NEEDS_REVIEW(MISSING_DATA) when ``value is None``."""
    if value is None:
        return missing(
            condition_id, name_zh, source, missing_zh, threshold=expected, comparator="==", unit=Unit.FLAG
        )
    ok = value == expected
    return ConditionResult(
        condition_id=condition_id,
        name_zh=name_zh,
        verdict=Verdict.PASS if ok else Verdict.FAIL,
        reason=None if ok else reason,
        actual=value,
        threshold=expected,
        comparator="==",
        unit=Unit.FLAG,
        source=source,
        message_zh=pass_zh if ok else fail_zh,
        remedy=None if ok else Remedy(label_zh=name_zh, amount=None, unit=Unit.FLAG, actionable=False),
        figures=figures or {},
    )


def incident_check(
    *,
    condition_id: str,
    name_zh: str,
    source: Source,
    reason: Reason,
    incidents: Iterable[Incident] | None,
    kinds: frozenset[IncidentKind],
    window_start: dt.date,
    window_end: dt.date,
    clear_after_years: int | None,
    list_flags: dict[str, bool | None] | None = None,
) -> ConditionResult:
    """Check that no incident of ``kinds`` happened in ``[window_start, window_end]`` and that no
    list flag (e.g. "列入严重违法失信名单") is set.

    Args:
        incidents: known incidents, ``None`` when not checked yet (→ NEEDS_REVIEW(MISSING_DATA)).
        kinds: incident kinds that count.
        window_start, window_end: inclusive dates.
        clear_after_years: when given, the remedy names the first date from which the latest
            incident falls out of a window of that many years (``incident + years + 1 day``).
        list_flags: Chinese list name -> flag (``None`` = unknown → NEEDS_REVIEW).
    """
    flags = list_flags or {}
    if incidents is None or any(v is None for v in flags.values()):
        unknown = "事故及违法记录未核查" if incidents is None else "名单状态未核查"
        return missing(condition_id, name_zh, source, unknown, threshold=0, comparator="==", unit=Unit.ITEM)
    hits = sorted(
        (i for i in incidents if i.kind in kinds and window_start <= i.date <= window_end),
        key=lambda i: i.date,
    )
    listed = [name for name, value in flags.items() if value]
    if not hits and not listed:
        return ConditionResult(
            condition_id=condition_id,
            name_zh=name_zh,
            verdict=Verdict.PASS,
            reason=None,
            actual=0,
            threshold=0,
            comparator="==",
            unit=Unit.ITEM,
            source=source,
            message_zh=f"{name_zh}：{window_start.isoformat()} 至 {window_end.isoformat()} 无相关记录",
        )
    parts = [f"{i.date.isoformat()} {i.kind.value}" for i in hits] + [f"列入{name}" for name in listed]
    until = None
    if hits and clear_after_years is not None and not listed:
        until = add_years(hits[-1].date, clear_after_years) + dt.timedelta(days=1)
    text = f"{name_zh}：存在 {'；'.join(parts)}"
    if until is not None:
        text += f"；自 {until.isoformat()} 起方可再申报"
    return ConditionResult(
        condition_id=condition_id,
        name_zh=name_zh,
        verdict=Verdict.FAIL,
        reason=reason,
        actual=len(hits) + len(listed),
        threshold=0,
        comparator="==",
        unit=Unit.ITEM,
        source=source,
        message_zh=text,
        remedy=Remedy(label_zh="等待记录期满", amount=None, unit=Unit.DATE, actionable=False, until=until),
        figures={"incidents": tuple(parts)},
    )


def score_check(
    *,
    condition_id: str,
    name_zh: str,
    source: Source,
    reason: Reason,
    score_min: int,
    score_max: int,
    need: int,
    review_zh: str,
    remedy_label_zh: str,
) -> ConditionResult:
    """Check a score range against a pass mark (``>= need``); ``remedy_label_zh`` names the score in
    the remedy.

    Returns:
        PASS when ``score_min >= need``; FAIL(``reason``) with the points still missing at the top of
        the range when ``score_max < need``; NEEDS_REVIEW(SCORE_RANGE) otherwise (``review_zh`` says why).

    Raises:
        ValueError: when ``score_min > score_max``.
    """
    if score_min > score_max:
        raise ValueError("score_min must not exceed score_max")
    span = f"{score_min} 分" if score_min == score_max else f"{score_min}–{score_max} 分"
    figures = {"score_min": score_min, "score_max": score_max}

    def _result(
        verdict: Verdict, why: Reason | None, message: str, remedy: Remedy | None = None
    ) -> ConditionResult:
        return ConditionResult(
            condition_id,
            name_zh,
            verdict,
            why,
            score_min,
            need,
            ">=",
            Unit.POINT,
            source,
            message,
            remedy,
            figures,
        )

    if score_min >= need:
        return _result(Verdict.PASS, None, f"{name_zh} {span}，达到 {need} 分")
    if score_max < need:
        short = need - score_max
        return _result(
            Verdict.FAIL,
            reason,
            f"{name_zh} {span}，低于 {need} 分；至少还差 {short} 分",
            Remedy(remedy_label_zh, short, Unit.POINT),
        )
    return _result(
        Verdict.NEEDS_REVIEW,
        Reason.SCORE_RANGE,
        f"{name_zh} {span}，区间跨越 {need} 分，{review_zh}；按下限计还差 {need - score_min} 分",
    )
