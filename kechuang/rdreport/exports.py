"""Workbooks in the statistics form's layout (:mod:`kechuang.rdreport.layout`): the delivered reports of a
year for the statistics bureau, and the bulk-import template. The export re-imports through
:class:`kechuang.rdreport.importers.ReportImporter` (the same headers and units).

* sheet 「107-2」: one row per report — 统一社会信用代码, 企业名称, 报告年度, then every 107-2 item in form order
  (千元, 人, 个), blank where the enterprise left the item blank;
* sheet 「107-1」: one row per project — 统一社会信用代码, 企业名称, 报告年度, 项目序号, then the 107-1 columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from kechuang.common.export import first_sheet, xlsx_bytes, xlsx_download
from kechuang.core.models import Region
from kechuang.engines.rdreport import form_catalogue
from kechuang.rdreport import layout, services
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.importers import ReportImporter
from kechuang.rdreport.models import RdReport

EXPORT_PROJECT_SHEET = "107-1"


def delivered_reports(user: Any, year: int, region: Region | None = None) -> QuerySet:
    """The reports of ``year`` delivered to the statistics bureau that ``user`` may see (in ``region``'s
    subtree when given), by region and enterprise."""
    qs = (RdReport.objects.visible_to(user).filter(year=year, status=ReportStatus.DELIVERED)
          .select_related("enterprise__region").order_by("enterprise__region__path", "enterprise__name", "pk"))
    return qs.filter(enterprise__region__path__startswith=region.path) if region is not None else qs


def _style(sheet: Any, headers: list[str], widths: list[int] | None = None) -> None:
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        width = widths[index - 1] if widths else max(10, min(40, len(header) * 2 + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2" if len(headers) > 2 else "A2"


def export_workbook(reports: Iterable[RdReport], year: int) -> bytes:
    """xlsx bytes of ``reports`` (all of report year ``year``) in the statistics form's layout."""
    catalogue = form_catalogue(year)
    book = Workbook()
    firm_sheet = first_sheet(book)
    firm_sheet.title = layout.FIRM_SHEET
    firm_headers = layout.firm_headers(year)
    firm_sheet.append(firm_headers)
    project_sheet = book.create_sheet(EXPORT_PROJECT_SHEET)
    project_headers = layout.project_headers(year)
    project_sheet.append(project_headers)
    for report in reports:
        enterprise = report.enterprise
        shown = services.shown_values(report.year, report.firm)
        firm_sheet.append([enterprise.uscc, enterprise.name, report.year,
                           *(layout.cell_value(item, shown.get(key)) for key, item in catalogue.firm_items.items())])
        for number, stored in enumerate(report.projects, start=1):
            project = services.shown_values(report.year, stored, project=True)
            project_sheet.append([enterprise.uscc, enterprise.name, report.year, number,
                                  *(layout.cell_value(item, project.get(key))
                                    for key, item in catalogue.project_columns.items())])
    _style(firm_sheet, firm_headers, [22, 30, 10, *[max(12, min(36, len(h) + 4)) for h in firm_headers[3:]]])
    _style(project_sheet, project_headers, [22, 30, 10, 8, 30, *[max(12, min(30, len(h) + 4))
                                                               for h in project_headers[5:]]])
    return xlsx_bytes(book)


def export_response(user: Any, year: int, region: Region | None = None) -> HttpResponse:
    """The download of :func:`export_workbook` for the delivered reports ``user`` may see."""
    where = region.name if region is not None else ""
    name = f"研发投入统计-{year}年-{where + '-' if where else ''}已报送统计-{timezone.localdate():%Y%m%d}.xlsx"
    body = export_workbook(delivered_reports(user, year, region).iterator(chunk_size=500), year)
    return xlsx_download(body, name)


def template_workbook(year: int) -> bytes:
    """The import template of ``year``: 「107-2」 and 「107-1项目」 with their headers (required ones red),
    and 「填写说明」 with each column's unit and rule, then the importer's own ``rules``."""
    catalogue = form_catalogue(year)
    book = Workbook()
    firm = first_sheet(book)
    firm.title = layout.FIRM_SHEET
    headers = layout.firm_headers(year)
    firm.append(headers)
    _style(firm, headers)
    projects = book.create_sheet(layout.PROJECT_SHEET)
    project_headers = layout.project_headers(year)
    projects.append(project_headers)
    _style(projects, project_headers)
    for sheet in (firm, projects):
        for cell in sheet[1]:
            if cell.value in (layout.USCC, layout.YEAR):
                cell.font = Font(bold=True, color="C00000")
    notes = book.create_sheet("填写说明")
    notes.append(["工作表", "列名", "单位或格式", "说明"])
    notes.append([layout.FIRM_SHEET, layout.USCC, "18 位", "必填；企业须已在平台登记，且在您的管辖范围内"])
    notes.append([layout.FIRM_SHEET, layout.NAME, "", "仅供核对，导入时不读取"])
    notes.append([layout.FIRM_SHEET, layout.YEAR, "如 2025", "必填（导入时指定了年度的可不填）"])
    for item in catalogue.firm_items.values():
        parent = catalogue.firm_items.get(item.parent or "")
        note = f"为“{parent.name_zh}”的其中项" if parent else ""
        notes.append([layout.FIRM_SHEET, layout.item_header(item), item.unit_zh, note])
    notes.append([layout.PROJECT_SHEET, layout.USCC, "", "必填；与「107-2」中的企业对应"])
    notes.append([layout.PROJECT_SHEET, layout.YEAR, "", "必填；与「107-2」中的报告年度对应"])
    for item in catalogue.project_columns.values():
        if item.code_list and item.code_list in catalogue.code_lists:
            rule = "代码：" + "；".join(f"{k} {v}" for k, v in catalogue.code_lists[item.code_list].values.items())
        elif item.unit.value == "year_month":
            rule = "年月 YYYYMM，如 202503"
        else:
            rule = ""
        notes.append([layout.PROJECT_SHEET, layout.item_header(item), item.unit_zh, rule])
    notes.append([])
    for rule in ReportImporter.rules:  # the importer states its own rules
        notes.append(["", rule])
    for sheet_column, width in zip("ABCD", (12, 40, 14, 80), strict=True):
        notes.column_dimensions[sheet_column].width = width
    for cell in notes[1]:
        cell.font = Font(bold=True)
    return xlsx_bytes(book)
