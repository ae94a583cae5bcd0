"""The statistics form's layout in a workbook, shared by the bulk import, its template and the export
of delivered reports (so an export re-imports).

* sheet 「107-2」: one row per report — 统一社会信用代码, 企业名称 (read as a note), 报告年度, then one
  column per 107-2 item in form order, headed ``"{row code} {name}（unit）"`` (``"7 研究开发费用合计（千元）"``)
  or ``"{name}（unit）"`` for an item without a row code;
* sheet 「107-1项目」 (the export names it 「107-1」; both are read): one row per project — 统一社会信用代码,
  报告年度, 企业名称 and 项目序号 (notes), then the 107-1 columns, headed likewise.

Figures are in the form's units (千元, 人, 人月, 个/件/项/篇); codes are whole numbers; dates are
``YYYYMM``. Headers come from the year's form catalogue, so a year whose row codes change gets its own
headers; the short name, the name with its code in brackets (``研究开发费用合计[7]``) and the item key
are accepted too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache

from kechuang.engines.rdstats import FormCatalogue, Item, Unit, form_catalogue

FIRM_SHEET = "107-2"
PROJECT_SHEET = "107-1项目"
PROJECT_SHEETS = (PROJECT_SHEET, "107-1")
USCC = "统一社会信用代码"
NAME = "企业名称"
YEAR = "报告年度"
PROJECT_NO = "项目序号"
NOTE_HEADERS = frozenset({NAME, PROJECT_NO})
DECIMALS = 3


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and names no column (the caller does)."""


def item_header(item: Item) -> str:
    """The column header of a 107-2 item or a 107-1 column, e.g. ``"7 研究开发费用合计（千元）"``."""
    unit = f"（{item.unit_zh}）" if item.unit_zh else ""
    return f"{item.code} {item.name_zh}{unit}" if item.code else f"{item.name_zh}{unit}"


def firm_headers(year: int) -> list[str]:
    """The headers of the 107-2 sheet of ``year``: the key columns, then every item in form order."""
    return [USCC, NAME, YEAR, *(item_header(i) for i in form_catalogue(year).firm_items.values())]


def project_headers(year: int) -> list[str]:
    """The headers of the 107-1 sheet of ``year``."""
    return [USCC, NAME, YEAR, PROJECT_NO, *(item_header(i) for i in form_catalogue(year).project_columns.values())]


def _aliases(items: dict[str, Item]) -> dict[str, str]:
    names: dict[str, list[str]] = {}
    for key, item in items.items():
        names.setdefault(item.name_zh, []).append(key)
    out: dict[str, str] = {}
    for key, item in items.items():
        unit = f"（{item.unit_zh}）" if item.unit_zh else ""
        for alias in (key, item.label_zh, f"{item.label_zh}{unit}"):
            out.setdefault(alias, key)
        if len(names[item.name_zh]) == 1:  # "其中：女性" alone would be ambiguous
            out.setdefault(item.name_zh, key)
            out.setdefault(f"{item.name_zh}{unit}", key)
    for key, item in items.items():
        out[item_header(item)] = key  # the template's own header always wins
    return out


@cache
def firm_columns(year: int) -> dict[str, str]:
    """Header (template header or accepted alias) → 107-2 item key, for ``year``."""
    return _aliases(dict(form_catalogue(year).firm_items))


@cache
def project_columns(year: int) -> dict[str, str]:
    """Header (template header or accepted alias) → 107-1 column key, for ``year``."""
    return _aliases(dict(form_catalogue(year).project_columns))


def normalise_header(value: object) -> str:
    """A header cell as text, blanks trimmed and full-width spaces turned into spaces."""
    return "" if value is None else " ".join(str(value).replace("\u3000", " ").split())


def read_figure(value: object) -> Decimal | None:
    """A figure cell (千元, 人, 人月, count) → ``Decimal`` (None for a blank cell).

    Excel numbers arrive as ``int`` or ``float``; a float is read by its shortest decimal form
    (``1234.567``), so what the user sees is what is stored.

    Raises:
        CellError: not a number, not finite, or more than 3 decimal places.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise CellError(f"“{value}”不是数字") from exc
    if not number.is_finite():
        raise CellError(f"“{value}”不是有效数字")
    if number and number.adjusted() >= 12:  # checked by the exponent: 1e40 must not be quantized
        raise CellError(f"“{value}”数值过大")
    if number and number.adjusted() < -DECIMALS:
        raise CellError(f"“{value}”最多保留 {DECIMALS} 位小数")
    if number != number.quantize(Decimal(1).scaleb(-DECIMALS)):
        raise CellError(f"最多保留{DECIMALS}位小数（{value}）")
    number = number.normalize() + 0
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def read_whole(value: object, what: str) -> int | None:
    """A whole-number cell (code, year) → ``int`` (None for a blank cell).

    Raises:
        CellError: not a whole number.
    """
    number = read_figure(value) if not isinstance(value, dt.date) else None
    if number is None:
        if isinstance(value, dt.date):
            raise CellError(f"{what}应为整数，不是日期")
        return None
    if number != number.to_integral_value():
        raise CellError(f"{what}应为整数（{value}）")
    return int(number)


def read_year_month(value: object) -> int | None:
    """A ``YYYYMM`` cell → ``int``; an Excel date cell is read as its year and month.

    Raises:
        CellError: not ``YYYYMM``.
    """
    if isinstance(value, dt.date):
        return value.year * 100 + value.month
    if isinstance(value, str):
        value = value.strip().replace("-", "").replace("/", "").replace(".", "")
    number = read_whole(value, "年月")
    if number is None or number == 0:
        return number
    year, month = divmod(number, 100)
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        raise CellError(f"应为年月 YYYYMM，如 202503（{value}）")
    return number


def read_cell(item: Item, catalogue: FormCatalogue, value: object) -> object:
    """One 107-2 or 107-1 cell → the value the report form holds (``Decimal`` figures in the form's
    units, ``int`` codes and dates, ``str`` text); None for a blank cell.

    Raises:
        CellError: a value that cannot be read, or a code outside its code list.
    """
    if item.unit is Unit.TEXT:
        text = "" if value is None else str(value).strip()
        if len(text) > 200:
            raise CellError("最多 200 个字")
        return text or None
    if item.unit is Unit.YEAR_MONTH:
        return read_year_month(value)
    if item.unit is Unit.CODE:
        code = read_whole(value, "代码")
        codes = catalogue.code_lists[item.code_list].values if item.code_list in catalogue.code_lists else None
        if code is not None and codes is not None and code not in codes:
            known = "、".join(f"{k} {v}" for k, v in codes.items())
            raise CellError(f"代码 {code} 不在代码表中（{known}）")
        return code
    return read_figure(value)


def cell_value(item: Item, value: object) -> object:
    """A stored-or-shown value → what the export writes: numbers as numbers, codes as ``int``."""
    if value in (None, ""):
        return None
    if item.unit is Unit.TEXT:
        return str(value)
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        return int(number)
    return number
