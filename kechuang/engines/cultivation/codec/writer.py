"""Writing JSON: enterprise figures back to an assessment-input document (:func:`figures_to_json`) and
results to JSON-ready dicts (:func:`assessment_to_json`, :func:`tier_result_to_json`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from ..config import (
    BureauConfig,
)
from ..figures import (
    EnterpriseFigures,
)
from ..results import (
    Assessment,
    CoachingItem,
    ConditionResult,
    NextBand,
    Reason,
    Remedy,
    ScorePart,
    Tier,
    TierResult,
)
from ..sources import Source
from .fields import (
    _CONFIG_DEPLOYMENT_ONLY,
    _CONFIG_FIELDS,
    _DATE,
    _ENUM,
    _EXPERT,
    _FIELDS,
    _LIST,
    _NUMBER_NAMES,
    _OBJECT,
    FORMAT_VERSION,
    _Spec,
)

# ----------------------------------------------------------------------------------------------- writing


def _decimal_text(value: Decimal) -> str:
    """Plain notation, never an exponent: ``Decimal("1E+2")`` → ``"100"``."""
    return format(value, "f")


def _write_value(value: Any, spec: _Spec) -> Any:
    if value is None:
        return None
    kind = spec.kind
    if kind in _NUMBER_NAMES:
        return _decimal_text(value)
    if kind == _DATE:
        return value.isoformat()
    if kind == _ENUM:
        return value.value
    if kind == _OBJECT:
        return _write_record(value)
    if kind == _LIST:
        return [_write_record(item) for item in value]
    if kind == _EXPERT:
        return {"bands": dict(value.bands), "points": dict(value.points)}
    return value  # int, bool, str


def _write_record(obj: Any) -> dict[str, Any]:
    return {name: _write_value(getattr(obj, name), spec) for name, spec in _FIELDS[type(obj)].items()}


def figures_to_json(
    enterprise: EnterpriseFigures,
    evaluation_date: dt.date | None = None,
    config: BureauConfig | None = None,
) -> dict[str, Any]:
    """Write an assessment-input document: the inverse of :func:`figures_from_json`.

    ``figures_from_json(figures_to_json(e, d, c))`` gives back ``e``, ``d`` and ``c`` (equal values),
    also after ``json.dumps`` and :func:`parse_json`.

    Args:
        enterprise: the figures; every field is written (``None`` as ``null``), money and persons as
            plain decimal strings in yuan / persons, enumerations by their Chinese value.
        evaluation_date: written when given (otherwise the reader's default applies).
        config: its choices that differ from the defaults are written under ``config``.

    Returns:
        A JSON-ready ``dict`` (``json.dumps(..., ensure_ascii=False)`` writes it).

    Raises:
        ValueError: when ``config`` sets ``parameters_file`` or ``gazelle`` (not part of the format).
    """
    document: dict[str, Any] = {"format_version": FORMAT_VERSION}
    if evaluation_date is not None:
        document["evaluation_date"] = evaluation_date.isoformat()
    if config is not None:
        for name in _CONFIG_DEPLOYMENT_ONLY:
            if getattr(config, name) is not None:
                raise ValueError(f"BureauConfig.{name} is set by the deployment, not written to the input")
        default = BureauConfig()
        choices = {
            name: _write_value(getattr(config, name), spec)
            for name, spec in _CONFIG_FIELDS.items()
            if getattr(config, name) != getattr(default, name)
        }
        if choices:
            document["config"] = choices
    document["enterprise"] = _write_record(enterprise)
    return document


def _plain(value: Any) -> Any:
    """A result value as JSON: ``Decimal`` → plain string, ``Fraction`` → ``"p/q"``, dates ISO,
    enumerations by value, sequences → lists, mappings → objects."""
    if value is None or isinstance(value, bool | int) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}: {value!r}")


def _reason(reason: Reason | None) -> dict[str, str] | None:
    return None if reason is None else {"code": reason.value, "label_zh": reason.label_zh}


def _source(source: Source) -> dict[str, str]:
    return {
        "document": source.document,
        "article": source.article,
        "confidence": source.confidence,
        "also": source.also,
        "cite": source.cite(),
    }


def _remedy(remedy: Remedy | None) -> dict[str, Any] | None:
    if remedy is None:
        return None
    return {
        "label_zh": remedy.label_zh,
        "amount": _plain(remedy.amount),
        "unit": remedy.unit.value,
        "increase": remedy.increase,
        "actionable": remedy.actionable,
        "until": _plain(remedy.until),
    }


def _condition(cond: ConditionResult) -> dict[str, Any]:
    return {
        "condition_id": cond.condition_id,
        "name_zh": cond.name_zh,
        "verdict": cond.verdict.value,
        "label": cond.label,
        "reason": _reason(cond.reason),
        "actual": _plain(cond.actual),
        "threshold": _plain(cond.threshold),
        "comparator": cond.comparator,
        "unit": cond.unit.value,
        "source": _source(cond.source),
        "message_zh": cond.message_zh,
        "remedy": _remedy(cond.remedy),
        "figures": _plain(cond.figures),
    }


def _next_band(hint: NextBand | None) -> dict[str, Any] | None:
    if hint is None:
        return None
    return {
        "band": hint.band,
        "points_min": hint.points_min,
        "points_max": hint.points_max,
        "message_zh": hint.message_zh,
        "remedy": _remedy(hint.remedy),
    }


def _score_part(part: ScorePart) -> dict[str, Any]:
    return {
        "part_id": part.part_id,
        "name_zh": part.name_zh,
        "max_points": part.max_points,
        "score_min": part.score_min,
        "score_max": part.score_max,
        "points_short": part.points_short,
        "band": part.band,
        "basis": part.basis.value,
        "actual": _plain(part.actual),
        "review": _reason(part.review),
        "source": _source(part.source),
        "message_zh": part.message_zh,
        "next_band": _next_band(part.next_band),
        "children": [_score_part(child) for child in part.children],
    }


def _coaching_item(item: CoachingItem) -> dict[str, Any]:
    return {
        "tier": item.tier.value,
        "tier_zh": item.tier.label_zh,
        "item_id": item.item_id,
        "verdict": item.verdict.value,
        "text_zh": item.text_zh,
        "remedy": _remedy(item.remedy),
        "points_short": item.points_short,
        "feasible": item.feasible,
        "routes": [
            {
                "item_id": item_id,
                "feasible": route.feasible,
                "remedies": [_remedy(r) for r in route.remedies],
                "broken_zh": list(route.broken),
                "note_zh": route.note_zh,
            }
            for item_id, route in item.routes
        ],
    }


def tier_result_to_json(result: TierResult) -> dict[str, Any]:
    """One tier's result as a JSON-ready ``dict`` (every Chinese text is built).

    Returns:
        ``{"tier", "tier_zh", "verdict", "label", "reasons": [{"code", "label_zh"}], "route",
        "score_min", "score_max", "score_point", "pass_score", "rule_version", "evaluation_date",
        "notes_zh", "dropped_ip", "conditions": [...], "score_parts": [...]}``. A condition has
        ``condition_id, name_zh, verdict, label, reason, actual, threshold, comparator, unit, source
        {document, article, confidence, also, cite}, message_zh, remedy, figures``; a score part has
        ``part_id, name_zh, max_points, score_min, score_max, points_short, band, basis, actual,
        review, source, message_zh, next_band {band, points_min, points_max, message_zh, remedy},
        children``; a remedy ``{label_zh, amount, unit, increase, actionable, until}``. Units: money
        yuan and ratios fractions as decimal strings, points / persons / counts as given (``int``
        stays a JSON integer), ``unit`` by its Chinese value (元, 比例, 人, 件, 分 …).
    """
    return {
        "tier": result.tier.value,
        "tier_zh": result.tier.label_zh,
        "verdict": result.verdict.value,
        "label": result.label,
        "reasons": [_reason(r) for r in result.reasons],
        "route": result.route,
        "score_min": result.score_min,
        "score_max": result.score_max,
        "score_point": result.score_point,
        "pass_score": result.pass_score,
        "rule_version": result.rule_version,
        "evaluation_date": result.evaluation_date.isoformat(),
        "notes_zh": list(result.notes_zh),
        "dropped_ip": list(result.dropped_ip),
        "conditions": [_condition(c) for c in result.conditions],
        "score_parts": [_score_part(p) for p in result.score_parts],
    }


def assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    """An :class:`.results.Assessment` as a JSON-ready ``dict`` (every Chinese text is built).

    Returns:
        ``{"enterprise", "evaluation_date", "rule_version", "highest_tier_passed",
        "highest_tier_passed_zh", "next_tier", "next_tier_zh", "tiers": {"TSME": …, "HNTE": …,
        "GAZELLE": …}, "coaching": [{"tier", "tier_zh", "item_id", "verdict", "text_zh", "remedy",
        "points_short", "feasible", "routes": [{"item_id", "feasible", "remedies", "broken_zh",
        "note_zh"}]}]}`` (routes: each suggested change checked against all conditions of the tier, see
        :mod:`.feasibility`); tiers as :func:`tier_result_to_json`, tier codes ``null`` when none.
    """
    highest, target = assessment.highest_tier_passed, assessment.next_tier
    return {
        "enterprise": assessment.enterprise,
        "evaluation_date": assessment.evaluation_date.isoformat(),
        "rule_version": assessment.rule_version,
        "highest_tier_passed": None if highest is None else highest.value,
        "highest_tier_passed_zh": None if highest is None else highest.label_zh,
        "next_tier": None if target is None else target.value,
        "next_tier_zh": None if target is None else target.label_zh,
        "tiers": {tier.value: tier_result_to_json(assessment.tier(tier)) for tier in Tier},
        "coaching": [_coaching_item(item) for item in assessment.coaching],
    }
