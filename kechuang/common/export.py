"""Excel (xlsx) export of any list a user may see, with the list's own columns."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kechuang.common.tables import Table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def workbook_bytes(table: Table, objects: Iterable, sheet_title: str, hide: Any = None) -> bytes:
    """An xlsx file (bytes) with a bold header row of the table's labels and one row per object;
    ``hide(obj)`` names the columns to leave empty for that object (restricted fields)."""
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(table.labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(label) * 2 + 2 for label in table.labels]
    for number, row in enumerate(table.rows(objects, hide), start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column, value=_cell(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text (no formula injection)
            widths[column - 1] = min(60, max(widths[column - 1], len(str(value)) + 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(table: Table, objects: Iterable, filename: str, hide: Any = None) -> HttpResponse:
    """An HTTP download of the objects as ``<filename>-<date>.xlsx``."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{filename}-{stamp}.xlsx"
    response = HttpResponse(workbook_bytes(table, objects, filename, hide), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
