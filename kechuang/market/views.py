"""Pages of the registries: list, detail (with workflow buttons and history), create/edit, import,
template download. Views are thin: access through ``visible_to`` / ``get_for_user``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.common.access import ADD, CHANGE, can, get_for_user, may_import, restricted_fields, role_allows
from kechuang.common.export import XLSX_MIME
from kechuang.common.history import history_rows
from kechuang.common.imports import SUPPORTED, ImportFileError
from kechuang.common.uploads import refused
from kechuang.common.views import ScopedListView
from kechuang.common.workflow import available_transitions
from kechuang.market import tables
from kechuang.market.filters import AchievementFilter, DemandFilter, ExpertFilter
from kechuang.market.forms import AchievementForm, DemandForm, ExpertForm
from kechuang.market.importers import IMPORTERS, PRESETS, make_importer
from kechuang.market.models import Achievement, Demand, Expert
from kechuang.market.services import adopt_suggested_field, save_record, transition_record
from kechuang.market.templates_xlsx import template_workbook


@dataclass(frozen=True)
class Registry:
    """One registry's pieces, so the generic views below serve all three."""

    key: str
    model: Any
    form: Any
    label: str
    detail_template: str


REGISTRIES = {
    "achievements": Registry("achievements", Achievement, AchievementForm, "科技成果", "market/achievement_detail.html"),
    "demands": Registry("demands", Demand, DemandForm, "技术需求", "market/demand_detail.html"),
    "experts": Registry("experts", Expert, ExpertForm, "专家", "market/expert_detail.html"),
}
SINGULAR = {"achievements": "achievement", "demands": "demand", "experts": "expert"}


class RegistryListView(ScopedListView):
    registry_key = ""

    def get_queryset(self):
        return super().get_queryset().select_related("region", *self.related)

    def can_create(self) -> bool:
        return role_allows(self.request.user, self.model, ADD)

    def extra_links(self):
        links = [("下载导入模板", reverse("market:template", args=[self.registry_key]))]
        if may_import(self.request.user):
            links.insert(0, ("批量导入", reverse("market:import", args=[self.registry_key])))
        return links


class AchievementListView(RegistryListView):
    model = Achievement
    filterset_class = AchievementFilter
    table = tables.ACHIEVEMENT_TABLE
    export_table = tables.ACHIEVEMENT_EXPORT
    template_table = tables.ACHIEVEMENT_TEMPLATE_EXPORT
    title = export_name = "科技成果"
    create_url = "market:achievement-create"
    registry_key = "achievements"
    related = ("owner", "field")


class DemandListView(RegistryListView):
    model = Demand
    filterset_class = DemandFilter
    table = tables.DEMAND_TABLE
    export_table = tables.DEMAND_EXPORT
    template_table = tables.DEMAND_TEMPLATE_EXPORT
    title = export_name = "技术需求"
    create_url = "market:demand-create"
    registry_key = "demands"
    related = ("enterprise", "field")


class ExpertListView(RegistryListView):
    model = Expert
    filterset_class = ExpertFilter
    table = tables.EXPERT_TABLE
    export_table = tables.EXPERT_EXPORT
    template_table = tables.EXPERT_TEMPLATE_EXPORT
    title = export_name = "专家"
    create_url = "market:expert-create"
    registry_key = "experts"
    related = ("organisation",)


@login_required
def detail(request: HttpRequest, registry: str, pk: int) -> HttpResponse:
    spec = REGISTRIES[registry]
    obj = get_for_user(spec.model, request.user, pk)
    hidden = restricted_fields(request.user, obj)
    return render(request, spec.detail_template, {
        "obj": obj,
        "registry": spec,
        "hidden": hidden,
        "history": history_rows(obj, hidden=hidden, viewer=request.user),
        "can_change": can(request.user, CHANGE, obj),
        "transitions": available_transitions(obj, request.user),
        "url_prefix": f"market:{SINGULAR[registry]}",
        # Linked records are listed only when the viewer may open them.
        "linked_achievements": obj.achievements.visible_to(request.user) if registry == "experts" else None,
        "linked_experts": obj.inventors.visible_to(request.user) if registry == "achievements" else None,
        "suggestion": field_suggestion(obj),
    })


