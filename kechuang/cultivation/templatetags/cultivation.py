"""Template filters of the cultivation pages: stored result values shown in the units of the forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

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


COMPARATOR_WORDS = {">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于", "==": "须为"}
DATE_WORDS = {">=": "不早于", ">": "晚于", "<=": "不晚于", "<": "早于", "==": "须为"}
FLAG_UNIT, DATE_UNIT, TEXT_UNIT = "是/否", "日期", "文本"


def _date_zh(value) -> str:
    text = str(value)
    try:
        year, month, day = (int(part) for part in text.split("-"))
    except ValueError:
        return text
    return f"{year}年{month}月{day}日"


@register.filter
def requirement(condition: dict[str, Any]) -> str:
    """What a condition asks, in words: 「不超过 500 人」, 「不晚于 2012年10月24日」, 「是」 for a yes/no
    condition (its name says what is asked), 「属于八大领域」, 「符合任一直通条件」 — never the engine's
    operator (``<=``, ``==``, ``in``)."""
    get: Any = condition.get  # a condition of an evaluation's JSON
    comparator, threshold, unit = get("comparator"), get("threshold"), get("unit")
    if threshold is None:
        return "—"
    if unit == FLAG_UNIT:
        return "是"
    if comparator == "in":
        text = str(threshold)
        return f"符合{text}" if text.endswith("条件") else f"属于{text}"
    if unit == DATE_UNIT:
        return f"{DATE_WORDS.get(comparator, '')} {_date_zh(threshold)}".strip()
    return f"{COMPARATOR_WORDS.get(comparator, '')} {shown(threshold, unit)}".strip()


@register.filter
def actual_zh(condition: dict[str, Any]) -> str:
    """What was found, in words: for a yes/no condition 「是」 when the fact is as the condition asks (the
    name states it, e.g. 「产品不属于禁止类」), a direct route by name, dates as 2025年1月2日."""
    get: Any = condition.get  # a condition of an evaluation's JSON
    actual, unit = get("actual"), get("unit")
    if actual is None or actual == "":
        return "—"
    if unit == FLAG_UNIT:
        return "是" if actual == condition.get("threshold") else "否"
    if unit == DATE_UNIT:
        return _date_zh(actual)
    if unit == TEXT_UNIT and isinstance(actual, str) and actual in DIRECT_ROUTES:
        return DIRECT_ROUTES[actual]
    return shown(actual, unit)


#: Conditions that are one of several routes: not meeting them decides nothing by itself (SME-M art. 8:
#: a direct route is an alternative to the score), so they are shown as 未采用, not as a red 不符合.
OPTIONAL_REASONS = {"NO_DIRECT_ROUTE"}


@register.filter
def condition_verdict(condition: dict) -> tuple[str, str]:
    """``(Chinese word, colour)`` of a condition's verdict; an optional route not met is 「未采用（可选）」."""
    reason = condition.get("reason")
    code = reason.get("code") if isinstance(reason, dict) else reason
    if condition.get("verdict") == "FAIL" and code in OPTIONAL_REASONS:
        return "未采用（可选）", "secondary"
    verdict = condition.get("verdict", "")
    return verdict_zh(verdict), verdict_class(verdict)


RULE_TOKENS = {"HT": ("高新技术企业认定", "高企"), "SME": ("科技型中小企业评价", "科小"), "GZL": ("瞪羚企业", "瞪羚")}


def rule_version_text(version: str, short: bool = False) -> str:
    """A rule-parameter version (``HT2016-SME2022-GZL-template-1``) in words: 「高新技术企业认定 2016 年版、
    科技型中小企业评价 2022 年版、瞪羚企业（参考模板），第 1 版」, or with ``short`` (list columns)
    「高企 2016·科小 2022·瞪羚 模板（第 1 版）」. Parts it does not know are left out, so a user never sees the
    identifier itself."""
    import re

    parts, edition = [], ""
    tokens = (version or "").split("-")
    for index, token in enumerate(tokens):
        match = re.fullmatch(r"([A-Z]+)(\d{4})?", token)
        if match and match.group(1) in RULE_TOKENS:
            name = RULE_TOKENS[match.group(1)][1 if short else 0]
            template = "template" in tokens[index + 1:index + 2]
            if match.group(2):
                parts.append(f"{name} {match.group(2)}" + ("" if short else " 年版"))
            else:
                parts.append((f"{name} 模板" if short else f"{name}（参考模板）") if template else name)
        elif token.isdigit() and index == len(tokens) - 1:
            edition = f"（第 {token} 版）" if short else f"，第 {token} 版"
    return (("·" if short else "、").join(parts) + edition) if parts else "现行评价规则"


@register.filter
def rule_version_zh(version: str, short: str = "") -> str:
    """Template filter of :func:`rule_version_text` (``|rule_version_zh:"short"`` for the short form)."""
    return rule_version_text(version, short=bool(short))


@register.filter
def date_zh(value) -> str:
    """An ISO date (text or date) as 2026年6月30日."""
    return _date_zh(value) if value else "—"
