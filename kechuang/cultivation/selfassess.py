"""The public self-assessment (企业梯度自测) filled as a form, or as an Excel sheet, in 万元.

The page reuses the enterprise's own forms: the cultivation profile (:class:`.forms.ProfileForm`), one
yearly-figures form per fiscal year (:class:`.forms.AnnualFiguresForm`, money in 万元) and the lists
(IP, standards, awards, R&D institutions, incidents; :data:`.forms.LIST_FORMSETS`), grouped in steps.
Nothing is saved: the bound forms give unsaved model instances, which become the engine's figures by
the platform's one mapping (:func:`.figures.figures_from_records`), then the assessment-input JSON
(:func:`figures_to_json`), then :func:`.services.self_assess` — the same codec and engine path as a
pasted JSON document, so both give the same verdicts.

An Excel template (one sheet of labelled fields, :func:`template_workbook`) is one more way to fill the
same forms: :func:`data_from_workbook` turns the sheet into the forms' data, so errors come back named by
the same Chinese labels (with the cell).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from kechuang.common.export import first_sheet, xlsx_bytes
from kechuang.common.money import to_unit
from kechuang.core.models import Organisation
from kechuang.cultivation.figures import figures_from_records
from kechuang.cultivation.forms import LIST_FORMSETS, AnnualFiguresForm, ProfileForm
from kechuang.cultivation.models import AnnualFigures, CultivationProfile
from kechuang.engines.cultivation import EnterpriseFigures
from kechuang.engines.cultivation.codec import CodecError, Problem, figures_to_json

YEAR_COLUMNS = 4
"""Fiscal years on the form: the gazelle template looks back four years; HNTE three; tech SME one."""
EXTRA_ROWS = {"ip": 3, "standards": 1, "awards": 1, "institutions": 1, "incidents": 1}
"""Blank rows offered under each list."""
MAX_LIST_ROWS = 200
"""Most rows of one list (IP items …) a self-assessment takes; more is refused, not truncated."""
MAX_ROWS = 2_000
"""Most rows read from an uploaded sheet (the template has about a hundred)."""
MAX_XLSX_BYTES = 1_000_000
MAX_UNZIPPED_BYTES = 20_000_000
"""An uploaded workbook whose parts inflate beyond this is refused before it is read."""
TRUE, FALSE = "是", "否"

_STEP_TITLES = ("第一步：企业基本情况", "第二步：年度数据（金额单位：万元）", "第三步：知识产权、标准、奖励与研发机构")


class HeadForm(forms.Form):
    """The enterprise's name and the evaluation date (the rest is the enterprise's own forms)."""

    name = forms.CharField(label="企业名称", max_length=200)
    evaluation_date = forms.DateField(label="评估基准日", widget=forms.DateInput(attrs={"type": "date"}),
                                      help_text="高企按此日前三个会计年度，科技型中小企业按上一会计年度评价")


def _list_formset(formset_class: Any, extra: int) -> type[BaseInlineFormSet]:
    """The enterprise's list formset with ``extra`` blank rows (same form, same labels)."""
    return forms.inlineformset_factory(Organisation, formset_class.model, form=formset_class.form,
                                       extra=min(extra, MAX_LIST_ROWS), can_delete=False, max_num=MAX_LIST_ROWS,
                                       absolute_max=MAX_LIST_ROWS, validate_max=True)


