"""The downloadable import template of an importer: its columns with Chinese headers, and an instructions
sheet 「填写说明」 whose text comes from the importer itself (each column's rule and example, then the
importer's own ``rules``), so the template and the import cannot say different things.

Used by every registry's 「下载导入模板」 (:mod:`kechuang.common.registry`) and by the import pages built on
:mod:`kechuang.common.import_views`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kechuang.common.export import first_sheet, xlsx_bytes, xlsx_download
from kechuang.common.tables import Column, Table


def template_workbook(importer: Any) -> bytes:
    """xlsx bytes of ``importer``'s template (an :class:`~kechuang.common.imports.Importer` class or
    instance): sheet 1 the headers only (required ones marked red), ready to fill; sheet 2 「填写说明」
    with each column's rule and an example, then the importer's own ``rules`` (one line each)."""
    book = Workbook()
    sheet = first_sheet(book)
    sheet.title = importer.label
    sheet.append([c.header for c in importer.columns])
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) * 2 + 4)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明", "示例", "也接受的列名"])
    for column in importer.columns:
        notes.append([column.header, "必填" if column.required else "", column.note, column.example,
                      "、".join(column.aliases)])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.append([])
    for rule in importer.rules:  # each importer states its own rules (duplicates, updates, units)
        notes.append([rule])
    for letter, width in zip("ABCDE", (18, 10, 60, 24, 30), strict=True):
        notes.column_dimensions[letter].width = width
    return xlsx_bytes(book)


def template_download(importer: Any, filename: str = "") -> HttpResponse:
    """The template of ``importer`` as a download named ``filename`` (default 「<label>导入模板.xlsx」)."""
    return xlsx_download(template_workbook(importer), filename or f"{importer.label}导入模板.xlsx")


def template_table(importer: Any) -> Table:
    """The template's columns as an export table (header = template header, cell = the importable value
    from each column's ``export``): the list's 「导出为导入模板」, which re-imports to the same records."""
    return Table(tuple(Column(c.key, c.header, value=c.export, sortable=False) for c in importer.columns))
