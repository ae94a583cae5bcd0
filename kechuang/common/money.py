"""Money shown in the unit of the official form (万元, 千元) and stored in yuan.

Models keep ``Decimal`` yuan; a form field declares the unit its paper form uses and converts both ways,
so a user types 「54」 in a 万元 field and the database holds ``540000``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

UNITS: dict[str, Decimal] = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}
MAX_YUAN_DIGITS = 14
"""Amounts stay below 10¹⁴ yuan (the money columns hold 16 digits with 2 decimals)."""


def to_unit(yuan: Decimal | None, unit: str) -> Decimal | None:
    """``yuan`` expressed in ``unit`` (exact; trailing zeros dropped), None for None."""
    if yuan is None:
        return None
    value = (Decimal(yuan) / UNITS[unit]).normalize()
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
        return yuan.quantize(Decimal("0.01"))


def _non_negative(value: Decimal) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError("不能为负数")
