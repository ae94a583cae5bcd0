"""Importing registry rows from xlsx, csv or jsonl files: one more input format in front of the forms.

A file becomes rows; each row is mapped to form fields by its headers (the template's Chinese headers,
known aliases, or an explicit mapping), converted, and validated by the same form as the page. Errors
come back by row and column. By default nothing is written unless every row is good (all or nothing);
``valid_only`` writes the good rows and reports the rest. Rows that repeat a record already registered,
or an earlier row of the same file, are reported as duplicates and not written, so importing the same
file twice changes nothing.

Rows are numbered as a spreadsheet user sees them: the header is row 1, the first record row 2 (for
jsonl, the first line is row 1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction

from kechuang.common.sheets import ImportFileError, Workbook, read_csv

SUPPORTED = (".xlsx", ".csv", ".jsonl")
BAD_ROW = "\0bad-row"  # key of a row that could not be read at all (its value says why)
CELL_PROBLEMS = "\0cell-problems"  # key of a row's cells that cannot be read as stored: [(header, message)]
__all__ = ["ImportFileError", "ImportColumn", "ImportReport", "Importer", "RowProblem", "read_table"]


@dataclass(frozen=True)
class ImportColumn:
    """A column of a registry's template: form field ``key``, Chinese ``header``, accepted ``aliases``,
    whether it is ``required``, a ``note`` for the template's instructions sheet, an ``example`` value,
    ``export`` (record → cell value in the same form the import accepts) and the ``unit`` of a figure."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    example: str = ""
    export: Callable[[Any], Any] | None = None
    unit: str = ""  # the unit its figures are in (万元, 元, 千元); a header naming another unit is refused

    @property
    def money_unit(self) -> str:
        """``unit``, or the money unit the header names in brackets (``"预算上限（元）"`` → 元)."""
        return self.unit or split_unit(self.header)[1]


@dataclass
class RowProblem:
    """One bad value: spreadsheet row, column header, Chinese message."""

    row: int
    column: str
    message: str


@dataclass
class RowResult:
    """What became of one written (or unchanged) row: its number, 新增 / 更新 / 未变, the record's name
    and the page that shows it ("" when it has none)."""

    row: int
    action: str
    label: str
    url: str = ""


ADDED, UPDATED, UNCHANGED = "新增", "更新", "未变"


@dataclass
class ImportReport:
    """What an import read, wrote and refused. ``rows_read == inserted + updated + unchanged + duplicates +
    rejected`` when written (all or nothing with problems writes nothing: ``inserted == updated == 0``).
    ``warnings`` are unusual values written anyway (请核对单位); ``results`` say per row what happened."""

    file: str
    mode: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate_rows: list[RowProblem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    results: list[RowResult] = field(default_factory=list)
    written: bool = False
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return len(self.duplicate_rows)

    @property
    def rejected(self) -> int:
        return len({p.row for p in self.problems if p.row > 0})

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> int:
        """Records written (inserted or updated); 0 when nothing was written."""
        return self.inserted + self.updated if self.written else 0

    def state(self) -> str:
        """已写入 only when something was written."""
        if self.changed:
            return "已写入"
        if self.written:
            return "没有需要写入的数据"
        return "未写入任何数据"

    def summary(self) -> str:
        counts = f"新增 {self.inserted}，"
        if self.updated or self.unchanged:
            counts += f"更新 {self.updated}，未变 {self.unchanged}，"
        return (f"{self.file}：读取 {self.rows_read} 行，{counts}重复 {self.duplicates}，"
                f"有误 {self.rejected}（{self.state()}）")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, str):
        return value.strip()
    return value


