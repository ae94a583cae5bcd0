"""HNTE innovation-capability score parts A–C (HT-G “企业创新能力评价”): IP, transformation of results,
R&D management; expert overrides and the next-band hints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import partial
from typing import Any

from ..arithmetic import fmt_count, q_decimal
from ..checks import (
    MEMO_LIMIT,
    memo,
    smallest_at_least_q,
)
from ..config import (
    TransformationBelowOne,
)
from ..figures import (
    ExpertInput,
    RdManagementEvidence,
    StandardKind,
    StandardLevel,
    StandardRecord,
)
from ..parameters import Band, HnteParameters, band_index_q, pick_band_q
from ..results import (
    Basis,
    NextBand,
    Reason,
    Remedy,
    ScorePart,
    Unit,
)
from ..sources import Source
from .conditions import (
    HnteIpSelection,
)
from .shared import (
    _A_BANDS,
    _A_POINTS,
    _C_POINTS,
    _MANAGEMENT_ITEMS,
    _NO_EXPERT,
    _g,
)

# --------------------------------------------------------------------------- innovation score (HT-G)


def _expert_override(part: ScorePart, expert: ExpertInput) -> ScorePart:
    if not expert.points:
        return part
    points = expert.points.get(part.part_id)
    if points is None:
        return part
    if not 0 <= points <= part.max_points:
        raise ValueError(f"expert points for {part.part_id} must be within [0, {part.max_points}]: {points}")
    return ScorePart(
        part_id=part.part_id,
        name_zh=part.name_zh,
        max_points=part.max_points,
        score_min=points,
        score_max=points,
        band=part.band,
        basis=Basis.EXPERT_GIVEN,
        actual=part.actual,
        source=part.source,
        message_zh=partial(_expert_points_text, part.name_zh, points, part.score_min, part.score_max),
        children=part.children,
    )


def _expert_base(
    item_id: str,
    name_zh: str,
    params: HnteParameters,
    letter: str | None,
    source: Source,
    bands: Sequence[Band] = (),
    evidence: Callable[[], str] | None = None,
) -> ScorePart:
    """An expert-only item before expert points (:func:`_expert_override` applies those): ``[0, max]``,
    or the points of the expert's band ``letter`` when the item has ``bands``; ``evidence`` builds the
    note on the evidence shown in the message.

    Raises:
        ValueError: for a letter that names no band.
    """
    top = params.item_max[item_id]
    if letter is not None and bands:
        band = next((b for b in bands if b.label == letter), None)
        if band is None:
            raise ValueError(f"unknown band {letter!r} for {item_id}")
        low, high = band.points_min, band.points_max
        return ScorePart(
            item_id,
            name_zh,
            top,
            low,
            high,
            letter,
            Basis.EXPERT_GIVEN,
            None,
            source,
            partial(_expert_band_text, name_zh, letter, low, high),
        )
    return ScorePart(
        item_id,
        name_zh,
        top,
        0,
        top,
        None,
        Basis.EXPERT_RANGE,
        None,
        source,
        partial(_expert_range_text, name_zh, top, evidence),
        Reason.EXPERT_JUDGEMENT,
    )


def _expert_band_text(name_zh: str, letter: str, low: int, high: int) -> str:
    return f"{name_zh}：专家评为 {letter} 档（{low}–{high} 分）"


def _expert_range_text(name_zh: str, top: int, evidence: Callable[[], str] | None) -> str:
    return f"{name_zh}：由专家评审（0–{top} 分）{evidence() if evidence else ''}"


def _expert_points_text(name_zh: str, points: int, low: int, high: int) -> str:
    return f"{name_zh}：专家评分 {points} 分（计算区间 {low}–{high} 分）"


def _band_hint(band: Band, remedy: Remedy | None, text: str | Callable[[], str]) -> NextBand:
    return NextBand(
        band.label,
        band.points_min,
        band.points_max,
        remedy,
        partial(_band_hint_text, band, text),
    )


def _band_hint_text(band: Band, text: str | Callable[[], str]) -> str:
    change = text if isinstance(text, str) else text()
    return f"{change}可达 {band.label} 档（{band.points_min}–{band.points_max} 分）"


def score_ip_quantity(class_i_count: int, class_ii_count: int, params: HnteParameters) -> ScorePart:
    """HT-G A3 知识产权数量 (max 8): ≥1 Class I → A [7, 8]; else Class II ≥5 → B [5, 6], 3–4 → C [3, 4],
    1–2 → D [1, 2], 0 → E 0. Class II is counted after dropping reused items (spec §1.3 A).

    Args:
        class_i_count, class_ii_count: eligible items (see :func:`select_hnte_ip`).

    Returns:
        :class:`.results.ScorePart` ``A3`` with the next band and the items needed to reach it.
    """
    top = params.item_max["A3"]
    class_i = params.ip_quantity_class_i
    source = _g("知识产权数量")
    if class_i_count >= int(class_i.lower or 1):
        band = class_i
        next_band = None
    else:
        band = pick_band_q(params.ip_quantity_class_ii_bands, class_ii_count, 1)
        higher = [
            b for b in params.ip_quantity_class_ii_bands if b.lower is not None and b.lower > class_ii_count
        ]
        next_band = None
        if higher:
            target = higher[-1]
            assert target.bound_q is not None
            low_n, low_d = target.bound_q
            need = int(smallest_at_least_q(low_n - class_ii_count * low_d, low_d, Unit.ITEM))
            next_band = _band_hint(
                target, Remedy("Ⅱ类知识产权", need, Unit.ITEM), f"再取得 {need} 件Ⅱ类知识产权"
            )
        else:
            next_band = _band_hint(class_i, Remedy("Ⅰ类知识产权", 1, Unit.ITEM), "取得 1 件Ⅰ类知识产权")
    return ScorePart(
        "A3",
        "知识产权数量",
        top,
        band.points_min,
        band.points_max,
        band.label,
        Basis.COMPUTED,
        class_i_count + class_ii_count,
        source,
        lambda: (
            f"知识产权数量：Ⅰ类 {class_i_count} 件、Ⅱ类 {class_ii_count} 件，{band.label} 档"
            f"（{band.points_min}–{band.points_max} 分）"
        ),
        next_band=next_band,
    )


def _score_acquisition(selection: HnteIpSelection, params: HnteParameters) -> ScorePart:
    top = params.item_max["A4"]
    source = _g("知识产权获得方式")
    if not selection.eligible:
        return ScorePart(
            "A4",
            "知识产权获得方式",
            top,
            0,
            0,
            None,
            Basis.COMPUTED,
            0,
            source,
            "知识产权获得方式：无知识产权，0 分",
        )
    if selection.any_self_developed:
        low, high = params.ip_acquisition_self_developed
        return ScorePart(
            "A4",
            "知识产权获得方式",
            top,
            low,
            high,
            "A",
            Basis.COMPUTED,
            None,
            source,
            lambda: f"知识产权获得方式：有自主研发，A 档（{low}–{high} 分）",
        )
    low, high = params.ip_acquisition_other_only
    return ScorePart(
        "A4",
        "知识产权获得方式",
        top,
        low,
        high,
        "B",
        Basis.COMPUTED,
        None,
        source,
        lambda: f"知识产权获得方式：仅受让、受赠或并购，B 档（{low}–{high} 分）",
        next_band=NextBand(
            "A",
            *params.ip_acquisition_self_developed,
            Remedy("自主研发知识产权", 1, Unit.ITEM),
            "取得 1 件自主研发知识产权可达 A 档",
        ),
    )


def _standards_count(standards: Sequence[StandardRecord], apply_date: dt.date) -> int:
    """Records earning the HT-G A5 bonus, dated up to ``apply_date`` and recognized by the competent
    national authority: national or industry standards, and test methods and technical specifications
    (HT-G 国科发火〔2016〕195号 创新能力评价 知识产权 加分项 "参与编制国家标准、行业标准、检测方法、技术规范";
    spec §1.3 A5)."""
    return sum(
        1
        for s in standards
        if s.recognized
        and s.date <= apply_date
        and (s.kind is not StandardKind.STANDARD or s.level in (StandardLevel.NATIONAL, StandardLevel.INDUSTRY))
    )


def _score_standards(count: int, params: HnteParameters) -> ScorePart:
    top = params.item_max["A5"]
    source = _g("知识产权（加分项：标准制定）")
    if count:
        low, high = params.standards_bonus
        return ScorePart(
            "A5",
            "参与编制国家或行业标准、检测方法、技术规范（加分）",
            top,
            low,
            high,
            "有",
            Basis.COMPUTED,
            count,
            source,
            lambda: f"参与编制国家或行业标准、检测方法、技术规范 {count} 项（{low}–{high} 分）",
        )
    return ScorePart(
        "A5",
        "参与编制国家或行业标准、检测方法、技术规范（加分）",
        top,
        0,
        0,
        "无",
        Basis.COMPUTED,
        0,
        source,
        "未参与编制国家或行业标准、检测方法、技术规范，0 分",
    )


def score_ip(
    selection: HnteIpSelection,
    standards: Sequence[StandardRecord],
    apply_date: dt.date,
    params: HnteParameters,
    expert: ExpertInput | None = None,
) -> ScorePart:
    """HT-G part A 知识产权 (max 30): A1 advancement and A2 core support (expert, 0–8 each, narrowed by
    an expert band A–E), A3 quantity, A4 how acquired, A5 standards bonus (0–2); the sum is capped at 30.

    Args:
        selection: eligible IP (see :func:`select_hnte_ip`).
        standards: standards records; A5 counts recognized national or industry standards, test
            methods and technical specifications dated up to ``apply_date`` (HT-G 195号; no time
            window: the spec names none).
        apply_date: application date.
        params: HNTE parameters.
        expert: expert bands / points (item ids ``A1``…``A5`` or the part ``A``).

    Raises:
        ValueError: for expert points outside ``[0, max]`` or an unknown band letter.
    """
    expert = expert or _NO_EXPERT
    standards_count = _standards_count(standards, apply_date)
    n1, n2 = selection.class_i_count, selection.class_ii_count
    eligible, self_developed = bool(selection.eligible), selection.any_self_developed
    # Results depending only on small inputs are shared (see checks.memo): the whole part without
    # expert input on it, else each item before the expert's points are applied.
    cache = memo(params)
    points, bands = expert.points, expert.bands
    plain = not any(i in points for i in _A_POINTS) and not any(i in bands for i in _A_BANDS)
    key = ("A", n1, n2, eligible, self_developed, standards_count)
    if plain:
        cached = cache.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]
    a1, a2 = bands.get("A1"), bands.get("A2")
    children = (
        _expert_override(
            _shared(
                cache,
                ("A1", a1),
                _expert_base,
                "A1",
                "技术的先进程度",
                params,
                a1,
                _g("知识产权（技术的先进程度）"),
                params.expert_bands,
            ),
            expert,
        ),
        _expert_override(
            _shared(
                cache,
                ("A2", a2),
                _expert_base,
                "A2",
                "对主要产品（服务）的核心支持作用",
                params,
                a2,
                _g("知识产权（核心支持作用）"),
                params.expert_bands,
            ),
            expert,
        ),
        _expert_override(_shared(cache, ("A3", n1, n2), score_ip_quantity, n1, n2, params), expert),
        _expert_override(
            _shared(cache, ("A4", eligible, self_developed), _score_acquisition, selection, params), expert
        ),
        _expert_override(
            _shared(cache, ("A5", standards_count), _score_standards, standards_count, params), expert
        ),
    )
    part = _expert_override(
        _sum_part("A", "知识产权", params, children, _g("知识产权"), cap=params.part_max["A"]), expert
    )
    if plain and len(cache) < MEMO_LIMIT:
        cache[key] = part
    return part


def _shared(
    cache: dict[object, object], key: object, build: Callable[..., ScorePart], *args: Any
) -> ScorePart:
    """``build(*args)``, kept in ``cache`` under ``key`` (the caller makes sure the result depends on
    nothing else)."""
    part = cache.get(key)
    if part is None:
        part = build(*args)
        if len(cache) < MEMO_LIMIT:
            cache[key] = part
    return part  # type: ignore[return-value]


def _sum_part(
    part_id: str,
    name_zh: str,
    params: HnteParameters,
    children: tuple[ScorePart, ...],
    source: Source,
    *,
    cap: int | None = None,
) -> ScorePart:
    top = params.part_max[part_id]
    low = sum(c.score_min for c in children)
    high = sum(c.score_max for c in children)
    if cap is not None:
        low, high = min(low, cap), min(high, cap)
    review = next((c.review for c in children if c.review is not None), None)
    return ScorePart(
        part_id,
        name_zh,
        top,
        low,
        high,
        None,
        Basis.SUM,
        None,
        source,
        partial(_sum_text, name_zh, low, high, top),
        review=review,
        children=children,
    )


def _sum_text(name_zh: str, low: int, high: int, top: int) -> str:
    span = f"{low} 分" if low == high else f"{low}–{high} 分"
    return f"{name_zh} {span}（满分 {top} 分）"


def score_transformation(
    achievements: int | None,
    operating_years: int,
    params: HnteParameters,
    policy: TransformationBelowOne = TransformationBelowOne.F_NEEDS_REVIEW,
) -> ScorePart:
    """HT-G part B 科技成果转化能力 (max 30) from the yearly average of achievements transformed.

    ``n = achievements / operating_years`` (``operating_years`` = 3, or fewer for a younger firm).
    Bands: n ≥ 5 → A [25, 30]; ≥ 4 → B [19, 24]; ≥ 3 → C [13, 18]; ≥ 2 → D [7, 12]; ≥ 1 → E [1, 6];
    else F 0. For 0 < n < 1 the guideline is silent: default F with NEEDS_REVIEW (spec §1.3 B note [M]),
    or E under :attr:`.config.TransformationBelowOne.E`.

    Args:
        achievements: achievements transformed in the window, each counted once; ``None`` = unknown.
        operating_years: fiscal years in the window the firm operated (1–3).

    Returns:
        ScorePart ``B`` (``NEEDS_REVIEW(MISSING_DATA)`` with range [0, 30] when unknown).
    """
    cache = memo(params)
    key = ("B", achievements, operating_years, policy)
    part = cache.get(key)
    if part is None:
        part = _score_transformation(achievements, operating_years, params, policy)
        if len(cache) < MEMO_LIMIT:
            cache[key] = part
    return part  # type: ignore[return-value]


def _score_transformation(
    achievements: int | None, operating_years: int, params: HnteParameters, policy: TransformationBelowOne
) -> ScorePart:
    top = params.part_max["B"]
    source = _g("科技成果转化能力")
    if achievements is None or operating_years <= 0:
        return ScorePart(
            "B",
            "科技成果转化能力",
            top,
            0,
            top,
            None,
            Basis.EXPERT_RANGE,
            None,
            source,
            "科技成果转化能力：转化数量缺失（0–30 分）",
            review=Reason.MISSING_DATA,
        )
    bands = params.transformation_bands
    index = band_index_q(bands, achievements, operating_years)
    band = bands[index]
    review = None
    note = ""
    if band.lower is None and achievements > 0:
        if policy is TransformationBelowOne.E:
            index = len(bands) - 2
            band = bands[index]
            note = "（年均不足 1 项，按配置计入 E 档）"
        else:
            review = Reason.TRANSFORMATION_BELOW_ONE
            note = "（年均不足 1 项，暂计 F 档，需专家判定）"
    next_band = None
    if index > 0:
        target = bands[index - 1]
        low_n, low_d = target.bound_q or (0, 1)
        need_total = smallest_at_least_q(
            low_n * operating_years, low_d, Unit.ITEM, inclusive=target.inclusive
        )
        need = int(need_total) - achievements
        next_band = _band_hint(
            target, Remedy("科技成果转化", need, Unit.ITEM), f"近{operating_years}年再转化 {need} 项科技成果"
        )
    return ScorePart(
        "B",
        "科技成果转化能力",
        top,
        band.points_min,
        band.points_max,
        band.label,
        Basis.COMPUTED,
        q_decimal(achievements, operating_years),
        source,
        lambda: (
            f"近{operating_years}年转化科技成果 {achievements} 项，"
            f"年均 {fmt_count(Fraction(achievements, operating_years))} 项，{band.label} 档"
            f"（{band.points_min}–{band.points_max} 分）{note}"
        ),
        review=review,
        next_band=next_band,
    )


def score_management(
    evidence: RdManagementEvidence, params: HnteParameters, expert: ExpertInput | None = None
) -> ScorePart:
    """HT-G part C 研究开发组织管理水平 (max 20): C1 6, C2 6, C3 4, C4 4, expert-judged.

    HT-G gives no sub-bands, so each item is ``[0, max]`` unless expert points are given; the message
    shows the evidence completeness (spec §1.3 C: ratio bands used by third-party tools are not official).

    Raises:
        ValueError: for expert points outside ``[0, max]``.
    """
    expert = expert or _NO_EXPERT
    flags = evidence.item_flags()
    shown = {item: (sum(values), len(values)) for item, values in flags.items()}
    # Shared results (see checks.memo): the whole part without expert points on it, else each item
    # before the expert's points are applied; both depend only on the evidence counts.
    cache = memo(params)
    plain = not any(i in expert.points for i in _C_POINTS)
    key = ("C", *shown.values())
    if plain:
        cached = cache.get(key)
        if cached is not None:
            return cached  # type: ignore[return-value]
    children = tuple(
        _expert_override(
            _shared(cache, (item, *shown[item]), _management_item, item, *shown[item], params), expert
        )
        for item in ("C1", "C2", "C3", "C4")
    )
    part = _expert_override(
        _sum_part("C", "研究开发组织管理水平", params, children, _g("研究开发组织管理水平")), expert
    )
    if plain and len(cache) < MEMO_LIMIT:
        cache[key] = part
    return part


def _management_item(item: str, shown: int, total: int, params: HnteParameters) -> ScorePart:
    """Item ``C1``…``C4`` before expert points: ``[0, max]``, with the evidence shown / total."""
    name = _MANAGEMENT_ITEMS[item]
    source = _g(f"研究开发组织管理水平（{name}）")
    return _expert_base(item, name, params, None, source, (), partial(_evidence_text, shown, total))


def _evidence_text(shown: int, total: int) -> str:
    return f"；证据完备 {shown}/{total}"
