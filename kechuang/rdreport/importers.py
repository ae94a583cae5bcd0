"""Staff bulk import of R&D reports from xlsx (layout: :mod:`kechuang.rdreport.layout`).

One row of sheet 「107-2」 (or the first sheet) per report — the enterprise by its unified social credit
code, the report year, the 107-2 items in 千元 / 人 / 个; the optional sheet 「107-1项目」 (or 「107-1」) holds
the projects, one row each, tied to their report by credit code and year. Each report goes through the
same pre-review as the page (:func:`kechuang.rdreport.services.check`, then
:func:`~kechuang.rdreport.services.save_content`), so what the import stores is what the form would.

Rules of the import (all or nothing: nothing is written unless every report is good):

* a value that cannot be read is a problem of its row and column;
* an error-severity finding of the pre-review is a problem of the report's row (a project rule: of the
  project's 107-1 row), named by the column headers of the rule's fields, with the finding's message;
  warnings are stored with the report (the enterprise explains them before submitting);
* the enterprise must be one the importing officer may change; two rows for the same enterprise and
  year are a problem; a report already submitted (not a draft, not returned) is a problem; an editable
  one is updated (history records the change as 批量导入);
* an update replaces the items whose columns the file has and keeps the others; its projects are
  replaced when the file has a 107-1 sheet and kept otherwise.

Speed: the form rules run first over the whole file at once with the engine's vectorised
:func:`~kechuang.engines.rdreport.validate_table` (numpy); only the rows it flags are re-checked one by one
for their messages, so a bad file is refused before anything is written. Saving then validates each
report once more with its cross-check context (as the page does) — that, not reading, is where the
time goes (about 30 ms a report).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kechuang.common.access import ADD, CHANGE, role_allows
from kechuang.common.cells import CLEAR, is_blank
from kechuang.common.imports import (
    ADDED,
    UPDATED,
    ImportFileError,
    ImportReport,
    RowProblem,
    RowResult,
    split_unit,
    unit_problems,
)
from kechuang.common.sheets import Table, Workbook
from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation
from kechuang.engines.rdreport import Finding, Severity, Unit, form_catalogue, validate_table
from kechuang.rdreport import layout, services
from kechuang.rdreport.models import RdReport

LABEL = "研发投入统计报表"
CHANGE_REASON = "批量导入"
PROJECT_PREFIX = f"「{layout.PROJECT_SHEET}」"
NOTES_SHEET = "填写说明"


class Progress(Protocol):
    """What the importer reports progress to (a ``tqdm`` bar fits)."""

    def reset(self, total: int | None = None) -> Any: ...

    def set_description(self, desc: str | None = None, refresh: bool = True) -> Any: ...

    def update(self, n: float | None = 1) -> Any: ...


@dataclass
class RdImportReport(ImportReport):
    """An :class:`~kechuang.common.imports.ImportReport` that also counts updated reports and projects."""

    updated: int = 0
    projects: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"{self.file}：读取 {self.rows_read} 张报表（项目 {self.projects} 个），新增 {self.inserted}，"
                f"更新 {self.updated}，有误 {self.rejected}（{self.state()}）")


@dataclass
class _Entry:
    """One report of the file as read: its 107-2 row, the values in the form's units, its projects."""

    row: int
    uscc: str
    year: int
    enterprise: Organisation | None = None
    firm: dict[str, Any] = field(default_factory=dict)
    columns: set[str] = field(default_factory=set)
    projects: list[dict[str, Any]] = field(default_factory=list)
    project_rows: list[int] = field(default_factory=list)
    existing: RdReport | None = None
    bad: bool = False
    broken: set[str] | None = None  # rule keys the table validation found broken (None: not validated)