def field_suggestion(obj: Any):
    """The technical-field suggestion for a record without a field (achievements and demands)."""
    if not hasattr(obj, "field_id") or obj.field_id:
        return None
    from kechuang.matchmaking.suggest import suggest

    return suggest(obj)


@login_required
@require_POST
def adopt_field(request: HttpRequest, registry: str, pk: int) -> HttpResponse:
    """Adopt the suggested technical field (a user who may change the record confirms it)."""
    obj = get_for_user(REGISTRIES[registry].model, request.user, pk, CHANGE)
    suggestion = field_suggestion(obj)
    if suggestion is None:
        messages.error(request, "没有可采纳的领域建议")
    else:
        adopt_suggested_field(obj, suggestion.field)
        messages.success(request, f"已采纳技术领域：{suggestion.field}")
    return redirect(obj)


def _edit(request: HttpRequest, registry: str, obj: Any | None) -> HttpResponse:
    spec = REGISTRIES[registry]
    form = spec.form(request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = save_record(form)
        messages.success(request, f"已保存“{saved}”")
        return redirect(saved)
    if request.method == "POST":
        messages.error(request, "保存失败，请按提示修改后重试")
    return render(request, "market/form.html", {"form": form, "obj": obj, "registry": spec,
                                                "list_url": f"market:{SINGULAR[registry]}-list"})


@login_required
def create(request: HttpRequest, registry: str) -> HttpResponse:
    if not role_allows(request.user, REGISTRIES[registry].model, ADD):
        raise PermissionDenied("无权新建")
    return _edit(request, registry, None)


@login_required
def edit(request: HttpRequest, registry: str, pk: int) -> HttpResponse:
    return _edit(request, registry, get_for_user(REGISTRIES[registry].model, request.user, pk, CHANGE))


@login_required
@require_POST
def transition(request: HttpRequest, registry: str, pk: int, name: str) -> HttpResponse:
    obj = get_for_user(REGISTRIES[registry].model, request.user, pk)
    try:
        transition_record(obj, name, request.user, request.POST.get("comment", "").strip()[:500])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{obj}”状态已变为“{obj.get_status_display()}”")
    return redirect(obj)


class ImportForm(forms.Form):
    file = forms.FileField(label="文件", help_text=f"支持 {'、'.join(SUPPORTED)}，表头见导入模板")
    valid_only = forms.BooleanField(label="只导入无误的行（默认：全部无误才导入）", required=False)
    preset = forms.ChoiceField(label="列映射预设", required=False,
                               choices=[("", "无（按模板表头）")] + [(k, p.label) for k, p in PRESETS.items()])
    mapping = forms.CharField(label="列映射", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="文件表头与模板表头不同时填写，每行一个：文件列=模板列，如 项目名称=成果名称")

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


@login_required
def import_file(request: HttpRequest, registry: str) -> HttpResponse:
    if registry not in IMPORTERS or not may_import(request.user):
        raise PermissionDenied("只有市、县科技部门人员可以批量导入")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if refused(request):
        messages.error(request, refused(request))
        form = type(form)()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            importer, mapping = make_importer(registry, request.user, form.cleaned_data["preset"] or None,
                                              request.user.region)
            mapping.update(form.cleaned_data["mapping"])
            report = importer.run(upload, upload.name, valid_only=form.cleaned_data["valid_only"], mapping=mapping)
        except (ImportFileError, KeyError) as exc:
            form.add_error("file", str(exc.args[0]))
    return render(request, "market/import.html", {"form": form, "report": report, "registry": REGISTRIES[registry]})


@login_required
def template(request: HttpRequest, registry: str) -> HttpResponse:
    if registry not in IMPORTERS:
        raise PermissionDenied
    importer = IMPORTERS[registry]
    response = HttpResponse(template_workbook(importer), content_type=XLSX_MIME)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(importer.label + '导入模板.xlsx')}"
    return response
