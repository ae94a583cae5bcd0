"""Reading an uploaded xlsx or csv into a header and rows, safely: the one reader every importer uses.

What it guards against, before or while reading:

* **Inflated archives** (a 1 MB xlsx that unpacks to 1 GiB): the zip directory's declared sizes are
  summed before anything is unpacked; over :func:`max_unpacked_bytes` the file is refused. Python's
  zipfile never inflates a member beyond its declared size, so the declared sizes bound the memory.
* **Huge sheets**: a sheet whose declared dimension (``<dimension ref>``) passes :data:`MAX_COLUMNS`
  columns or :data:`MAX_ROWS` rows is refused before it is read; rows are streamed and reading stops at
  the first row or cell over a cap (a csv of 1,000,000 columns, a cell over 32,767 characters — Excel's
  own limit, or over the csv module's 131,072).
* **Broken files**: not a zip, a missing sheet part, broken sheet XML, an undecodable csv: a Chinese
  :class:`ImportFileError` naming the file, never a crash.
* **Formula cells without a stored result** (files written by scripts): reported by row and column,
  since reading them as blank would lose data.
* **Layouts that would drop columns**: merged cells (in the header or the data), a value in a column
  without a header (a two-row header), a header named twice; refused with where it is.

Rows carry the spreadsheet's own row numbers (Excel's, also when blank rows precede the header; for a
csv, the record number). The header is the first row that is not blank.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any
from xml.etree.ElementTree import ParseError

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

MAX_COLUMNS = 1000
MAX_ROWS = 200_000
MAX_CELL_CHARS = 32_767  # Excel's own limit of a cell
#: The most shared strings an xlsx may hold: openpyxl loads them all, ~60 bytes each in memory however
#: short (1,000,000: about 90 MB; a file of 20,000 registry rows holds well under 200,000).
MAX_SHARED_STRINGS = 1_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_SHARED_STRINGS_PART = re.compile(rb'PartName="/?([^"]+)"\s+ContentType="[^"]*sharedStrings\+xml"')
#: The most cells kept from one sheet (rows × their width up to the last filled cell): a row of one cell
#: in the 1000th column is 1,000 cells once read. 5,000,000 is 200,000 rows of 25 columns.
MAX_CELLS = 5_000_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read as a table (format, encoding, size, layout); the message is
    Chinese and names the file."""


def max_unpacked_bytes() -> int:
    """The largest total unpacked size of an xlsx, in bytes (``KECHUANG_MAX_XLSX_UNPACKED_MB``, default
    200 MB: an xlsx of 20,000 registry rows unpacks to about 30 MB)."""
    return int(getattr(settings, "KECHUANG_MAX_XLSX_UNPACKED_MB", 200)) * 1024 * 1024


@dataclass
class Table:
    """One sheet as read. ``headers``: the header row's cells as text ("" for a blank one);
    ``header_row``: its row number (0: no header); ``rows``: (row number, cells) of the non-blank rows
    below it; ``cell_problems``: (row number, column index from 0, message) of cells that cannot be
    read as stored (a formula without a result)."""

    name: str
    headers: list[str] = field(default_factory=list)
    header_row: int = 0
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    cell_problems: list[tuple[int, int, str]] = field(default_factory=list)

    def header_at(self, index: int) -> str:
        """The header of column ``index`` (from 0), or its letter when it has none."""
        header = self.headers[index] if index < len(self.headers) else ""
        return header or f"{get_column_letter(index + 1)} 列"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def header_text(value: Any) -> str:
    """A header cell as text: blanks trimmed, full-width spaces and line breaks turned into one space."""
    return "" if value is None else " ".join(str(value).replace("\u3000", " ").split())


def _too_long(file: str, row: int, column: int) -> ImportFileError:
    return ImportFileError(f"{file}：第 {row} 行第 {get_column_letter(column + 1)} 列的单元格超过 {MAX_CELL_CHARS} 个字符，"
                      "无法导入（单元格不能超过 Excel 的上限）")


