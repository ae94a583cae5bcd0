"""Money shown in the unit of the official form (万元, 千元) and stored in yuan.

Models keep ``Decimal`` yuan; a form field declares the unit its paper form uses and converts both ways,
so a user types 「54」 in a 万元 field and the database holds ``540000``. Each module has one unit
(:data:`MODULE_UNITS`) on its pages, forms, history rows and exports; the API keeps yuan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

from django import forms
from django.db import models

UNITS: dict[str, Decimal] = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}
"""Units money is typed in (forms)."""
SHOWN_UNITS: dict[str, Decimal] = {**UNITS, "亿元": Decimal(10) ** 8}
"""Units money is shown in (regional GDP is published in 亿元)."""
MAX_YUAN_DIGITS = 14
"""Amounts stay below 10¹⁴ yuan (the money columns hold 16 digits with 2 decimals)."""


MODULE_UNITS: dict[str, str] = {"market": "万元", "cultivation": "万元", "rdreport": "千元"}
"""The unit each module shows money in, by app label: the technology market's prices and budgets and the
cultivation figures in 万元 (as the high-tech application forms), R&D statistics in 千元 (统计报表 107-1/107-2).
A model whose figures are published in another unit says so with a ``money_unit`` class attribute
(regional GDP: 亿元); :func:`money_unit_of` gives the one that applies."""


class DecimalOptions(TypedDict, total=False):
    """Options shared by several ``models.DecimalField`` columns (``**MONEY``), typed so that the type
    checker matches each to its keyword."""

    max_digits: int
    decimal_places: int
    null: bool
    blank: bool
    validators: Sequence[Callable[[Any], None]]


class DigitsOptions(TypedDict):
    """The digits of several ``models.DecimalField`` columns (``**MONEY``), each column adding its own
    ``null`` / ``blank`` / ``validators``."""

    max_digits: int
    decimal_places: int


def money_unit_of(model: type[models.Model]) -> str | None:
    """The unit ``model``'s money is shown in: its own ``money_unit`` or its module's; None outside them."""
    return getattr(model, "money_unit", None) or MODULE_UNITS.get(model._meta.app_label)


def is_money_field(field: object) -> bool:
    """True for a money column: a ``DecimalField`` in yuan with 2 decimals (分) and room for
    :data:`MAX_YUAN_DIGITS` digits before them (the project's convention for every money column; counts of
    persons have 2 decimals but fewer digits)."""
    return isinstance(field, models.DecimalField) and field.decimal_places == 2 \
        and (field.max_digits or 0) >= MAX_YUAN_DIGITS + 2


def unit_label(label: object, unit: str) -> str:
    """``label`` with its unit: 「转让价格（元）」 → 「转让价格（万元）」, 「净资产」 → 「净资产（万元）」."""
    text = str(label)
    for known in SHOWN_UNITS:
        text = text.removesuffix(f"（{known}）")
    return f"{text}（{unit}）"


def money_text(yuan: Decimal | int | str | None, unit: str, *, with_unit: bool = False) -> str:
    """``yuan`` in ``unit`` as shown to people, as the forms show it: exact (no rounding, no trailing zeros, no
    exponent, no grouping): ``5507000`` → 「5507」 in 千元, ``300`` → 「0.03」 in 万元; ``with_unit`` adds
    「 万元」. ``""`` for None or blank."""
    if yuan is None or yuan == "":
        return ""
    value = to_unit(Decimal(str(yuan)), unit)
    text = f"{value:f}"
    return f"{text} {unit}" if with_unit else text


def to_unit(yuan: Decimal | None, unit: str) -> Decimal | None:
    """``yuan`` expressed in ``unit`` (exact; trailing zeros dropped), None for None."""
    if yuan is None:
        return None
    value = (Decimal(yuan) / SHOWN_UNITS[unit]).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


class UnitMoneyField(forms.DecimalField):
    """A form field for an amount stored in yuan and shown in ``unit`` (万元 / 千元 / 元).

    ``initial`` and bound values are in ``unit``; :meth:`clean` returns yuan (``Decimal``, at most two
    decimals: 分). Raises ``ValidationError`` in Chinese for a non-number, a negative amount (unless
    ``allow_negative``) or more precision than 分.
    """

    def __init__(self, *, unit: str = "万元", allow_negative: bool = False, **kwargs: Any) -> None:
        if unit not in UNITS:
            raise ValueError(f"unknown money unit {unit!r}")
        self.unit = unit
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", None)
        super().__init__(**kwargs)
        if not allow_negative:
            self.validators.append(_non_negative)
        self.widget.attrs.update({"step": "any", "inputmode": "decimal"})
        if self.label and f"（{unit}）" not in str(self.label):
            self.label = f"{self.label}（{unit}）"

    def prepare_value(self, value: Any) -> Any:
        """Stored yuan → the number shown in the unit (a bound string stays as typed)."""
        if isinstance(value, Decimal | int):
            return to_unit(Decimal(value), self.unit)
        return value

    def clean(self, value: Any) -> Decimal | None:
        amount = super().clean(value)
        if amount is None:
            return None
        limit = MAX_YUAN_DIGITS - UNITS[self.unit].adjusted()
        if amount and amount.adjusted() >= limit:  # by the exponent: 1e999999999 must not be multiplied
            raise forms.ValidationError(f"金额过大（应小于 10 的 {limit} 次方{self.unit}）")
        places = len(str(UNITS[self.unit])) + 1
        if amount and amount.adjusted() < -places:
            raise forms.ValidationError(f"金额最小到分（{self.unit}下最多 {places} 位小数）")
        yuan = amount * UNITS[self.unit]
        try:
            if yuan != yuan.quantize(Decimal("0.01")):
                raise forms.ValidationError(f"金额最小到分（{self.unit}下最多 {places} 位小数）")
        except InvalidOperation as exc:
            raise forms.ValidationError("金额无效") from exc
        cents: Decimal = yuan.quantize(Decimal("0.01"))
        return cents


def _non_negative(value: Decimal) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError("不能为负数")
