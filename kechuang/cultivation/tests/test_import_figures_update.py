"""Yearly-figures import as officers use it: updating from the downloaded template, numbers as typed,
unit slips, conflicting rows, the template's own rules (issue 11, items 2, 5, 7, 8, 9)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kechuang.common.export import first_sheet
from kechuang.common.templates_xlsx import template_workbook
from kechuang.cultivation.importers import AnnualFiguresImporter
from kechuang.cultivation.models import AnnualFigures

SALES = "销售收入（营业收入）（万元）"
STAFF = "职工总数（年平均，人）"
RD = "研发费用总额（高新技术企业口径）（万元）"
NET = "净资产（万元）"


@pytest.fixture
def held(orgs):
    """acme_ltd's 2024 figures: sales 4,800 万元, R&D 300 万元, net assets 2,000 万元, 100 staff."""
    return AnnualFigures.objects.create(enterprise=orgs["acme_ltd"], year=2024, sales_revenue=Decimal("48000000"),
                                        rd_expense_hnte=Decimal("3000000"), net_assets=Decimal("20000000"),
                                        staff_total_avg=Decimal("100"), tech_staff_avg=Decimal("30"))


def from_template(rows: list[dict[str, object]]) -> io.BytesIO:
    """The downloaded template with ``rows`` filled in by header (other cells left blank)."""
    book = load_workbook(io.BytesIO(template_workbook(AnnualFiguresImporter)))
    sheet = book.worksheets[0]
    headers = [str(c.value) for c in sheet[1]]
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def plain_book(head: list[str], rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    first_sheet(book).append(head)
    for row in rows:
        first_sheet(book).append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def test_blank_template_columns_keep_the_held_values_and_the_row_says_updated(cast, orgs, held):
    uscc = orgs["acme_ltd"].uscc
    report = AnnualFiguresImporter(cast["city"]).run(
        from_template([{"统一社会信用代码": uscc, "会计年度": 2024, STAFF: 120}]), "figures.xlsx")
    assert report.written and report.updated == 1 and report.inserted == 0, report.problems
    assert "更新 1" in report.summary() and "已写入" in report.summary()
    assert [(r.row, r.action) for r in report.results] == [(2, "更新")]
    assert report.results[0].url == reverse("cultivation:figures-edit", args=[orgs["acme_ltd"].pk, 2024])
    held.refresh_from_db()
    assert held.staff_total_avg == 120
    assert (held.sales_revenue, held.rd_expense_hnte, held.net_assets) == (48_000_000, 3_000_000, 20_000_000)


def test_the_same_file_again_is_unchanged_and_says_nothing_was_written(cast, orgs, held):
    file = [{"统一社会信用代码": orgs["acme_ltd"].uscc, "会计年度": 2024, SALES: 4800}]
    report = AnnualFiguresImporter(cast["city"]).run(from_template(file), "figures.xlsx")
    assert report.unchanged == 1 and report.updated == 0 and held.history.count() == 1
    assert "已写入" not in report.summary() and "没有需要写入的数据" in report.summary()


def test_clear_marker_removes_a_held_value(cast, orgs, held):
    report = AnnualFiguresImporter(cast["city"]).run(
        from_template([{"统一社会信用代码": orgs["acme_ltd"].uscc, "会计年度": 2024, NET: "清空"}]), "figures.xlsx")
    assert report.updated == 1, report.problems
    held.refresh_from_db()
    assert held.net_assets is None and held.sales_revenue == 48_000_000


def test_a_new_year_says_added(cast, orgs, held):
    report = AnnualFiguresImporter(cast["city"]).run(
        from_template([{"统一社会信用代码": orgs["acme_ltd"].uscc, "会计年度": 2025, SALES: "5,200.5"}]), "f.xlsx")
    assert [(r.action) for r in report.results] == ["新增"]
    assert AnnualFigures.objects.get(year=2025).sales_revenue == Decimal("52005000")  # "5,200.5" read as typed


def test_numbers_with_separators_are_read_and_units_in_cells_refused(cast, orgs):
    uscc = orgs["acme_ltd"].uscc
    report = AnnualFiguresImporter(cast["city"]).run(
        plain_book(["统一社会信用代码", "会计年度", SALES, STAFF], [[uscc, 2024, "１，２３４．５", "12人"]]), "f.xlsx")
    assert not report.written
    assert [(p.column, p.message) for p in report.problems] == [(STAFF, "“12人”含单位“人”，请只填数字")]
    report = AnnualFiguresImporter(cast["city"]).run(
        plain_book(["统一社会信用代码", "会计年度", SALES], [[uscc, 2024, "12万元"]]), "f.xlsx")
    assert "含单位“万元”，请只填数字（本列单位：万元）" in report.problems[0].message


def test_figures_typed_in_yuan_get_the_pages_check_the_unit_warning(cast, orgs):
    uscc = orgs["acme_ltd"].uscc
    report = AnnualFiguresImporter(cast["city"]).run(
        plain_book(["统一社会信用代码", "会计年度", SALES, STAFF], [[uscc, 2024, 48_000_000, 100]]), "f.xlsx")
    assert report.written
    assert any("请核对单位" in w.message and w.row == 2 for w in report.warnings)


def test_a_header_in_yuan_is_refused_not_dropped(cast, orgs):
    report = AnnualFiguresImporter(cast["city"]).run(
        plain_book(["统一社会信用代码", "会计年度", "销售收入（营业收入）（元）"], [[orgs["acme_ltd"].uscc, 2024, 48_000_000]]),
        "f.xlsx")
    assert not report.written and not AnnualFigures.objects.exists()
    assert report.problems[0].column == "销售收入（营业收入）（元）" and "请核对单位" in report.problems[0].message


def test_two_rows_for_one_enterprise_year_that_differ_are_a_conflict(cast, orgs):
    uscc = orgs["acme_ltd"].uscc
    report = AnnualFiguresImporter(cast["city"]).run(
        plain_book(["统一社会信用代码", "会计年度", SALES], [[uscc, 2024, 4800], [uscc, 2024, 5100]]), "f.xlsx")
    assert not report.written and not AnnualFigures.objects.exists()
    assert [(p.row, p.column) for p in report.problems] == [(3, SALES)]
    assert "与第 2 行是同一条记录" in report.problems[0].message
    same = AnnualFiguresImporter(cast["city"]).run(
        plain_book(["统一社会信用代码", "会计年度", SALES], [[uscc, 2024, 4800], [uscc, 2024, "4,800"]]), "f.xlsx")
    assert same.written and same.duplicates == 1


def test_the_template_states_the_figures_rules_not_the_achievements(client, cast):
    client.force_login(cast["city"])
    book = load_workbook(io.BytesIO(client.get(reverse("cultivation:import-template")).content))
    text = " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert "同名成果" not in text and "专利申请号" not in text  # the achievements' duplicate rule, shipped before
    assert "清空" in text and "万元" in text and "新增" in text


def test_the_page_lists_each_row_with_its_link_and_warnings(client, cast, orgs, held):
    client.force_login(cast["city"])
    file = from_template([{"统一社会信用代码": orgs["acme_ltd"].uscc, "会计年度": 2024, STAFF: 100, SALES: 48_000_000}])
    file.name = "figures.xlsx"
    page = client.post(reverse("cultivation:import"), {"file": file}).content.decode()
    assert 'data-testid="import-results"' in page and "更新" in page
    assert reverse("cultivation:figures-edit", args=[orgs["acme_ltd"].pk, 2024]) in page
    assert 'data-testid="import-warnings"' in page and "请核对单位" in page