def _too_wide(file: str, row: int) -> ImportFileError:
    return ImportFileError(f"{file}：第 {row} 行超过 {MAX_COLUMNS} 列，不是导入模板的格式")


class _Builder:
    """Turns streamed rows into a :class:`Table`: finds the header, checks caps and headerless values."""

    def __init__(self, file: str, sheet: str) -> None:
        self.file = file
        self.table = Table(sheet)
        self.headerless: ImportFileError | None = None  # raised once the merged cells were checked
        self.cells = 0  # cells kept so far (MAX_CELLS)

    def add(self, number: int, values: list[Any] | tuple[Any, ...]) -> None:
        if number > MAX_ROWS:
            raise ImportFileError(f"{self.file}：超过 {MAX_ROWS} 行，请拆分文件")
        if self.headerless is not None:
            return  # the table is refused already: later rows are only read through to the merged cells
        values = list(values)
        while values and _blank(values[-1]):
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise _too_wide(self.file, number)
        for index, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise _too_long(self.file, number, index)
        if not values:
            return
        table = self.table
        if not table.header_row:
            table.header_row = number
            table.headers = [header_text(v) for v in values]
            named = [h for h in table.headers if h]
            repeated = sorted({h for h in named if named.count(h) > 1})
            if repeated:
                raise ImportFileError(f"{self.file}：「{table.name}」表头中“{'”“'.join(repeated)}”出现多次，"
                                 "每列表头只能出现一次")
            return
        for index, value in enumerate(values):
            if not _blank(value) and (index >= len(table.headers) or not table.headers[index]) \
                    and self.headerless is None:
                self.headerless = ImportFileError(
                    f"{self.file}：「{table.name}」第 {number} 行 {get_column_letter(index + 1)} 列有数据，但该列没有表头"
                    f"（表头在第 {table.header_row} 行且只能占一行：两行表头请合并为一行，每列都写列名）")
        if self.headerless is not None:
            return  # the table is refused: its rows need not be kept (a sparse far column is 1,000 cells each)
        self.cells += len(values)
        if self.cells > MAX_CELLS:
            raise ImportFileError(f"{self.file}：「{table.name}」超过 {MAX_CELLS} 个单元格（至第 {number} 行），请拆分文件")
        table.rows.append((number, values))


# --------------------------------------------------------------------------------------------- xlsx


