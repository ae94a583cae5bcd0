"""High-tech enterprise (高新技术企业, HNTE): the conditions of HT-M art. 11 and the
innovation-capability score of HT-G.

Sources: HT-M = 《高新技术企业认定管理办法》国科发火〔2016〕32号; HT-G = 《高新技术企业认定管理
工作指引》国科发火〔2016〕195号 (spec ``cultivation_rules.md`` §1). Every check names its article.

Windows, for an application on ``apply_date`` in year ``Y``:

* "近三个会计年度" = fiscal years ``Y-3, Y-2, Y-1``; a firm operating for less than three years uses
  the years it operated in (a year counts when the firm existed during any part of it).
* "近一年" / "当年" (tech staff, high-tech revenue, R&D band) = fiscal year ``Y-1``.
* "申请认定前一年内" (incidents) = ``[apply_date - 1 year, apply_date]``.

Scores are integer ranges ``[score_min, score_max]``; expert-only items are ``[0, max]`` unless
:class:`.figures.ExpertInput` gives a band or points. HT-C7 passes only when the whole range is at
or above 71, fails when all of it is below, and is NEEDS_REVIEW(SCORE_RANGE) otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache, partial
from typing import Any, NamedTuple

from .arithmetic import add_years, fmt_count, fmt_pct_q, q, q_decimal
from .common import (
    MEMO_LIMIT,
    Quantity,
    fmt_amount,
    incident_check,
    memo,
    missing,
    ratio_check,
    score_check,
    smallest_at_least_q,
)
from .config import (
    BureauConfig,
    GrowthNegativeFirstYear,
    GrowthTwoOperatingYears,
    RegistrationAgeRule,
    TransformationBelowOne,
)
from .figures import (
    Acquisition,
    EnterpriseFigures,
    ExpertInput,
    FiscalYearFigures,
    Incident,
    IncidentKind,
    IPClass,
    IPItem,
    IPKind,
    RdManagementEvidence,
    StandardKind,
    StandardLevel,
    StandardRecord,
    TechField,
)
from .parameters import Band, HnteParameters, band_index_q, pick_band_q
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
    blocking_conditions,
    combine_verdicts,
)
from .sources import HT_G_DOC, HT_M_DOC, Source, ht_g, ht_m

__all__ = [
    "GrowthRate",
    "HnteIpSelection",
    "check_hitech_revenue",
    "check_innovation_score",
    "check_ip_owned",
    "check_no_major_incident",
    "check_rd_domestic",
    "check_rd_ratio",
    "check_registration_age",
    "check_resident",
    "check_tech_field",
    "check_tech_staff",
    "evaluate_hnte",
    "growth_rate",
    "innovation_parts",
    "near_pass",
    "score_growth",
    "score_growth_item",
    "score_ip",
    "score_ip_quantity",
    "score_management",
    "score_transformation",
    "select_hnte_ip",
]

_INCIDENT_KINDS = frozenset(
    {IncidentKind.MAJOR_SAFETY, IncidentKind.MAJOR_QUALITY, IncidentKind.SERIOUS_ENVIRONMENTAL}
)
_SCORE_SECTION = "“企业创新能力评价”"


_INNOVATION_SOURCE = Source(HT_M_DOC, "第十一条第（七）项", "H", also=f"{HT_G_DOC}{_SCORE_SECTION}")
_NEW_TECH_STAFF = Quantity("科技人员（全年平均）", Unit.PERSON, adds_to_denominator=True)
_MORE_RD = Quantity("研发费用", Unit.YUAN, verb_zh="投入")
_MORE_DOMESTIC_RD = Quantity("境内研发费用", Unit.YUAN, adds_to_denominator=True, verb_zh="投入")
_MORE_HITECH_REVENUE = Quantity("高新技术产品（服务）收入", Unit.YUAN, adds_to_denominator=True)
_DEFAULT_CONFIG = BureauConfig()
_NO_EXPERT = ExpertInput()
_A_POINTS = ("A", "A1", "A2", "A3", "A4", "A5")
_A_BANDS = ("A1", "A2")
_C_POINTS = ("C", "C1", "C2", "C3", "C4")
_CLASS_OF = {kind: kind.ip_class for kind in IPKind}
_MANAGEMENT_ITEMS = {
    "C1": "研发组织管理制度、研发投入核算体系、研发费用辅助账",
    "C2": "内设研发机构及产学研合作",
    "C3": "成果转化组织实施与激励奖励制度、创新创业平台",
    "C4": "人才培养、引进与绩效评价奖励制度",
}


@lru_cache(maxsize=128)
def _g(item: str) -> Source:
    return ht_g(f"{_SCORE_SECTION}之{item}")


# --------------------------------------------------------------------------- conditions (HT-M art. 11)


@lru_cache(maxsize=16)
def check_resident(is_resident: bool | None, registered_in_mainland: bool | None) -> ConditionResult:
    """HT-C0: a resident enterprise registered in mainland China (HT-M art. 2).

    Args:
        is_resident: resident enterprise for CIT; ``None`` = unknown.
        registered_in_mainland: registered in mainland China (not HK / Macao / Taiwan); ``None`` = unknown.

    Returns:
        PASS, FAIL(RESIDENT) (not actionable) or NEEDS_REVIEW(MISSING_DATA).
    """
    name = "境内注册的居民企业"
    source = ht_m("第二条")
    if is_resident is None or registered_in_mainland is None:
        return missing(
            "HT-C0", name, source, "居民企业或注册地信息缺失", threshold=True, comparator="==", unit=Unit.FLAG
        )
    ok = is_resident and registered_in_mainland
    return ConditionResult(
        condition_id="HT-C0",
        name_zh=name,
        verdict=Verdict.PASS if ok else Verdict.FAIL,
        reason=None if ok else Reason.RESIDENT,
        actual=ok,
        threshold=True,
        comparator="==",
        unit=Unit.FLAG,
        source=source,
        message_zh="在中国境内（不含港澳台）注册的居民企业"
        if ok
        else "非在中国境内（不含港澳台）注册的居民企业，不能申报",
        remedy=None if ok else Remedy(label_zh=name, amount=None, unit=Unit.FLAG, actionable=False),
        figures={"is_resident_enterprise": is_resident, "registered_in_mainland": registered_in_mainland},
    )


def check_registration_age(
    establish_date: dt.date,
    apply_date: dt.date,
    params: HnteParameters,
    rule: RegistrationAgeRule = RegistrationAgeRule.CALENDAR,
) -> ConditionResult:
    """HT-C1: registered at least one year when applying (HT-M art. 11(1) "注册成立一年以上").

    Args:
        establish_date: registration date.
        apply_date: application (evaluation) date.
        params: ``min_registration_years`` (default 1).
        rule: :class:`.config.RegistrationAgeRule`: calendar years (default; 29 Feb → 28 Feb) or
            365 days per year.

    Returns:
        PASS when ``apply_date >= earliest``, else FAIL(REG_AGE) with the earliest date (not actionable).
    """
    years = params.min_registration_years
    if rule is RegistrationAgeRule.CALENDAR:
        earliest = add_years(establish_date, years)
    else:
        earliest = establish_date + dt.timedelta(days=365 * years)
    ok = apply_date >= earliest
    name = f"注册成立满 {years} 年"

    return ConditionResult(
        condition_id="HT-C1",
        name_zh=name,
        verdict=Verdict.PASS if ok else Verdict.FAIL,
        reason=None if ok else Reason.REG_AGE,
        actual=establish_date,
        threshold=earliest,
        comparator="<=",
        unit=Unit.DATE,
        source=ht_m("第十一条第（一）项"),
        message_zh=partial(_registration_text, ok, establish_date, apply_date, earliest, years),
        remedy=None
        if ok
        else Remedy(label_zh="申报日期", amount=None, unit=Unit.DATE, actionable=False, until=earliest),
        figures={"establish_date": establish_date, "apply_date": apply_date, "rule": rule.value},
    )


def _registration_text(ok: bool, establish: dt.date, apply: dt.date, earliest: dt.date, years: int) -> str:
    if ok:
        return f"注册成立于 {establish.isoformat()}，申报时已满 {years} 年"
    return (
        f"注册成立于 {establish.isoformat()}，申报日 {apply.isoformat()} 未满 {years} 年；"
        f"最早可于 {earliest.isoformat()} 申报"
    )


@dataclass(frozen=True)
class HnteIpSelection:
    """IP items that count for an HNTE application, and those dropped with the reason.

    Attributes:
        eligible: items that count (HT-M art. 11(2); HT-G on IP).
        dropped: ``(item, Chinese reason)`` for every item left out.
    """

    eligible: tuple[IPItem, ...]
    dropped: tuple[tuple[IPItem, str], ...]

    @property
    def class_i_count(self) -> int:
        """Number of eligible Class I items."""
        return sum(1 for item in self.eligible if _CLASS_OF[item.kind] is IPClass.I)

    @property
    def class_ii_count(self) -> int:
        """Number of eligible Class II items (after dropping reused ones)."""
        return sum(1 for item in self.eligible if _CLASS_OF[item.kind] is IPClass.II)

    @property
    def any_self_developed(self) -> bool:
        """``True`` when at least one eligible item was self-developed."""
        return any(item.acquisition is Acquisition.SELF_DEVELOPED for item in self.eligible)


def select_hnte_ip(items: Sequence[IPItem]) -> HnteIpSelection:
    """Keep the IP items that count for HNTE and list the others with the reason.

    Rules (HT-M art. 11(2); HT-G, spec §1.3 "IP classes and reuse rules"): trademarks excluded; the item
    must be granted in China, in force, owned by the applicant, support the main products / services,
    and not be used by a co-owner; a Class II item already used in an earlier recognition is dropped
    (re-recognition). Class I items may be reused.
    """
    eligible: list[IPItem] = []
    dropped: list[tuple[IPItem, str]] = []
    for item in items:
        ip_class = _CLASS_OF[item.kind]
        if ip_class is None:
            dropped.append((item, "商标不计入知识产权"))
        elif not item.in_force:
            dropped.append((item, "未授权或已失效"))
        elif not item.granted_in_china:
            dropped.append((item, "非在中国境内授权"))
        elif not item.owned_by_applicant:
            dropped.append((item, "所有权不属于申报企业"))
        elif item.claimed_by_co_owner:
            dropped.append((item, "已由其他共有人使用"))
        elif not item.related_to_main_products:
            dropped.append((item, "与主要产品（服务）无关"))
        elif ip_class is IPClass.II and item.used_in_previous_recognition:
            dropped.append((item, "Ⅱ类知识产权已在以往高企认定中使用，重新认定时不得再用"))
        else:
            eligible.append(item)
    return HnteIpSelection(tuple(eligible), tuple(dropped))


def check_ip_owned(selection: HnteIpSelection) -> ConditionResult:
    """HT-C2: owns at least one IP item giving core technical support to the main products / services
    (HT-M art. 11(2); HT-G: no IP → cannot be recognized).

    Returns:
        PASS, or FAIL(NO_IP) with the remedy "1 件".
    """
    count = len(selection.eligible)
    name = "拥有核心自主知识产权"
    dropped = f"（已剔除 {len(selection.dropped)} 件）" if selection.dropped else ""
    ok = count >= 1
    text = (
        f"有效知识产权 {count} 件{dropped}"
        if ok
        else f"有效知识产权 0 件{dropped}，低于 1 件；需取得至少 1 件对主要产品（服务）发挥核心支持作用的知识产权"
    )
    return ConditionResult(
        condition_id="HT-C2",
        name_zh=name,
        verdict=Verdict.PASS if ok else Verdict.FAIL,
        reason=None if ok else Reason.NO_IP,
        actual=count,
        threshold=1,
        comparator=">=",
        unit=Unit.ITEM,
        source=ht_m("第十一条第（二）项"),
        message_zh=text,
        remedy=None if ok else Remedy(label_zh="知识产权", amount=1, unit=Unit.ITEM),
        figures={"eligible": tuple(i.identifier for i in selection.eligible)},
    )


@lru_cache(maxsize=16)
def check_tech_field(tech_field: TechField | None) -> ConditionResult:
    """HT-C3: the core technology belongs to the 8 fields of 《国家重点支持的高新技术领域》
    (HT-M art. 11(3)). The platform only checks that a field was declared; experts verify it.

    Returns:
        PASS when a :class:`.figures.TechField` is declared, NEEDS_REVIEW(MISSING_DATA) otherwise.
    """
    name = "核心技术属于国家重点支持的高新技术领域"
    source = ht_m("第十一条第（三）项")
    if tech_field is None:
        return missing("HT-C3", name, source, "未申报核心技术所属领域", threshold="八大领域", comparator="in")
    return ConditionResult(
        condition_id="HT-C3",
        name_zh=name,
        verdict=Verdict.PASS,
        reason=None,
        actual=tech_field.value,
        threshold="八大领域",
        comparator="in",
        unit=Unit.TEXT,
        source=source,
        message_zh=lambda: f"申报领域：{tech_field.value}（领域归属由专家核定）",
    )


def check_tech_staff(
    tech_staff_avg: Decimal | None, staff_total_avg: Decimal | None, params: HnteParameters
) -> ConditionResult:
    """HT-C4: tech staff ≥ 10 % of the year's total staff (HT-M art. 11(4); counting of HT-G, spec §1.5).

    Args:
        tech_staff_avg: yearly average tech staff (persons, 183-day rule).
        staff_total_avg: yearly average total staff (persons).
        params: ``tech_staff_ratio_min``.

    Returns:
        PASS / FAIL(TECH_STAFF) with the number of new full-year tech staff needed (they raise the
        total too) / NEEDS_REVIEW(MISSING_DATA).
    """
    return ratio_check(
        condition_id="HT-C4",
        name_zh="科技人员占比",
        source=ht_m("第十一条第（四）项"),
        reason=Reason.TECH_STAFF,
        numerator=tech_staff_avg,
        denominator=staff_total_avg,
        threshold=params.tech_staff_ratio_min,
        qty=_NEW_TECH_STAFF,
        figures={"tech_staff_avg": tech_staff_avg, "staff_total_avg": staff_total_avg},
        missing_zh="职工总数或科技人员数缺失",
    )


def check_rd_ratio(
    rd_expense_3y: Decimal | None,
    sales_revenue_3y: Decimal | None,
    last_year_sales_revenue: Decimal | None,
    params: HnteParameters,
) -> ConditionResult:
    """HT-C5: 3-year R&D expense ÷ 3-year sales revenue ≥ the band threshold (HT-M art. 11(5)).

    The band is chosen by the most recent year's sales revenue S: S ≤ 50,000,000 → 5 %;
    50,000,000 < S ≤ 200,000,000 → 4 %; S > 200,000,000 → 3 % (both edges inclusive in the lower band).

    Args:
        rd_expense_3y: R&D expense on the HNTE scope summed over the window (yuan).
        sales_revenue_3y: sales revenue summed over the same years (yuan).
        last_year_sales_revenue: sales revenue of the most recent year (yuan).
        params: ``rd_ratio_bands``.

    Returns:
        PASS / FAIL(RD_RATIO) with the extra R&D expense needed (yuan) / NEEDS_REVIEW(MISSING_DATA).
    """
    name = "近三年研发费用占比"
    source = ht_m("第十一条第（五）项")
    if last_year_sales_revenue is None:
        return missing("HT-C5", name, source, "最近一年销售收入缺失", unit=Unit.RATIO)
    threshold = params.rd_ratio_threshold(last_year_sales_revenue)
    return ratio_check(
        condition_id="HT-C5",
        name_zh=name,
        source=source,
        reason=Reason.RD_RATIO,
        numerator=rd_expense_3y,
        denominator=sales_revenue_3y,
        threshold=threshold,
        qty=_MORE_RD,
        figures={
            "rd_expense_3y": rd_expense_3y,
            "sales_revenue_3y": sales_revenue_3y,
            "last_year_sales_revenue": last_year_sales_revenue,
        },
        missing_zh="研发费用或销售收入缺失",
    )


def check_rd_domestic(
    rd_domestic_3y: Decimal | None, rd_expense_3y: Decimal | None, params: HnteParameters
) -> ConditionResult:
    """HT-C5b: R&D spent inside China ≥ 60 % of all R&D expense over the window (HT-M art. 11(5)).

    Returns:
        PASS / FAIL(RD_DOMESTIC) with the extra domestic R&D needed (it raises the total too; yuan) /
        NEEDS_REVIEW(NO_RD_EXPENSE) when there is no R&D expense / NEEDS_REVIEW(MISSING_DATA).
    """
    name = "境内研发费用占比"
    source = ht_m("第十一条第（五）项")
    if rd_expense_3y is not None and rd_domestic_3y is not None and rd_expense_3y == 0:
        return missing(
            "HT-C5b",
            name,
            source,
            "近三年无研发费用",
            threshold=params.rd_domestic_share_min,
            unit=Unit.RATIO,
            reason=Reason.NO_RD_EXPENSE,
        )
    return ratio_check(
        condition_id="HT-C5b",
        name_zh=name,
        source=source,
        reason=Reason.RD_DOMESTIC,
        numerator=rd_domestic_3y,
        denominator=rd_expense_3y,
        threshold=params.rd_domestic_share_min,
        qty=_MORE_DOMESTIC_RD,
        figures={"rd_domestic_3y": rd_domestic_3y, "rd_expense_3y": rd_expense_3y},
        missing_zh="境内研发费用缺失",
    )


def check_hitech_revenue(
    hitech_revenue: Decimal | None,
    total_revenue: Decimal | None,
    non_taxable_revenue: Decimal | None,
    params: HnteParameters,
) -> ConditionResult:
    """HT-C6: high-tech products / services revenue of the most recent year ≥ 60 % of total income,
    where total income = 收入总额 − 不征税收入 (HT-M art. 11(6); HT-G).

    Returns:
        PASS / FAIL(HITECH_REVENUE) with the extra high-tech revenue needed (it raises total income
        too; yuan) / NEEDS_REVIEW(MISSING_DATA).
    """
    income = None
    if total_revenue is not None and non_taxable_revenue is not None:
        income = total_revenue - non_taxable_revenue
    return ratio_check(
        condition_id="HT-C6",
        name_zh="近一年高新技术产品（服务）收入占比",
        source=ht_m("第十一条第（六）项"),
        reason=Reason.HITECH_REVENUE,
        numerator=hitech_revenue,
        denominator=income,
        threshold=params.hitech_revenue_share_min,
        qty=_MORE_HITECH_REVENUE,
        figures={
            "hitech_revenue": hitech_revenue,
            "total_revenue": total_revenue,
            "non_taxable_revenue": non_taxable_revenue,
        },
        missing_zh="高新技术产品（服务）收入或总收入缺失",
    )


def check_innovation_score(score_min: int, score_max: int, params: HnteParameters) -> ConditionResult:
    """HT-C7: innovation-capability score ≥ 71 (HT-M art. 11(7); HT-G "70分以上（不含70分）").

    Args:
        score_min, score_max: integer range of the total (spec §0 "Score ranges").
        params: ``innovation_score_min`` (71).

    Returns:
        PASS when ``score_min >= 71``; FAIL(INNOVATION_SCORE) when ``score_max < 71`` (remedy: the points
        still missing at the top of the range); NEEDS_REVIEW(SCORE_RANGE) otherwise.

    Raises:
        ValueError: when ``score_min > score_max``.
    """
    cache = memo(params)
    key = ("HT-C7", score_min, score_max)
    result = cache.get(key)
    if result is None:
        result = score_check(
            condition_id="HT-C7",
            name_zh="创新能力评价",
            source=_INNOVATION_SOURCE,
            reason=Reason.INNOVATION_SCORE,
            score_min=score_min,
            score_max=score_max,
            need=params.innovation_score_min,
            review_zh="需专家评审",
            remedy_label_zh="创新能力评价得分",
        )
        if len(cache) < MEMO_LIMIT:
            cache[key] = result
    return result  # type: ignore[return-value]


def check_no_major_incident(
    incidents: Sequence[Incident] | None, apply_date: dt.date, params: HnteParameters
) -> ConditionResult:
    """HT-C8: no major safety or quality accident and no serious environmental violation within one
    year before applying (HT-M art. 11(8)); window ``[apply_date - 1 year, apply_date]``.

    Returns:
        PASS / FAIL(MAJOR_INCIDENT) with the first date the latest incident leaves the window /
        NEEDS_REVIEW(MISSING_DATA) when incidents were not checked (``None``).
    """
    years = params.incident_lookback_years
    return incident_check(
        condition_id="HT-C8",
        name_zh="申请认定前一年内无重大安全、重大质量事故或严重环境违法行为",
        source=ht_m("第十一条第（八）项"),
        reason=Reason.MAJOR_INCIDENT,
        incidents=incidents,
        kinds=_INCIDENT_KINDS,
        window_start=add_years(apply_date, -years),
        window_end=apply_date,
        clear_after_years=years,
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
    # Results depending only on small inputs are shared (see common.memo): the whole part without
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
    # Shared results (see common.memo): the whole part without expert points on it, else each item
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


def innovation_parts(
    enterprise: EnterpriseFigures,
    apply_date: dt.date,
    params: HnteParameters,
    config: BureauConfig | None = None,
    selection: HnteIpSelection | None = None,
) -> tuple[ScorePart, ...]:
    """The four parts A–D of the HT-G innovation score for ``enterprise`` applying on ``apply_date``.

    Raises:
        ValueError: for invalid expert input (see :class:`.figures.ExpertInput`).
    """
    config = config or _DEFAULT_CONFIG
    selection = selection or select_hnte_ip(enterprise.ip_items)
    return _innovation_parts(
        enterprise, apply_date, params, config, selection, _window_rows(enterprise, apply_date, params)
    )


def _innovation_parts(
    enterprise: EnterpriseFigures,
    apply_date: dt.date,
    params: HnteParameters,
    config: BureauConfig,
    selection: HnteIpSelection,
    rows: list[tuple[int, FiscalYearFigures | None]],
) -> tuple[ScorePart, ...]:
    achievements: int | None = 0
    for _, row in rows:
        if row is None or row.achievements_transformed is None:
            achievements = None
            break
        assert achievements is not None
        achievements += row.achievements_transformed
    expert = enterprise.expert
    part_b = _expert_override(
        score_transformation(achievements, len(rows), params, config.transformation_below_one), expert
    )
    net_assets = [row.net_assets if row else None for _, row in rows]
    sales = [row.sales_revenue if row else None for _, row in rows]
    return (
        score_ip(selection, enterprise.standards, apply_date, params, expert),
        part_b,
        score_management(enterprise.rd_management, params, expert),
        score_growth(net_assets, sales, params, config, expert),
    )


def _window_rows(
    enterprise: EnterpriseFigures, apply_date: dt.date, params: HnteParameters
) -> list[tuple[int, FiscalYearFigures | None]]:
    """(year, figures or None) for the operating years of the window, oldest first."""
    last = apply_date.year - 1
    years = range(last - params.fiscal_years_window + 1, last + 1)
    return [(y, enterprise.year(y)) for y in years if enterprise.operated_in(y)]


def _sum_field(rows: list[tuple[int, FiscalYearFigures | None]], name: str) -> Decimal | None:
    if not rows:
        return None
    total = Decimal(0)
    for _, row in rows:
        value = None if row is None else getattr(row, name)
        if value is None:
            return None
        total += value
    return total


def evaluate_hnte(
    enterprise: EnterpriseFigures, apply_date: dt.date, config: BureauConfig | None = None
) -> TierResult:
    """Evaluate ``enterprise`` for HNTE recognition as if applying on ``apply_date``.

    Runs HT-C0 … HT-C8 (HT-M arts. 2 and 11) and the innovation score A–D (HT-G). Reused Class II IP is
    dropped and listed (re-recognition, spec §1.4).

    Args:
        enterprise: the enterprise's figures.
        apply_date: application (evaluation) date; the window is the three fiscal years before it.
        config: the bureau's choices (default :class:`.config.BureauConfig`).

    Returns:
        :class:`.results.TierResult` for :attr:`.results.Tier.HNTE`.

    Raises:
        LookupError: when no rule parameters are in force for the year.
        ValueError: for invalid expert input.
    """
    config = config or _DEFAULT_CONFIG
    rules = config.parameters(apply_date.year)
    params = rules.hnte
    selection = select_hnte_ip(enterprise.ip_items)
    rows = _window_rows(enterprise, apply_date, params)
    last = enterprise.year(apply_date.year - 1)
    parts = _innovation_parts(enterprise, apply_date, params, config, selection, rows)
    score_min = sum([p.score_min for p in parts])
    score_max = sum([p.score_max for p in parts])
    rd_3y = _sum_field(rows, "rd_expense_hnte")
    conditions = (
        check_resident(enterprise.is_resident_enterprise, enterprise.registered_in_mainland),
        check_registration_age(enterprise.establish_date, apply_date, params, config.registration_age_rule),
        check_ip_owned(selection),
        check_tech_field(enterprise.tech_field),
        check_tech_staff(
            last.tech_staff_avg if last else None, last.staff_total_avg if last else None, params
        ),
        check_rd_ratio(
            rd_3y,
            _sum_field(rows, "sales_revenue"),
            last.sales_revenue if last else None,
            params,
        ),
        check_rd_domestic(_sum_field(rows, "rd_expense_hnte_domestic"), rd_3y, params),
        check_hitech_revenue(
            last.hitech_revenue if last else None,
            last.total_revenue if last else None,
            last.non_taxable_revenue if last else None,
            params,
        ),
        check_innovation_score(score_min, score_max, params),
        check_no_major_incident(enterprise.incidents, apply_date, params),
    )
    verdict, reasons = combine_verdicts(conditions)
    notes = [f"已剔除知识产权 {item.identifier}：{why}" for item, why in selection.dropped]
    if len(rows) < params.fiscal_years_window:
        notes.append(f"经营不足 {params.fiscal_years_window} 个会计年度，按实际经营的 {len(rows)} 个年度计算")
    return TierResult(
        tier=Tier.HNTE,
        verdict=verdict,
        reasons=reasons,
        route="CONDITIONS" if verdict is Verdict.PASS else None,
        conditions=conditions,
        score_parts=parts,
        score_min=score_min,
        score_max=score_max,
        score_point=config.score_point.pick(score_min, score_max),
        pass_score=params.innovation_score_min,
        rule_version=rules.version,
        evaluation_date=apply_date,
        notes_zh=tuple(notes),
        dropped_ip=tuple(item.identifier for item, _ in selection.dropped),
    )


def near_pass(result: TierResult) -> bool:
    """Near-high-tech (高企后备, issue 6 §5): the HNTE ``result`` does not pass, the enterprise can qualify
    at all (no :func:`.results.blocking_conditions`), its figures are complete (no MISSING_DATA), and
    either exactly one condition fails, or none fails outright and the innovation score range reaches
    the pass score in force (``result.pass_score``: 71, HT-M art. 11(7), HT-G "70分以上（不含70分）").

    Args:
        result: a :class:`.results.TierResult` of :func:`evaluate_hnte`.
    """
    if result.verdict is Verdict.PASS or any(c.reason is Reason.MISSING_DATA for c in result.conditions):
        return False
    if blocking_conditions(result.conditions):
        return False
    failing = sum(1 for c in result.conditions if c.verdict is Verdict.FAIL)
    reaches = result.score_max is not None and result.pass_score is not None and result.score_max >= result.pass_score
    return failing == 1 or (failing == 0 and reaches)