def read_table(source: Path | BinaryIO, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]], int]:
    """Headers, an iterator of (row number, {header: value}) and the number of data rows. xlsx and csv
    go through :mod:`kechuang.common.sheets` (archive and size checks, Excel's row numbers, merged
    cells and headerless values refused); a cell that cannot be read as stored (a formula without a
    result) is listed under the row's :data:`CELL_PROBLEMS` key as (header, message).

    Raises:
        ImportFileError: unsupported extension, unreadable or inflated file, no header row, or a layout
            that would drop columns.
    """
    suffix = Path(name).suffix.lower()
    raw = source.read_bytes() if isinstance(source, Path) else source.read()
    file = Path(name).name
    if suffix in (".xlsx", ".csv"):
        if suffix == ".xlsx":
            with Workbook(raw, file) as book:
                table = book.first_table()
        else:
            table = read_csv(raw, file)
        if not table.header_row:
            raise ImportFileError(f"{file}：文件为空，没有表头行")
        headers = table.headers
        problems: dict[int, list[tuple[str, str]]] = {}
        for row, index, message in table.cell_problems:
            problems.setdefault(row, []).append((table.header_at(index), message))
        body = []
        for number, values in table.rows:
            cells = {h: _cell(v) for h, v in zip(headers, values, strict=False) if h}
            if number in problems:
                cells[CELL_PROBLEMS] = problems[number]
            body.append((number, cells))
        return headers, iter(body), len(body)
    if suffix == ".jsonl":
        records = []
        keys: dict[str, None] = {}  # every record's keys, in first-seen order
        try:
            lines = raw.decode("utf-8-sig").splitlines()
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{name}：jsonl 文件须为 UTF-8 编码") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                records.append((number, {BAD_ROW: f"不是有效的 JSON：{exc.msg}"}))
                continue
            except (RecursionError, ValueError):
                records.append((number, {BAD_ROW: "不是有效的 JSON（嵌套过深或数字过长）"}))
                continue
            if not isinstance(record, dict):
                records.append((number, {BAD_ROW: "应为 JSON 对象"}))
                continue
            keys.update(dict.fromkeys(record))
            records.append((number, {k: _cell(v) for k, v in record.items()}))
        return list(keys), iter(records), len(records)
    raise ImportFileError(f"{name}：不支持的文件类型（支持 {'、'.join(SUPPORTED)}）")


def header_map(columns: Iterable[ImportColumn], headers: list[str], mapping: dict[str, str] | None
               ) -> tuple[dict[str, str], list[str]]:
    """Which file header feeds which field: {header: field key}, and the headers nothing reads.

    ``mapping`` maps a file header to a template header or a field key and wins over the defaults.
    """
    columns = list(columns)
    by_name: dict[str, str] = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            by_name.setdefault(name, column.key)
    result: dict[str, str] = {}
    for header in headers:
        target = (mapping or {}).get(header)
        key = by_name.get(target) if target else by_name.get(header)
        if key:
            result[header] = key
    ignored = [h for h in headers if h and h not in result and h != BAD_ROW]
    return result, ignored


def mapping_problems(columns: Iterable[ImportColumn], headers: list[str], mapping: dict[str, str] | None
                     ) -> list[RowProblem]:
    """File-level problems of a column mapping: a source header not in the file, a target that is no
    column of the template."""
    known = {name for c in columns for name in (c.header, c.key, *c.aliases)}
    problems = []
    for source, target in (mapping or {}).items():
        if source not in headers:
            problems.append(RowProblem(1, source, f"列映射中的文件列“{source}”不在文件中"))
        if target not in known:
            problems.append(RowProblem(1, source, f"列映射的目标“{target}”不是模板中的列"))
    return problems


_UNIT_SUFFIX = re.compile(r"^(.+?)\s*[（(]\s*([^（）()]+?)\s*[）)]$")
MONEY_UNITS = ("元", "百元", "千元", "万元", "亿元")


def split_unit(header: str) -> tuple[str, str]:
    """A header's name and the money unit in its trailing brackets (``"销售收入（元）"`` → ("销售收入", "元"));
    the unit is "" when the brackets hold no money unit."""
    match = _UNIT_SUFFIX.match(header)
    if match and match.group(2) in MONEY_UNITS:
        return match.group(1), match.group(2)
    return header, ""


