"""Forms of the R&D report pages, built from the year's form catalogue: the 107-2 items (千元, 人, 个) by
group, the 107-1 projects as a table, and the explanations of warnings."""

from __future__ import annotations

from typing import Any

from django import forms

from kechuang.engines.rdreport import FormCatalogue, Item, Unit, form_catalogue

GROUP_LABELS = {
    "personnel": "一、研究开发人员", "expense": "二、研究开发费用", "assets": "三、研究开发资产",
    "institutions": "四、企业办研究开发机构", "funding": "五、研究开发经费来源", "policy": "六、政策落实情况",
    "outputs": "七、自主知识产权与相关情况", "technology": "八、技术改造与技术获取",
}


def _field(item: Item, catalogue: FormCatalogue) -> forms.Field:
    label = f"{item.label_zh}（{item.unit_zh}）" if item.unit_zh else item.label_zh
    attrs = {"step": "any", "inputmode": "decimal", "data-key": item.key}
    if item.unit is Unit.TEXT:
        return forms.CharField(label=label, required=False, max_length=200)
    if item.unit is Unit.CODE and item.code_list is not None and item.code_list in catalogue.code_lists:
        codes = catalogue.code_lists[item.code_list].values
        return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None,
                                      choices=[("", "—")] + [(k, f"{k} {v}") for k, v in codes.items()])
    if item.unit in (Unit.CODE, Unit.YEAR_MONTH):
        placeholder = {"placeholder": "YYYYMM"} if item.unit is Unit.YEAR_MONTH else {}
        return forms.IntegerField(label=label, required=False, widget=forms.NumberInput(attrs=placeholder))
    return forms.DecimalField(label=label, required=False, widget=forms.NumberInput(attrs=attrs))


class FirmForm(forms.Form):
    """The 107-2 items of ``year`` (money in 千元 as on the form)."""

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = form_catalogue(year)
        for key, item in self.catalogue.firm_items.items():
            self.fields[key] = _field(item, self.catalogue)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Bound fields by form section, in form order."""
        result: dict[str, list[forms.BoundField]] = {}
        for key, item in self.catalogue.firm_items.items():
            result.setdefault(GROUP_LABELS.get(item.group, item.group or "其他"), []).append(self[key])
        return list(result.items())


class ProjectForm(forms.Form):
    """One 107-1 row."""

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalogue = form_catalogue(year)
        for key, item in catalogue.project_columns.items():
            self.fields[key] = _field(item, catalogue)
        self.fields["name"].widget.attrs["size"] = 24


def project_formset(year: int, data: Any = None, initial: list[dict[str, Any]] | None = None) -> Any:
    """The 107-1 rows as a formset (two empty rows to add projects; a row can be deleted)."""
    factory = forms.formset_factory(ProjectForm, extra=2, can_delete=True, max_num=500, validate_max=True)
    return factory(data, initial=initial, prefix="projects", form_kwargs={"year": year})


def project_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled, not deleted rows of a valid formset (blank values dropped)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE" and v not in (None, "")}
        if row:
            rows.append(row)
    return rows


class ReturnForm(forms.Form):
    """Return for correction: a general comment and up to three comments tied to items."""

    comment = forms.CharField(label="退回意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = [("", "（整张报表）")] + [(k, i.label_zh) for k, i in form_catalogue(year).firm_items.items()]
        for n in range(1, 4):
            self.fields[f"field_{n}"] = forms.ChoiceField(label=f"指标 {n}", choices=items, required=False)
            self.fields[f"text_{n}"] = forms.CharField(label=f"意见 {n}", max_length=500, required=False)

    def field_comments(self) -> list[tuple[str, str]]:
        """The comments tied to items, ``(field, text)`` (the general one is ``comment``)."""
        data = self.cleaned_data
        return [(data[f"field_{n}"], data[f"text_{n}"]) for n in range(1, 4) if data.get(f"text_{n}")]

    def comments(self) -> list[tuple[str, str]]:
        """Every comment, the general one first as ``("", text)``."""
        return [("", self.cleaned_data["comment"]), *self.field_comments()]
