"""Exact arithmetic, rounding and display helpers for the cultivation engine.

Rounding rule (one place, used by every evaluator):

* **Comparisons are exact.** Every ratio, growth rate and average is an exact rational number
  built from the ``Decimal`` inputs (``Decimal.as_integer_ratio`` is exact), so a value sitting
  exactly on a band edge (5 %, 25 %, …) always lands on the side the rule says. Source: spec
  ``cultivation_rules.md`` §0 "Arithmetic" ("Use decimal.Decimal, not float … Round only for
  display"). The evaluators keep such a value as a pair of ``int`` ``(numerator, denominator)``,
  denominator > 0, and compare by cross-multiplication (:func:`q`, :func:`q_ratio`,
  :func:`q_decimal`); this is the same exact arithmetic as :class:`fractions.Fraction` without its
  per-operation cost. The ``Fraction`` helpers below stay for callers that prefer them.
* **Stored values** in results are ``Decimal``: money amounts are exact yuan figures; ratios are the
  exact fraction rounded to 28 significant digits (ROUND_HALF_EVEN, in a fixed context).
* **Amounts needed** (the smallest change) are rounded **up** (ROUND_CEILING) to 0.01 yuan (1 分,
  the smallest unit of the renminbi, 《中华人民共和国人民币管理条例》第三条), so that adding the stored
  amount always makes the condition pass and one 分 less never does. Persons and items needed are
  rounded up to whole units.
* **Display only** (Chinese messages): money in 万元 with at most two decimals and trailing zeros
  dropped; figures ROUND_HALF_UP, amounts needed ROUND_CEILING (the shown amount is always enough).
  Ratios as percent with at most two decimals, ROUND_FLOOR, so a displayed failing value never
  reaches the displayed threshold (4.999 % shows as "4.99%", never "5%"). These display rules are
  the engine's own choice; no official text prescribes them.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

__all__ = [
    "CENT",
    "YUAN_PER_WAN",
    "add_years",
    "ceil_persons",
    "ceil_yuan",
    "exact",
    "fmt_count",
    "fmt_pct",
    "fmt_wan",
    "fmt_pct_q",
    "nth_root_floor",
    "nth_root_floor_q",
    "q",
    "q_ceil",
    "q_decimal",
    "q_ratio",
    "ratio",
    "to_decimal",
]

CENT = Decimal("0.01")
"""Smallest money step in yuan (1 分)."""

YUAN_PER_WAN = Decimal(10000)
"""Yuan per 万元."""

_WAN_STEP = Decimal("0.01")
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


def exact(value: Decimal | int | Fraction) -> Fraction:
    """Return ``value`` as an exact :class:`Fraction`.

    Args:
        value: a ``Decimal``, ``int`` or ``Fraction`` (any unit).

    Raises:
        ValueError: for a NaN or infinite ``Decimal``.
    """
    # ``type(...) is`` rather than isinstance: Fraction's ABC metaclass makes isinstance slow.
    if type(value) is Fraction:
        return value
    if type(value) is Decimal:
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        num, den = value.as_integer_ratio()
        return Fraction(num, den)
    return Fraction(value)


def ratio(numerator: Decimal | int | Fraction, denominator: Decimal | int | Fraction) -> Fraction | None:
    """Exact ``numerator / denominator``, or ``None`` when the denominator is zero.

    Both arguments are in the same unit; the result is a unitless fraction (0.05 = 5 %).
    """
    den = exact(denominator)
    if den == 0:
        return None
    return exact(numerator) / den


def q(value: Decimal | int | Fraction) -> tuple[int, int]:
    """Exact ``(numerator, denominator)`` of ``value`` as ``int`` (denominator > 0, lowest terms).

    Raises:
        ValueError: for a NaN or infinite ``Decimal``.
    """
    try:
        return value.as_integer_ratio()
    except OverflowError as exc:  # Decimal infinity; NaN raises ValueError itself
        raise ValueError(f"not a finite number: {value!r}") from exc


def q_ratio(
    numerator: Decimal | int | Fraction, denominator: Decimal | int | Fraction
) -> tuple[int, int] | None:
    """Exact ``numerator / denominator`` as an ``int`` pair (denominator > 0, not reduced), or ``None``
    when the denominator is zero."""
    nn, nd = q(numerator)
    dn, dd = q(denominator)
    if dn == 0:
        return None
    if dn < 0:
        return -nn * dd, -nd * dn
    return nn * dd, nd * dn


def q_decimal(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` (``denominator > 0``) as stored in results: exactly when it
    terminates, else rounded to 28 significant digits (ROUND_HALF_EVEN) — the same ``Decimal``, digit
    for digit, as :func:`to_decimal` of the equal :class:`Fraction`."""
    return _CONTEXT.divide(Decimal(numerator), Decimal(denominator))


