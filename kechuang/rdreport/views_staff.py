"""Staff pages of R&D reporting: the dashboard of a year, bulk import, the export of delivered reports,
targets (一企一策), aggregates with regional R&D intensity, and GDP entry. Every page starts from what the
user may see (``visible_to``); a single record outside the user's scope answers 404."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kechuang.common.access import (
    ADD,
    CHANGE,
    VIEW,
    get_for_user,
    is_region_staff,
    may_import,
    role_allows,
)
from kechuang.common.export import xlsx_download, xlsx_response
from kechuang.common.history import history_rows
from kechuang.common.import_views import NOT_STAFF, import_page
from kechuang.core.choices import OrganisationKind, RegionLevel, Role
from kechuang.core.models import Organisation, Region, signed_in
from kechuang.rdreport import aggregates as agg
from kechuang.rdreport import dashboard, exports, services, targets
from kechuang.rdreport.forms_staff import YI, GdpForm, ReportImportForm, TargetForm
from kechuang.rdreport.importers import ReportImporter
from kechuang.rdreport.models import RdPlan, RdReport, RegionalGdp

#: Reports one page upload may hold (about 30 ms each to validate and save: well within a request).
PAGE_IMPORT_LIMIT = 500


def staff_links(user) -> list[tuple[str, str]]:
    """(label, url) of the staff pages, for the report list's buttons."""
    if not is_region_staff(user):
        return []
    links = [("工作台", reverse("rdreport:dashboard")), ("导出已报送统计的报表", reverse("rdreport:export"))]
    if may_import(user):
        links.append(("批量导入", reverse("rdreport:import")))
    return links


def _year(request: HttpRequest, default: int | None = None) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or default or dashboard.default_year())
    except ValueError:
        return default or dashboard.default_year()
    return year if 2000 <= year <= 2100 else dashboard.default_year()


def _region(request: HttpRequest) -> Region | None:
    """The ``region`` filter, among the regions the user may see (404 outside)."""
    value = request.GET.get("region")
    if not value:
        return None
    try:
        return Region.objects.assignable_by(request.user).exclude(level=RegionLevel.PROVINCE).get(pk=value)
    except (Region.DoesNotExist, ValueError) as exc:
        raise Http404("区域不存在或无权访问") from exc


# ------------------------------------------------------------------------------------------------- dashboard


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Staff: the enterprises of a year by stage, counts by county, the deadline. An enterprise user: its
    own reports, deadline and target."""
    user = signed_in(request)
    if not role_allows(user, RdReport, VIEW):
        raise PermissionDenied("您的角色不使用研发投入统计功能")
    year = _year(request)
    if user.role == Role.ENTERPRISE_USER and not user.is_superuser:
        enterprise = user.organisation
        if enterprise is None:
            raise PermissionDenied("账号未绑定企业")
        report = RdReport.objects.filter(enterprise=enterprise, year=year).first()
        return render(request, "rdreport/dashboard_enterprise.html", {
            "year": year, "years": dashboard.years(user), "enterprise": enterprise, "report": report,
            "stage": dashboard.stage_of(report),
            "deadline": dashboard.deadline(services.deadline_for(enterprise, year)),
            "reports": dashboard.enterprise_reports(user),
            "targets": targets.target_rows(user, year),
            "can_start": report is None and role_allows(user, RdReport, ADD),
        })
    view = dashboard.overview(user, year)
    return render(request, "rdreport/dashboard.html", {
        "year": year, "years": dashboard.years(user), "view": view, "stages": list(dashboard.Stage),
        "may_import": may_import(user), "may_plan": role_allows(user, RdPlan, ADD),
        "urgent_days": dashboard.URGENT_DAYS,
    })


# ------------------------------------------------------------------------------------------------- import


@login_required
def import_reports(request: HttpRequest) -> HttpResponse:
    """City and county staff import reports from xlsx: all or nothing, with a per-row report."""

    def run(upload, data):
        return ReportImporter(request.user, data["year"], max_reports=PAGE_IMPORT_LIMIT).run(upload, upload.name)

    return import_page(request, run, "rdreport/import.html", form_class=ReportImportForm,
                       context={"title": "批量导入研发投入统计报表", "year": dashboard.default_year()})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied(NOT_STAFF)
    year = _year(request)
    return xlsx_download(exports.template_workbook(year), f"研发投入统计报表导入模板-{year}年.xlsx")


# ------------------------------------------------------------------------------------------------- export


@login_required
def export_delivered(request: HttpRequest) -> HttpResponse:
    """Staff: the delivered reports of a year (in a region) in the statistics form's layout."""
    if not is_region_staff(request.user):
        raise PermissionDenied("只有科技部门和统计人员可以导出")
    return exports.export_response(request.user, _year(request), _region(request))


