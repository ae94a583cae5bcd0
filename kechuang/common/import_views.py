"""The one import page: a file, 「只导入无误的行」, an optional column-mapping preset and a free column
mapping; the upload checked (:mod:`kechuang.common.uploads`), the importer run, a file the importer cannot
read shown on the file field, and the report rendered with ``common/_import_report.html``.

Every import page uses :func:`import_page` — the registries (:mod:`kechuang.common.registry`), yearly
figures of cultivation and R&D reports — and differs only by the form and the ``run`` callable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kechuang.common.access import may_import
from kechuang.common.imports import SUPPORTED, ImportFileError
from kechuang.common.uploads import refused

#: Why a user who may not import is refused (city and county staff import).
NOT_STAFF = "只有市、县科技部门人员可以批量导入"


class ImportForm(forms.Form):
    """The import form: ``file``, ``valid_only``, ``preset`` (only when ``presets`` are given: key →
    Chinese label) and ``mapping`` (one 「文件列=模板列」 a line, cleaned to {file header: template
    header}; a line without ``=`` is refused naming its number). ``mapping=False`` leaves the mapping out."""

    file = forms.FileField(label="文件", help_text=f"支持 {'、'.join(SUPPORTED)}，表头见导入模板")
    valid_only = forms.BooleanField(label="只导入无误的行（默认：全部无误才导入）", required=False)
    preset = forms.ChoiceField(label="列映射预设", required=False)
    mapping = forms.CharField(label="列映射", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="文件表头与模板表头不同时填写，每行一个：文件列=模板列，如 项目名称=成果名称")

    def __init__(self, *args: Any, presets: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if presets:
            preset: Any = self.fields["preset"]  # a ChoiceField
            preset.choices = [("", "无（按模板表头）"), *presets.items()]
        else:
            del self.fields["preset"]

    def clean_mapping(self) -> dict[str, str]:
        result = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            if "=" not in line:
                raise forms.ValidationError(f"第 {number} 行应为 文件列=模板列")
            source, target = line.split("=", 1)
            result[source.strip()] = target.strip()
        return result


def import_page(request: HttpRequest, run: Callable[[Any, dict[str, Any]], Any], template_name: str, *,
                form_class: type[forms.Form] = ImportForm, form_kwargs: dict[str, Any] | None = None,
                context: dict[str, Any] | None = None) -> HttpResponse:
    """The import page: GET shows the form; POST validates it and calls ``run(upload, cleaned_data)``,
    which returns the import report (or raises :class:`ImportFileError` for a file it cannot read, shown
    on the file field: nothing written). An upload over the size limit is refused with a message and an
    empty form. The template gets ``form``, ``report`` (None until an import ran) and ``context``.

    Raises:
        PermissionDenied: the user may not import (only city and county staff may).
    """
    if not may_import(request.user):
        raise PermissionDenied(NOT_STAFF)
    too_large = refused(request)
    if too_large:
        messages.error(request, too_large)
    bound = request.method == "POST" and not too_large
    form = form_class(request.POST if bound else None, request.FILES if bound else None, **(form_kwargs or {}))
    report = None
    if bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run(upload, form.cleaned_data)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    return render(request, template_name, {"form": form, "report": report, **(context or {})})
