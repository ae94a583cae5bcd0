"""Files and cells the first round of import fixes did not foresee (found by trying to break them):
a shared-strings table of millions of tiny strings, a sheet of sparse rows each naming a far column,
and a figure with blanks inside it. Each file is built here and goes through the real importers."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from kechuang.common.cells import CellError, read_number
from kechuang.common.export import first_sheet
from kechuang.common.imports import ImportFileError
from kechuang.common.sheets import MAX_SHARED_STRINGS
from kechuang.cultivation.importers import AnnualFiguresImporter
from kechuang.cultivation.models import AnnualFigures
from kechuang.market.importers import DemandImporter

FIGURES_HEAD = ["统一社会信用代码", "会计年度", "销售收入（营业收入）（万元）", "职工总数（年平均，人）"]


def _rebuilt(path: Path, book: Workbook, change) -> Path:
    """``book`` saved to ``path`` with ``change(name, data) -> data | None`` applied to every part and
    ``change(None, None)`` returning extra parts to add as ``[(name, chunks)]``."""
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info, data)
        for name, chunks in change(None, None) or []:
            member = zipfile.ZipInfo(name)
            member.compress_type = zipfile.ZIP_DEFLATED
            with target.open(member, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk)
    return path


def shared_strings_bomb(path: Path, count: int) -> Path:
    """An xlsx of one small sheet whose shared-strings table holds ``count`` one-letter strings (17
    bytes each unpacked, a few bytes packed)."""
    book = Workbook()
    first_sheet(book).append(["需求名称", "需求企业"])
    strings_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

    def change(name, data):
        if name is None:
            block = b"<si><t>a</t></si>" * 100_000
            head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main">')
            return [("xl/sharedStrings.xml", [head, *([block] * (count // 100_000)), b"</sst>"])]
        if name == "xl/sharedStrings.xml":
            return None
        if name == "[Content_Types].xml" and b"sharedStrings" not in data:
            data = data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{strings_type}"/>'
                                             "</Types>".encode())
        if name == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
            data = data.replace(b"</Relationships>", f'<Relationship Id="rIdS" Type="{relation}" '
                                                     'Target="sharedStrings.xml"/></Relationships>'.encode())
        return data

    return _rebuilt(path, book, change)


def sparse_rows(path: Path, rows: int, column: str) -> Path:
    """An xlsx whose sheet has no declared dimension and ``rows`` rows of one cell each, in ``column``
    (each such row is a ~40-byte line in the XML but ``column``'s number of cells once read)."""
    book = Workbook()
    first_sheet(book).append(["需求名称", "需求企业", "需求描述"])

    def change(name, data):
        if name == "xl/worksheets/sheet1.xml":
            data = re.sub(rb"<dimension ref=\"[^\"]*\"\s*/>", b"", data)
            body = b"".join(b'<row r="%d"><c r="%s%d"><v>1</v></c></row>' % (i, column.encode(), i)
                            for i in range(2, rows + 2))
            data = data.replace(b"</sheetData>", body + b"</sheetData>")
        return data

    return _rebuilt(path, book, change)


def _peak_mb(run) -> int:
    """The peak of Python memory (MB) while ``run()`` raises the ImportFileError it is expected to."""
    tracemalloc.start()
    try:
        run()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak // (1024 * 1024)


def test_a_shared_strings_bomb_is_refused_before_openpyxl_loads_the_table(tmp_path, cast):
    # 3 MB of strings over the cap: in memory each is a Python string (~60 bytes); the 200 MB unpacked
    # cap let through 11 million of them, taking a worker from 130 MB to over 1 GB.
    path = shared_strings_bomb(tmp_path / "strings.xlsx", MAX_SHARED_STRINGS + 100_000)

    def run():
        with pytest.raises(ImportFileError, match="共享字符串"):
            DemandImporter(cast["city"]).run(path, path.name)
    assert _peak_mb(run) < 30


def test_sparse_rows_naming_a_far_column_do_not_fill_memory(tmp_path, cast):
    # 30,000 rows with one cell in column ALL (the 1000th): read, each is 1,000 cells (240 MB stored
    # whole); a 1 MB file of 190,000 such rows took a worker to 1.6 GB before the headerless column was
    # reported.
    path = sparse_rows(tmp_path / "sparse.xlsx", 30_000, "ALL")

    def run():
        with pytest.raises(ImportFileError, match="ALL 列有数据，但该列没有表头"):
            DemandImporter(cast["city"]).run(path, path.name)
    assert _peak_mb(run) < 60


@pytest.mark.parametrize("typed", ["12 5", "1 23 4", "1 2 3", "12 345 6"])
def test_a_number_with_blanks_that_are_no_thousands_groups_is_refused(typed):
    with pytest.raises(CellError):
        read_number(typed)


@pytest.mark.parametrize(("typed", "number"), [("1 234", Decimal("1234")), ("1\u00a0234.5", Decimal("1234.5")),
                                               ("12 345 678", Decimal("12345678")), (" 12 ", Decimal("12"))])
def test_blanks_as_thousands_groups_are_read(typed, number):
    assert read_number(typed) == number


def test_a_yearly_figure_typed_with_a_stray_blank_is_refused_not_read_as_another_number(tmp_path, cast, orgs):
    path = tmp_path / "figures.csv"
    path.write_text(",".join(FIGURES_HEAD) + f"\n{orgs['acme_ltd'].uscc},2024,12 5,20\n", encoding="utf-8")
    report = AnnualFiguresImporter(cast["city"]).run(path, path.name)
    assert not report.written and not AnnualFigures.objects.exists()
    assert [(p.row, p.column) for p in report.problems] == [(2, "销售收入（营业收入）（万元）")]