def q_ceil(numerator: int, denominator: int) -> int:
    """``ceil(numerator / denominator)`` for ``denominator > 0``, in integers."""
    return -(-numerator // denominator)


def to_decimal(value: Fraction | Decimal | int) -> Decimal:
    """Convert an exact value to ``Decimal`` for storing in a result.

    Terminating values (e.g. 3/50) convert exactly; others are rounded to 28 significant digits
    (ROUND_HALF_EVEN, in a fixed context independent of the caller's thread context).
    """
    if type(value) is Decimal:
        return value
    num, den = value.as_integer_ratio()
    return _CONTEXT.divide(Decimal(num), Decimal(den))


def ceil_yuan(amount: Fraction | Decimal | int) -> Decimal:
    """Round a money amount (yuan) **up** to the next 0.01 yuan; negative amounts become 0.

    Used for every "amount needed" so that the stored amount is always sufficient.
    """
    value = exact(amount)
    if value <= 0:
        return Decimal("0.00")
    cents = math.ceil(value * 100)
    return (Decimal(cents) / 100).quantize(CENT)


def ceil_persons(amount: Fraction | Decimal | int) -> int:
    """Round a number of persons or items **up** to a whole number; negative amounts become 0."""
    value = exact(amount)
    if value <= 0:
        return 0
    return math.ceil(value)


def _strip(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_wan(yuan: Decimal | Fraction | int, *, round_up: bool = False) -> str:
    """Format a yuan amount as 万元 text without the unit, e.g. ``540000 -> "54"``.

    Args:
        yuan: amount in yuan.
        round_up: ``True`` for an amount needed (ROUND_CEILING); otherwise ROUND_HALF_UP.

    Returns:
        The number of 万元 with at most two decimals, trailing zeros dropped.
    """
    wan = to_decimal(exact(yuan) / 10000) if not isinstance(yuan, Decimal) else yuan / YUAN_PER_WAN
    rounded = wan.quantize(_WAN_STEP, rounding=ROUND_CEILING if round_up else ROUND_HALF_UP)
    return _strip(rounded)


def fmt_pct(value: Fraction | Decimal, *, exact_text: bool = False) -> str:
    """Format a fraction as a percent string, e.g. ``Fraction(3, 50) -> "6%"``.

    Args:
        value: unitless fraction (0.05 = 5 %).
        exact_text: ``True`` for thresholds: shown exactly (they are short decimals such as 0.05).
            Otherwise at most two decimals, ROUND_FLOOR (see the module docstring).
    """
    if exact_text:
        return _strip(to_decimal(value) * 100) + "%"
    return fmt_pct_q(*q(value))


def fmt_pct_q(numerator: int, denominator: int) -> str:
    """:func:`fmt_pct` of the fraction ``numerator / denominator`` (``denominator > 0``): percent with
    at most two decimals, ROUND_FLOOR."""
    return _strip(Decimal((numerator * 10000) // denominator).scaleb(-2)) + "%"


def fmt_count(value: Decimal | Fraction | int) -> str:
    """Format a count or an average (persons, items) with at most two decimals (ROUND_HALF_UP)."""
    dec = to_decimal(value)
    return _strip(dec.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def nth_root_floor(value: Fraction | Decimal | int, n: int, places: int = 10) -> Decimal:
    """Largest ``Decimal`` with ``places`` decimals whose ``n``-th power is ``<= value`` (for display of
    compound growth rates; exact integer arithmetic: a float only picks where the search starts).

    Raises:
        ValueError: for ``value < 0`` or ``n < 1``.
    """
    return nth_root_floor_q(*q(value), n, places)


def nth_root_floor_q(numerator: int, denominator: int, n: int, places: int = 10) -> Decimal:
    """:func:`nth_root_floor` of ``numerator / denominator`` (``denominator > 0``).

    Raises:
        ValueError: for a negative value or ``n < 1``.
    """
    if numerator < 0 or n < 1:
        raise ValueError("nth_root_floor needs value >= 0 and n >= 1")
    scaled = numerator * 10 ** (places * n) // denominator  # its root, floored, is root(value) * 10**places
    if scaled == 0:
        return Decimal(0).scaleb(-places)
    root = 1 << ((scaled.bit_length() + n - 1) // n)  # an upper bound
    if scaled.bit_length() < 1000:
        # Start Newton's method next to the root: a float estimate, used only once checked to be an
        # upper bound (the result below is exact whatever the start).
        guess = int(scaled ** (1.0 / n)) + 2
        if guess < root and guess**n > scaled:
            root = guess
    while True:
        nxt = ((n - 1) * root + scaled // root ** (n - 1)) // n
        if nxt >= root:
            break
        root = nxt
    while root**n > scaled:
        root -= 1
    while (root + 1) ** n <= scaled:
        root += 1
    return Decimal(root).scaleb(-places)


def add_years(day: dt.date, years: int) -> dt.date:
    """Return the same calendar day ``years`` later (or earlier when negative).

    29 February maps to 28 February in a non-leap target year (the convention of
    ``dateutil.relativedelta(years=n)``, which the spec recommends for HT-C1).
    """
    target = day.year + years
    try:
        return day.replace(year=target)
    except ValueError:
        return day.replace(year=target, day=28)
