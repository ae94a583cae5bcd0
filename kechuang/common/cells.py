"""Reading one spreadsheet cell as a date or a number: the one reader every importer uses.

A cell arrives as what openpyxl, the csv module or a JSON line gives: ``datetime`` / ``date`` (an Excel
date cell), ``int`` / ``float`` (an Excel number: a figure, or a date serial in a cell formatted as
General), ``Decimal``, ``bool`` or text. The readers accept the forms people type and refuse, with a
Chinese message, everything they cannot read exactly; they never guess.

Dates (:func:`read_date`): ISO ``2025-01-02``, ``2025.1.2``, ``2025/1/2``, ``2025-1-2``, ``2025年1月2日``,
``20250102``, Excel date cells and serials. Day-first or month-first forms (``1/2/2025``) and two-digit
years are ambiguous and refused. Year and month (:func:`read_year_month`, ``YYYYMM``): ``202501``,
``2025-01``, ``2025.1``, ``2025/1``, ``2025年1月``, and any full date above (its year and month).

Numbers (:func:`read_number`): thousands separators (``1,234.5``, full-width ``１，２３４．５``), a
percent sign only where the column is a percentage; a unit in the cell (``12万元``) is refused with the
unit named, since the column's unit is fixed by the template.

Messages name no row or column: the caller adds them (:class:`CellError`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from openpyxl.utils.datetime import from_excel

#: What a cell holds to clear a held value on update (a blank cell means "not given" and keeps it).
CLEAR = "清空"
#: Excel's own date range: serial 1 is 1900-01-01, 2958465 is 9999-12-31.
EXCEL_SERIAL_MAX = 2958465
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

_DATE_TEXT = re.compile(r"^(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*(?:[-./]|月)\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*月?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_TIME_TAIL = re.compile(r"[ T]0{1,2}:00(:00(\.0+)?)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_BLANK_GROUPED = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")  # 1 234 567.5: blanks as thousands groups
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Units people type into figure cells; the longest first so 万元 is named rather than 元.
UNITS = ("亿元", "万元", "千元", "百元", "元", "亿", "万", "千", "人月", "人次", "人", "个", "件", "项", "篇",
         "年", "月", "天", "台", "套", "吨")


class CellError(ValueError):
    """A cell that cannot be read exactly; the message is Chinese and names no row or column."""


def _text(value: object) -> str:
    """Cell text with full-width forms (digits, ``，．－％／``) turned into ASCII and blanks trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank(value: object) -> bool:
    """Whether a cell holds nothing (None, or text of blanks only)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _checked(year: int, month: int, day: int, original: object, earliest: dt.date, latest: dt.date) -> dt.date:
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"“{original}”不是有效的日期") from exc
    if not earliest <= date <= latest:
        raise CellError(f"日期“{original}”不在 {earliest.isoformat()} 至 {latest.isoformat()} 之间")
    return date


def read_date(value: object, *, earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> dt.date | None:
    """A date cell → ``date`` (None for a blank cell). ``earliest`` / ``latest`` bound what the field
    allows (a deadline may lie in the future; a founding date may not — the caller passes today).

    Raises:
        CellError: text in no accepted form, an ambiguous form (``1/2/2025``, a two-digit year), an
            impossible date (``2025-2-30``), a number that is no Excel date serial, or a date outside
            [earliest, latest].
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(f"“{value}”带有时刻，应只填日期")
        return _checked(value.year, value.month, value.day, value.date(), earliest, latest)
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, value, earliest, latest)
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是日期")
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        text = format(number.normalize(), "f") if number.is_finite() else str(value)
        if _COMPACT_DATE.match(text):
            return read_date(text, earliest=earliest, latest=latest)
        if not number.is_finite() or number != number.to_integral_value() or not 1 <= number <= EXCEL_SERIAL_MAX:
            raise CellError(f"“{value}”不是日期（应如 2025-01-02、2025.1.2、2025年1月2日）")
        date = from_excel(int(number)).date()
        return _checked(date.year, date.month, date.day, value, earliest, latest)
    text = _TIME_TAIL.sub("", _text(value))
    match = _DATE_TEXT.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise CellError(f"“{value}”不是可识别的日期（应如 2025-01-02、2025.1.2、2025/1/2、2025年1月2日；"
                        "日/月/年 或两位年份的写法有歧义，不予识别）")
    year, month, day = (int(g) for g in match.groups())
    return _checked(year, month, day, value, earliest, latest)


