"""Template filters of the cultivation pages: stored result values shown in the units of the forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from kechuang.engines.cultivation.arithmetic import fmt_pct, fmt_wan

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
        if unit == "元":  # the engine's own rounding, so a table cell agrees with the message beside it
            return f"{fmt_wan(number)} 万元"
        if unit == "比例":
            return fmt_pct(number)
        return f"{number.normalize():f} 人"
    if unit in ("件", "分", "年"):
        return f"{value} {unit}"
    return str(value)


DIRECT_ROUTES = {"HNTE": "持有有效高企证书", "NATIONAL_AWARD": "国家级科技奖励", "RD_INSTITUTION": "省部级以上研发机构",
                 "STANDARD": "主导制定标准"}


def label_text(label: str) -> str:
    """An engine label (``FAIL(RD_RATIO,NO_IP)``, ``PASS(DIRECT:HNTE)``) in Chinese:
    「不符合：研发费用占比不足、无核心自主知识产权」, 「符合（直通：持有有效高企证书）」."""
    from kechuang.engines.cultivation import Reason

    if not label:
        return "—"
    verdict, _, codes = label.partition("(")
    codes = codes.rstrip(")")
    word = VERDICT_LABELS.get(verdict, verdict)
    if not codes:
        return word
    if codes.startswith("DIRECT:"):
        kind = codes.split(":", 1)[1]
        return f"{word}（直通：{DIRECT_ROUTES.get(kind, kind)}）"
    names = []
    for code in codes.split(","):
        try:
            names.append(Reason(code).label_zh)
        except ValueError:
            names.append(code)
    return f"{word}：{'、'.join(names)}"


@register.filter
def label_zh(label: str) -> str:
    """Template filter of :func:`label_text`."""
    return label_text(label)


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


@register.inclusion_tag("cultivation/_excluded.html", takes_context=True)
def excluded_from_pool(context) -> dict:
    """On the near-high-tech pool list: the enterprises left out because they can never qualify, with the
    reason, under the list's other filters (year, region, industry, search)."""
    from kechuang.cultivation.choices import Pool
    from kechuang.cultivation.filters import EvaluationFilter
    from kechuang.cultivation.models import Evaluation
    from kechuang.cultivation.pools import never_near_hnte

    request = context.get("request")
    if request is None or request.GET.get("pool") != Pool.NEAR_HNTE:
        return {"groups": []}
    params = request.GET.copy()
    params.pop("pool", None)
    filterset = EvaluationFilter(params, queryset=Evaluation.objects.visible_to(request.user).filter(is_latest=True),
                                 request=request)
    return {"groups": never_near_hnte(filterset.qs) if filterset.is_valid() else []}


@register.filter
def get_item(mapping: dict, key: str):
    """``mapping[key]`` (None when absent)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def grid_cells(counts: dict, grid) -> list[int]:
    """A dashboard grid row's counts in the grid's column order (:meth:`pools.TierGrid.cells`)."""
    return grid.cells(counts)