def read_workbook(source: Path | BinaryIO, name: str) -> tuple[Table, Table | None]:
    """The 107-2 sheet and the 107-1 sheet (None when absent) as :class:`~kechuang.common.sheets.Table`
    (Excel's row numbers; a formula without a stored result listed by row and column), read by the
    one safe sheet reader (archive size, dimensions, merged cells, broken XML checked first).

    Raises:
        ImportFileError: not an xlsx file, unreadable, inflated, without a header row, or a layout that
            would drop columns.
    """
    file = Path(name).name
    if Path(name).suffix.lower() != ".xlsx":
        raise ImportFileError(f"{file}：请上传 Excel 文件（.xlsx），格式见导入模板")
    raw = source.read_bytes() if isinstance(source, Path) else source.read()
    with Workbook(raw, file) as book:
        names = book.names
        project_name = next((n for n in layout.PROJECT_SHEETS if n in names), None)
        firm_name = layout.FIRM_SHEET if layout.FIRM_SHEET in names else next(
            (n for n in names if n != project_name and n != NOTES_SHEET), None)
        if firm_name is None:
            raise ImportFileError(f"{file}：没有「{layout.FIRM_SHEET}」工作表")
        firm = book.table(firm_name)
        if not firm.header_row:
            raise ImportFileError(f"{file}：「{firm_name}」工作表为空；每张报表应在「{layout.FIRM_SHEET}」工作表中占一行，"
                                  "第一行为表头（见导入模板）")
        projects = book.table(project_name) if project_name else None
    return firm, projects