def read_year_month(value: object, *, earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> int | None:
    """A year-and-month cell → ``YYYYMM`` as ``int`` (None for a blank cell; 0 stays 0, "not given" on
    the statistics forms). A full date is read as its year and month.

    Raises:
        CellError: text in no accepted form, a month outside 1–12, or a month outside
            [earliest, latest] (compared by month).
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.date):
        date = read_date(value, earliest=dt.date(earliest.year, earliest.month, 1), latest=latest)
        assert date is not None
        return date.year * 100 + date.month
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是年月")
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number == 0:
            return 0
        text = format(number.normalize(), "f") if number.is_finite() else str(value)
        if not _COMPACT_MONTH.match(text):
            raise CellError(f"“{value}”应为年月 YYYYMM，如 202501")
    else:
        text = _TIME_TAIL.sub("", _text(value))
        if text == "0":
            return 0
    match = _COMPACT_MONTH.match(text) or _MONTH_TEXT.match(text)
    if match is None:
        if _DATE_TEXT.match(text) or _COMPACT_DATE.match(text):
            date = read_date(text, earliest=dt.date(earliest.year, earliest.month, 1), latest=latest)
            assert date is not None
            return date.year * 100 + date.month
        raise CellError(f"“{value}”应为年月，如 202501、2025-01、2025.1 或 2025年1月")
    year, month = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        raise CellError(f"“{value}”的月份应在 1–12 之间")
    if not (earliest.year, earliest.month) <= (year, month) <= (latest.year, latest.month):
        raise CellError(f"年月“{value}”不在 {earliest:%Y%m} 至 {latest:%Y%m} 之间")
    return year * 100 + month


def read_number(value: object, *, unit: str = "", percent: bool = False, decimals: int | None = None,
                max_digits: int = 15) -> Decimal | None:
    """A figure cell → ``Decimal`` exactly as typed (None for a blank cell).

    Args:
        value: the cell. A float is read by its shortest decimal form (``1234.567``).
        unit: the column's unit, named in the message when the cell carries another one.
        percent: the column holds a percentage; a trailing ``%`` is then allowed (``12%`` → 12).
        decimals: the most decimal places allowed (None: any).
        max_digits: the most digits before the decimal point.

    Raises:
        CellError: not a number (named), a unit in the cell (named), a percent sign where the column is
            no percentage, ambiguous separators (``1,23``), not finite, too large, or too many decimals.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    where = f"（本列单位：{unit}）" if unit else ""
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, dt.date):
        raise CellError(f"“{value}”是日期，不是数字")
    else:
        text = _text(value)  # NFKC: a no-break or thin space is a blank here
        if " " in text:
            if not _BLANK_GROUPED.match(text) and not any(text.endswith(name) for name in UNITS):
                raise CellError(f"“{value}”中间有空格，无法确定数值（千位分组只能每三位一个空格，如 1 234 567）")
            text = text.replace(" ", "")
        for name in UNITS:
            if text.endswith(name) and text[: -len(name)].strip():
                raise CellError(f"“{value}”含单位“{name}”，请只填数字{where}")
        if text.endswith("%"):
            if not percent:
                raise CellError(f"“{value}”带百分号，本列应填数值{where}")
            text = text[:-1]
        if "," in text:
            if not _GROUPED.match(text):
                raise CellError(f"“{value}”的千位分隔符位置不对，无法确定数值")
            text = text.replace(",", "")
        if not _PLAIN.match(text):
            raise CellError(f"“{value}”不是数字")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
            raise CellError(f"“{value}”不是数字") from exc
    if not number.is_finite():
        raise CellError(f"“{value}”不是有效数字")
    if number and number.adjusted() >= max_digits:  # by the exponent: 1e40 must not be quantized
        raise CellError(f"“{value}”数值过大")
    if decimals is not None and number and int(number.normalize().as_tuple().exponent) < -decimals:
        raise CellError(f"“{value}”最多保留 {decimals} 位小数")
    number = number.normalize() + 0
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def read_whole(value: object, what: str = "数值") -> int | None:
    """A whole-number cell (year, code, count) → ``int`` (None for a blank cell).

    Raises:
        CellError: not a number, a date, or not whole.
    """
    if isinstance(value, dt.date):
        raise CellError(f"{what}应为整数，不是日期")
    number = read_number(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"{what}应为整数（{value}）")
    return int(number)


def plain(number: Decimal | None) -> str:
    """A read number as the plain text a Django form field parses ("" for None)."""
    return "" if number is None else format(number, "f")
