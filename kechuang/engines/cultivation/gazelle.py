"""Gazelle enterprise (瞪羚企业) evaluation against the bureau's configurable template.

No Sichuan or city text is at hand (spec ``cultivation_rules.md`` §3 [L]); every threshold comes from
:class:`.parameters.GazelleTemplate` (spec §3.1 defaults unless the bureau sets its own, open decision 1).
For an evaluation in year ``Y`` the last fiscal year is ``T = Y-1`` and the base year ``T-n``.

Growth ("近三年年均增长率", spec §3.1 ambiguity) is computed by the template's ``growth_method`` and
``growth_intervals`` and the result records which: CAGR ``(V_T / V_{T-n})^(1/n) − 1`` (methods (a)
n = 3 and (b) n = 2) or the arithmetic mean of the ``n`` yearly rates (method (c)). The verdict is
exact: CAGR ≥ g is tested as ``V_T / V_{T-n} ≥ (1 + g)^n``; only the displayed rate involves a root.
A base value ≤ 0 gives NEEDS_REVIEW(NEGATIVE_BASE).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache, partial

from .arithmetic import add_years, exact, fmt_pct, nth_root_floor_q, q, to_decimal
from .checks import (
    Quantity,
    flag_check,
    fmt_amount,
    incident_check,
    missing,
    ratio_check,
    smallest_at_least,
    smallest_at_least_q,
)
from .config import BureauConfig
from .figures import (
    EnterpriseFigures,
    FiscalYearFigures,
    HnteCertificate,
    Incident,
    IncidentKind,
    TsmeRegistration,
)
from .parameters import GazelleTemplate, GrowthMethod, GrowthMetric, Prerequisite, RdScope
from .results import ConditionResult, Reason, Remedy, Tier, TierResult, Unit, Verdict, combine_verdicts
from .sources import Source, gazelle

__all__ = [
    "check_age",
    "check_base_revenue",
    "check_growth",
    "check_local_legal_person",
    "check_no_violation",
    "check_prerequisite",
    "check_rd_ratio",
    "check_revenue_cap",
    "evaluate_gazelle",
    "growth_metric_label",
]

_MORE_RD = Quantity("研发费用", Unit.YUAN, verb_zh="投入")
_ALL_INCIDENTS = frozenset(IncidentKind)
_METRIC_LABELS = {
    GrowthMetric.REVENUE: "营业收入",
    GrowthMetric.NET_PROFIT: "净利润",
    GrowthMetric.EMPLOYEES: "职工人数",
}


def growth_metric_label(metric: GrowthMetric) -> str:
    """Chinese name of a growth metric."""
    return _METRIC_LABELS[metric]


@lru_cache(maxsize=8)
def check_local_legal_person(flag: bool | None) -> ConditionResult:
    """G-LOCAL: an independent legal person registered in the bureau's area (template
    ``must_be_local_legal_person``)."""
    return flag_check(
        condition_id="G-LOCAL",
        name_zh="本地注册的独立法人企业",
        source=gazelle("must_be_local_legal_person"),
        reason=Reason.LOCAL_LEGAL_PERSON,
        value=flag,
        expected=True,
        pass_zh="本地注册的独立法人企业",
        fail_zh="非本地注册的独立法人企业",
        missing_zh="注册地信息缺失",
    )


def check_prerequisite(
    certificate: HnteCertificate | None,
    registration: TsmeRegistration | None,
    evaluation_date: dt.date,
    template: GazelleTemplate,
) -> ConditionResult:
    """G-PREREQ: already holds the prerequisite status on ``evaluation_date`` (template
    ``prerequisite``: a valid HNTE certificate by default, or HNTE **or** a tech-SME registration).

    Returns:
        PASS or FAIL(PREREQ); the remedy names the status to obtain.
    """
    has_hnte = certificate is not None and certificate.is_valid_on(evaluation_date)
    has_tsme = registration is not None and registration.is_valid_on(evaluation_date)
    if template.prerequisite is Prerequisite.HNTE:
        ok, wanted = has_hnte, "有效的高新技术企业资格"
    else:
        ok, wanted = has_hnte or has_tsme, "有效的高新技术企业资格或科技型中小企业入库登记"
    return ConditionResult(
        "G-PREREQ",
        "已具备前置资质",
        Verdict.PASS if ok else Verdict.FAIL,
        None if ok else Reason.PREREQ,
        ok,
        True,
        "==",
        Unit.FLAG,
        gazelle("prerequisite_status"),
        f"具备{wanted}" if ok else f"未具备{wanted}；需先取得该资质",
        remedy=None if ok else Remedy(wanted, None, Unit.FLAG),
        figures={"hnte_valid": has_hnte, "tsme_registered": has_tsme},
    )


def check_age(
    establish_date: dt.date, evaluation_date: dt.date, template: GazelleTemplate
) -> ConditionResult | None:
    """G-AGE: at most ``max_age_years`` since establishment ("不超过", inclusive: established on or after
    the same day ``max_age_years`` before ``evaluation_date``). ``None`` when the template has no limit."""
    if template.max_age_years is None:
        return None
    earliest = add_years(evaluation_date, -template.max_age_years)
    ok = establish_date >= earliest
    return ConditionResult(
        "G-AGE",
        f"成立不超过 {template.max_age_years} 年",
        Verdict.PASS if ok else Verdict.FAIL,
        None if ok else Reason.AGE,
        establish_date,
        earliest,
        ">=",
        Unit.DATE,
        gazelle("max_age_years"),
        partial(_age_text, establish_date, ok, template.max_age_years),
        remedy=None if ok else Remedy("成立年限", None, Unit.DATE, actionable=False),
    )


def _age_text(establish_date: dt.date, ok: bool, years: int) -> str:
    return f"成立于 {establish_date.isoformat()}，" + ("未超过" if ok else "已超过") + f" {years} 年"


def _compare_text(name: str, value: Decimal, ok: bool, yes: str, no: str, limit: Decimal) -> str:
    return (
        f"{name} {fmt_amount(value, Unit.YUAN)}，" + (yes if ok else no) + f" {fmt_amount(limit, Unit.YUAN)}"
    )


def check_base_revenue(
    base_revenue: Decimal | None, base_year: int, template: GazelleTemplate
) -> ConditionResult | None:
    """G-BASE: revenue of the base year ``T-n`` ≥ ``base_revenue_min`` (yuan). ``None`` when not set.
    A FAIL is a past figure: the remedy is shown but not actionable."""
    if template.base_revenue_min is None:
        return None
    name = f"基期（{base_year} 年）营业收入"
    source = gazelle("base_revenue_min")
    limit = template.base_revenue_min
    if base_revenue is None:
        return missing("G-BASE", name, source, "基期营业收入缺失", threshold=limit, unit=Unit.YUAN)
    ok = base_revenue >= limit

    return ConditionResult(
        "G-BASE",
        name,
        Verdict.PASS if ok else Verdict.FAIL,
        None if ok else Reason.BASE_REVENUE,
        base_revenue,
        limit,
        ">=",
        Unit.YUAN,
        source,
        partial(_compare_text, name, base_revenue, ok, "不低于", "低于", limit),
        remedy=None if ok else Remedy("基期营业收入", limit - base_revenue, Unit.YUAN, actionable=False),
    )


def check_revenue_cap(last_revenue: Decimal | None, template: GazelleTemplate) -> ConditionResult | None:
    """G-CAP: revenue of year ``T`` ≤ ``last_year_revenue_max`` (yuan). ``None`` when not set."""
    if template.last_year_revenue_max is None:
        return None
    name = "最近一年营业收入上限"
    source = gazelle("last_year_revenue_max")
    limit = template.last_year_revenue_max
    if last_revenue is None:
        return missing(
            "G-CAP", name, source, "最近一年营业收入缺失", threshold=limit, comparator="<=", unit=Unit.YUAN
        )
    ok = last_revenue <= limit

    return ConditionResult(
        "G-CAP",
        name,
        Verdict.PASS if ok else Verdict.FAIL,
        None if ok else Reason.REVENUE_CAP,
        last_revenue,
        limit,
        "<=",
        Unit.YUAN,
        source,
        partial(_compare_text, "最近一年营业收入", last_revenue, ok, "不超过", "超过", limit),
        remedy=None
        if ok
        else Remedy("最近一年营业收入", last_revenue - limit, Unit.YUAN, increase=False, actionable=False),
    )


def _growth_threshold(template: GazelleTemplate, last_revenue: Decimal | None) -> Decimal:
    if (
        template.large_firm_revenue_over is not None
        and template.growth_min_large_firm is not None
        and last_revenue is not None
        and last_revenue > template.large_firm_revenue_over
    ):
        return template.growth_min_large_firm
    return template.growth_min


def _cagr_display(last: int, first: int, n: int) -> Decimal | None:
    """Compound rate for display: ``(V_T / V_{T-n})^(1/n) − 1`` floored to 10 decimals, from the scaled
    values (``first > 0``); ``None`` when ``V_T <= 0``. The verdict never uses this value."""
    if last <= 0:
        return None
    return nth_root_floor_q(last, first, n) - 1


def check_growth(
    values: Sequence[Decimal | None], template: GazelleTemplate, last_revenue: Decimal | None = None
) -> ConditionResult:
    """G-GROWTH: yearly growth of the template's metric ≥ ``growth_min`` (``>=``).

    Args:
        values: the metric for years ``T-n … T``, oldest first (``n = growth_intervals``; yuan for
            revenue / profit, persons for employees); ``None`` for a missing figure.
        template: method, intervals, thresholds.
        last_revenue: revenue of year ``T`` (yuan), for the large-firm threshold variant.

    Returns:
        PASS / FAIL(GROWTH) with the increase of the year-``T`` figure that would meet the threshold /
        NEEDS_REVIEW(MISSING_DATA) / NEEDS_REVIEW(NEGATIVE_BASE) when a base value is ≤ 0.

    Raises:
        ValueError: when ``len(values) != growth_intervals + 1``.
    """
    n = template.growth_intervals
    if len(values) != n + 1:
        raise ValueError(f"growth needs {n + 1} values, got {len(values)}")
    label = _METRIC_LABELS[template.growth_metric]
    unit = Unit.PERSON if template.growth_metric is GrowthMetric.EMPLOYEES else Unit.YUAN
    name = f"近{n}年{label}年均增长率"
    source = _growth_source(template.growth_method, n)
    threshold = _growth_threshold(template, last_revenue)
    figures: dict[str, object] = {
        "values": tuple(values),
        "method": template.growth_method.value,
        "intervals": n,
        "metric": template.growth_metric.value,
    }
    if None in values:
        return missing("G-GROWTH", name, source, f"{label}数据缺失", threshold=threshold, unit=Unit.RATIO)
    if template.growth_method is GrowthMethod.CAGR:
        # exact: V_T / V_{T-n} >= (1 + g)^n, with the values scaled to integers by one common factor
        pairs = [q(v) for v in values if v is not None]
        scale = math.lcm(*(d for _, d in pairs))
        first, last = pairs[0][0] * (scale // pairs[0][1]), pairs[-1][0] * (scale // pairs[-1][1])
        if first <= 0:
            return missing(
                "G-GROWTH",
                name,
                source,
                f"基期{label}不为正",
                threshold=threshold,
                unit=Unit.RATIO,
                reason=Reason.NEGATIVE_BASE,
            )
        gn, gd = q(threshold)
        grown, base = (gd + gn) ** n, gd**n  # (1 + g)^n = grown / base
        ok = last * base >= first * grown
        actual = _cagr_display(last, first, n)
        if not ok:
            # needed V_T − V_T now = V_{T-n}·(1 + g)^n − V_T, in yuan (or persons)
            amount = smallest_at_least_q(first * grown - last * base, base * scale, unit)
    else:
        vals = [exact(v) for v in values if v is not None]
        g = exact(threshold)
        if any(v <= 0 for v in vals[:-1]):
            return missing(
                "G-GROWTH",
                name,
                source,
                f"某一基期{label}不为正",
                threshold=threshold,
                unit=Unit.RATIO,
                reason=Reason.NEGATIVE_BASE,
            )
        rates = [vals[i] / vals[i - 1] - 1 for i in range(1, n + 1)]
        mean = sum(rates, Fraction(0)) / n
        ok = mean >= g
        actual = to_decimal(mean)
        if not ok:
            earlier = sum((vals[i] / vals[i - 1] for i in range(1, n)), Fraction(0))
            needed_last = vals[-2] * (n * (1 + g) - earlier)
            amount = smallest_at_least(needed_last - vals[-1], unit)
    if ok:
        return ConditionResult(
            "G-GROWTH",
            name,
            Verdict.PASS,
            None,
            actual,
            threshold,
            ">=",
            Unit.RATIO,
            source,
            partial(_growth_text, name, actual, template, threshold, None, "", unit),
            figures=figures,
        )
    return ConditionResult(
        "G-GROWTH",
        name,
        Verdict.FAIL,
        Reason.GROWTH,
        actual,
        threshold,
        ">=",
        Unit.RATIO,
        source,
        partial(_growth_text, name, actual, template, threshold, amount, label, unit),
        remedy=Remedy(f"最近一年{label}", amount, unit),
        figures=figures,
    )


@lru_cache(maxsize=32)
def _growth_source(method: GrowthMethod, n: int) -> Source:
    how = f"近 {n} 年复合增长率" if method is GrowthMethod.CAGR else f"近 {n} 年增长率的算术平均"
    return gazelle(f"之增长率要求（{how}）")


def _growth_text(
    name: str,
    actual: Decimal | None,
    template: GazelleTemplate,
    threshold: Decimal,
    amount: Decimal | int | None,
    label: str,
    unit: Unit,
) -> str:
    """Message of :func:`check_growth` (``amount`` is ``None`` for a PASS)."""
    n = template.growth_intervals
    method_zh = (
        f"按 {n} 个区间的年均复合增长率计算"
        if template.growth_method is GrowthMethod.CAGR
        else f"按 {n} 个年度增长率的算术平均计算"
    )
    shown = "不足 -100%" if actual is None else fmt_pct(actual)
    text = f"{name} {shown}（{method_zh}），"
    if amount is None:
        return text + f"不低于 {fmt_pct(threshold, exact_text=True)}"
    return (
        text + f"低于 {fmt_pct(threshold, exact_text=True)}；"
        f"最近一年{label}需再增加 {fmt_amount(amount, unit, round_up=True)}"
    )


def check_rd_ratio(
    rd_expense: Decimal | None, revenue: Decimal | None, template: GazelleTemplate
) -> ConditionResult | None:
    """G-RD: R&D expense ÷ revenue of year ``T`` ≥ ``rd_ratio_min``. ``None`` when not set.

    Returns:
        PASS / FAIL(RD_RATIO) with the extra R&D expense needed (yuan) / NEEDS_REVIEW(MISSING_DATA).
    """
    if template.rd_ratio_min is None:
        return None
    return ratio_check(
        condition_id="G-RD",
        name_zh="最近一年研发费用占营业收入比例",
        source=gazelle("rd_ratio_min"),
        reason=Reason.RD_RATIO,
        numerator=rd_expense,
        denominator=revenue,
        threshold=template.rd_ratio_min,
        qty=_MORE_RD,
        figures={"rd_expense": rd_expense, "revenue": revenue, "rd_scope": template.rd_scope.value},
        missing_zh="研发费用或营业收入缺失",
    )


def check_no_violation(
    incidents: Sequence[Incident] | None,
    violation_list: bool | None,
    evaluation_date: dt.date,
    template: GazelleTemplate,
) -> ConditionResult:
    """G-CLEAN: no incident or breach of any kind within ``no_violation_years`` before
    ``evaluation_date`` and not on the serious-violation / dishonesty list.

    Returns:
        PASS / FAIL(VIOLATION) with the date the latest incident leaves the window / NEEDS_REVIEW.
    """
    years = template.no_violation_years
    return incident_check(
        condition_id="G-CLEAN",
        name_zh=f"近 {years} 年无违法违规记录",
        source=gazelle("no_violation_years"),
        reason=Reason.VIOLATION,
        incidents=incidents,
        kinds=_ALL_INCIDENTS,
        window_start=add_years(evaluation_date, -years),
        window_end=evaluation_date,
        clear_after_years=years,
        list_flags={"严重违法失信名单": violation_list},
    )


def _metric_value(row: FiscalYearFigures | None, metric: GrowthMetric) -> Decimal | None:
    if row is None:
        return None
    if metric is GrowthMetric.REVENUE:
        return row.sales_revenue
    if metric is GrowthMetric.NET_PROFIT:
        return row.net_profit
    return row.staff_total_avg


@lru_cache(maxsize=64)
def _method_note(metric: GrowthMetric, method: GrowthMethod, intervals: int, last_year: int) -> str:
    return (
        f"增长率口径：{_METRIC_LABELS[metric]}，"
        + ("年均复合增长率" if method is GrowthMethod.CAGR else "年度增长率算术平均")
        + f"，{intervals} 个区间（{last_year - intervals}–{last_year} 年）"
    )


def evaluate_gazelle(
    enterprise: EnterpriseFigures, evaluation_date: dt.date, config: BureauConfig | None = None
) -> TierResult:
    """Evaluate ``enterprise`` as a gazelle on ``evaluation_date`` under the bureau's template.

    Returns:
        :class:`.results.TierResult` for :attr:`.results.Tier.GAZELLE` (no score); the notes record the
        template's growth method and intervals. Under the default template a firm without a valid
        HNTE certificate fails with PREREQ (spec §3.1 "Tier logic").

    Raises:
        LookupError: when no rule parameters are in force for the year.
    """
    config = config or BureauConfig()
    rules = config.parameters(evaluation_date.year)
    template = rules.gazelle_template
    last_year = evaluation_date.year - 1
    base_year = last_year - template.growth_intervals
    last = enterprise.year(last_year)
    base = enterprise.year(base_year)
    last_revenue = last.sales_revenue if last else None
    rd = None
    if last is not None:
        rd = last.rd_expense_hnte if template.rd_scope is RdScope.HNTE else last.rd_expense_super_deduction
    values = [
        _metric_value(enterprise.year(y), template.growth_metric) for y in range(base_year, last_year + 1)
    ]
    candidates: list[ConditionResult | None] = [
        check_local_legal_person(enterprise.is_local_legal_person)
        if template.must_be_local_legal_person
        else None,
        check_prerequisite(
            enterprise.hnte_certificate, enterprise.tsme_registration, evaluation_date, template
        ),
        check_age(enterprise.establish_date, evaluation_date, template),
        check_base_revenue(base.sales_revenue if base else None, base_year, template),
        check_revenue_cap(last_revenue, template),
        check_growth(values, template, last_revenue),
        check_rd_ratio(rd, last_revenue, template),
        check_no_violation(
            enterprise.incidents, enterprise.on_serious_violation_list, evaluation_date, template
        ),
    ]
    conditions = tuple(c for c in candidates if c is not None)
    verdict, reasons = combine_verdicts(conditions)
    method = _method_note(
        template.growth_metric, template.growth_method, template.growth_intervals, last_year
    )
    return TierResult(
        tier=Tier.GAZELLE,
        verdict=verdict,
        reasons=reasons,
        route="CONDITIONS" if verdict is Verdict.PASS else None,
        conditions=conditions,
        score_parts=(),
        score_min=None,
        score_max=None,
        score_point=None,
        pass_score=None,
        rule_version=rules.version,
        evaluation_date=evaluation_date,
        notes_zh=(method, "瞪羚企业标准为可配置模板（未取得省、市文件），阈值以科技局配置为准"),
    )