class ReportImporter:
    """Import R&D reports for ``user`` (None: the command line, every enterprise); ``year`` is the report
    year of rows without one (and rows with another year are refused); ``max_reports`` refuses bigger
    files (the page sets it so that an upload finishes well within a request's time)."""

    label = LABEL
    #: The rules of the R&D import, as its template's 「填写说明」 states them (the import page says the same).
    rules = (
        "每张报表在「107-2」占一行，每个项目在「107-1项目」占一行；表头只占一行，不要合并单元格。",
        "金额单位为千元（不是万元或元，最多 3 位小数），人数、件数为整数；数字可带千位分隔符，不要在格内写单位。"
        "年月写 202503、2025-03、2025.3 或 2025年3月。",
        "「107-1项目」：有研发费用或研发人员的新报表必须逐个填写项目（预审核对项目合计）；更新已有报表时可以省略该表，"
        "省略则保留原有项目。",
        "更新已有报表时，留空的格表示“不提供”，保留原值；要删除原值，在该格填写“清空”。",
        "同一企业同一报告年度只能有一行。导入时按预审规则逐张审核，有错误的报表逐行列出，全部无误才写入；"
        "预警（如请核对单位）随报表保存并在导入结果中列出。已报送的报表不能通过导入修改。",
    )

    def __init__(self, user: Any = None, year: int | None = None, max_reports: int | None = None) -> None:
        self.user = user
        self.year = year
        self.max_reports = max_reports
        self.has_projects = False

    # ------------------------------------------------------------------------------------------ reading

    def enterprises(self, codes: Iterable[str]) -> dict[str, Organisation]:
        """Credit code → enterprise, among those the user may change."""
        qs = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, uscc__in=set(codes))
        if self.user is not None:
            qs = qs.visible_to(self.user, CHANGE)
        return {o.uscc: o for o in qs.select_related("region")}

    def _key(self, cells: dict[str, Any], row: int, problems: list[RowProblem], prefix: str = ""
             ) -> tuple[str, int | None]:
        uscc = str(cells.get(layout.USCC) or "").strip().upper()
        if not uscc:
            problems.append(RowProblem(row, prefix + layout.USCC, "必须填写"))
        raw_year = cells.get(layout.YEAR)
        year: int | None = None
        try:
            year = layout.read_whole(raw_year, "报告年度")
        except layout.CellError as exc:
            problems.append(RowProblem(row, prefix + layout.YEAR, str(exc)))
            return uscc, None
        if year is None:
            year = self.year
            if year is None:
                problems.append(RowProblem(row, prefix + layout.YEAR, "必须填写"))
        elif self.year is not None and year != self.year:
            problems.append(RowProblem(row, prefix + layout.YEAR, f"报告年度 {year} 与指定的年度 {self.year} 不一致"))
            return uscc, None
        if year is not None and not (2000 <= year <= timezone.localdate().year):
            problems.append(RowProblem(row, prefix + layout.YEAR, f"报告年度 {year} 不在 2000–{timezone.localdate().year} 之间"))
            return uscc, None
        return uscc, year

    def _fallback_year(self) -> int:
        """The catalogue year used to read the cells of a row whose own year cannot be read (so a bad
        year does not hide the row's other errors)."""
        return self.year or timezone.localdate().year - 1

    @staticmethod
    def _cell_problems(table: Table, prefix: str = "") -> dict[int, list[RowProblem]]:
        out: dict[int, list[RowProblem]] = {}
        for row, index, message in table.cell_problems:
            out.setdefault(row, []).append(RowProblem(row, prefix + table.header_at(index), message))
        return out

    def _unit_problems(self, headers: list[str], items: Mapping[str, Any], prefix: str = "") -> list[RowProblem]:
        """Headers naming a money unit other than the form's (``研究开发费用合计（万元）``)."""
        units: dict[str, tuple[str, str]] = {}
        for item in items.values():
            if item.unit_zh in ("千元",):
                for name in (split_unit(layout.item_header(item))[0], item.label_zh, item.name_zh, item.key):
                    units.setdefault(name, (item.unit_zh, layout.item_header(item)))
        found = unit_problems(headers, units)
        for problem in found:
            problem.column = prefix + problem.column
        return found

    def _read_firm(self, table: Table, report: RdImportReport) -> list[_Entry]:
        headers, body = table.headers, table.rows
        problems = report.problems
        years = {self.year} if self.year else set()
        known = {layout.USCC, layout.YEAR, *layout.NOTE_HEADERS}
        if layout.USCC not in headers:
            problems.append(RowProblem(1, layout.USCC, "缺少必填列"))
        if layout.YEAR not in headers and self.year is None:
            problems.append(RowProblem(1, layout.YEAR, "缺少必填列（或指定导入的报告年度）"))
        problems += self._unit_problems(headers, form_catalogue(self._fallback_year()).firm_items)
        if problems:
            return []
        unreadable = self._cell_problems(table)
        entries: list[_Entry] = []
        for number, values in body:
            cells = dict(zip(headers, values, strict=False))
            uscc, year = self._key(cells, number, problems)
            entry = _Entry(number, uscc, year or 0, bad=year is None or not uscc)
            if number in unreadable:
                problems += unreadable[number]
                entry.bad = True
            if year is not None:
                years.add(year)
            catalogue = form_catalogue(year or self._fallback_year())
            mapping = layout.firm_columns(year or self._fallback_year())
            for header, value in cells.items():
                key = mapping.get(header)
                if key is None or is_blank(value):  # a blank cell: not given (an update keeps the held value)
                    continue
                entry.columns.add(key)
                if isinstance(value, str) and value.strip() == CLEAR:
                    continue
                try:
                    cell = layout.read_cell(catalogue.firm_items[key], catalogue, value)
                except layout.CellError as exc:
                    if not any(p.row == number and p.column == header for p in problems):
                        problems.append(RowProblem(number, header, str(exc)))
                    entry.bad = True
                    continue
                if cell is not None:
                    entry.firm[key] = cell
            entries.append(entry)
        for header in headers:
            if header and header not in known and not any(header in layout.firm_columns(y) for y in years):
                report.ignored_headers.append(header)
        return entries

    def _read_projects(self, sheet: Table | None, entries: list[_Entry], report: RdImportReport) -> None:
        if sheet is None:
            return
        headers, body = sheet.headers, sheet.rows
        problems = report.problems
        missing = [h for h in (layout.USCC, layout.YEAR) if h not in headers and not (h == layout.YEAR and self.year)]
        if missing:
            problems += [RowProblem(1, PROJECT_PREFIX + h, "缺少必填列") for h in missing]
            return
        unit_found = self._unit_problems(headers, form_catalogue(self._fallback_year()).project_columns, PROJECT_PREFIX)
        if unit_found:
            problems += unit_found
            return
        unreadable = self._cell_problems(sheet, PROJECT_PREFIX)
        by_key = {(e.uscc, e.year): e for e in entries if e.uscc and e.year}
        years = {e.year for e in entries if e.year}
        for header in headers:
            if header and header not in {layout.USCC, layout.YEAR, *layout.NOTE_HEADERS} and not any(
                    header in layout.project_columns(y) for y in years):
                report.ignored_headers.append(PROJECT_PREFIX + header)
        for number, values in body:
            cells = dict(zip(headers, values, strict=False))
            uscc, year = self._key(cells, number, problems, PROJECT_PREFIX)
            problems += unreadable.get(number, [])
            if not uscc or year is None:
                continue
            entry = by_key.get((uscc, year))
            if entry is None:
                problems.append(RowProblem(number, PROJECT_PREFIX + layout.USCC,
                                           f"「{layout.FIRM_SHEET}」中没有该企业 {year} 年的报表行"))
                continue
            catalogue = form_catalogue(year)
            mapping = layout.project_columns(year)
            project: dict[str, Any] = {}
            for header, value in cells.items():
                key = mapping.get(header)
                if key is None:
                    continue
                try:
                    cell = layout.read_cell(catalogue.project_columns[key], catalogue, value)
                except layout.CellError as exc:
                    if not any(p.row == number and p.column == PROJECT_PREFIX + header for p in problems):
                        problems.append(RowProblem(number, PROJECT_PREFIX + header, str(exc)))
                    entry.bad = True
                    continue
                if cell is not None:
                    project[key] = cell
            if project:
                entry.projects.append(project)
                entry.project_rows.append(number)
                report.projects += 1

    def _resolve(self, entries: list[_Entry], report: RdImportReport) -> None:
        """Enterprises, duplicates and existing reports."""
        found = self.enterprises(e.uscc for e in entries if e.uscc)
        seen: dict[tuple[int, int], int] = {}
        for entry in entries:
            if not entry.uscc:
                continue
            entry.enterprise = found.get(entry.uscc)
            if entry.enterprise is None:
                report.problems.append(RowProblem(entry.row, layout.USCC,
                                                  "找不到该统一社会信用代码的企业，或无权修改其数据"))
                entry.bad = True
                continue
            if not entry.year:
                continue
            key = (entry.enterprise.pk, entry.year)
            if key in seen:
                report.problems.append(RowProblem(entry.row, layout.USCC,
                                                  f"与第 {seen[key]} 行重复：同一企业同一报告年度只能有一行"))
                report.duplicate_rows.append(RowProblem(entry.row, layout.USCC, f"与第 {seen[key]} 行重复"))
                entry.bad = True
                continue
            seen[key] = entry.row
        held = RdReport.objects.filter(enterprise_id__in={k[0] for k in seen}, year__in={k[1] for k in seen})
        existing = {(r.enterprise_id, r.year): r for r in held}
        for entry in entries:
            if entry.enterprise is None or not entry.year:
                continue
            entry.existing = existing.get((entry.enterprise.pk, entry.year))
            if entry.existing is not None and not entry.existing.editable:
                report.problems.append(RowProblem(
                    entry.row, layout.USCC,
                    f"该企业 {entry.year} 年的报表状态为“{entry.existing.get_status_display()}”，不能再导入修改"))
                entry.bad = True

    # ------------------------------------------------------------------------------------------ values

    def form_values(self, entry: _Entry) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]]:
        """What would be saved: 107-2 values and 107-1 rows in the form's units, and the explanations
        (an update keeps the items and projects the file does not give, and the explanations)."""
        firm = dict(entry.firm)
        projects = entry.projects
        explanations: dict[str, str] = {}
        if entry.existing is not None:
            shown = services.shown_values(entry.year, entry.existing.firm)
            firm = {**{k: v for k, v in shown.items() if k not in entry.columns}, **firm}
            if not self.has_projects:
                projects = [services.shown_values(entry.year, p, project=True) for p in entry.existing.projects]
            explanations = dict(entry.existing.explanations or {})
        return firm, projects, explanations

    def _flagged(self, year: int, entries: list[_Entry]) -> list[_Entry]:
        """The reports the form rules (vectorised, no context) find an error in; every entry keeps the
        keys of the rules it breaks (``entry.broken``), so saving need not evaluate the others again."""
        rules = services.rules_for(year)
        catalogue = rules.catalogue
        values = [self.form_values(e) for e in entries]
        columns = {key: np.array([firm.get(key) for firm, _, _ in values], dtype=object)
                   for key in catalogue.numeric_firm_keys}
        rows = [(i, p) for i, (_, projects, _) in enumerate(values) for p in projects]
        project_columns: dict[str, np.ndarray] = {}
        for key, column in catalogue.project_columns.items():
            if column.unit is Unit.TEXT:
                project_columns[key] = np.array([str(p.get(key) or "") for _, p in rows], dtype=str)
            else:
                project_columns[key] = np.array([p.get(key) for _, p in rows] or [], dtype=object)
        result = validate_table(columns, projects=project_columns,
                                project_report=np.array([i for i, _ in rows], dtype=np.int64), rules=rules)
        for i, entry in enumerate(entries):
            entry.broken = {key for key, _ in result.keys_for(i)}
        hit = result.rows_with(Severity.ERROR)
        return [entries[i] for i in np.flatnonzero(hit)]

    def finding_problems(self, entry: _Entry, findings: Iterable[Finding | dict[str, Any]],
                         severity: Severity = Severity.ERROR) -> list[RowProblem]:
        """Findings of ``severity`` (errors by default) as problems: the report's row (a project's own
        107-1 row for project rules), the headers of the rule's fields, the finding's message. Without a
        107-1 sheet, a new report's project rules say where its projects belong."""
        catalogue = form_catalogue(entry.year)
        rules = services.rules_for(entry.year)
        problems = []
        for finding in findings:
            data = services.finding_json(finding) if isinstance(finding, Finding) else finding
            if data["severity"] != severity.value:
                continue
            index = data["project_index"]
            headers = []
            for key in data["fields"]:
                if index is None and key in catalogue.firm_items:
                    headers.append(layout.item_header(catalogue.firm_items[key]))
                elif key in catalogue.project_columns:
                    headers.append(PROJECT_PREFIX + layout.item_header(catalogue.project_columns[key]))
                elif key in rules.aggregates:
                    aggregate = rules.aggregates[key]
                    column = catalogue.project_columns.get(aggregate.column or "")
                    headers.append(PROJECT_PREFIX + (f"{layout.item_header(column)}合计" if column else "项目数"))
                else:
                    headers.append(key)
            row = entry.row
            if index is not None and index < len(entry.project_rows) and self.has_projects:
                row = entry.project_rows[index]
            message = data["message_zh"]
            if not self.has_projects and entry.existing is None and any(h.startswith(PROJECT_PREFIX) for h in headers):
                message += (f"（文件没有「{layout.PROJECT_SHEET}」工作表：有研发费用或研发人员的新报表，须在该表逐个填写项目；"
                            "只有更新已有报表时可以省略，省略则保留原有项目）")
            problems.append(RowProblem(row, "、".join(dict.fromkeys(headers)) or "—", message))
        return problems

    @staticmethod
    def unit_warnings(entry: _Entry, record: RdReport) -> list[RowProblem]:
        """请核对单位 when 研究开发费用合计 [7] is about a tenth of the income statement's 研发费用 held in
        the enterprise's yearly figures (a report typed in 万元 where the form wants 千元)."""
        from kechuang.cultivation.models import AnnualFigures

        total = record.rd_expense_total
        figures = AnnualFigures.objects.filter(enterprise_id=record.enterprise_id, year=record.year).first()
        financial = figures.rd_expense_financial if figures else None
        if not total or not financial or not Decimal(5) <= financial / total <= Decimal(20):
            return []
        header = layout.item_header(form_catalogue(record.year).firm_items["rd_expense_total"])
        return [RowProblem(entry.row, header,
                           f"研究开发费用合计约为企业年度数据中利润表研发费用（{financial / 1000:,.0f} 千元）的十分之一："
                           "是否按“万元”填写了？本表金额单位为千元，请核对单位")]

    # ------------------------------------------------------------------------------------------ run

    def run(self, source: Path | BinaryIO, name: str, *, progress: Progress | None = None) -> RdImportReport:
        """Import a workbook; nothing is written unless every report is good.

        Raises:
            ImportFileError: the file cannot be read at all.
        """
        started = timezone.now()
        report = RdImportReport(file=Path(name).name, mode="all_or_nothing")
        if self.user is not None and not (role_allows(self.user, RdReport, ADD)
                                          and role_allows(self.user, RdReport, CHANGE)):
            report.problems.append(RowProblem(0, "—", "无权导入研发投入统计报表"))
            return report
        firm_sheet, project_sheet = read_workbook(source, name)
        body = firm_sheet.rows
        self.has_projects = project_sheet is not None
        if self.max_reports is not None and len(body) > self.max_reports:
            report.rows_read = len(body)
            report.problems.append(RowProblem(1, "—", f"文件有 {len(body)} 张报表，页面一次最多导入 {self.max_reports} 张；"
                                                     "请拆分文件，或由管理员用命令 kechuang rd_import 导入"))
            return report
        if progress is not None:
            progress.set_description("读取与预审")
            progress.reset(total=len(body))
        entries = self._read_firm(firm_sheet, report)
        report.rows_read = len(entries)
        if not entries:
            if not report.problems:
                report.problems.append(RowProblem(1, "—", "文件中没有报表行"))
            return report
        self._read_projects(project_sheet, entries, report)
        self._resolve(entries, report)
        good = [e for e in entries if not e.bad]
        for year in sorted({e.year for e in good}):
            batch = [e for e in good if e.year == year]
            for entry in self._flagged(year, batch):
                firm, projects, _ = self.form_values(entry)
                stored_firm = services.stored_values(year, firm)
                stored_projects = [services.stored_values(year, p, project=True) for p in projects]
                report.problems += self.finding_problems(entry, services.check(year, stored_firm, stored_projects))
            if progress is not None:
                progress.update(len(batch))
        if report.problems:
            report.problems.sort(key=lambda p: p.row)
            return report
        if progress is not None:
            progress.set_description("写入")
            progress.reset(total=len(entries))
        with transaction.atomic():
            for entry in entries:
                self._save(entry, report)
                if progress is not None:
                    progress.update(1)
            if report.problems:  # an error only the cross-checks see: still nothing is written
                transaction.set_rollback(True)
                report.inserted = report.updated = 0
            else:
                report.written = True
        report.seconds = (timezone.now() - started).total_seconds()
        return report

    def _save(self, entry: _Entry, report: RdImportReport) -> None:
        firm, projects, explanations = self.form_values(entry)
        record = entry.existing or RdReport(enterprise=entry.enterprise, year=entry.year)
        record._change_reason = CHANGE_REASON
        try:
            services.save_content(record, firm, projects, explanations, self.user, only=entry.broken)
        except ValidationError as exc:  # e.g. the enterprise's other figures cannot be read for the cross-checks
            report.problems += [RowProblem(entry.row, layout.USCC, message) for message in exc.messages]
            return
        if record.error_count:
            report.problems += self.finding_problems(entry, record.findings)
            return
        action = UPDATED if entry.existing is not None else ADDED
        if entry.existing is not None:
            report.updated += 1
        else:
            report.inserted += 1
        # the warnings the page shows (请核对单位, cross-checks): stored with the report and listed here
        report.warnings += self.finding_problems(entry, record.findings, Severity.WARNING)
        report.warnings += self.unit_warnings(entry, record)
        report.results.append(RowResult(entry.row, action, f"{entry.enterprise} {entry.year} 年",
                                        record.get_absolute_url()))