class SelfAssessmentForms:
    """All the forms of the public self-assessment, bound to one ``data`` dict (or unbound).

    Attributes:
        head: :class:`HeadForm` (prefix ``sa``).
        profile: :class:`.forms.ProfileForm` (prefix ``profile``).
        years: :data:`YEAR_COLUMNS` :class:`.forms.AnnualFiguresForm` (prefixes ``y0`` … ``y3``, oldest
            first); a column with nothing but its year is left out.
        lists: ``(prefix, title, formset)`` like the enterprise's profile page.
    """

    def __init__(self, data: dict[str, Any] | None = None, *, first_year: int | None = None) -> None:
        self.data = data
        self.head = HeadForm(data, prefix="sa")
        self.profile = ProfileForm(data, prefix="profile", instance=CultivationProfile())
        self.years = [AnnualFiguresForm(data, prefix=f"y{i}", instance=AnnualFigures(),
                                        initial={"year": first_year + i} if first_year else None)
                      for i in range(YEAR_COLUMNS)]
        parent = Organisation()
        self.lists = []
        for prefix, title, formset_class in LIST_FORMSETS:
            rows = len([k for k in (data or {}) if k.startswith(f"{prefix}-") and k.endswith("-" + _first(formset_class))])
            cls = _list_formset(formset_class, max(EXTRA_ROWS[prefix], rows))
            self.lists.append((prefix, title, cls(data, prefix=prefix, instance=parent)))

    @property
    def steps(self) -> tuple[str, ...]:
        """Titles of the form's steps."""
        return _STEP_TITLES

    def year_rows(self) -> list[tuple[str, str, list[Any]]]:
        """The yearly figures as a table: ``(label, help text, [bound field per year column])``."""
        first = self.years[0]
        return [(str(field.label), str(field.help_text or ""), [form[name] for form in self.years])
                for name, field in first.fields.items()]

    def used_years(self) -> list[AnnualFiguresForm]:
        """The year columns with at least one figure typed (besides the year)."""
        if self.data is None:
            return []
        used = []
        for form in self.years:
            names = [n for n in form.fields if n != "year"]
            if any(str(self.data.get(form.add_prefix(n), "")).strip() for n in names):
                used.append(form)
        return used

    def is_valid(self) -> bool:
        """Validate every form in use (all of them, so every error is shown at once)."""
        results = [self.head.is_valid(), self.profile.is_valid()]
        used = self.used_years()
        if not used:
            self.head.add_error(None, "请至少填写一个会计年度的数据")
            results.append(False)
        results += [form.is_valid() for form in used]
        seen: set[int] = set()
        for form in used:
            year = form.cleaned_data.get("year") if hasattr(form, "cleaned_data") else None
            if year in seen:
                form.add_error("year", f"{year} 年度填写了两列")
                results.append(False)
            if year is not None:
                seen.add(year)
        results += [formset.is_valid() for _, _, formset in self.lists]
        return all(results)

    def problems(self) -> list[tuple[str, str, str]]:
        """Every error as ``(field key, where, message)``: the form field's data key, its Chinese label with
        the year or row, and the message."""
        found: list[tuple[str, str, str]] = []
        for form, where in [(self.head, ""), (self.profile, "")] + [
                (f, _column_name(self.data or {}, f, self.years.index(f))) for f in self.used_years()]:
            for name, errors in form.errors.items():
                label = "" if name == "__all__" else str(form.fields[name].label)
                found += [(form.add_prefix(name), f"{where}{label}".strip(" ·"), str(e)) for e in errors]
        for _, title, formset in self.lists:
            for e in formset.non_form_errors():
                found.append(("", title, str(e)))
            for index, form in enumerate(formset.forms):
                for name, errors in form.errors.items():
                    label = "" if name == "__all__" else str(form.fields[name].label)
                    found += [(form.add_prefix(name), f"{title}第 {index + 1} 行 · {label}".strip(" ·"), str(e))
                              for e in errors]
        return found

    def figures(self) -> EnterpriseFigures:
        """The engine's figures (after :meth:`is_valid`)."""
        listed: dict[str, list[Any]] = {}
        for prefix, _, formset in self.lists:
            listed[prefix] = [f.instance for f in formset.forms
                              if f.has_changed() and getattr(f, "cleaned_data", None)]
        return figures_from_records(
            self.head.cleaned_data["name"], None, self.profile.instance,
            [form.instance for form in self.used_years()],
            ip_items=listed["ip"], standards=listed["standards"], awards=listed["awards"],
            institutions=listed["institutions"], incidents=listed["incidents"])

    def document(self) -> str:
        """The assessment-input JSON (docs/assess_input.md, yuan) of what was typed (after :meth:`is_valid`)."""
        body = figures_to_json(self.figures(), self.head.cleaned_data["evaluation_date"])
        return json.dumps(body, ensure_ascii=False)


def _column_name(data: Any, form: AnnualFiguresForm, index: int) -> str:
    year = str(data.get(form.add_prefix("year"), "")).strip()
    return f"{year} 年度 · " if year else f"年度数据第 {index + 1} 列 · "


def _first(formset_class: Any) -> str:
    return next(iter(formset_class.form.base_fields))


