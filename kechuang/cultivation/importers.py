"""Import of enterprises' yearly figures from xlsx / csv / jsonl by staff.

One row per enterprise and fiscal year, money in 万元 as on the page form; the enterprise is found by its
unified social credit code among the enterprises the officer may change. A row for a year already held
updates it (history keeps the earlier values); two rows of one file for the same enterprise and year are
reported as duplicates. All or nothing by default, with a per-row report.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kechuang.common.access import CHANGE
from kechuang.common.imports import ImportColumn, Importer
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
        self.fields["enterprise"].queryset = CultivatedEnterprise.objects.visible_to(user, CHANGE)

    def clean(self) -> dict[str, Any]:
        """A row for a year already held updates that row (so the one-row-a-year rule is kept)."""
        data = super().clean()
        if data.get("enterprise") and data.get("year"):
            held = AnnualFigures.objects.filter(enterprise=data["enterprise"], year=data["year"]).first()
            if held is not None:
                self.instance.pk = held.pk
                self.instance._state.adding = False  # validated and saved as that row
        return data


def _label(name: str) -> str:
    field = AnnualFigures._meta.get_field(name)
    return f"{field.verbose_name}（万元）" if name in MONEY_FIELDS else str(field.verbose_name)


def _columns() -> tuple[ImportColumn, ...]:
    names = [f.name for f in AnnualFigures._meta.fields if f.name not in ("id", "enterprise", "year", "updated_at")]
    return (
        ImportColumn("enterprise", "统一社会信用代码", ("信用代码", "USCC"), required=True, example="91511700MA6XXXXXXX"),
        ImportColumn("year", "会计年度", ("年度", "年份"), required=True, example="2025"),
        *(ImportColumn(name, _label(name), (str(AnnualFigures._meta.get_field(name).verbose_name),),
                       note="单位：万元" if name in MONEY_FIELDS else "", example="")
          for name in names),
    )


class AnnualFiguresImporter(Importer):
    """Yearly figures: key (enterprise, year); rows for a year already held update it."""

    label = "企业年度数据"
    columns = _columns()
    form_class = AnnualFiguresImportForm

    def prepare(self, cells: dict[str, Any], problems: list[tuple[str, str]]) -> dict[str, Any]:
        """Cells → form data; for a year already held, the columns the file lacks keep their values."""
        data = self._held_values(cells)
        for key, value in cells.items():
            if value is None:
                continue
            text = str(value).strip()
            if key == "enterprise":
                text = text.upper()
            if key == "year" and isinstance(value, float) and value.is_integer():
                text = str(int(value))
            data[key] = text
        return data

    def _held_values(self, cells: dict[str, Any]) -> dict[str, Any]:
        uscc, year = str(cells.get("enterprise") or "").strip().upper(), str(cells.get("year") or "").strip()
        if not uscc or not year.isdigit():
            return {}
        held = AnnualFigures.objects.filter(enterprise__uscc=uscc, year=int(year)).first()
        if held is None:
            return {}
        form = AnnualFiguresForm(instance=held)
        values = {}
        for name, field in form.fields.items():
            if name not in cells and name != "year":
                value = field.prepare_value(form.initial.get(name))
                values[name] = "" if value is None else str(value)
        return values

    def keys(self, instance: AnnualFigures) -> list[tuple]:
        return [(instance.enterprise_id, instance.year)]

    def existing_keys(self) -> set[tuple]:
        return set()

    def write(self, instances: list[AnnualFigures]) -> None:
        for instance in instances:  # one by one: an update keeps its history
            instance.save()
