"""The statistics form's layout in a workbook, shared by the bulk import, its template and the export
of delivered reports (so an export re-imports).

* sheet 「107-2」: one row per report — 统一社会信用代码, 企业名称 (read as a note), 报告年度, then one
  column per 107-2 item in form order, headed ``"{row code} {name}（unit）"`` (``"7 研究开发费用合计（千元）"``)
  or ``"{name}（unit）"`` for an item without a row code;
* sheet 「107-1项目」 (the export names it 「107-1」; both are read): one row per project — 统一社会信用代码,
  报告年度, 企业名称 and 项目序号 (notes), then the 107-1 columns, headed likewise.

Figures are in the form's units (千元, 人, 人月, 个/件/项/篇); codes are whole numbers; dates are
``YYYYMM`` (also typed as ``2025-03``, ``2025.3``, ``2025年3月`` or a date cell). Cells are read by the
one reader of every importer (:mod:`kechuang.common.cells`). Headers come from the year's form catalogue, so a year whose row codes change gets its own
headers; the short name, the name with its code in brackets (``研究开发费用合计[7]``) and the item key
are accepted too.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from kechuang.common import cells
from kechuang.engines.rdreport import FormCatalogue, Item, Unit, form_catalogue

FIRM_SHEET = "107-2"
PROJECT_SHEET = "107-1项目"
PROJECT_SHEETS = (PROJECT_SHEET, "107-1")
USCC = "统一社会信用代码"
NAME = "企业名称"
YEAR = "报告年度"
PROJECT_NO = "项目序号"
NOTE_HEADERS = frozenset({NAME, PROJECT_NO})
DECIMALS = 3


CellError = cells.CellError  # a cell that cannot be read; the message names no column (the caller does)


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


def read_figure(value: object, unit: str = "") -> Decimal | None:
    """A figure cell (千元, 人, 人月, count) → ``Decimal`` (None for a blank cell), by the one number
    reader (:func:`kechuang.common.cells.read_number`): ``1,234.5`` and full-width digits are read,
    a unit in the cell (``12万元``) or a percent sign is refused.

    Raises:
        CellError: not a number, a unit in the cell, not finite, too large, or more than 3 decimals.
    """
    return cells.read_number(value, unit=unit, decimals=DECIMALS, max_digits=12)


def read_whole(value: object, what: str) -> int | None:
    """A whole-number cell (code, year) → ``int`` (None for a blank cell).

    Raises:
        CellError: not a whole number.
    """
    return cells.read_whole(value, what)


def read_year_month(value: object) -> int | None:
    """A year-and-month cell → ``YYYYMM`` by the one date reader
    (:func:`kechuang.common.cells.read_year_month`): ``202503``, ``2025-03``, ``2025.3``, ``2025年3月``,
    a full date such as ``2025.1.2`` (January, not December) or an Excel date cell.

    Raises:
        CellError: not a year and month, or outside 1900–2100.
    """
    return cells.read_year_month(value)


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
        codes = (catalogue.code_lists[item.code_list].values
                 if item.code_list is not None and item.code_list in catalogue.code_lists else None)
        if code is not None and codes is not None and code not in codes:
            known = "、".join(f"{k} {v}" for k, v in codes.items())
            raise CellError(f"代码 {code} 不在代码表中（{known}）")
        return code
    return read_figure(value, item.unit_zh)


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
