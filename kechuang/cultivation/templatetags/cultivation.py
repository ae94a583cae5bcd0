"""Template filters of the cultivation pages: stored result values shown in the units of the forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

VERDICT_CLASSES = {"PASS": "success", "FAIL": "danger", "NEEDS_REVIEW": "warning"}
VERDICT_LABELS = {"PASS": "符合", "FAIL": "不符合", "NEEDS_REVIEW": "待复核"}


@register.filter
def shown(value, unit: str = "") -> str:
    """A stored value (decimal string in yuan / fraction, int, bool, date text) as shown to users: money in
    万元, ratios in %, flags 是/否; ``—`` for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if unit in ("元", "比例", "人"):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if unit == "元":
            return f"{number / 10000:,.2f} 万元"
        if unit == "比例":
            return f"{number * 100:.2f}%"
        return f"{number.normalize():f} 人"
    if unit in ("件", "分", "年"):
        return f"{value} {unit}"
    return str(value)


@register.filter
def verdict_class(verdict: str) -> str:
    """Bootstrap colour of a verdict."""
    return VERDICT_CLASSES.get(verdict, "secondary")


@register.filter
def verdict_zh(verdict: str) -> str:
    """Chinese word of a verdict."""
    return VERDICT_LABELS.get(verdict, verdict or "—")


@register.filter
def score_range(part_or_tier: dict) -> str:
    """``"63–71"`` or ``"60"`` from a dict with ``score_min`` / ``score_max``."""
    low, high = part_or_tier.get("score_min"), part_or_tier.get("score_max")
    if low is None:
        return "—"
    return str(low) if low == high else f"{low}–{high}"


@register.filter
def ordered_tiers(result: dict) -> list[dict]:
    """The tiers of a stored assessment lowest first (a JSON column may reorder object keys)."""
    tiers = result.get("tiers", {})
    return [tiers[key] for key in ("TSME", "HNTE", "GAZELLE") if key in tiers]
