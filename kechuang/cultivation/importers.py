"""Import of enterprises' yearly figures from xlsx / csv / jsonl by staff.

One row per enterprise and fiscal year, money in 万元 as on the page form; the enterprise is found by its
unified social credit code among the enterprises the officer may change. A row for a year already held
updates it (history keeps the earlier values): a blank cell keeps the held value, 「清空」 removes it, and
the report says 新增 / 更新 / 未变 per row. Two rows of one file for the same enterprise and year are a
duplicate when equal and a conflict when not. All or nothing by default, with a per-row report and the
page form's 请核对单位 warnings.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kechuang.common.access import CHANGE
from kechuang.common.cells import CLEAR, CellError, is_blank, plain, read_number, read_whole
from kechuang.common.forms import model_choice
from kechuang.common.imports import ADDED, UNCHANGED, UPDATED, ImportColumn, Importer, RowResult
from kechuang.common.models import concrete_field
from kechuang.cultivation.forms import MONEY_FIELDS, AnnualFiguresForm
from kechuang.cultivation.models import AnnualFigures, CultivatedEnterprise


class AnnualFiguresImportForm(AnnualFiguresForm):
    """The page form plus the enterprise, chosen by credit code among those the user may change."""

    enterprise = forms.ModelChoiceField(queryset=CultivatedEnterprise.objects.none(), to_field_name="uscc",
                                        label="统一社会信用代码",
                                        error_messages={"invalid_choice": "找不到该统一社会信用代码的企业，或无权修改其数据"})

    class Meta(AnnualFiguresForm.Meta):
        exclude: list[str] = []
        fields = ["enterprise", "year", *[f.name for f in AnnualFigures._meta.fields
                                          if f.name not in ("id", "enterprise", "year", "updated_at")]]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self.fields["enterprise"]).queryset = CultivatedEnterprise.objects.visible_to(user, CHANGE)

    def clean(self) -> dict[str, Any]:
        """A row for a year already held updates that row (so the one-row-a-year rule is kept)."""
        data = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)
        if data.get("enterprise") and data.get("year"):
            held = AnnualFigures.objects.filter(enterprise=data["enterprise"], year=data["year"]).first()
            if held is not None:
                self.instance.pk = held.pk
                self.instance._state.adding = False  # validated and saved as that row
        return data


def _label(name: str) -> str:
    field = concrete_field(AnnualFigures, name)
    return f"{field.verbose_name}（万元）" if name in MONEY_FIELDS else str(field.verbose_name)


def _note(name: str) -> str:
    field = concrete_field(AnnualFigures, name)
    unit = "单位：万元（不是元）" if name in MONEY_FIELDS else ""
    return "；".join(x for x in (unit, str(field.help_text or "")) if x)


def _columns() -> tuple[ImportColumn, ...]:
    names = [f.name for f in AnnualFigures._meta.fields if f.name not in ("id", "enterprise", "year", "updated_at")]
    return (
        ImportColumn("enterprise", "统一社会信用代码", ("信用代码", "USCC"), required=True,
                     note="必填，已登记企业的 18 位统一社会信用代码", example="91511700MA6XXXXXXX"),
        ImportColumn("year", "会计年度", ("年度", "年份"), required=True, note="必填，四位年份", example="2025"),
        *(ImportColumn(name, _label(name), (str(concrete_field(AnnualFigures, name).verbose_name),),
                       note=_note(name), example="", unit="万元" if name in MONEY_FIELDS else "")
          for name in names),
    )


class AnnualFiguresImporter(Importer):
    """Yearly figures: key (enterprise, year). A row for a year already held updates it: a blank cell
    means "not given" and keeps the held value; :data:`~kechuang.common.cells.CLEAR` (「清空」) removes it.
    Each written row is reported as 新增, 更新 or 未变 (an unchanged row is not written)."""

    label = "企业年度数据"
    columns = _columns()
    form_class = AnnualFiguresImportForm
    rules = (
        "从第一张工作表的第 2 行起填写，每行一家企业一个会计年度；表头为红色的列必须填写。",
        "金额单位为万元（不是元）；人数为年平均人数。数字可带千位分隔符（1,234.5），不要在格内写单位（如“12万元”）。",
        "已有该企业该年度数据时，这一行更新它：留空的格表示“不提供”，保留原值；要删除某项原值，在该格填写“清空”。",
        "导入结果逐行说明“新增”“更新”或“未变”；同一文件中同一企业同一年度只能有一行，两行内容不同时作为冲突列出，不会只取其一。",
        "默认全部无误才写入；数值异常（如疑似按元填写）会给出“请核对单位”提示，但不阻止写入。",
    )

    def prepare(self, cells: dict[str, Any], problems: list[tuple[str, str]]) -> dict[str, Any]:
        """Cells → form data. For a year already held, the held values stand wherever the file gives
        nothing (no column, or a blank cell); 「清空」 clears a value."""
        data = self._held_values(cells)
        for key, value in cells.items():
            if is_blank(value):
                continue
            if isinstance(value, str) and value.strip() == CLEAR:
                data[key] = ""
                continue
            if key == "enterprise":
                data[key] = str(value).strip().upper()
                continue
            try:
                if key == "year":
                    data[key] = str(read_whole(value, "会计年度"))
                else:
                    column = next(c for c in self.columns if c.key == key)
                    data[key] = plain(read_number(value, unit=column.unit))
            except CellError as exc:
                problems.append((key, str(exc)))
                data[key] = ""
        return data

    def _held(self, cells: dict[str, Any]) -> AnnualFigures | None:
        uscc = str(cells.get("enterprise") or "").strip().upper()
        try:
            year = read_whole(cells.get("year"))
        except CellError:
            return None
        if not uscc or year is None:
            return None
        return AnnualFigures.objects.filter(enterprise__uscc=uscc, year=year).first()

    def _held_values(self, cells: dict[str, Any]) -> dict[str, Any]:
        held = self._held(cells)
        if held is None:
            return {}
        form = AnnualFiguresForm(instance=held)
        values = {}
        for name, field in form.fields.items():
            if name != "year":
                value = field.prepare_value(form.initial.get(name))
                values[name] = "" if value is None else str(value)
        return values

    def action(self, instance: AnnualFigures) -> str:
        """新增 for a new year; 更新 when a value differs from the held row, else 未变."""
        if instance.pk is None:
            return ADDED
        held = AnnualFigures.objects.get(pk=instance.pk)
        names = [f.name for f in AnnualFigures._meta.fields if f.name not in ("id", "updated_at")]
        return UPDATED if any(getattr(held, n) != getattr(instance, n) for n in names) else UNCHANGED

    def result(self, number: int, action: str, instance: AnnualFigures) -> RowResult:
        return RowResult(number, action, f"{instance.enterprise.name} {instance.year} 年度",
                         instance.get_absolute_url())

    def keys(self, instance: AnnualFigures) -> list[tuple]:
        return [(instance.enterprise_id, instance.year)]

    def existing_keys(self) -> set[tuple]:
        return set()

    def write(self, instances: list[AnnualFigures]) -> None:
        for instance in instances:  # one by one: an update keeps its history
            instance._change_reason = "批量导入"
            instance.save()
