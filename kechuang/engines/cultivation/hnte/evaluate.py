"""HNTE evaluation: the innovation parts, the three-year window, :func:`evaluate_hnte` and
:func:`near_pass` (高企后备)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..config import (
    BureauConfig,
)
from ..figures import (
    EnterpriseFigures,
    FiscalYearFigures,
)
from ..parameters import HnteParameters
from ..results import (
    Reason,
    ScorePart,
    Tier,
    TierResult,
    Verdict,
    blocking_conditions,
    combine_verdicts,
)
from .conditions import (
    HnteIpSelection,
    check_hitech_revenue,
    check_innovation_score,
    check_ip_owned,
    check_no_major_incident,
    check_rd_domestic,
    check_rd_ratio,
    check_registration_age,
    check_resident,
    check_tech_field,
    check_tech_staff,
    select_hnte_ip,
)
from .growth import (
    score_growth,
)
from .score import (
    _expert_override,
    score_ip,
    score_management,
    score_transformation,
)
from .shared import (
    _DEFAULT_CONFIG,
)


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
