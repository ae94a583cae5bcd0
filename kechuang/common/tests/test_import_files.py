"""Files that used to be misread, crash or exhaust a worker, built here, through every importer and the
import pages (issue 11, items 3, 4, 6, 8 and 32). One behaviour for the registries, the yearly figures
and the R&D bulk import: :mod:`kechuang.common.sheets` reads them all."""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from kechuang.common.export import first_sheet
from kechuang.common.imports import ImportFileError
from kechuang.common.sheets import MAX_COLUMNS
from kechuang.cultivation.importers import AnnualFiguresImporter
from kechuang.cultivation.models import AnnualFigures
from kechuang.market.importers import DemandImporter
from kechuang.market.models import Demand
from kechuang.rdreport.importers import ReportImporter

FIGURES_HEAD = ["统一社会信用代码", "会计年度", "销售收入（营业收入）（万元）", "职工总数（年平均，人）"]
PAGES = [("market:import", ["demands"]), ("cultivation:import", []), ("rdreport:import", [])]


def save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def sheet_of(rows: list[list], path: Path, *, start_row: int = 1) -> Path:
    book = Workbook()
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            first_sheet(book).cell(row=start_row + offset, column=column, value=value)
    return save(book, path)


def inflated_xlsx(path: Path, unpacked: int) -> Path:
    """A valid-looking xlsx whose sheet XML unpacks to ``unpacked`` bytes of identical rows (about
    1,000 times its packed size): a zip bomb."""
    template = io.BytesIO()
    Workbook().save(template)
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info.filename))
                continue
            head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>')
            tail = b"</sheetData></worksheet>"
            member = zipfile.ZipInfo(info.filename)
            member.compress_type = zipfile.ZIP_DEFLATED
            with target.open(member, "w", force_zip64=True) as out:
                out.write(head)
                block = row * (1 << 20 // len(row) + 1)
                written = len(head)
                while written < unpacked:
                    out.write(block)
                    written += len(block)
                out.write(tail)
    return path


def rewritten(path: Path, part: str, content: bytes | None) -> Path:
    """``path`` with one zip part replaced (None: removed)."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == part:
                if content is not None:
                    target.writestr(info, content)
            else:
                target.writestr(info, source.read(info.filename))
    return path


def run_all(path: Path, cast) -> list[str]:
    """The message each of the three importers gives for a file it cannot read."""
    messages = []
    for importer in (DemandImporter(cast["city"]), AnnualFiguresImporter(cast["city"]), ReportImporter(cast["city"])):
        with pytest.raises(ImportFileError) as caught:
            importer.run(path, path.name)
        messages.append(str(caught.value))
    return messages


# --------------------------------------------------------------------------------------------- item 3


def test_formula_cells_without_a_stored_result_are_refused_by_row_and_column(tmp_path, cast, orgs):
    book = Workbook()  # openpyxl, like many scripts, writes formulas without their result
    book.active.append(FIGURES_HEAD)
    book.active.append([orgs["acme_ltd"].uscc, 2024, "=1000*2", 20])
    path = save(book, tmp_path / "figures.xlsx")
    report = AnnualFiguresImporter(cast["city"]).run(path, path.name)
    assert not report.written and not AnnualFigures.objects.exists()
    problem = report.problems[0]
    assert (problem.row, problem.column) == (2, "销售收入（营业收入）（万元）")
    assert "没有保存计算结果" in problem.message and "WPS" in problem.message and "粘贴为数值" in problem.message


def test_a_formula_with_its_stored_result_is_read_as_that_result(tmp_path, cast, orgs):
    path = sheet_of([FIGURES_HEAD, [orgs["acme_ltd"].uscc, 2024, "=1000*2", 20]], tmp_path / "f.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>1000*2</f><v /></c>" in xml
    xml = xml.replace(b"<f>1000*2</f><v /></c>", b"<f>1000*2</f><v>2000</v></c>")  # as Excel saves it
    rewritten(path, "xl/worksheets/sheet1.xml", xml)
    report = AnnualFiguresImporter(cast["city"]).run(path, path.name)
    assert report.written, report.problems
    assert AnnualFigures.objects.get().sales_revenue == 20_000_000


# --------------------------------------------------------------------------------------------- item 4


def test_merged_header_cells_are_refused_with_where_they_are(tmp_path, cast, orgs):
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "会计年度", "财务数据（万元）", None])
    sheet.append([None, None, "销售收入（营业收入）", "净资产"])
    sheet.append([orgs["acme_ltd"].uscc, 2024, 1000, 300])
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("A1:A2")
    path = save(book, tmp_path / "merged.xlsx")
    messages = run_all(path, cast)
    assert all("合并单元格" in m and "C1:D1" in m for m in messages)
    assert not AnnualFigures.objects.exists()


def test_a_two_row_header_without_merges_is_refused_not_read_without_its_columns(tmp_path, cast, orgs):
    path = sheet_of([["统一社会信用代码", "会计年度", "财务数据", None],
                     [None, None, "销售收入（营业收入）（万元）", "净资产（万元）"],
                     [orgs["acme_ltd"].uscc, 2024, 1000, 300]], tmp_path / "two_rows.xlsx")
    with pytest.raises(ImportFileError, match="D 列有数据，但该列没有表头.*两行表头"):
        AnnualFiguresImporter(cast["city"]).run(path, path.name)


def test_a_header_named_twice_is_refused(tmp_path, cast, orgs):
    path = sheet_of([["需求名称", "需求企业", "需求名称"], ["甲", orgs["acme_ltd"].uscc, "乙"]], tmp_path / "twice.xlsx")
    with pytest.raises(ImportFileError, match="“需求名称”出现多次"):
        DemandImporter(cast["city"]).run(path, path.name)


# --------------------------------------------------------------------------------------------- item 6


def test_a_csv_field_over_the_csv_limit_is_a_clear_error_not_a_traceback(tmp_path, cast, orgs, client):
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["需求名称", "需求企业", "需求描述"], ["甲", orgs["acme_ltd"].uscc, "长" * 140_000]])
    with pytest.raises(ImportFileError, match="第 2 行"):
        DemandImporter(cast["city"]).run(path, path.name)
    client.force_login(cast["city"])
    with path.open("rb") as fh:
        response = client.post(reverse("market:import", args=["demands"]), {"file": fh})
    assert response.status_code == 200 and "第 2 行" in response.content.decode()


# --------------------------------------------------------------------------------------------- item 8


def test_row_numbers_are_excel_row_numbers_when_blank_rows_precede_the_header(tmp_path, cast, orgs):
    path = sheet_of([["需求名称", "需求企业", "预算下限（元）"], ["甲需求", orgs["acme_ltd"].uscc, "约五十万"]],
                    tmp_path / "late.xlsx", start_row=4)
    report = DemandImporter(cast["city"]).run(path, path.name)
    assert [(p.row, p.column) for p in report.problems] == [(5, "预算下限（元）")]  # was row 2


def test_an_empty_first_sheet_says_where_the_data_was_expected(tmp_path, cast, orgs):
    book = Workbook()
    book.active.title = "说明"
    data = book.create_sheet("数据")
    data.append(FIGURES_HEAD)
    data.append([orgs["acme_ltd"].uscc, 2024, 1000, 20])
    path = save(book, tmp_path / "second.xlsx")
    with pytest.raises(ImportFileError, match="第一张工作表「说明」为空.*「数据」有内容.*第一张工作表"):
        AnnualFiguresImporter(cast["city"]).run(path, path.name)


# --------------------------------------------------------------------------------------------- item 32


def test_an_inflated_xlsx_is_refused_before_it_is_read(tmp_path, cast, settings):
    settings.KECHUANG_MAX_XLSX_UNPACKED_MB = 16
    path = inflated_xlsx(tmp_path / "bomb.xlsx", 64 * 1024 * 1024)
    assert path.stat().st_size < 1024 * 1024  # 64 MB of sheet in well under 1 MB
    tracemalloc.start()
    messages = run_all(path, cast)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert all("解压后超过 16 MB" in m for m in messages)
    assert peak < 8 * 1024 * 1024, peak  # nothing was unpacked: far below the 64 MB the sheet holds


def test_a_sheet_declaring_more_columns_than_the_cap_is_refused_before_its_rows(tmp_path, cast):
    path = sheet_of([["需求名称"], ["甲"]], tmp_path / "wide.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:A2" />' in xml
    rewritten(path, "xl/worksheets/sheet1.xml", xml.replace(b'<dimension ref="A1:A2" />',
                                                             b'<dimension ref="A1:XFD1048576" />'))
    assert all("XFD1048576" in m for m in run_all(path, cast))


def test_a_csv_of_a_million_columns_is_refused(tmp_path, cast):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["列"] * 1_000_000) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=f"超过 {MAX_COLUMNS} 列"):
        DemandImporter(cast["city"]).run(path, path.name)


@pytest.mark.parametrize(("name", "part", "content"), [
    ("broken_xml", "xl/worksheets/sheet1.xml", b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                               b'2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x'),
    ("missing_sheet", "xl/worksheets/sheet1.xml", None),
    ("no_workbook", "xl/workbook.xml", None),
])
def test_broken_xlsx_files_get_a_clear_message_on_every_import_page(tmp_path, cast, client, name, part, content):
    path = rewritten(sheet_of([["需求名称"], ["甲"]], tmp_path / f"{name}.xlsx"), part, content)
    assert all(path.name in m and ("无法读取" in m or "损坏" in m) for m in run_all(path, cast))
    client.force_login(cast["city"])
    for url, args in PAGES:
        with path.open("rb") as fh:
            response = client.post(reverse(url, args=args), {"file": fh})
        assert response.status_code == 200, (url, response.status_code)
        assert "无法读取" in response.content.decode() or "损坏" in response.content.decode()


def test_not_a_zip_at_all_is_a_clear_message(tmp_path, cast):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(zlib.compress(b"not a spreadsheet"))
    assert all("不是有效的 Excel 文件" in m for m in run_all(path, cast))
    assert not Demand.objects.exists()
