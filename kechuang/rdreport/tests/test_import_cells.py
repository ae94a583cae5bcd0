"""R&D bulk import reads cells like every other importer: project dates, units, formulas, a bad year
beside other errors, the project sheet as the page describes it, R19b with its input (issue 11, items
1, 3, 7, 8, 9)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from kechuang.cultivation.models import AnnualFigures
from kechuang.engines.rdreport import form_catalogue
from kechuang.rdreport import layout
from kechuang.rdreport.importers import ReportImporter
from kechuang.rdreport.models import RdReport
from kechuang.rdreport.tests.staff_data import YEAR, good, rows_for, workbook

ITEMS = form_catalogue(YEAR).firm_items
R07 = layout.item_header(ITEMS["rd_expense_total"])
MONEY = {k for k, i in ITEMS.items() if i.unit.value == "money"}


def test_project_dates_typed_with_dots_or_slashes_are_their_month(cast, orgs):
    firm, projects = good()
    projects[0]["start_ym"], projects[0]["end_ym"] = "2025.1.2", "2025年12月"   # was stored as 202512
    projects[1]["start_ym"], projects[1]["end_ym"] = "2025/1/1", "2025-06"       # was stored as 202511
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    report = ReportImporter(cast["city"]).run(workbook([row], project_rows), "rd.xlsx")
    assert report.written, report.problems
    stored = RdReport.objects.get().projects
    assert [(p["start_ym"], p["end_ym"]) for p in stored] == [(202501, 202512), (202501, 202506)]


def test_a_bad_year_does_not_hide_the_rows_other_errors(cast, orgs):
    firm, projects = good()
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    row[layout.YEAR] = "二〇二五"
    row["labour_cost"] = "四百"
    report = ReportImporter(cast["city"]).run(workbook([row], project_rows), "rd.xlsx")
    found = {(p.row, p.column) for p in report.problems}
    assert (2, layout.YEAR) in found and (2, layout.item_header(ITEMS["labour_cost"])) in found


def test_a_header_in_wan_yuan_is_refused_with_the_unit_named(cast, orgs):
    firm, projects = good()
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    book = load_workbook(workbook([row], project_rows))
    header = next(c for c in book["107-2"][1] if c.value == R07)
    header.value = "7 研究开发费用合计（万元）"
    data = BytesIO()
    book.save(data)
    data.seek(0)
    report = ReportImporter(cast["city"]).run(data, "rd.xlsx")
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [(1, "7 研究开发费用合计（万元）")]
    assert "模板要求“千元”" in report.problems[0].message and "请核对单位" in report.problems[0].message


def test_a_report_typed_in_wan_yuan_gets_r19b_and_the_unit_warning(cast, orgs):
    AnnualFigures.objects.create(enterprise=orgs["acme_ltd"], year=YEAR, rd_expense_financial=Decimal("1000000"))
    firm, projects = good()
    firm = {k: str(Decimal(v) / 10) if k in MONEY else v for k, v in firm.items()}  # 千元 figures typed in 万元
    projects = [{**p, "expense": str(Decimal(p["expense"]) / 10)} for p in projects]
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    report = ReportImporter(cast["city"]).run(workbook([row], project_rows), "rd.xlsx")
    assert report.written, report.problems
    stored = RdReport.objects.get()
    assert "R19b" in {f["rule_id"] for f in stored.findings}  # the check runs, with the yearly figures' input
    messages = [w.message for w in report.warnings]
    assert any("财务状况表中的研发费用（1,000千元）" in m or "1,000" in m for m in messages), messages
    assert any("是否按“万元”填写了" in m and "请核对单位" in m for m in messages)


def test_formula_cells_without_results_are_refused_by_row_and_column(cast, orgs):
    firm, projects = good()
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    row["rd_expense_total"] = "=SUM(I2:T2)"
    report = ReportImporter(cast["city"]).run(workbook([row], project_rows), "rd.xlsx")
    assert not report.written
    assert any((p.row, p.column) == (2, R07) and "没有保存计算结果" in p.message for p in report.problems)


def test_without_a_project_sheet_a_new_report_is_told_where_its_projects_go(cast, orgs):
    firm, _ = good()
    row, _ = rows_for(orgs["acme_ltd"], firm, [])
    report = ReportImporter(cast["city"]).run(workbook([row]), "rd.xlsx")
    assert not report.written and "已写入" not in report.summary()
    assert all("新报表，须在该表逐个填写项目" in p.message for p in report.problems)


def test_the_page_and_the_template_say_when_the_project_sheet_is_needed(client, cast):
    client.force_login(cast["city"])
    page = client.get(reverse("rdreport:import")).content.decode()
    assert "每个项目一行（可选）" not in page and "新报表必须填写项目" in page
    book = load_workbook(BytesIO(client.get(reverse("rdreport:import-template")).content))
    text = " ".join(str(c.value) for r in book["填写说明"].iter_rows() for c in r if c.value)
    assert "新报表必须逐个填写项目" in text and "清空" in text


def test_two_rows_for_one_report_are_a_problem_and_the_summary_links_the_reports(cast, orgs, client):
    firm, projects = good()
    row, project_rows = rows_for(orgs["acme_ltd"], firm, projects)
    report = ReportImporter(cast["city"]).run(workbook([row, dict(row)], project_rows), "rd.xlsx")
    assert not report.written and any(p.row == 3 and "与第 2 行重复" in p.message for p in report.problems)
    report = ReportImporter(cast["city"]).run(workbook([row], project_rows), "rd.xlsx")
    assert [(r.row, r.action, r.url) for r in report.results] == [(2, "新增", RdReport.objects.get().get_absolute_url())]