# ------------------------------------------------------------------------------------------------- targets


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    """The plans of a year with target, reported figure and progress; staff add or change a target."""
    user = request.user
    if not role_allows(user, RdPlan, VIEW):
        raise PermissionDenied("您的角色不使用一企一策功能")
    year = _year(request)
    behind = request.GET.get("behind") == "1"
    may_plan = role_allows(user, RdPlan, ADD) and role_allows(user, RdPlan, CHANGE)
    form = TargetForm(request.POST or None) if may_plan else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("无权设置研发目标")
        if form.is_valid():
            enterprise = (Organisation.objects.visible_to(user, CHANGE)
                          .filter(kind=OrganisationKind.ENTERPRISE, uscc=form.cleaned_data["uscc"]).first())
            if enterprise is None:
                form.add_error("uscc", "找不到该统一社会信用代码的企业，或无权修改其数据")
            else:
                try:
                    services.set_target(enterprise, year, form.cleaned_data["target"], form.cleaned_data["note"],
                                       user)
                except ValidationError as exc:
                    form.add_error(None, exc.messages)
                else:
                    messages.success(request, f"已设置 {enterprise.name} {year} 年的研发目标")
                    return redirect(f"{reverse('rdreport:targets')}?year={year}")
    rows = targets.target_rows(user, year, behind_only=behind)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(targets.TARGET_TABLE, rows, f"一企一策研发目标-{year}年{'-未达目标' if behind else ''}")
    return render(request, "rdreport/targets.html", {
        "year": year, "years": dashboard.years(user), "rows": rows, "behind": behind, "form": form,
        "table": targets.TARGET_TABLE, "cells": [(r, targets.TARGET_TABLE.row(r)) for r in rows],
        "may_plan": may_plan, "keep": {"behind": "1"} if behind else {},
    })


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one plan's target and note (404 outside the user's scope)."""
    plan = get_for_user(RdPlan.objects.select_related("enterprise__region"), request.user, pk, CHANGE)
    initial = {"target": plan.target_expense, "note": plan.note}
    form = TargetForm(request.POST or None, initial=initial, new=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_target(plan.enterprise, plan.year, form.cleaned_data["target"], form.cleaned_data["note"],
                               request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "研发目标已保存")
            return redirect(f"{reverse('rdreport:targets')}?year={plan.year}")
    return render(request, "rdreport/target_form.html", {"plan": plan, "form": form,
                                                         "history": history_rows(plan)})


# ------------------------------------------------------------------------------------------------- aggregates


@login_required
def aggregates_page(request: HttpRequest) -> HttpResponse:
    """Staff: R&D expenditure by county and industry, regional R&D intensity, the chart of the year."""
    user = request.user
    if not is_region_staff(user):
        raise PermissionDenied("只有科技部门和统计人员可以查看汇总")
    known = agg.years(user)
    year = _year(request, dashboard.default_year())
    result = agg.aggregates(user, year)
    return render(request, "rdreport/aggregates.html", {
        "year": year, "years": sorted(set(known) | {year, dashboard.default_year()}, reverse=True),
        "result": result, "chart": result.chart(), "statuses": [s.label for s in agg.COUNTED],
        "may_gdp": role_allows(user, RegionalGdp, CHANGE),
    })


@login_required
def gdp_page(request: HttpRequest) -> HttpResponse:
    """GDP per region and year (亿元): the city administrator for the city and its counties, a county
    officer for its county; statistics officers see the figures."""
    user = request.user
    regions = agg.gdp_regions(user)
    if not regions:
        raise PermissionDenied("只有科技部门和统计人员可以查看地区生产总值")
    year = _year(request)
    editable = {r.pk for r in regions if agg.may_set_gdp(user, r)}
    held = agg.gdp_of(regions, year)
    initial = {f"gdp_{pk}": _yi(value) for pk, value in held.items()}
    if request.method == "POST":
        posted = {int(k[4:]) for k in request.POST if k.startswith("gdp_") and k[4:].isdigit()}
        if posted - {r.pk for r in regions}:
            raise Http404("区域不存在或无权访问")
        if posted - editable:
            raise PermissionDenied("无权录入该区域的地区生产总值")
    form = GdpForm(request.POST or None, initial=initial, regions=regions, editable=editable)
    if request.method == "POST" and form.is_valid():
        by_pk = {r.pk: r for r in regions}
        changed = 0
        for pk, value in form.yuan().items():
            if value != held.get(pk):
                services.set_gdp(by_pk[pk], year, value, user)
                changed += 1
        messages.success(request, f"已保存 {year} 年地区生产总值（{changed} 处变更）")
        return redirect(f"{reverse('rdreport:gdp')}?year={year}")
    history = [(r, history_rows(row)) for r in regions
               for row in RegionalGdp.objects.filter(region=r, year=year)]
    return render(request, "rdreport/gdp.html", {
        "year": year, "form": form, "editable": bool(editable), "history": history,
        "years": sorted({year, dashboard.default_year(), *agg.years(user)}, reverse=True),
    })


def _yi(yuan: Decimal) -> Decimal | int:
    """Yuan → 亿元 as typed on the page (no exponent, trailing zeros dropped)."""
    amount = (yuan / YI).quantize(Decimal("0.0001"))
    return int(amount) if amount == amount.to_integral_value() else amount.normalize()
