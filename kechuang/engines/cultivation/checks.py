"""Building blocks shared by the tier evaluators: ratio checks with their smallest change,
missing-data and flag checks, incident look-backs, band hints.

Every function returns a :class:`.results.ConditionResult`; none raises on business data (a missing
figure gives ``NEEDS_REVIEW(MISSING_DATA)``). Comparisons are exact (see :mod:`.arithmetic`): values
are kept as ``int`` pairs ``(numerator, denominator)``; the ``*_q`` functions take such pairs.
Messages are built when first read (see :class:`.results.LazyText`).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache, partial

from .arithmetic import add_years, fmt_count, fmt_pct, fmt_pct_q, fmt_wan, q, q_ceil, q_decimal
from .figures import Incident, IncidentKind
from .results import ConditionResult, Reason, Remedy, Unit, Verdict
from .sources import Source

__all__ = [
    "Quantity",
    "score_check",
    "flag_check",
    "fmt_amount",
    "incident_check",
    "memo",
    "missing",
    "needed_to_reach",
    "needed_to_reach_q",
    "ratio_check",
    "smallest_at_least",
    "smallest_at_least_q",
]


MEMO_LIMIT = 4096
"""Most entries a :func:`memo` cache takes (beyond it, results are computed but not kept)."""


def memo(owner: object) -> dict[object, object]:
    """A cache of results for an immutable parameters object ``owner``.

    Results that depend only on a few small inputs (counts, flags, a score range) and on the rule
    parameters are kept here and shared: results are immutable, so one object can serve every
    enterprise with the same inputs. The cache is kept beside ``owner`` (not in it: equality, ``repr``,
    ``replace`` and ``pickle`` of the parameters do not see it) and dropped with it; callers store at
    most :data:`MEMO_LIMIT` entries.
    """
    key = id(owner)
    cache = _MEMOS.get(key)
    if cache is None:
        cache = _MEMOS[key] = {}
        weakref.finalize(owner, _MEMOS.pop, key, None)
    return cache


_MEMOS: dict[int, dict[object, object]] = {}


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


def smallest_at_least(
    bound: Fraction | Decimal | int, unit: Unit, *, inclusive: bool = True
) -> Decimal | int:
    """Smallest representable amount ``x`` with ``x >= bound`` (``x > bound`` when not inclusive).

    Money is counted in 0.01 yuan, persons and items in whole units; the result is never negative.
    """
    return smallest_at_least_q(*q(bound), unit, inclusive=inclusive)


def smallest_at_least_q(
    numerator: int, denominator: int, unit: Unit, *, inclusive: bool = True
) -> Decimal | int:
    """:func:`smallest_at_least` of the bound ``numerator / denominator`` (``denominator > 0``).

    Returns:
        Yuan as a ``Decimal`` with two decimals (e.g. ``Decimal("1220000.00")``), else an ``int``.
    """
    if unit is Unit.YUAN:
        numerator *= 100  # count in 分
    units = q_ceil(numerator, denominator) if inclusive else numerator // denominator + 1
    if units < 0:
        units = 0
    return Decimal(units).scaleb(-2) if unit is Unit.YUAN else units


def needed_to_reach(
    numerator: Fraction | Decimal | int,
    denominator: Fraction | Decimal | int,
    threshold: Fraction | Decimal | int,
    qty: Quantity,
    *,
    inclusive: bool = True,
) -> Decimal | int:
    """Smallest addition ``x`` (in ``qty.unit``) with ``(num + x) / (den + x·k) >= threshold``,
    where ``k`` is 1 when ``qty.adds_to_denominator`` else 0 (``>`` when not ``inclusive``).

    Raises:
        ValueError: when ``adds_to_denominator`` and ``threshold >= 1`` (no finite addition exists).
    """
    return needed_to_reach_q(q(numerator), q(denominator), q(threshold), qty, inclusive=inclusive)


def needed_to_reach_q(
    numerator: tuple[int, int],
    denominator: tuple[int, int],
    threshold: tuple[int, int],
    qty: Quantity,
    *,
    inclusive: bool = True,
) -> Decimal | int:
    """:func:`needed_to_reach` on exact ``(numerator, denominator)`` pairs (denominators > 0)."""
    nn, nd = numerator
    dn, dd = denominator
    tn, td = threshold
    # bound = threshold × den − num, over the common denominator td·dd·nd
    top = tn * dn * nd - nn * td * dd
    bottom = td * dd * nd
    if qty.adds_to_denominator:
        if tn >= td:
            raise ValueError("threshold must be below 1 when the addition raises the denominator")
        top *= td  # ÷ (1 − threshold) = × td / (td − tn)
        bottom *= td - tn
    return smallest_at_least_q(top, bottom, qty.unit, inclusive=inclusive)


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
    if numerator is None or denominator is None:
        return missing(condition_id, name_zh, source, missing_zh, threshold=threshold, unit=Unit.RATIO)
    den = q(denominator)
    if den[0] <= 0:
        return missing(condition_id, name_zh, source, missing_zh, threshold=threshold, unit=Unit.RATIO)
    num = q(numerator)
    limit = q(threshold)
    value_n, value_d = num[0] * den[1], num[1] * den[0]
    if value_n * limit[1] >= limit[0] * value_d:
        return ConditionResult(
            condition_id,
            name_zh,
            Verdict.PASS,
            None,
            q_decimal(value_n, value_d),
            threshold,
            ">=",
            Unit.RATIO,
            source,
            partial(_ratio_text, name_zh, value_n, value_d, threshold, None, None),
            None,
            figures,
        )
    amount = needed_to_reach_q(num, den, limit, qty)
    return ConditionResult(
        condition_id,
        name_zh,
        Verdict.FAIL,
        reason,
        q_decimal(value_n, value_d),
        threshold,
        ">=",
        Unit.RATIO,
        source,
        partial(_ratio_text, name_zh, value_n, value_d, threshold, qty, amount),
        Remedy(qty.label_zh, amount, qty.unit),
        figures,
    )


def _ratio_text(
    name_zh: str,
    value_n: int,
    value_d: int,
    threshold: Decimal,
    qty: Quantity | None,
    amount: Decimal | int | None,
) -> str:
    """Message of :func:`ratio_check`: the ratio against the threshold and, for a FAIL, the change."""
    shown = f"{name_zh} {fmt_pct_q(value_n, value_d)}"
    limit = fmt_pct(threshold, exact_text=True)
    if qty is None or amount is None:
        return f"{shown}，不低于 {limit}"
    return (
        f"{shown}，低于 {limit}；"
        f"需再{qty.verb_zh}{qty.label_zh} {fmt_amount(amount, qty.unit, round_up=True)}"
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
    if incidents is None or None in flags.values():
        unknown = "事故及违法记录未核查" if incidents is None else "名单状态未核查"
        return missing(condition_id, name_zh, source, unknown, threshold=0, comparator="==", unit=Unit.ITEM)
    hits = (
        sorted(
            (i for i in incidents if i.kind in kinds and window_start <= i.date <= window_end),
            key=lambda i: i.date,
        )
        if incidents
        else []
    )
    listed = [name for name, value in flags.items() if value] if True in flags.values() else []
    if not hits and not listed:
        return _no_record(condition_id, name_zh, source, window_start, window_end)
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


@lru_cache(maxsize=4096)
def _no_record(
    condition_id: str, name_zh: str, source: Source, window_start: dt.date, window_end: dt.date
) -> ConditionResult:
    """PASS of :func:`incident_check` (shared: it depends only on the arguments)."""
    return ConditionResult(
        condition_id,
        name_zh,
        Verdict.PASS,
        None,
        0,
        0,
        "==",
        Unit.ITEM,
        source,
        lambda: f"{name_zh}：{window_start.isoformat()} 至 {window_end.isoformat()} 无相关记录",
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
    remedy = None
    if score_min >= need:
        verdict, why = Verdict.PASS, None
    elif score_max < need:
        verdict, why = Verdict.FAIL, reason
        remedy = Remedy(remedy_label_zh, need - score_max, Unit.POINT)
    else:
        verdict, why = Verdict.NEEDS_REVIEW, Reason.SCORE_RANGE
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
        partial(_score_text, name_zh, score_min, score_max, need, review_zh),
        remedy,
        {"score_min": score_min, "score_max": score_max},
    )


def _score_text(name_zh: str, score_min: int, score_max: int, need: int, review_zh: str) -> str:
    """Message of :func:`score_check`."""
    span = f"{score_min} 分" if score_min == score_max else f"{score_min}–{score_max} 分"
    if score_min >= need:
        return f"{name_zh} {span}，达到 {need} 分"
    if score_max < need:
        return f"{name_zh} {span}，低于 {need} 分；至少还差 {need - score_max} 分"
    return f"{name_zh} {span}，区间跨越 {need} 分，{review_zh}；按下限计还差 {need - score_min} 分"
