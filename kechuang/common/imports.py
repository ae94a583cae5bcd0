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

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction
from openpyxl import load_workbook

SUPPORTED = (".xlsx", ".csv", ".jsonl")
BAD_ROW = "\0bad-row"  # key of a row that could not be read at all (its value says why)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, no header)."""


@dataclass(frozen=True)
class ImportColumn:
    """A column of a registry's template: form field ``key``, Chinese ``header``, accepted ``aliases``,
    whether it is ``required``, a ``note`` for the template's instructions sheet, an ``example`` value,
    and ``export`` (record → cell value in the same form the import accepts)."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    example: str = ""
    export: Callable[[Any], Any] | None = None


@dataclass
class RowProblem:
    """One bad value: spreadsheet row, column header, Chinese message."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import read, wrote and refused. ``rows_read == inserted + duplicates + rejected`` when written
    (all or nothing with problems writes nothing: ``inserted == 0``)."""

    file: str
    mode: str
    rows_read: int = 0
    inserted: int = 0
    duplicate_rows: list[RowProblem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
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

    def summary(self) -> str:
        state = "已写入" if self.written else "未写入任何数据"
        return (f"{self.file}：读取 {self.rows_read} 行，新增 {self.inserted}，重复 {self.duplicates}，"
                f"有误 {self.rejected}（{state}）")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, str):
        return value.strip()
    return value


def read_table(source: Path | BinaryIO, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]], int]:
    """Headers, an iterator of (row number, {header: value}) and the number of data rows.

    Raises:
        ImportFileError: unsupported extension, unreadable file, or no header row.
    """
    suffix = Path(name).suffix.lower()
    raw = source.read_bytes() if isinstance(source, Path) else source.read()
    if suffix == ".xlsx":
        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
            raise ImportFileError(f"{name}：无法读取 Excel 文件（{exc.__class__.__name__}）") from exc
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        while rows and all(v in (None, "") for v in rows[0]):
            rows.pop(0)
        if not rows:
            raise ImportFileError(f"{name}：文件为空，没有表头行")
        headers = [str(h).strip() if h is not None else "" for h in rows[0]]
        body = [(i + 2, {h: _cell(v) for h, v in zip(headers, r, strict=False) if h})
                for i, r in enumerate(rows[1:]) if any(v not in (None, "") for v in r)]
        return headers, iter(body), len(body)
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(f"{name}：无法识别文件编码（请保存为 UTF-8 或 GBK）")
        reader = csv.reader(io.StringIO(text))
        rows = [r for r in reader]
        if not rows:
            raise ImportFileError(f"{name}：文件为空，没有表头行")
        headers = [h.strip() for h in rows[0]]
        body = [(i + 2, {h: _cell(v) for h, v in zip(headers, r, strict=False) if h})
                for i, r in enumerate(rows[1:]) if any(v.strip() for v in r)]
        return headers, iter(body), len(body)
    if suffix == ".jsonl":
        records = []
        headers: dict[str, None] = {}
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
            headers.update(dict.fromkeys(record))
            records.append((number, {k: _cell(v) for k, v in record.items()}))
        return list(headers), iter(records), len(records)
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


class Importer:
    """Base of a registry's importer. Subclasses set ``label``, ``columns``, ``form_class`` and implement
    :meth:`prepare` (raw cells → form data, appending problems), :meth:`keys` (duplicate keys of a valid
    row) and :meth:`existing_keys` (the keys already registered)."""

    label: str = ""
    columns: tuple[ImportColumn, ...] = ()
    form_class: Any = None
    batch_size = 500

    def __init__(self, user: Any = None, defaults: dict[str, Any] | None = None) -> None:
        self.user = user
        self.defaults = defaults or {}
        self.preset_sources: set[str] = set()

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)

    def prepare(self, cells: dict[str, Any], problems: list[tuple[str, str]]) -> dict[str, Any]:
        raise NotImplementedError

    def keys(self, instance: Any) -> list[tuple]:
        raise NotImplementedError

    def existing_keys(self) -> set[tuple]:
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

    def run(self, source: Path | BinaryIO, name: str, *, valid_only: bool = False,
            mapping: dict[str, str] | None = None, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Import a file. ``progress(n)`` is called after each row. Never writes half a file in
        all-or-nothing mode.

        Raises:
            ImportFileError: the file cannot be read at all.
        """
        report = ImportReport(file=Path(name).name, mode="valid_only" if valid_only else "all_or_nothing")
        headers, rows, _ = read_table(source, name)
        # A preset's own entries may name columns a given file lacks; only the user's are checked.
        user_mapping = {k: v for k, v in (mapping or {}).items() if k not in self.preset_sources}
        report.problems += mapping_problems(self.columns, headers, user_mapping)
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
            valid: list[Any] = []
            for number, raw in rows:
                report.rows_read += 1
                if BAD_ROW in raw:
                    report.problems.append(RowProblem(number, "—", raw[BAD_ROW]))
                    if progress:
                        progress(1)
                    continue
                cells = {**self.defaults, **{mapped[h]: v for h, v in raw.items() if h in mapped}}
                conversion: list[tuple[str, str]] = []
                data = self.prepare(cells, conversion)
                form = self.form_class(data=data, user=self.user)
                # Duplicates are reported below as duplicates, not as form errors.
                form.validate_unique = lambda: None
                form.skip_duplicate_checks = True
                problems = [RowProblem(number, self.header_of(k), m) for k, m in conversion]
                if not form.is_valid():
                    for key, messages in form.errors.items():
                        header = self.header_of(key) if key != "__all__" else "—"
                        problems += [RowProblem(number, header, str(m)) for m in messages
                                     if not any(p.column == header for p in problems)]
                if problems:
                    report.problems += problems
                else:
                    instance = form.save(commit=False)
                    self.finish(instance, data)
                    keys = self.keys(instance)
                    if any(k in seen for k in keys):
                        report.duplicate_rows.append(RowProblem(number, "—", "与已登记记录或前面的行重复"))
                    else:
                        seen.update(keys)
                        valid.append(instance)
                if progress:
                    progress(1)
            if report.problems and not valid_only:
                transaction.set_rollback(True)
                return report
            for start in range(0, len(valid), self.batch_size):
                self.write(valid[start:start + self.batch_size])
            report.inserted = len(valid)
            report.written = True
        return report