def unit_problems(headers: Iterable[str], units: dict[str, tuple[str, str]]) -> list[RowProblem]:
    """Headers that name a column with another money unit than the template's, as header-row problems
    (a file in 元 where the template wants 万元 would be read 10,000 times too large, or dropped).

    ``units``: column name without unit → (the template's unit, the template's header).
    """
    problems = []
    for header in headers:
        name, unit = split_unit(header)
        if unit and name in units and units[name][0] != unit:
            wanted, template = units[name]
            problems.append(RowProblem(1, header, f"本列单位为“{unit}”，模板要求“{wanted}”：请换算为{wanted}后填入"
                                                  f"“{template}”列，请核对单位"))
    return problems


def column_units(columns: Iterable[ImportColumn]) -> dict[str, tuple[str, str]]:
    """Column name without unit → (unit, template header), for the columns that have a unit."""
    out: dict[str, tuple[str, str]] = {}
    for column in columns:
        if column.money_unit:
            for name in (column.header, *column.aliases):
                out.setdefault(split_unit(name)[0], (column.money_unit, column.header))
    return out


class Importer:
    """Base of a registry's importer. Subclasses set ``label``, ``columns``, ``form_class`` and implement
    :meth:`prepare` (raw cells → form data, appending problems), :meth:`keys` (duplicate keys of a valid
    row) and :meth:`existing_keys` (the keys already registered)."""

    label: str = ""
    columns: tuple[ImportColumn, ...] = ()
    form_class: Any = None
    batch_size = 500
    #: The lines of the template's instructions under the columns: this importer's own rules.
    rules: tuple[str, ...] = ()

    def __init__(self, user: Any = None, defaults: dict[str, Any] | None = None) -> None:
        self.user = user
        self.defaults = defaults or {}
        self.preset_sources: set[str] = set()

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)

    def prepare(self, cells: dict[str, Any], problems: list[tuple[str, str]]) -> dict[str, Any]:
        raise NotImplementedError

    def keys(self, instance: Any) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def existing_keys(self) -> set[tuple[Any, ...]]:
        raise NotImplementedError

    def provided_keys(self) -> set[str]:
        """Fields the importer fills itself when the file has no column for them."""
        return set(self.defaults)

    def finish(self, instance: Any, data: dict[str, Any]) -> None:
        """Set what the form does not hold (status, source) on a valid row's unsaved record."""

    def before(self) -> None:
        """Called once inside the transaction before the rows (e.g. to create placeholder owners)."""

    def write(self, instances: list[Any]) -> None:
        raise NotImplementedError

    def action(self, instance: Any) -> str:
        """What writing a valid row's record does: :data:`ADDED` (default), :data:`UPDATED`, or
        :data:`UNCHANGED` (then it is not written)."""
        return ADDED

    def row_warnings(self, form: Any) -> list[str]:
        """Unusual values of a valid row worth a second look (the page's 请核对 notes); written anyway."""
        warnings = getattr(form, "warnings", None)
        return list(warnings()) if callable(warnings) else []

    def result(self, number: int, action: str, instance: Any) -> RowResult:
        """The row's line in the report, with a link to the record when it has a page."""
        url = ""
        if getattr(instance, "pk", None) and hasattr(instance, "get_absolute_url"):
            url = instance.get_absolute_url()
        return RowResult(number, action, str(instance), url)

    def _file_problems(self, headers: list[str], mapping: dict[str, str] | None) -> list[RowProblem]:
        # A preset's own entries may name columns a given file lacks; only the user's are checked.
        user_mapping = {k: v for k, v in (mapping or {}).items() if k not in self.preset_sources}
        problems = mapping_problems(self.columns, headers, user_mapping)
        problems += unit_problems(headers, column_units(self.columns))
        return problems

    def _row_problems(self, number: int, raw: dict[str, Any], mapped: dict[str, str]
                      ) -> tuple[list[RowProblem], Any, dict[str, Any]]:
        """Every problem of one row (cells that cannot be read, conversions and the form, all reported
        together), and the valid form with its data when there is none."""
        cells = {**self.defaults, **{mapped[h]: v for h, v in raw.items() if h in mapped}}
        # first, so that the form's "required" for the same column does not replace the real reason
        problems = [RowProblem(number, header, message) for header, message in raw.get(CELL_PROBLEMS, [])]
        conversion: list[tuple[str, str]] = []
        data = self.prepare(cells, conversion)
        form = self.form_class(data=data, user=self.user)
        # Duplicates are reported below as duplicates, not as form errors.
        form.validate_unique = lambda: None
        form.skip_duplicate_checks = True
        problems += [RowProblem(number, self.header_of(k), m) for k, m in conversion]
        if not form.is_valid():
            for key, messages in form.errors.items():
                header = self.header_of(key) if key != "__all__" else "—"
                problems += [RowProblem(number, header, str(m)) for m in messages
                             if not any(p.column == header for p in problems)]
        return problems, form, data

    @staticmethod
    def _differences(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
        return [k for k in dict.fromkeys([*first, *second]) if first.get(k) != second.get(k)]

    def run(self, source: Path | BinaryIO, name: str, *, valid_only: bool = False,
            mapping: dict[str, str] | None = None, progress: Callable[[int], object] | None = None) -> ImportReport:
        """Import a file. ``progress(n)`` is called after each row. Never writes half a file in
        all-or-nothing mode. Two rows of the file for the same record are a duplicate when they agree
        and a conflict (a problem of the later row) when they do not; a row repeating a record already
        held is a duplicate (registries) or an update (:meth:`action`).

        Raises:
            ImportFileError: the file cannot be read at all.
        """
        report = ImportReport(file=Path(name).name, mode="valid_only" if valid_only else "all_or_nothing")
        headers, rows, _ = read_table(source, name)
        report.problems += self._file_problems(headers, mapping)
        if report.problems:
            return report
        mapped, report.ignored_headers = header_map(self.columns, headers, mapping)
        present = set(mapped.values()) | self.provided_keys()
        missing = [c for c in self.columns if c.required and c.key not in present]
        if missing:
            report.problems += [RowProblem(1, c.header, "缺少必填列") for c in missing]
            return report
        with transaction.atomic():
            self.before()
            seen = self.existing_keys()
            in_file: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
            valid: list[tuple[int, str, Any]] = []
            for number, raw in rows:
                report.rows_read += 1
                if BAD_ROW in raw:
                    report.problems.append(RowProblem(number, "—", raw[BAD_ROW]))
                    if progress:
                        progress(1)
                    continue
                problems, form, data = self._row_problems(number, raw, mapped)
                if problems:
                    report.problems += problems
                else:
                    instance = form.save(commit=False)
                    self.finish(instance, data)
                    keys = self.keys(instance)
                    earlier = next((in_file[k] for k in keys if k in in_file), None)
                    if earlier is not None:
                        differ = self._differences(earlier[1], form.cleaned_data)
                        if differ:
                            report.problems.append(RowProblem(
                                number, "、".join(self.header_of(k) for k in differ),
                                f"与第 {earlier[0]} 行是同一条记录，但这些列的值不同；请核对后只保留一行"))
                        else:
                            report.duplicate_rows.append(RowProblem(number, "—", f"与第 {earlier[0]} 行重复"))
                    elif any(k in seen for k in keys):
                        report.duplicate_rows.append(RowProblem(number, "—", "与已登记记录重复"))
                    else:
                        in_file.update(dict.fromkeys(keys, (number, dict(form.cleaned_data))))
                        valid.append((number, self.action(instance), instance))
                        report.warnings += [RowProblem(number, "—", w) for w in self.row_warnings(form)]
                if progress:
                    progress(1)
            if report.problems and not valid_only:
                transaction.set_rollback(True)
                report.warnings = []
                return report
            changed = [(n, a, i) for n, a, i in valid if a != UNCHANGED]
            for start in range(0, len(changed), self.batch_size):
                self.write([i for _, _, i in changed[start:start + self.batch_size]])
            report.inserted = sum(a == ADDED for _, a, _ in valid)
            report.updated = sum(a == UPDATED for _, a, _ in valid)
            report.unchanged = sum(a == UNCHANGED for _, a, _ in valid)
            report.results = [self.result(n, a, i) for n, a, i in valid]
            report.written = True
        return report
