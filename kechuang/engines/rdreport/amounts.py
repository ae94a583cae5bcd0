"""Numbers of the R&D statistics engine: input conversion, the fixed-point scale, display.

Units (spec ``rd_statistics.md`` §5.1): the engine works in the **form's units** — money in 千元,
persons in 人, working time in 人月, counts as whole numbers. Conversion from the platform's stored
yuan (``千元 = 元 / 1000``) is the caller's job at the boundary (:func:`yuan_to_thousand`,
:func:`thousand_to_yuan`).

Arithmetic (spec ``super_deduction.md`` §0 "Arithmetic": ``decimal.Decimal``, never float):

* every figure is a ``Decimal`` with at most :data:`DECIMALS` (3) decimal places — 0.001 千元 is one
  yuan, 0.001 人月 about 40 seconds; more places are refused (:class:`ReportInputError`), so every
  figure is an exact multiple of ``10**-DECIMALS``;
* sums, differences and products are exact (a private context with 60 significant digits), and
  comparisons are exact: a sum rule such as R04 compares ``Decimal`` values with **no tolerance**
  (the form is filled in 千元 and the totals must add up as entered; a bureau that wants a rounding
  tolerance writes it into the rule, e.g. ``abs(a - b) <= 0.5``);
* the vectorised path (:mod:`.vectorised`) holds each figure as the ``int64`` ``value × 10**3``
  (:func:`to_scaled`), which is the same exact number.

``float`` is refused for single figures (:func:`to_figure`) so that no binary rounding enters; the
table path accepts float arrays and converts them exactly when they hold at most 3 decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kechuang.engines.rulekit.cel import EXACT as CEL_EXACT

__all__ = [
    "DECIMALS",
    "EXACT",
    "SCALE",
    "ReportInputError",
    "fmt_figure",
    "thousand_to_yuan",
    "to_figure",
    "to_scaled",
    "yuan_to_thousand",
]

DECIMALS = 3
"""Decimal places a figure may carry (千元 → 1 yuan)."""

SCALE = 10**DECIMALS
"""Fixed-point factor of the vectorised path: ``int = figure × SCALE``."""

EXACT = CEL_EXACT
"""Decimal context for rule arithmetic: 60 digits, enough for every product the rules form (the rule
kit's CEL context, :data:`kechuang.engines.rulekit.cel.EXACT`)."""

_QUANTUM = Decimal(1).scaleb(-DECIMALS)


class ReportInputError(ValueError):
    """Bad input that is not a finding of an audit rule: an unknown item key, a value that is not a
    number, a code or date that cannot be read, more than :data:`DECIMALS` decimal places, or a
    negative figure outside the form (context, super-deduction costs, GDP).

    Attributes:
        item: the key of the offending item or column (e.g. ``"rd_expense_total"``).
        message_zh: the message for users, in Chinese.

    ``str(error)`` is ``"<item>: <English explanation>"``.
    """

    def __init__(self, item: str, message: str, message_zh: str) -> None:
        super().__init__(f"{item}: {message}")
        self.item = item
        self.message_zh = message_zh


def to_figure(value: object, item: str, *, allow_negative: bool = True) -> Decimal:
    """Convert one cell to an exact ``Decimal`` in the item's form unit.

    Args:
        value: ``Decimal``, ``int`` or a decimal ``str`` (``"1,000.5"`` with thousands separators
            and surrounding blanks accepted); ``None`` or ``""`` (a blank cell) is 0.
        item: the item key, named in errors.
        allow_negative: ``False`` for figures outside the form (negative form cells are not an
            input error: rule R21 reports them).

    Returns:
        the value as ``Decimal`` (at most :data:`DECIMALS` places).

    Raises:
        ReportInputError: ``float`` or ``bool`` given, text that is not a number, NaN or infinity,
            more than 3 decimal places, or a negative value when ``allow_negative`` is false.
    """
    if value is None:
        return Decimal(0)
    if isinstance(value, bool) or isinstance(value, float):
        raise ReportInputError(
            item,
            f"use Decimal, int or str, not {type(value).__name__}",
            f"{item}：数值须为十进制数（不接受 {type(value).__name__}）",
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if text == "":
            return Decimal(0)
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ReportInputError(item, f"not a number: {value!r}", f"{item}：“{value}”不是数字") from exc
    else:
        raise ReportInputError(
            item,
            f"use Decimal, int or str, not {type(value).__name__}",
            f"{item}：数值类型不正确（{type(value).__name__}）",
        )
    if not number.is_finite():
        raise ReportInputError(item, f"not finite: {value!r}", f"{item}：数值无效")
    if number != number.quantize(_QUANTUM, context=EXACT):
        raise ReportInputError(
            item,
            f"more than {DECIMALS} decimal places: {value}",
            f"{item}：最多保留{DECIMALS}位小数（{value}）",
        )
    if not allow_negative and number < 0:
        raise ReportInputError(item, f"must not be negative: {value}", f"{item}：不能为负数（{value}）")
    return number + 0  # normalise -0 to 0


def to_scaled(value: Decimal) -> int:
    """``value × SCALE`` as ``int`` (exact: ``value`` has at most :data:`DECIMALS` places)."""
    return int(value.scaleb(DECIMALS, context=EXACT))


def yuan_to_thousand(yuan: Decimal | int) -> Decimal:
    """Convert yuan (元, as stored by the platform) to the form's 千元, exactly.

    Raises:
        ReportInputError: when the amount has fractions of a yuan (0.001 千元 is the finest step).
    """
    return to_figure(Decimal(yuan).scaleb(-3, context=EXACT), "yuan")


def thousand_to_yuan(thousand: Decimal | int) -> Decimal:
    """Convert the form's 千元 to yuan (元), exactly."""
    return Decimal(thousand).scaleb(3, context=EXACT)


def fmt_figure(value: Decimal | int | bool | None) -> str:
    """Display a figure in a Chinese message: thousands separators, no exponent, trailing zeros dropped,
    at most :data:`DECIMALS` places (ROUND_HALF_UP; display only). ``None`` → "（未填）"."""
    if value is None:
        return "（未填）"
    if isinstance(value, bool):
        return "是" if value else "否"
    number = Decimal(value)
    if number != number.quantize(_QUANTUM, context=EXACT):
        number = number.quantize(_QUANTUM, rounding=ROUND_HALF_UP, context=EXACT)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
