"""Money of the R&D pages (stored in yuan): a report's figures in 千元, the module's unit (``qian``); the
regional aggregates in the units of regional statistics, 万元 and 亿元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

from kechuang.common.money import money_text

register = template.Library()


def _scaled(value: object, power: int, places: str) -> str:
    if value in (None, ""):
        return ""
    amount = (Decimal(str(value)) / Decimal(10) ** power).quantize(Decimal(places), rounding=ROUND_HALF_UP)
    return f"{amount:,}"


@register.filter
def wan(value: object) -> str:
    """Yuan → 万元 with one decimal and thousands separators ("" for None)."""
    return _scaled(value, 4, "0.1")


@register.filter
def yi(value: object) -> str:
    """Yuan → 亿元 with two decimals and thousands separators ("" for None)."""
    return _scaled(value, 8, "0.01")


@register.filter
def qian(value: Decimal | int | str | None) -> str:
    """Yuan → 千元, exact, as the report form and the targets show it (:func:`kechuang.common.money.money_text`);
    "—" for None."""
    return money_text(value, "千元") or "—"