def _check_archive(raw: bytes, file: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(f"{file}：不是有效的 Excel 文件（.xlsx），无法读取；请在 Excel 或 WPS 中另存为 .xlsx 后重试") from exc
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_unpacked_bytes():
        raise ImportFileError(f"{file}：解压后超过 {max_unpacked_bytes() // (1024 * 1024)} MB（约 {unpacked // (1024 * 1024)} MB），"
                         "不是正常的导入文件；请只保留需要导入的工作表与数据")
    return archive


def _check_shared_strings(archive: zipfile.ZipFile, file: str) -> None:
    """Refuse a workbook whose shared-strings table holds more than :data:`MAX_SHARED_STRINGS` strings,
    counted in the XML (streamed) before openpyxl loads them all: 200 MB of ``<si><t>a</t></si>`` is
    11 million strings, over 1 GB in memory, within the unpacked-size cap.

    Raises:
        ImportFileError: too many shared strings.
    """
    try:
        info = archive.getinfo("[Content_Types].xml")
        types = archive.read(info) if info.file_size < 1 << 20 else b""
    except KeyError:
        types = b""
    parts = {m.group(1).decode() for m in _SHARED_STRINGS_PART.finditer(types)} | {
        info.filename for info in archive.infolist() if info.filename.lower().endswith("sharedstrings.xml")}
    for part in sorted(parts):
        try:
            source = archive.open(part)
        except KeyError:
            continue
        count, tail = 0, b""
        with source:
            while chunk := source.read(1 << 20):
                text = tail + chunk
                count += sum(1 for m in _SHARED_STRING.finditer(text) if m.end() > len(tail))
                if count > MAX_SHARED_STRINGS:
                    raise ImportFileError(f"{file}：共享字符串超过 {MAX_SHARED_STRINGS} 个，不是正常的导入文件；"
                                          "请只保留需要导入的工作表与数据，或拆分文件")
                tail = text[-8:]


def _scan_sheet(archive: zipfile.ZipFile, path: str) -> tuple[str | None, list[str], bool]:
    """Declared dimension, merged ranges and whether there are formulas, from one pass over the sheet XML
    (streamed in 1 MB pieces)."""
    dimension: str | None = None
    merges: dict[str, None] = {}
    formulas = False
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            if dimension is None and (match := _DIMENSION.search(text)):
                dimension = match.group(1).decode()
            formulas = formulas or bool(_FORMULA.search(text))
            for match in _MERGE.finditer(text):
                merges.setdefault(match.group(1).decode())
                if len(merges) > 1000:
                    break
            tail = text[-200:]  # a tag cut between two pieces is found in the next round
    return dimension, list(merges), formulas


class Workbook:
    """An uploaded xlsx opened for reading after the archive checks. Use :meth:`table`, then
    :meth:`close` (or as a context manager).

    Raises:
        ImportFileError: not an xlsx, inflated beyond the cap, or unreadable.
    """

    def __init__(self, raw: bytes, file: str) -> None:
        self.file = file
        self.raw = raw
        self.archive = _check_archive(raw, file)
        try:
            _check_shared_strings(self.archive, file)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            self.archive.close()
            raise ImportFileError(f"{file}：Excel 文件已损坏，无法读取；请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试") from exc
        except ImportFileError:
            self.archive.close()
            raise
        self._formulas: Any = None  # the workbook read with formulas, opened only when a sheet has some
        try:
            self.values = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            raise ImportFileError(f"{file}：Excel 文件已损坏或缺少工作表，无法读取；"
                             "请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试") from exc
        self.names: list[str] = list(self.values.sheetnames)
        if not self.names:  # openpyxl skips a sheet whose part is missing
            self.close()
            raise ImportFileError(f"{file}：文件中没有可读取的工作表（工作表缺失或已损坏），无法读取；"
                                  "请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试")

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the archive."""
        self.values.close()
        if self._formulas is not None:
            self._formulas.close()
        self.archive.close()

    def formulas(self) -> Any:
        """The workbook read again with formulas instead of their results (to find the cells whose
        result was never stored)."""
        if self._formulas is None:
            self._formulas = load_workbook(io.BytesIO(self.raw), read_only=True, data_only=False)
        return self._formulas

    def table(self, name: str) -> Table:
        """The sheet ``name`` as a :class:`Table`.

        Raises:
            ImportFileError: over the caps, merged cells, a headerless value, a repeated header, broken XML.
        """
        sheet = self.values[name]
        path = sheet._worksheet_path  # type: ignore[attr-defined]  # noqa: SLF001 - openpyxl keeps the part's path only here (untyped)
        try:
            dimension, merges, has_formulas = _scan_sheet(self.archive, path)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ImportFileError(f"{self.file}：工作表「{name}」已损坏或缺失，无法读取") from exc
        if dimension:
            min_col, min_row, max_col, max_row = range_boundaries(dimension if ":" in dimension
                                                                  else f"{dimension}:{dimension}")
            if (max_col or 0) > MAX_COLUMNS or (max_row or 0) > MAX_ROWS:
                raise ImportFileError(f"{self.file}：工作表「{name}」的范围为 {dimension}（超过 {MAX_COLUMNS} 列或 {MAX_ROWS} 行），"
                                 "不是导入模板的格式；请删除多余的行列后重试")
        builder = _Builder(self.file, name)
        formula_rows: Iterator[Any] = iter(())
        if has_formulas:
            formula_rows = self.formulas()[name].iter_rows(min_row=1, min_col=1)
        try:
            for number, (values, cells) in enumerate(
                    zip_longest(sheet.iter_rows(min_row=1, min_col=1, values_only=True), formula_rows), start=1):
                values = values or ()
                for index, cell in enumerate(cells or ()):
                    if getattr(cell, "data_type", None) == "f" and (index >= len(values) or values[index] is None):
                        builder.table.cell_problems.append(
                            (number, index, f"公式单元格（{cell.value}）没有保存计算结果；请在 Excel 或 WPS 中打开并保存文件，"
                                            "或将公式“选择性粘贴为数值”后再导入"))
                builder.add(number, values)
        except ImportFileError:
            raise
        except (ParseError, KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ImportFileError(f"{self.file}：工作表「{name}」的内容已损坏，无法读取；"
                             "请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试") from exc
        table = builder.table
        if merges and table.header_row:
            bad = []
            for ref in merges:
                _, top, _, bottom = range_boundaries(ref)
                if (bottom or 0) >= table.header_row:
                    bad.append((ref, (top or 0) <= table.header_row))
            if bad:
                refs = "、".join(ref for ref, _ in bad[:5]) + ("等" if len(bad) > 5 else "")
                what = "表头有合并单元格" if any(in_header for _, in_header in bad) else "数据区有合并单元格"
                raise ImportFileError(f"{self.file}：「{name}」{what}（{refs}），合并后只有左上角的格有值，其余列或行会丢失；"
                                 "请取消合并，表头只占一行、每列一个列名，数据逐行填写")
        if builder.headerless is not None:
            raise builder.headerless
        table.cell_problems = [p for p in table.cell_problems if p[0] > table.header_row]
        return table

    def _has_content(self, name: str) -> bool:
        try:
            return bool(self.table(name).header_row)
        except ImportFileError:  # unreadable as a table, but not empty
            return True

    def first_table(self) -> Table:
        """The first sheet as a :class:`Table`; when it is empty and another sheet is not, says so.

        Raises:
            ImportFileError: as :meth:`table`, or the first sheet is empty.
        """
        first = self.table(self.names[0])
        if first.header_row:
            return first
        others = [n for n in self.names[1:] if self._has_content(n)]
        where = f"；文件中「{'」「'.join(others)}」有内容，请把数据移到第一张工作表" if others else ""
        raise ImportFileError(f"{self.file}：第一张工作表「{self.names[0]}」为空，数据应从它的第一行表头开始{where}")


# --------------------------------------------------------------------------------------------- csv


def decode_csv(raw: bytes, file: str) -> str:
    """The text of a csv in UTF-8 (with or without BOM) or GB18030.

    Raises:
        ImportFileError: neither encoding.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{file}：无法识别文件编码（请保存为 UTF-8 或 GBK）")


def read_csv(raw: bytes, file: str) -> Table:
    """A csv as a :class:`Table` (row numbers are record numbers, as a spreadsheet shows them).

    Raises:
        ImportFileError: encoding, a field over the csv module's limit, a row over :data:`MAX_COLUMNS`, a cell
            over :data:`MAX_CELL_CHARS`, a headerless value or a repeated header.
    """
    builder = _Builder(file, "csv")

    def lines() -> Iterator[str]:
        # A line without quotes and with MAX_COLUMNS commas is too wide: refused before the csv module
        # splits it into a million strings.
        for line_number, line in enumerate(io.StringIO(decode_csv(raw, file)), start=1):
            if '"' not in line and line.count(",") >= MAX_COLUMNS:
                raise _too_wide(file, line_number)
            yield line

    reader = csv.reader(lines())
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            builder.add(number, values)
        if builder.headerless is not None:
            raise builder.headerless
    except csv.Error as exc:
        raise ImportFileError(f"{file}：第 {number + 1} 行无法读取：有单元格超过 {csv.field_size_limit()} 个字符，"
                         "或引号不成对") from exc
    return builder.table
