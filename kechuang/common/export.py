"""Excel (xlsx) files the product writes: list exports with the list's own columns, and the one way every
workbook of the product (list and registry exports, import templates, ``kechuang match --out``, pairing,
pool and R&D exports) becomes a file: :func:`xlsx_bytes`, which keeps text that looks like a formula as
text (no formula injection).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from io import BytesIO
from typing import Any, cast
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kechuang.common.tables import Table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a typed cell as a formula (OWASP "CSV injection"; Excel and
WPS also accept ``+``, ``-`` and ``@`` as a formula start, and a leading tab or carriage return hides one)."""


def neutralise(cell: Any) -> None:
    """Keep a text cell that starts like a formula as text: stored as a string (never ``data_type`` 'f') and
    marked with Excel's quote prefix (what typing a leading ``'`` does), so editing it in Excel or WPS does
    not turn it into a live formula. The cell's value stays the original text, so a re-import reads exactly
    what was exported; numbers (a negative amount) and dates are left alone."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


def xlsx_bytes(book: Workbook) -> bytes:
    """The xlsx file of ``book`` (bytes), with every text cell of every sheet passed through
    :func:`neutralise` first. Every workbook the product hands out is saved through this function
    (a test checks that no other module saves one). ``book`` must not be write-only (its cells are
    walked)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                neutralise(cell)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def first_sheet(book: Workbook) -> Worksheet:
    """The first sheet of a workbook made here with ``Workbook()``. openpyxl types ``book.active`` as
    optional and possibly a chartsheet; a new workbook's active sheet is always this worksheet."""
    return cast(Worksheet, book.active)


def workbook_bytes(table: Table, objects: Iterable[Any], sheet_title: str, hide: Any = None) -> bytes:
    """An xlsx file (bytes) with a bold header row of the table's labels and one row per object;
    ``hide(obj)`` names the columns to leave empty for that object (restricted fields)."""
    book = Workbook(write_only=False)
    sheet = first_sheet(book)
    sheet.title = sheet_title[:31]
    sheet.append(table.labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(label) * 2 + 2 for label in table.labels]
    for number, row in enumerate(table.rows(objects, hide), start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=_cell(value))
            widths[column - 1] = min(60, max(widths[column - 1], len(str(value)) + 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    return xlsx_bytes(book)


def xlsx_download(body: bytes, filename: str) -> HttpResponse:
    """An HTTP download of xlsx ``body`` named ``filename`` (any characters; sent RFC 5987-encoded). Every
    xlsx the pages hand out (exports, import templates) is answered through this function."""
    response = HttpResponse(body, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(table: Table, objects: Iterable[Any], filename: str, hide: Any = None) -> HttpResponse:
    """An HTTP download of the objects as ``<filename>-<date>.xlsx``."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_download(workbook_bytes(table, objects, filename, hide), f"{filename}-{stamp}.xlsx")