# ----------------------------------------------------------------------------- figures → form data


def _value(field: forms.Field, value: Any) -> str:
    """A model value as the form's typed text (money in the field's unit, choices by key)."""
    if value is None:
        return ""
    if isinstance(field, forms.BooleanField) and not isinstance(field, forms.NullBooleanField):
        return "on" if value else ""
    if isinstance(field, forms.NullBooleanField):
        return "true" if value else "false"
    if unit := getattr(field, "unit", None):
        return str(to_unit(Decimal(value), unit))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def form_data(figures: EnterpriseFigures, evaluation_date: dt.date) -> dict[str, str]:
    """The forms' data for ``figures`` (what a visitor would type): used by the example button and the
    Excel template's example. The inverse of :meth:`SelfAssessmentForms.figures`."""
    from kechuang.cultivation.figures import save_records

    profile, rows, lists = save_records(figures)
    empty = SelfAssessmentForms()
    data: dict[str, str] = {"sa-name": figures.name, "sa-evaluation_date": evaluation_date.isoformat()}
    # the values each form shows for an instance (its own initial data), as typed text
    shown = ProfileForm(prefix="profile", instance=profile)
    for name, field in shown.fields.items():
        data[shown.add_prefix(name)] = _value(field, shown.get_initial_for_field(field, name))
    years = sorted(rows, key=lambda r: r.year)[-YEAR_COLUMNS:]
    start = YEAR_COLUMNS - len(years)
    for i, form in enumerate(empty.years):
        row = years[i - start] if i >= start else None
        year_form = AnnualFiguresForm(prefix=form.prefix, instance=row) if row else None
        for name, field in form.fields.items():
            value = year_form.get_initial_for_field(year_form.fields[name], name) if year_form else None
            data[form.add_prefix(name)] = _value(field, value)
    for prefix, _, formset in empty.lists:
        items = lists[prefix]
        total = len(items) + EXTRA_ROWS[prefix]
        data.update({f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": str(MAX_LIST_ROWS)})
        fields = formset.empty_form.fields
        for index, item in enumerate(items):
            for name, field in fields.items():
                if name in ("id", "enterprise", "DELETE"):
                    continue
                data[f"{prefix}-{index}-{name}"] = _value(field, getattr(item, name))
        for index in range(len(items), total):
            data.update(_blank_row(formset, prefix, index))
    return data


def _blank_row(formset: Any, prefix: str, index: int) -> dict[str, str]:
    """A blank list row as typed data: the model's defaults (flags, 获得方式…), so it counts as unchanged."""
    empty = formset.empty_form
    out = {}
    for name, field in empty.fields.items():
        if name in ("id", "enterprise", "DELETE"):
            continue
        typed = _value(field, empty.get_initial_for_field(field, name))
        if typed:
            out[f"{prefix}-{index}-{name}"] = typed
    return out


def blank_data(evaluation_date: dt.date) -> dict[str, str]:
    """The forms' data of an empty self-assessment on ``evaluation_date`` (years filled in)."""
    data: dict[str, str] = {"sa-evaluation_date": evaluation_date.isoformat()}
    for i in range(YEAR_COLUMNS):
        data[f"y{i}-year"] = str(evaluation_date.year - YEAR_COLUMNS + i)
    for prefix, _, formset in SelfAssessmentForms().lists:
        data.update({f"{prefix}-TOTAL_FORMS": str(EXTRA_ROWS[prefix]), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": str(MAX_LIST_ROWS)})
        for index in range(EXTRA_ROWS[prefix]):
            data.update(_blank_row(formset, prefix, index))
    return data


# ------------------------------------------------------------------------------------ Excel template


def _choice_label(field: forms.Field, key: str) -> str:
    for value, label in getattr(field, "choices", ()):
        if str(value) == key:
            return str(label)
    return key


def _cell_text(field: forms.Field, typed: str) -> Any:
    """Form text → what the sheet shows (choices and flags by their Chinese label, numbers as numbers)."""
    if typed == "":
        return None
    if isinstance(field, forms.NullBooleanField):
        return {"true": TRUE, "false": FALSE}.get(typed)
    if isinstance(field, forms.BooleanField):
        return TRUE if typed == "on" else FALSE
    if isinstance(field, forms.ChoiceField):
        return _choice_label(field, typed)
    if isinstance(field, forms.DecimalField | forms.IntegerField):
        number = Decimal(typed)
        return int(number) if number == number.to_integral_value() else float(number)
    return typed


def _rows(data: dict[str, str]) -> Iterable[tuple[str, str, list[Any], str]]:
    """``(key, label, values, hint)`` rows of the sheet, in the order of the form's steps."""
    empty = SelfAssessmentForms()
    yield "#", _STEP_TITLES[0], [], ""
    for form in (empty.head, empty.profile):
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            yield key, str(field.label), [_cell_text(field, data.get(key, ""))], _hint(field)
    yield "#", _STEP_TITLES[1], [], ""
    for name in ["year", *[n for n in empty.years[0].fields if n != "year"]]:
        field = empty.years[0].fields[name]
        values = [_cell_text(field, data.get(f"y{i}-{name}", "")) for i in range(YEAR_COLUMNS)]
        yield f"y*-{name}", str(field.label), values, _hint(field)
    yield "#", _STEP_TITLES[2], [], ""
    for prefix, title, formset in empty.lists:
        fields = {n: f for n, f in formset.empty_form.fields.items() if n not in ("id", "enterprise", "DELETE")}
        yield f"{prefix}-*", f"{title}（每行一项）", [str(f.label) for f in fields.values()], ""
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0) or 0)
        for index in range(max(total, EXTRA_ROWS[prefix])):
            values = [_cell_text(f, data.get(f"{prefix}-{index}-{n}", "")) for n, f in fields.items()]
            if any(v not in (None, "") for v in values) or index < EXTRA_ROWS[prefix]:
                yield prefix, "", values, ""


def _hint(field: forms.Field) -> str:
    if isinstance(field, forms.BooleanField):
        return f"填“{TRUE}”或“{FALSE}”"
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices  # (value, label) pairs of this form's choice fields
        return "可选：" + "、".join(str(label) for value, label in choices if value not in ("", None))
    if isinstance(field, forms.DateField):
        return "日期，如 2025-06-30"
    return str(field.help_text or "")


def template_workbook(data: dict[str, str]) -> bytes:
    """The Excel template: one sheet, column A the field key (hidden), B the Chinese label, C–F the
    values (years side by side for yearly figures; a list's rows under its header), G a hint. ``data``
    is the forms' data: :func:`blank_data` for the empty template (years and the lists' default flags
    filled in), :func:`form_data` for the example."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = first_sheet(book)
    sheet.title = "自测数据"
    sheet.append(["key", "企业梯度自测数据（金额单位：万元；A 列请勿修改）", "填写", "", "", "", "说明"])
    bold = Font(bold=True)
    for key, label, values, hint in _rows(data):
        if key == "#":
            sheet.append([key, label])
            sheet.cell(sheet.max_row, 2).font = bold
            sheet.cell(sheet.max_row, 2).fill = PatternFill("solid", fgColor="DDEBF7")
            continue
        sheet.append([key, label, *values, *([None] * max(0, 4 - len(values))), hint])
        if key.endswith("-*"):
            for cell in sheet[sheet.max_row]:
                cell.font = bold
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].width = 44
    for column in "CDEF":
        sheet.column_dimensions[column].width = 16
    sheet.column_dimensions["G"].width = 48
    return xlsx_bytes(book)  # text that looks like a formula stays text


class WorkbookError(ValueError):
    """An uploaded workbook that cannot be read (Chinese message)."""


def _typed(field: forms.Field, value: Any) -> str:
    """A cell → the form's typed text (labels of choices and flags back to keys).

    Raises:
        ValueError: a flag that is neither 是 nor 否 (a yes/no field would read any text as yes).
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if isinstance(field, forms.BooleanField):
        known = {TRUE: "true", FALSE: "false", "": ""} if isinstance(field, forms.NullBooleanField) \
            else {TRUE: "on", FALSE: "", "": ""}
        if text not in known:
            raise ValueError(f"请填“{TRUE}”或“{FALSE}”，不是“{text}”")
        return known[text]
    if isinstance(field, forms.ChoiceField):
        choices: Any = field.choices  # (value, label) pairs of this form's choice fields
        for key, label in choices:
            if text in (str(label), str(key)):
                return str(key)
        return text
    if isinstance(value, float):
        return repr(value)
    return text


def data_from_workbook(content: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """Read the filled template into the forms' data.

    Returns:
        ``(data, cells)``: the forms' data, and form field name → cell reference (for messages).

    Raises:
        WorkbookError: not an xlsx, too large when unpacked, no sheet of the template, too many cells.
    """
    from openpyxl import load_workbook

    if len(content) > MAX_XLSX_BYTES:
        raise WorkbookError("文件过大（上限 1 MB）")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise WorkbookError("文件解压后过大，请使用本页下载的模板填写")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise WorkbookError("无法读取该文件：请上传本页下载的 Excel 模板（.xlsx）") from exc
    if "自测数据" not in book.sheetnames:
        raise WorkbookError("未找到“自测数据”工作表：请使用本页下载的 Excel 模板")
    sheet = book["自测数据"]
    if (sheet.max_row or 0) > MAX_ROWS:
        raise WorkbookError(f"工作表超过 {MAX_ROWS} 行：请使用本页下载的 Excel 模板")
    empty = SelfAssessmentForms()
    single = {form.add_prefix(n): f for form in (empty.head, empty.profile) for n, f in form.fields.items()}
    yearly = empty.years[0].fields
    lists = {prefix: {n: f for n, f in formset.empty_form.fields.items() if n not in ("id", "enterprise", "DELETE")}
             for prefix, _, formset in empty.lists}
    data: dict[str, str] = {}
    cells: dict[str, str] = {}
    wrong: list[str] = []
    counts = dict.fromkeys(lists, 0)

    def put(name: str, field: forms.Field, value: Any, cell: str) -> None:
        cells[name] = cell
        try:
            data[name] = _typed(field, value)
        except ValueError as exc:
            wrong.append(f"{field.label}（单元格 {cell}）：{exc}")

    for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=16, max_row=MAX_ROWS), start=1):
        key = row[0] if row else None
        if not isinstance(key, str) or not key.strip():
            if any(v not in (None, "") for v in row[2:]):
                wrong.append(f"第 {number} 行：A 列没有数据项标识，该行未能读取（新增行请复制模板中的整行再填写）")
            continue
        values = list(row[2:6]) + [None] * (4 - len(row[2:6]))
        if key in single:
            put(key, single[key], values[0], f"C{number}")
        elif key.startswith("y*-") and key[3:] in yearly:
            name = key[3:]
            for i, value in enumerate(values):
                put(f"y{i}-{name}", yearly[name], value, f"{'CDEF'[i]}{number}")
        elif key in lists:
            fields = lists[key]
            full = list(row[2:2 + len(fields)]) + [None] * len(fields)
            index = counts[key]
            for position, ((name, field), value) in enumerate(zip(fields.items(), full, strict=False)):
                put(f"{key}-{index}-{name}", field, value, f"{chr(ord('C') + position)}{number}")
            counts[key] += 1
        elif key not in ("#", "key") and not key.endswith("-*"):
            wrong.append(f"第 {number} 行：A 列“{key}”不是模板中的数据项，请使用本页下载的模板")
    if wrong:
        raise WorkbookError("；".join(wrong))
    for prefix, count in counts.items():
        data.update({f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": str(MAX_LIST_ROWS)})
    return data, cells


# ------------------------------------------------------------------------------------- submissions


@dataclass
class Outcome:
    """What the page shows: the forms (bound), the assessment (JSON of the engine) or the problems.

    Attributes:
        filled: :class:`SelfAssessmentForms`.
        result: :func:`.services.self_assess`'s JSON, or ``None``.
        problems: ``{"where", "message_zh"}``: the Chinese label (year, row, cell) and the message.
        checked: the forms were submitted (their errors are shown).
    """

    filled: SelfAssessmentForms
    result: dict[str, Any] | None = None
    problems: list[dict[str, str]] = dataclasses.field(default_factory=list)
    checked: bool = False


def example_data() -> dict[str, str]:
    """The forms' data of the page's example enterprise (:func:`.services.example_figures`)."""
    from kechuang.cultivation.services import example_figures

    return form_data(*example_figures())


def start(*, example: bool, today: dt.date) -> Outcome:
    """The page before anything is submitted: blank forms on 30 June of this year, or the example."""
    return Outcome(SelfAssessmentForms(example_data() if example else blank_data(today.replace(month=6, day=30))))


def submit(mode: str, data: Any, workbook: bytes | None) -> Outcome:
    """The forms submitted (``mode="form"``, ``data`` the POST) or filled from the Excel template
    (``mode="xlsx"``, ``workbook`` its bytes): validated, then assessed by :func:`.services.self_assess_forms`.
    Never raises for bad input: problems are named by the Chinese label (with the cell for a workbook)."""
    from kechuang.cultivation.services import self_assess_forms

    cells: dict[str, str] = {}
    if mode == "xlsx":
        try:
            if workbook is None:
                raise WorkbookError("请选择填好的 Excel 模板")
            data, cells = data_from_workbook(workbook)
        except WorkbookError as exc:
            outcome = start(example=False, today=timezone.localdate())
            outcome.problems = [{"where": "Excel 文件", "message_zh": str(exc)}]
            return outcome
    filled = SelfAssessmentForms(data)
    outcome = Outcome(filled, checked=True)
    if not filled.is_valid():
        outcome.problems = [{"where": where + (f"（单元格 {cells[key]}）" if key in cells else ""), "message_zh": message}
                            for key, where, message in filled.problems()]
        return outcome
    try:
        outcome.result = self_assess_forms(filled)
    except CodecError as exc:
        outcome.problems = labelled(exc.problems)
    except (LookupError, ValueError) as exc:
        outcome.problems = [{"where": "评估基准日", "message_zh": str(exc)}]
    return outcome


def submit_json(text: str, outcome: Outcome) -> Outcome:
    """An assessment-input JSON document (元) assessed by :func:`.services.self_assess`; problems carry the
    Chinese name of their path."""
    from kechuang.cultivation.services import self_assess

    try:
        outcome.result = self_assess(text)
    except CodecError as exc:
        outcome.problems = labelled(exc.problems)
    except (LookupError, ValueError) as exc:
        outcome.problems = [{"where": "评估基准日（evaluation_date）", "message_zh": str(exc)}]
    return outcome


def labelled(found: Iterable[Problem]) -> list[dict[str, str]]:
    """Codec problems with the Chinese name of their path beside it."""
    return [{"where": f"{path_label(p.path)}（{p.path}）" if p.path else "", "message_zh": p.message_zh}
            for p in found]


# ----------------------------------------------------------------------------- JSON paths → labels


def path_label(path: str) -> str:
    """The Chinese name of an assessment-input path, e.g. ``enterprise.years[2].sales_revenue`` →
    "年度数据第 3 列 · 销售收入（营业收入）" (the codec's problems, shown beside the path)."""
    empty = SelfAssessmentForms()
    parts = path.split(".")
    if parts[0] != "enterprise" or len(parts) == 1:
        return {"evaluation_date": "评估基准日", "enterprise": "企业数据"}.get(parts[0], path)
    head = parts[1]
    if head.startswith("years["):
        index = head[6:].split("]")[0]
        field = parts[2] if len(parts) > 2 else ""
        label = empty.years[0].fields[field].label if field in empty.years[0].fields else field
        return f"年度数据第 {int(index) + 1} 年 · {label}".rstrip(" ·")
    names = {"name": "企业名称", "uscc": "统一社会信用代码", "ip_items": "知识产权", "standards": "标准",
             "awards": "科技奖励", "rd_institutions": "研发机构", "incidents": "事故与失信记录",
             "hnte_certificate": "高新技术企业证书", "tsme_registration": "科技型中小企业入库登记",
             "rd_management": "研发组织管理", "expert": "专家评审"}
    base = head.split("[")[0]
    if base in empty.profile.fields:
        return str(empty.profile.fields[base].label)
    label = names.get(base, base)
    if "[" in head:
        label += f"第 {int(head.split('[')[1].rstrip(']')) + 1} 项"
    if len(parts) > 2:
        label += f" · {parts[2]}"
    return label


__all__ = ["HeadForm", "Outcome", "example_data", "labelled", "start", "submit", "submit_json", "SelfAssessmentForms", "WorkbookError", "blank_data",
           "data_from_workbook", "form_data", "path_label", "template_workbook"]
