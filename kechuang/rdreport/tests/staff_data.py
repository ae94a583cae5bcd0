"""Test data of the staff pages: a report that passes every error rule (T20 corrected), reports brought
to a given state through the services, and workbooks in the import layout."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from kechuang.common.export import first_sheet
from kechuang.engines.rdreport import form_catalogue
from kechuang.rdreport import layout, services
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.models import RdReport
from kechuang.rdreport.tests.conftest import T20_FIRM, T20_PROJECTS

YEAR = 2025


def good() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """T20 with R04 and R12 fixed: [8]..[19] sum to 1000, Σ人月 = 120 ≤ 10 × 12 (千元, 人, 人月)."""
    firm = {**T20_FIRM, "other_expense": "55"}
    projects = [{**p, "start_ym": int(p["start_ym"]), "end_ym": int(p["end_ym"])} for p in T20_PROJECTS]
    projects[1]["person_months"] = "50"  # codes and dates are whole numbers, as the page form gives them
    return firm, projects


def make_report(enterprise, city, status: str = ReportStatus.DRAFT, *, year: int = YEAR,
                firm: dict | None = None, projects: list | None = None, scale: int = 1) -> RdReport:
    """A report of ``enterprise`` brought to ``status`` by the city administrator ``city`` through the
    services (``scale`` multiplies every money figure)."""
    base_firm, base_projects = good()
    firm = dict(firm if firm is not None else base_firm)
    projects = [dict(p) for p in (projects if projects is not None else base_projects)]
    if scale != 1:
        money = {k for k, i in form_catalogue(year).firm_items.items() if i.unit.value == "money"}
        firm = {k: str(int(v) * scale) if k in money else v for k, v in firm.items()}
        for p in projects:
            p["expense"] = str(int(p["expense"]) * scale)
    report = services.save_content(RdReport(enterprise=enterprise, year=year), firm, projects, {}, city)
    if status == ReportStatus.DRAFT:
        return report
    services.submit(report, city)
    if status == ReportStatus.RETURNED:
        return services.return_report(report, city, [("", "请核对")])
    for step, reached in (("county_review", ReportStatus.COUNTY_REVIEWED), ("city_review", ReportStatus.CITY_REVIEWED),
                          ("deliver", ReportStatus.DELIVERED)):
        if report.status == status:
            break
        services.review(report, city, step)
        assert report.status == reached
    return report


def workbook(firm_rows: list[dict[str, Any]], project_rows: list[dict[str, Any]] | None = None,
             year: int = YEAR) -> io.BytesIO:
    """An import workbook: ``firm_rows`` as {header or item key: value} (keys are turned into the
    template's headers), and the 107-1 sheet when ``project_rows`` is given."""
    catalogue = form_catalogue(year)

    def header(key: str, items) -> str:
        return layout.item_header(items[key]) if key in items else key

    book = Workbook()
    sheet = first_sheet(book)
    sheet.title = layout.FIRM_SHEET
    headers = layout.firm_headers(year)
    sheet.append(headers)
    for row in firm_rows:
        named = {header(k, catalogue.firm_items): v for k, v in row.items()}
        sheet.append([named.get(h) for h in headers])
    if project_rows is not None:
        projects = book.create_sheet(layout.PROJECT_SHEET)
        headers = layout.project_headers(year)
        projects.append(headers)
        for row in project_rows:
            named = {header(k, catalogue.project_columns): v for k, v in row.items()}
            projects.append([named.get(h) for h in headers])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def rows_for(enterprise, firm: dict[str, Any], projects: list[dict[str, Any]], year: int = YEAR
             ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One report as a 107-2 row and its 107-1 rows (values as typed in Excel: numbers)."""
    def number(value: Any) -> Any:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value

    firm_row = {layout.USCC: enterprise.uscc, layout.YEAR: year, **{k: number(v) for k, v in firm.items()}}
    project_rows = [{layout.USCC: enterprise.uscc, layout.YEAR: year, **{k: number(v) for k, v in p.items()}}
                    for p in projects]
    return firm_row, project_rows
