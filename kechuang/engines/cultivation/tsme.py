"""Tech SME (科技型中小企业) evaluation: basic conditions, the 100-point score with its tech-staff
gate, and the direct route.

Sources: SME-M = 《科技型中小企业评价办法》国科发政〔2017〕115号 (arts. 6–8 and annex), cited together with
SME-G = 《科技型中小企业评价服务工作指引》国科火字〔2022〕67号 (spec ``cultivation_rules.md`` §2; §2.0 on
the citation). Data basis: the previous fiscal year ``Y-1`` for an evaluation in year ``Y`` (SME-M art. 7).

Tier verdict: S-C1 … S-C4 must all pass; then the firm qualifies by score (S-C5: score ≥ 60 **and**
tech-staff points > 0) or by any direct route (SME-M art. 8, regardless of score). When both routes
hold, the result reports the direct route, which does not depend on the score figures. The size
limits (S-C2) apply to the direct route too (spec T15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache, partial
from typing import cast

from .arithmetic import add_years, fmt_pct, fmt_pct_q, q, q_decimal
from .checks import (
    MEMO_LIMIT,
    Quantity,
    fmt_amount,
    incident_check,
    memo,
    missing,
    needed_to_reach_q,
    score_check,
)
from .config import BureauConfig
from .figures import (
    AwardLevel,
    EnterpriseFigures,
    Incident,
    IncidentKind,
    InstitutionLevel,
    IPClass,
    IPItem,
    IPKind,
    StandardKind,
    StandardLevel,
    StandardRole,
    TaxMode,
)
from .parameters import Band, TsmeParameters, band_index_q
from .results import (
    Basis,
    ConditionResult,
    Deferred,
    NextBand,
    Reason,
    Remedy,
    ScorePart,
    Tier,
    TierResult,
    Unit,
    Verdict,
    combine_verdicts,
)
from .sources import sme

__all__ = [
    "check_catalogue",
    "check_credit",
    "check_direct_route",
    "check_resident_books",
    "check_score",
    "check_size",
    "check_tech_staff_gate",
    "direct_routes",
    "evaluate_tsme",
    "score_ip",
    "score_rd",
    "score_tech_staff",
    "tsme_ip_items",
]

_ALL_INCIDENTS = frozenset(IncidentKind)
_CLASS_OF = {kind: kind.ip_class for kind in IPKind}
_NEW_TECH_STAFF = Quantity("科技人员（全年平均）", Unit.PERSON, adds_to_denominator=True)
_RD_ON_SALES = Quantity("研发费用", Unit.YUAN, adds_to_denominator=False)
_RD_IN_COSTS = Quantity("研发费用", Unit.YUAN, adds_to_denominator=True)


@lru_cache(maxsize=64)
def check_resident_books(
    is_resident: bool | None, registered_in_mainland: bool | None, tax_mode: TaxMode | None
) -> ConditionResult:
    """S-C1: resident enterprise registered in mainland China, taxed on actual books (查账征收)
    (SME-M art. 6(1); 2022+ wording [M]).

    Returns:
        PASS / FAIL(RESIDENT) / FAIL(TAX_MODE) (not actionable) / NEEDS_REVIEW(MISSING_DATA).
    """
    name = "境内注册居民企业且查账征收"
    source = sme("第六条第（一）项")
    if is_resident is None or registered_in_mainland is None or tax_mode is None:
        return missing(
            "S-C1",
            name,
            source,
            "居民企业、注册地或征收方式信息缺失",
            threshold=True,
            comparator="==",
            unit=Unit.FLAG,
        )
    if not (is_resident and registered_in_mainland):
        reason, text = Reason.RESIDENT, "非在中国境内（不含港澳台）注册的居民企业"
    elif tax_mode is not TaxMode.ACTUAL_BOOKS:
        reason, text = Reason.TAX_MODE, f"企业所得税为{tax_mode.value}，须为查账征收"
    else:
        return ConditionResult(
            "S-C1",
            name,
            Verdict.PASS,
            None,
            True,
            True,
            "==",
            Unit.FLAG,
            source,
            "境内注册居民企业，查账征收",
        )
    return ConditionResult(
        "S-C1",
        name,
        Verdict.FAIL,
        reason,
        False,
        True,
        "==",
        Unit.FLAG,
        source,
        text,
        remedy=Remedy(name, None, Unit.FLAG, actionable=False),
        figures={"tax_mode": tax_mode.value},
    )


def _at_most(
    condition_id: str, name_zh: str, value: Decimal | None, limit: Decimal, unit: Unit
) -> ConditionResult:
    source = sme("第六条第（二）项")
    if value is None:
        return missing(condition_id, name_zh, source, "数据缺失", threshold=limit, comparator="<=", unit=unit)
    if value <= limit:
        return ConditionResult(
            condition_id,
            name_zh,
            Verdict.PASS,
            None,
            value,
            limit,
            "<=",
            unit,
            source,
            partial(_at_most_text, name_zh, value, limit, unit, None),
        )
    excess = value - limit
    return ConditionResult(
        condition_id,
        name_zh,
        Verdict.FAIL,
        Reason.SIZE,
        value,
        limit,
        "<=",
        unit,
        source,
        partial(_at_most_text, name_zh, value, limit, unit, excess),
        remedy=Remedy(name_zh, excess, unit, increase=False, actionable=False),
    )


def _at_most_text(name_zh: str, value: Decimal, limit: Decimal, unit: Unit, excess: Decimal | None) -> str:
    if excess is None:
        return f"{name_zh} {fmt_amount(value, unit)}，不超过 {fmt_amount(limit, unit)}"
    return (
        f"{name_zh} {fmt_amount(value, unit)}，超过 {fmt_amount(limit, unit)}"
        f"（超出 {fmt_amount(excess, unit, round_up=True)}），不属于科技型中小企业"
    )


def check_size(
    staff_total: Decimal | None,
    sales_revenue: Decimal | None,
    total_assets: Decimal | None,
    params: TsmeParameters,
) -> tuple[ConditionResult, ConditionResult, ConditionResult]:
    """S-C2: staff ≤ 500, annual sales revenue ≤ 200,000,000 yuan, total assets ≤ 200,000,000 yuan
    (SME-M art. 6(2); "不超过", inclusive). Each is a separate condition with code SIZE.

    Args:
        staff_total: total staff on the tech-SME counting (persons).
        sales_revenue, total_assets: previous fiscal year (yuan).

    Returns:
        ``(S-C2.staff, S-C2.sales, S-C2.assets)``; a FAIL's remedy is the excess (not actionable).
    """
    return (
        _at_most("S-C2.staff", "职工总数", staff_total, params.staff_max, Unit.PERSON),
        _at_most("S-C2.sales", "年销售收入", sales_revenue, params.sales_revenue_max, Unit.YUAN),
        _at_most("S-C2.assets", "资产总额", total_assets, params.total_assets_max, Unit.YUAN),
    )


@lru_cache(maxsize=64)
def check_catalogue(in_restricted_catalogue: bool | None) -> ConditionResult:
    """S-C3: products / services not in the state's prohibited, restricted or phase-out catalogues
    (SME-M art. 6(3)).

    Returns:
        PASS / FAIL(CATALOGUE) (not actionable) / NEEDS_REVIEW(MISSING_DATA).
    """
    name = "产品（服务）不属于国家禁止、限制和淘汰类"
    source = sme("第六条第（三）项")
    if in_restricted_catalogue is None:
        return missing(
            "S-C3", name, source, "未核查产业目录", threshold=False, comparator="==", unit=Unit.FLAG
        )
    if not in_restricted_catalogue:
        return ConditionResult(
            "S-C3",
            name,
            Verdict.PASS,
            None,
            False,
            False,
            "==",
            Unit.FLAG,
            source,
            "不属于禁止、限制和淘汰类",
        )
    return ConditionResult(
        "S-C3",
        name,
        Verdict.FAIL,
        Reason.CATALOGUE,
        True,
        False,
        "==",
        Unit.FLAG,
        source,
        "产品（服务）属于国家禁止、限制或淘汰类",
        remedy=Remedy(name, None, Unit.FLAG, actionable=False),
    )


@lru_cache(maxsize=64)
def _check_excluded_industry(flag: bool | None) -> ConditionResult:
    """S-C3.industry (bureau option): not in an industry excluded from the R&D super deduction
    (one 2023 provincial notice [M]; industries of 财税〔2015〕119号 §4)."""
    name = "不属于不适用研发费用加计扣除的行业"
    source = sme("第六条第（三）项（省级通知补充口径）", confidence="M")
    if flag is None:
        return missing(
            "S-C3.industry", name, source, "未核查行业", threshold=False, comparator="==", unit=Unit.FLAG
        )
    if not flag:
        return ConditionResult(
            "S-C3.industry",
            name,
            Verdict.PASS,
            None,
            False,
            False,
            "==",
            Unit.FLAG,
            source,
            "不属于负面清单行业",
        )
    return ConditionResult(
        "S-C3.industry",
        name,
        Verdict.FAIL,
        Reason.EXCLUDED_INDUSTRY,
        True,
        False,
        "==",
        Unit.FLAG,
        source,
        "属于不适用研发费用加计扣除的行业",
        remedy=Remedy(name, None, Unit.FLAG, actionable=False),
    )


def check_credit(
    incidents: Sequence[Incident] | None,
    abnormal_list: bool | None,
    violation_list: bool | None,
    evaluation_date: dt.date,
) -> ConditionResult:
    """S-C4: in the previous fiscal year and the current year, no major safety or quality accident,
    serious environmental violation, serious fraud or serious research-integrity breach; not on the
    abnormal-operation list or the serious-violation / dishonesty list (SME-M art. 6(4)).

    Window: 1 January of ``Y-1`` to ``evaluation_date``.

    Returns:
        PASS / FAIL(CREDIT) (not actionable) / NEEDS_REVIEW(MISSING_DATA) when not checked.
    """
    return incident_check(
        condition_id="S-C4",
        name_zh="上一会计年度至今无重大事故、严重违法失信记录",
        source=sme("第六条第（四）项"),
        reason=Reason.CREDIT,
        incidents=incidents,
        kinds=_ALL_INCIDENTS,
        window_start=dt.date(evaluation_date.year - 1, 1, 1),
        window_end=evaluation_date,
        clear_after_years=None,
        list_flags={"经营异常名录": abnormal_list, "严重违法失信名单": violation_list},
    )


def score_tech_staff(
    tech_staff: Decimal | None, staff_total: Decimal | None, params: TsmeParameters
) -> ScorePart:
    """Tech-staff score (max 20; SME-M art. 7, annex): tech ÷ total ≥ 30 % → 20; 25–30 % → 16;
    20–25 % → 12; 15–20 % → 8; 10–15 % → 4; < 10 % → 0 (lower bounds inclusive).

    Returns:
        ScorePart ``TECH_STAFF`` with the new full-year tech staff needed for the next band;
        range [0, 20] with NEEDS_REVIEW(MISSING_DATA) when a figure is missing.
    """
    top = params.part_max["TECH_STAFF"]
    source = sme("第七条（科技人员指标）")
    if tech_staff is None or staff_total is None or staff_total <= 0:
        return ScorePart(
            "TECH_STAFF",
            "科技人员指标",
            top,
            0,
            top,
            None,
            Basis.EXPERT_RANGE,
            None,
            source,
            "科技人员指标：人数缺失",
            review=Reason.MISSING_DATA,
        )
    staff_q = q(staff_total)
    tech_q = q(tech_staff)
    value_n, value_d = tech_q[0] * staff_q[1], tech_q[1] * staff_q[0]
    bands = params.tech_staff_bands
    index = band_index_q(bands, value_n, value_d)
    band, target = bands[index], bands[index - 1] if index else None
    hint = None if target is None else Deferred(_tech_staff_next_band, tech_q, staff_q, target)
    return ScorePart(
        "TECH_STAFF",
        "科技人员指标",
        top,
        band.points_min,
        band.points_max,
        band.label,
        Basis.COMPUTED,
        q_decimal(value_n, value_d),
        source,
        partial(_tech_staff_text, value_n, value_d, band.points_min),
        next_band=hint,
    )


def _tech_staff_next_band(tech_q: tuple[int, int], staff_q: tuple[int, int], target: Band) -> NextBand:
    """New full-year tech staff reaching ``target`` (they raise the total too)."""
    assert target.bound_q is not None
    need = needed_to_reach_q(tech_q, staff_q, target.bound_q, _NEW_TECH_STAFF)
    return NextBand(
        target.label,
        target.points_min,
        target.points_max,
        Remedy(_NEW_TECH_STAFF.label_zh, need, Unit.PERSON),
        partial(_tech_staff_hint, need, target.points_min),
    )


def _tech_staff_hint(need: Decimal | int, points: int) -> str:
    return f"再增加科技人员 {fmt_amount(need, Unit.PERSON)}可得 {points} 分"


def _tech_staff_text(value_n: int, value_d: int, points: int) -> str:
    return f"科技人员占比 {fmt_pct_q(value_n, value_d)}，得 {points} 分"


def _metric(
    part_id: str,
    name_zh: str,
    rd: Decimal,
    denominator: Decimal | None,
    bands: Sequence[Band],
    adds: bool,
    top: int,
) -> ScorePart:
    source = sme("第七条（研发投入指标）")
    if denominator is None or denominator <= 0:
        return ScorePart(
            part_id, name_zh, top, 0, 0, None, Basis.COMPUTED, None, source, f"{name_zh}：数据缺失，未计算"
        )
    rd_q = q(rd)
    den_q = q(denominator)
    value_n, value_d = rd_q[0] * den_q[1], rd_q[1] * den_q[0]
    index = band_index_q(bands, value_n, value_d)
    band, target = bands[index], bands[index - 1] if index else None
    hint = None if target is None else Deferred(_metric_next_band, rd_q, den_q, target, adds)
    return ScorePart(
        part_id,
        name_zh,
        top,
        band.points_min,
        band.points_max,
        band.label,
        Basis.COMPUTED,
        q_decimal(value_n, value_d),
        source,
        partial(_metric_text, name_zh, value_n, value_d, band.points_min),
        next_band=hint,
    )


def _metric_next_band(rd_q: tuple[int, int], den_q: tuple[int, int], target: Band, adds: bool) -> NextBand:
    """Extra R&D reaching ``target`` on one metric (it raises the costs total too when ``adds``)."""
    assert target.bound_q is not None
    need = needed_to_reach_q(rd_q, den_q, target.bound_q, _RD_IN_COSTS if adds else _RD_ON_SALES)
    return NextBand(
        target.label,
        target.points_min,
        target.points_max,
        Remedy("研发费用", need, Unit.YUAN),
        partial(_rd_hint, need, target.points_min, ""),
    )


def _rd_next_band(
    rd_q: tuple[int, int],
    metrics: tuple[tuple[ScorePart, Sequence[Band], Quantity, Decimal | None], ...],
    points: int,
) -> NextBand | None:
    """The smaller extra R&D that reaches more than ``points`` by either metric, or ``None``."""
    hints = []
    for metric, bands, qty, den in metrics:
        if den is None or den <= 0:
            continue
        higher = [b for b in bands if b.points_min > points and b.bound_q is not None]
        if higher:
            target = higher[-1]
            assert target.bound_q is not None
            need = needed_to_reach_q(rd_q, q(den), target.bound_q, qty)
            hints.append((need, target, metric.name_zh))
    if not hints:
        return None
    need, target, metric_name = min(hints, key=lambda h: h[0])
    return NextBand(
        target.label,
        target.points_min,
        target.points_max,
        Remedy("研发费用", need, Unit.YUAN),
        partial(_rd_hint, need, target.points_min, metric_name),
    )


def _rd_hint(need: Decimal | int, points: int, metric_zh: str) -> str:
    via = f"（按{metric_zh}）" if metric_zh else ""
    return f"再投入研发费用 {fmt_amount(need, Unit.YUAN, round_up=True)}{via}可得 {points} 分"


def _metric_text(name_zh: str, value_n: int, value_d: int, points: int) -> str:
    return f"{name_zh} {fmt_pct_q(value_n, value_d)}，得 {points} 分"


def score_rd(
    rd_expense: Decimal | None,
    sales_revenue: Decimal | None,
    total_costs: Decimal | None,
    params: TsmeParameters,
) -> ScorePart:
    """R&D-input score (max 50; SME-M art. 7, annex): the firm picks one of two metrics; the engine
    computes both and takes the higher (spec §2.2).

    (1) R&D ÷ sales revenue: ≥ 6 % → 50; 5–6 % → 40; 4–5 % → 30; 3–4 % → 20; 2–3 % → 10; < 2 % → 0.
    (2) R&D ÷ total costs and expenses: ≥ 30 % → 50; 25–30 % → 40; 20–25 % → 30; 15–20 % → 20;
    10–15 % → 10; < 10 % → 0. R&D is taken to be part of the costs total, so extra R&D raises both.

    Args:
        rd_expense: R&D expense on the super-deduction scope (RD-119), yuan.
        sales_revenue, total_costs: yuan; a missing denominator leaves that metric out.

    Returns:
        ScorePart ``RD`` with children ``RD1`` and ``RD2``; the hint is the smaller extra R&D that
        reaches the next points level by either metric.
    """
    top = params.part_max["RD"]
    source = sme("第七条（研发投入指标）")
    if rd_expense is None or (
        (sales_revenue is None or sales_revenue <= 0) and (total_costs is None or total_costs <= 0)
    ):
        return ScorePart(
            "RD",
            "研发投入指标",
            top,
            0,
            top,
            None,
            Basis.EXPERT_RANGE,
            None,
            source,
            "研发投入指标：研发费用、销售收入或成本费用缺失",
            review=Reason.MISSING_DATA,
        )
    m1 = _metric(
        "RD1", "研发费用占销售收入比例", rd_expense, sales_revenue, params.rd_sales_bands, False, top
    )
    m2 = _metric(
        "RD2", "研发费用占成本费用支出总额比例", rd_expense, total_costs, params.rd_cost_bands, True, top
    )
    best = m1 if m1.score_min >= m2.score_min else m2
    points = best.score_min
    metrics = (
        (m1, params.rd_sales_bands, _RD_ON_SALES, sales_revenue),
        (m2, params.rd_cost_bands, _RD_IN_COSTS, total_costs),
    )
    hint = Deferred(_rd_next_band, q(rd_expense), metrics, points)
    return ScorePart(
        "RD",
        "研发投入指标",
        top,
        points,
        points,
        best.band,
        Basis.COMPUTED,
        best.actual,
        source,
        partial(_rd_best_text, best.name_zh, best.score_min),
        next_band=hint,
        children=(m1, m2),
    )


def _rd_best_text(name_zh: str, points: int) -> str:
    return f"研发投入指标取两项中较高者：{name_zh} {points} 分"


def tsme_ip_items(items: Sequence[IPItem]) -> tuple[IPItem, ...]:
    """IP items that count for the tech-SME score: Class I or II (no trademarks), in force, owned by
    the firm, related to the main products, free of disputes (SME-M annex). Reuse across years is
    allowed, so ``used_in_previous_recognition`` is ignored."""
    return tuple(
        i
        for i in items
        if _CLASS_OF[i.kind] is not None
        and i.in_force
        and i.owned_by_applicant
        and i.related_to_main_products
        and not i.in_dispute
    )


def score_ip(items: Sequence[IPItem], params: TsmeParameters) -> ScorePart:
    """S&T achievements score (max 30; SME-M art. 7, annex): ≥ 1 Class I → 30; Class II ≥ 4 → 24;
    3 → 18; 2 → 12; 1 → 6; none → 0.

    Returns:
        ScorePart ``IP`` with the Class II items (or one Class I item) needed for the next level.
    """
    valid = tsme_ip_items(items)
    n1 = sum(1 for i in valid if _CLASS_OF[i.kind] is IPClass.I)
    n2 = len(valid) - n1
    cache = memo(params)
    key = ("IP", n1, n2)
    part = cache.get(key)
    if part is None:
        part = _score_ip(n1, n2, params)
        if len(cache) < MEMO_LIMIT:
            cache[key] = part
    return part  # type: ignore[return-value]


def _score_ip(n1: int, n2: int, params: TsmeParameters) -> ScorePart:
    top = params.part_max["IP"]
    source = sme("第七条（科技成果指标）")
    if n1 >= 1:
        return ScorePart(
            "IP",
            "科技成果指标",
            top,
            params.ip_class_i_points,
            params.ip_class_i_points,
            "A",
            Basis.COMPUTED,
            n1 + n2,
            source,
            lambda: f"拥有Ⅰ类知识产权 {n1} 件，得 {params.ip_class_i_points} 分",
        )
    bands = params.ip_class_ii_bands
    index = band_index_q(bands, n2, 1)
    band, target = bands[index], bands[index - 1] if index else None
    if target is not None:
        need = int(target.lower or 0) - n2
        hint = NextBand(
            target.label,
            target.points_min,
            target.points_max,
            Remedy("Ⅱ类知识产权", need, Unit.ITEM),
            f"再取得 {need} 件Ⅱ类知识产权可得 {target.points_min} 分，或取得 1 件Ⅰ类知识产权可得 "
            f"{params.ip_class_i_points} 分",
        )
    else:
        hint = NextBand(
            "A",
            params.ip_class_i_points,
            params.ip_class_i_points,
            Remedy("Ⅰ类知识产权", 1, Unit.ITEM),
            f"取得 1 件Ⅰ类知识产权可得 {params.ip_class_i_points} 分",
        )
    return ScorePart(
        "IP",
        "科技成果指标",
        top,
        band.points_min,
        band.points_max,
        band.label,
        Basis.COMPUTED,
        n2,
        source,
        lambda: f"Ⅰ类知识产权 0 件、Ⅱ类知识产权 {n2} 件，得 {band.points_min} 分",
        next_band=hint,
    )


def check_score(score_min: int, score_max: int, params: TsmeParameters) -> ConditionResult:
    """S-C5 (score): evaluation score ≥ 60 (SME-M art. 6(5)).

    Returns:
        PASS when ``score_min >= 60``; FAIL(SCORE) with the points missing when ``score_max < 60``;
        NEEDS_REVIEW(SCORE_RANGE) otherwise (only when a part's figures are missing).
    """
    cache = memo(params)
    key = ("S-C5.score", score_min, score_max)
    result = cache.get(key)
    if result is None:
        result = score_check(
            condition_id="S-C5.score",
            name_zh="评价得分",
            source=sme("第六条第（五）项"),
            reason=Reason.SCORE,
            score_min=score_min,
            score_max=score_max,
            need=params.pass_score,
            review_zh="因数据缺失无法确定",
            remedy_label_zh="评价得分",
        )
        if len(cache) < MEMO_LIMIT:
            cache[key] = result
    return result  # type: ignore[return-value]


def check_tech_staff_gate(
    tech_staff: Decimal | None, staff_total: Decimal | None, tech_part: ScorePart, params: TsmeParameters
) -> ConditionResult:
    """S-C5 (gate): the tech-staff points must not be 0, i.e. tech staff ≥ 10 % of total staff
    (SME-M art. 6(5)).

    Returns:
        PASS / FAIL(TECH_STAFF_ZERO) with the new full-year tech staff needed / NEEDS_REVIEW(MISSING_DATA).
    """
    name = "科技人员指标得分不为 0"
    source = sme("第六条第（五）项")
    cache = memo(params)
    gate_band = cast("Band | None", cache.get("gate_band"))  # the memo holds what this function put there
    if gate_band is None:
        gate_band = cache["gate_band"] = next(
            b for b in reversed(params.tech_staff_bands) if b.points_min > 0
        )
    threshold = gate_band.lower or Decimal(0)
    if tech_part.review is not None or tech_staff is None or staff_total is None:
        return missing(
            "S-C5.tech", name, source, "科技人员或职工人数缺失", threshold=threshold, unit=Unit.RATIO
        )
    tech_q = q(tech_staff)
    staff_q = q(staff_total)
    value_n, value_d = tech_q[0] * staff_q[1], tech_q[1] * staff_q[0]
    if tech_part.score_min > 0:
        return ConditionResult(
            "S-C5.tech",
            name,
            Verdict.PASS,
            None,
            q_decimal(value_n, value_d),
            threshold,
            ">=",
            Unit.RATIO,
            source,
            partial(_gate_text, value_n, value_d, tech_part.score_min, threshold, None),
        )
    qty = _NEW_TECH_STAFF
    need = needed_to_reach_q(tech_q, staff_q, q(threshold), qty)
    return ConditionResult(
        "S-C5.tech",
        name,
        Verdict.FAIL,
        Reason.TECH_STAFF_ZERO,
        q_decimal(value_n, value_d),
        threshold,
        ">=",
        Unit.RATIO,
        source,
        partial(_gate_text, value_n, value_d, 0, threshold, need),
        remedy=Remedy(qty.label_zh, need, Unit.PERSON),
        figures={"tech_staff": tech_staff, "staff_total": staff_total},
    )


def _gate_text(value_n: int, value_d: int, points: int, threshold: Decimal, need: Decimal | int | None) -> str:
    shown = f"科技人员占比 {fmt_pct_q(value_n, value_d)}"
    if need is None:
        return f"{shown}，科技人员指标得 {points} 分"
    return (
        f"{shown}，低于 {fmt_pct(threshold, exact_text=True)}，科技人员指标得 0 分，不论总分均不符合；"
        f"需再增加{_NEW_TECH_STAFF.label_zh} {fmt_amount(need, Unit.PERSON)}"
    )


def direct_routes(
    enterprise: EnterpriseFigures, evaluation_date: dt.date, params: TsmeParameters
) -> tuple[tuple[str, str], ...]:
    """The direct routes (SME-M art. 8) the enterprise meets, as ``(code, Chinese description)``.

    Codes: ``HNTE`` (an HNTE certificate valid on the date), ``NATIONAL_AWARD`` (a national S&T award
    within the look-back, ranked within the top 3 award units), ``RD_INSTITUTION`` (an R&D institution
    recognized at provincial / ministerial level or above), ``STANDARD`` (led an international, national
    or industry standard within the look-back). Look-back: events dated on or after the same day
    ``direct_route_lookback_years`` (5) years before ``evaluation_date`` and not after it.
    """
    since = add_years(evaluation_date, -params.direct_route_lookback_years)
    found: list[tuple[str, str]] = []
    cert = enterprise.hnte_certificate
    if cert is not None and cert.is_valid_on(evaluation_date):
        found.append(
            ("HNTE", f"持有有效高新技术企业证书（{cert.number}，有效期至 {cert.valid_until.isoformat()}）")
        )
    for award in enterprise.awards:
        if (
            award.level is AwardLevel.NATIONAL
            and award.rank <= params.direct_award_rank_max
            and since <= award.date <= evaluation_date
        ):
            found.append(("NATIONAL_AWARD", f"近五年获国家级科技奖励并排名前三（{award.title}）"))
            break
    for inst in enterprise.rd_institutions:
        if inst.level in (InstitutionLevel.NATIONAL, InstitutionLevel.PROVINCIAL):
            found.append(("RD_INSTITUTION", f"拥有经认定的省部级以上研发机构（{inst.name}）"))
            break
    for std in enterprise.standards:
        if (
            std.role is StandardRole.LED
            and std.kind is StandardKind.STANDARD
            and std.level in (StandardLevel.INTERNATIONAL, StandardLevel.NATIONAL, StandardLevel.INDUSTRY)
            and since <= std.date <= evaluation_date
        ):
            found.append(("STANDARD", f"近五年主导制定国际、国家或行业标准（{std.title}）"))
            break
    return tuple(found)


def check_direct_route(
    enterprise: EnterpriseFigures, evaluation_date: dt.date, params: TsmeParameters
) -> ConditionResult:
    """S-D: any direct route of SME-M art. 8 (see :func:`direct_routes`). An alternative to S-C5, so a
    FAIL(NO_DIRECT_ROUTE) here does not by itself fail the tier."""
    routes = direct_routes(enterprise, evaluation_date, params)
    name = "直通条件"
    source = sme("第八条")
    if routes:
        return ConditionResult(
            "S-D",
            name,
            Verdict.PASS,
            None,
            routes[0][0],
            "任一直通条件",
            "in",
            Unit.TEXT,
            source,
            "符合直通条件：" + "；".join(text for _, text in routes),
            figures={"routes": tuple(code for code, _ in routes)},
        )
    return ConditionResult(
        "S-D",
        name,
        Verdict.FAIL,
        Reason.NO_DIRECT_ROUTE,
        None,
        "任一直通条件",
        "in",
        Unit.TEXT,
        source,
        "不符合直通条件（有效高企证书、国家级科技奖励前三、省部级以上研发机构、主导制定标准）",
    )


def evaluate_tsme(
    enterprise: EnterpriseFigures, evaluation_date: dt.date, config: BureauConfig | None = None
) -> TierResult:
    """Evaluate ``enterprise`` as a tech SME on ``evaluation_date`` (data of fiscal year ``Y-1``).

    Args:
        enterprise: the enterprise's figures.
        evaluation_date: evaluation date (year ``Y``).
        config: the bureau's choices.

    Returns:
        :class:`.results.TierResult` for :attr:`.results.Tier.TSME` (route ``"SCORE"`` or ``"DIRECT:<code>"``).

    Raises:
        LookupError: when no rule parameters are in force for the year.
    """
    config = config or BureauConfig()
    rules = config.parameters(evaluation_date.year)
    params = rules.tsme
    row = enterprise.year(evaluation_date.year - 1)
    notes: list[str] = []
    staff = tech = None
    if row is not None:
        staff, tech = row.tsme_staff_total, row.tsme_tech_staff
        if (staff is None or tech is None) and config.tsme_staff_fallback_to_hnte_counting:
            if staff is None and row.staff_total_avg is not None:
                staff = row.staff_total_avg
                notes.append("未提供科技型中小企业口径职工总数（6 个月），按高企口径（183 天）人数计算")
            if tech is None and row.tech_staff_avg is not None:
                tech = row.tech_staff_avg
                notes.append("未提供科技型中小企业口径科技人员数（6 个月），按高企口径（183 天）人数计算")
    basic: list[ConditionResult] = [
        check_resident_books(
            enterprise.is_resident_enterprise, enterprise.registered_in_mainland, enterprise.tax_mode
        ),
        *check_size(staff, row.sales_revenue if row else None, row.total_assets if row else None, params),
        check_catalogue(enterprise.in_restricted_catalogue),
    ]
    if config.tsme_exclude_super_deduction_industries:
        basic.append(_check_excluded_industry(enterprise.in_super_deduction_excluded_industry))
    basic.append(
        check_credit(
            enterprise.incidents,
            enterprise.on_abnormal_operation_list,
            enterprise.on_serious_violation_list,
            evaluation_date,
        )
    )
    tech_part = score_tech_staff(tech, staff, params)
    parts = (
        tech_part,
        score_rd(
            row.rd_expense_super_deduction if row else None,
            row.sales_revenue if row else None,
            row.total_costs_and_expenses if row else None,
            params,
        ),
        score_ip(enterprise.ip_items, params),
    )
    score_min = sum(p.score_min for p in parts)
    score_max = sum(p.score_max for p in parts)
    scored = (
        check_score(score_min, score_max, params),
        check_tech_staff_gate(tech, staff, tech_part, params),
    )
    direct = check_direct_route(enterprise, evaluation_date, params)
    basic_verdict, basic_reasons = combine_verdicts(tuple(basic))
    route_reasons: tuple[Reason, ...]
    if direct.passed:
        route_verdict, route_reasons = Verdict.PASS, ()
        route = f"DIRECT:{direct.actual}"
    else:
        route_verdict, route_reasons = combine_verdicts(scored)
        route = "SCORE"
    reasons: tuple[Reason, ...]
    if Verdict.FAIL in (basic_verdict, route_verdict):
        verdict = Verdict.FAIL
        reasons = tuple(
            r
            for v, rs in ((basic_verdict, basic_reasons), (route_verdict, route_reasons))
            if v is Verdict.FAIL
            for r in rs
        )
    elif Verdict.NEEDS_REVIEW in (basic_verdict, route_verdict):
        verdict, reasons = Verdict.NEEDS_REVIEW, basic_reasons + route_reasons
    else:
        verdict, reasons = Verdict.PASS, ()
    if row is None:
        notes.append(f"缺少 {evaluation_date.year - 1} 年度数据")
    return TierResult(
        tier=Tier.TSME,
        verdict=verdict,
        reasons=tuple(dict.fromkeys(reasons)),
        route=route if verdict is Verdict.PASS else None,
        conditions=(*basic, *scored, direct),
        score_parts=parts,
        score_min=score_min,
        score_max=score_max,
        score_point=config.score_point.pick(score_min, score_max),
        pass_score=params.pass_score,
        rule_version=rules.version,
        evaluation_date=evaluation_date,
        notes_zh=tuple(notes),
    )
