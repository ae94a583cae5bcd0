"""HNTE conditions HT-C0 … HT-C8 (HT-M arts. 2 and 11): one check per condition, each naming its article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial

from ..arithmetic import add_years
from ..checks import (
    MEMO_LIMIT,
    incident_check,
    memo,
    missing,
    ratio_check,
    score_check,
)
from ..config import (
    RegistrationAgeRule,
)
from ..figures import (
    Acquisition,
    Incident,
    IPClass,
    IPItem,
    TechField,
)
from ..parameters import HnteParameters
from ..results import (
    ConditionResult,
    Reason,
    Remedy,
    Unit,
    Verdict,
)
from ..sources import ht_m
from .shared import (
    _CLASS_OF,
    _INCIDENT_KINDS,
    _INNOVATION_SOURCE,
    _MORE_DOMESTIC_RD,
    _MORE_HITECH_REVENUE,
    _MORE_RD,
    _NEW_TECH_STAFF,
)

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
