"""HNTE innovation score part D (企业成长性, HT-G): growth-rate arithmetic in exact integers and the D1 / D2
bands."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import NamedTuple

from ..arithmetic import fmt_pct_q, q, q_decimal
from ..checks import (
    fmt_amount,
    smallest_at_least_q,
)
from ..config import (
    BureauConfig,
    GrowthNegativeFirstYear,
    GrowthTwoOperatingYears,
)
from ..figures import (
    ExpertInput,
)
from ..parameters import Band, HnteParameters, band_index_q
from ..results import (
    Basis,
    Deferred,
    NextBand,
    Reason,
    Remedy,
    ScorePart,
    Unit,
)
from .score import (
    _band_hint,
    _expert_override,
    _sum_part,
)
from .shared import (
    _DEFAULT_CONFIG,
    _g,
)


@dataclass(frozen=True)
class GrowthRate:
    """A growth rate under the HT-G formula and its edge rules.

    Attributes:
        rate: the rate (exact fraction), or ``None`` when the rules give 0 points outright.
        formula: ``"MEAN_TWO_RATIOS"`` (((V2/V1)+(V3/V2))/2−1), ``"LAST_TWO_YEARS"`` (V3/V2−1),
            ``"SINGLE_PERIOD"`` (two operating years: V2/V1−1) or ``"ZERO"``.
        note_zh: Chinese note on the rule applied.
        review: a :class:`.results.Reason` when a person must check, else ``None``.
    """

    rate: Fraction | None
    formula: str
    note_zh: str
    review: Reason | None = None


def growth_rate(
    values: Sequence[Decimal | None],
    negative_first: GrowthNegativeFirstYear = GrowthNegativeFirstYear.LAST_TWO_YEARS_NEEDS_REVIEW,
    two_years: GrowthTwoOperatingYears = GrowthTwoOperatingYears.SINGLE_RATE,
) -> GrowthRate:
    """Growth rate of HT-G part D for the values of the operating years in the window, oldest first.

    Formula (HT-G): ``((V2/V1) + (V3/V2)) / 2 − 1``. Edge rules (spec §1.3 D [M/L]): year-1 = 0 → V3/V2 − 1;
    year-2 = 0 → 0 points; year-1 negative → V3/V2 − 1 with NEEDS_REVIEW (or 0 points, by config);
    year-2 negative → 0 points with NEEDS_REVIEW (the engine's choice: the formula is meaningless);
    two operating years → V2/V1 − 1 (or 0 by config), 0 points when V1 ≤ 0; one year → 0 points.

    Args:
        values: 1–3 values (yuan), ``None`` for a missing figure.

    Returns:
        :class:`GrowthRate`; ``review`` is MISSING_DATA when a value is missing.
    """
    growth = _growth(values, negative_first, two_years)
    rate = None if growth.rate is None else Fraction(*growth.rate)
    return GrowthRate(rate, growth.formula, growth.note_zh, growth.review)


class _Growth(NamedTuple):
    """:class:`GrowthRate` in integers: ``rate`` as ``(numerator, denominator)``; ``scaled`` the values
    times ``scale`` (one common factor making every value an ``int``)."""

    rate: tuple[int, int] | None
    formula: str
    note_zh: str
    review: Reason | None = None
    scaled: tuple[int, ...] = ()
    scale: int = 1


def _scaled_ints(values: Sequence[Decimal | int]) -> tuple[tuple[int, ...], int]:
    """``(values × L, L)`` with ``L`` the least common denominator, so every scaled value is an ``int``."""
    pairs = [q(v) for v in values]
    scale = math.lcm(*[d for _, d in pairs])
    return tuple([n * (scale // d) for n, d in pairs]), scale


def _growth(
    values: Sequence[Decimal | None],
    negative_first: GrowthNegativeFirstYear,
    two_years: GrowthTwoOperatingYears,
) -> _Growth:
    """:func:`growth_rate` on exact integers (ratios do not depend on the common scale)."""
    if None in values:
        return _Growth(None, "ZERO", "数据缺失", Reason.MISSING_DATA)
    vals, scale = _scaled_ints([v for v in values if v is not None])
    if len(vals) == 3:
        v1, v2, v3 = vals
        if v2 == 0:
            return _Growth(None, "ZERO", "第二年数值为 0，计 0 分")
        if v2 < 0:
            return _Growth(None, "ZERO", "第二年数值为负，暂计 0 分，需人工复核", Reason.NEGATIVE_BASE)
        if v1 == 0:
            return _Growth((v3 - v2, v2), "LAST_TWO_YEARS", "第一年数值为 0，按后两年计算", None, vals, scale)
        if v1 < 0:
            if negative_first is GrowthNegativeFirstYear.ZERO:
                return _Growth(None, "ZERO", "第一年数值为负，按配置计 0 分")
            return _Growth(
                (v3 - v2, v2),
                "LAST_TWO_YEARS",
                "第一年数值为负，按后两年计算，需人工复核",
                Reason.NEGATIVE_BASE,
                vals,
                scale,
            )
        # ((v2/v1) + (v3/v2)) / 2 − 1 = (v2² + v3·v1 − 2·v1·v2) / (2·v1·v2)
        rate = (v2 * v2 + v3 * v1 - 2 * v1 * v2, 2 * v1 * v2)
        return _Growth(rate, "MEAN_TWO_RATIOS", "", None, vals, scale)
    if len(vals) == 2:
        if two_years is GrowthTwoOperatingYears.ZERO:
            return _Growth(None, "ZERO", "经营不足三年，按配置计 0 分")
        v1, v2 = vals
        if v1 == 0:
            return _Growth(None, "ZERO", "经营两年且首年数值为 0，计 0 分")
        if v1 < 0:
            return _Growth(
                None, "ZERO", "经营两年且首年数值为负，暂计 0 分，需人工复核", Reason.NEGATIVE_BASE
            )
        return _Growth((v2 - v1, v1), "SINGLE_PERIOD", "经营两年，按实际经营期计算", None, vals, scale)
    return _Growth(None, "ZERO", "经营不足两年，计 0 分")


def _growth_needed(growth: _Growth, target: tuple[int, int]) -> tuple[int, int]:
    """Increase of the last year's value (yuan, as ``(numerator, denominator)``) giving exactly the rate
    ``target`` under ``growth.formula``."""
    tn, td = target
    vals, scale = growth.scaled, growth.scale
    last = vals[-1]
    if growth.formula == "MEAN_TWO_RATIOS":
        v1, v2, _ = vals
        # v2 · (2·(1 + t) − v2/v1) − v3
        return v2 * (2 * (td + tn) * v1 - v2 * td) - last * td * v1, td * v1 * scale
    # V_{-2} · (1 + t) − V_last
    return vals[-2] * (td + tn) - last * td, td * scale


def score_growth_item(
    item_id: str,
    name_zh: str,
    figure_zh: str,
    values: Sequence[Decimal | None],
    params: HnteParameters,
    config: BureauConfig | None = None,
) -> ScorePart:
    """One growth item of HT-G part D (max 10): bands r ≥ 35 % A [9, 10]; ≥ 25 % B [7, 8]; ≥ 15 % C
    [5, 6]; ≥ 5 % D [3, 4]; > 0 E [1, 2]; ≤ 0 F 0 (see :func:`growth_rate` for the formula).

    Args:
        item_id: ``"D1"`` (net assets) or ``"D2"`` (sales revenue).
        name_zh: Chinese item name; ``figure_zh``: Chinese name of the figure.
        values: values of the operating years in the window, oldest first (yuan).

    Returns:
        ScorePart with the increase of the most recent year's figure that would reach the next band.
    """
    config = config or _DEFAULT_CONFIG
    top = params.item_max[item_id]
    source = _g(f"企业成长性（{name_zh}）")
    growth = _growth(values, config.growth_negative_first_year, config.growth_two_operating_years)
    if growth.rate is None:
        return ScorePart(
            item_id,
            name_zh,
            top,
            0,
            0,
            "F",
            Basis.COMPUTED,
            None,
            source,
            f"{name_zh}：{growth.note_zh}",
            review=growth.review,
        )
    rate_n, rate_d = growth.rate
    bands = params.growth_bands
    index = band_index_q(bands, rate_n, rate_d)
    band = bands[index]
    next_band = Deferred(_growth_next_band, growth, bands[index - 1], figure_zh) if index > 0 else None
    return ScorePart(
        item_id,
        name_zh,
        top,
        band.points_min,
        band.points_max,
        band.label,
        Basis.COMPUTED,
        q_decimal(rate_n, rate_d),
        source,
        partial(_growth_text, name_zh, rate_n, rate_d, band, growth.note_zh),
        review=growth.review,
        next_band=next_band,
    )


def _growth_next_band(growth: _Growth, target: Band, figure_zh: str) -> NextBand:
    """Increase of the most recent year's figure reaching the band ``target``."""
    need_n, need_d = _growth_needed(growth, target.bound_q or (0, 1))
    amount = smallest_at_least_q(need_n, need_d, Unit.YUAN, inclusive=target.inclusive)
    return _band_hint(
        target,
        Remedy(f"最近一年{figure_zh}", amount, Unit.YUAN),
        partial(_growth_hint_text, figure_zh, amount),
    )


def _growth_hint_text(figure_zh: str, amount: Decimal | int) -> str:
    return f"最近一年{figure_zh}再增加 {fmt_amount(amount, Unit.YUAN, round_up=True)}"


def _growth_text(name_zh: str, rate_n: int, rate_d: int, band: Band, note_zh: str) -> str:
    note = f"（{note_zh}）" if note_zh else ""
    return f"{name_zh} {fmt_pct_q(rate_n, rate_d)}，{band.label} 档（{band.points_min}–{band.points_max} 分）{note}"


def score_growth(
    net_assets: Sequence[Decimal | None],
    sales: Sequence[Decimal | None],
    params: HnteParameters,
    config: BureauConfig | None = None,
    expert: ExpertInput | None = None,
) -> ScorePart:
    """HT-G part D 企业成长性 (max 20) = D1 net-asset growth (≤10) + D2 sales growth (≤10).

    Args:
        net_assets: year-end net assets of the operating years in the window, oldest first (yuan).
        sales: sales revenue of the same years (yuan).
    """
    expert = expert or ExpertInput()
    children = (
        _expert_override(
            score_growth_item("D1", "净资产增长率", "净资产", net_assets, params, config), expert
        ),
        _expert_override(
            score_growth_item("D2", "销售收入增长率", "销售收入", sales, params, config), expert
        ),
    )
    return _expert_override(_sum_part("D", "企业成长性", params, children, _g("企业成长性")), expert)
