"""The downloadable import template of a registry: the columns with Chinese headers, one example row,
and an instructions sheet (required or not, format, accepted values)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kechuang.common.export import xlsx_bytes


def template_workbook(importer: type) -> bytes:
    """xlsx bytes: sheet 1 the headers only (required ones marked red), ready to fill; sheet 2 「填写说明」
    with each column's rule and an example, then the importer's own ``rules`` (one line each)."""
    book = Workbook()
    sheet = book.active
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
