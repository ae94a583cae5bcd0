"""Pages of tiered cultivation: overview and pools, an enterprise's figures and evaluations, the
one-page coaching report, the public self-assessment, and staff import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kechuang.common.access import (
    ADD,
    CHANGE,
    VIEW,
    can,
    get_for_user,
    is_region_staff,
    may_import,
    reaches_region,
    role_allows,
)
from kechuang.common.export import xlsx_download
from kechuang.common.history import history_rows
from kechuang.common.import_views import import_page
from kechuang.common.templates_xlsx import template_download
from kechuang.common.uploads import refused
from kechuang.common.views import ScopedListView
from kechuang.core.models import Region, signed_in
from kechuang.cultivation import pools, selfassess
from kechuang.cultivation.choices import Pool
from kechuang.cultivation.figures import MissingProfile
from kechuang.cultivation.filters import CertificateFilter, EvaluationFilter
from kechuang.cultivation.forms import (
    LIST_FORMSETS,
    OWN_LISTS,
    AnnualFiguresForm,
    ProfileForm,
    SelfAssessmentForm,
)
from kechuang.cultivation.importers import AnnualFiguresImporter
from kechuang.cultivation.models import (
    AnnualFigures,
    CultivatedEnterprise,
    CultivationProfile,
    Evaluation,
    EvaluationRun,
)
from kechuang.cultivation.services import (
    ConfigError,
    advance_run,
    check_year,
    evaluate_enterprise,
    example_input,
    save_annual_figures,
    save_profile,
    start_run,
)
from kechuang.cultivation.tables import CERTIFICATE_TABLE, EVALUATION_TABLE
from kechuang.cultivation.templatetags.cultivation import rule_version_text


def current_year() -> int:
    return timezone.localdate().year


def _year(request: HttpRequest, default: int | None = None) -> int:
    """The year asked for, when it is one the rules cover; else ``default`` or the current year."""
    try:
        return check_year(request.GET.get("year") or request.POST.get("year") or default or current_year())
    except ValueError:
        return default or current_year()


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Staff: tiers by county and industry, pool sizes, funnel by year. An enterprise user goes to its own
    page."""
    user = signed_in(request)
    if not role_allows(user, Evaluation, VIEW):
        raise PermissionDenied("您的角色不使用梯度培育功能")
    if not is_region_staff(user):
        return redirect("cultivation:enterprise", pk=user.organisation_id)
    known = pools.years(user)
    year = _year(request, known[0] if known else None)
    latest = pools.latest(user, year)
    pool_sizes: list[tuple[Pool, int]] = [(p, latest.filter(pools.pool_filter(p)).count()) for p in Pool if p != Pool.HNTE_EXPIRING]
    pool_sizes.append((Pool.HNTE_EXPIRING, pools.expiring_certificates(user, timezone.localdate()).count()))
    return render(request, "cultivation/overview.html", {
        "year": year, "years": known, "evaluated": latest.count(), "counts": pools.tier_counts(latest),
        "tiers": pools.TIER_COUNTS, "count_labels": pools.COUNT_LABELS,
        "grids": [pools.tiers_by_county(user, year), pools.tiers_by_industry(user, year)],
        "pool_sizes": pool_sizes, "funnel": pools.funnel(user),
        "may_evaluate": role_allows(user, Evaluation, ADD),
        "run_regions": run_regions(user), "run": EvaluationRun.objects.visible_to(user).first(),
    })


def run_regions(user) -> list[Region]:
    """The regions the user may re-evaluate from the page: its scope root and the divisions under it."""
    from kechuang.core.facts import scope_root

    root = scope_root(user)
    candidates = [root, *root.children.order_by("code")] if root else []
    return [r for r in candidates if reaches_region(user, r, EvaluationRun, ADD)]


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Start re-evaluating a region (the city, or one county) for a year; the page then advances it chunk
    by chunk (:func:`run_step`) and shows the progress."""
    region_id = request.POST.get("region", "")
    region = Region.objects.filter(pk=region_id).first() if region_id.isdigit() else None
    if region is None or not reaches_region(request.user, region, EvaluationRun, ADD):
        raise Http404("区域不存在或无权访问")
    try:
        run = start_run(region, request.POST.get("year") or current_year(), user=request.user)
    except (LookupError, ValueError, ConfigError) as exc:
        if request.headers.get("HX-Request"):
            return render(request, "cultivation/_run.html", {"error": f"无法开始评估：{exc}"})
        messages.error(request, f"无法开始评估：{exc}")
        return redirect("cultivation:overview")
    if request.headers.get("HX-Request"):
        return render(request, "cultivation/_run.html", {"run": run})
    return redirect(reverse("cultivation:overview") + f"?year={run.year}")


@login_required
def run_step(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the run's progress; POST: evaluate its next chunk, then the progress (htmx fragment; a plain
    form post returns to the overview)."""
    run = get_for_user(EvaluationRun, request.user, pk, CHANGE if request.method == "POST" else VIEW)
    if request.method == "POST":
        run = advance_run(run, user=request.user)
        if not request.headers.get("HX-Request"):
            return redirect(reverse("cultivation:overview") + f"?year={run.year}")
    return render(request, "cultivation/_run.html", {"run": run})


class EvaluationListView(ScopedListView):
    """The latest evaluation of each enterprise, filtered by year, pool, region, industry and tier."""

    model = Evaluation
    filterset_class = EvaluationFilter
    table = EVALUATION_TABLE
    title = export_name = "梯度评估结果"
    template_name = "cultivation/evaluation_list.html"

    def get_queryset(self):
        return super().get_queryset().filter(is_latest=True).select_related("enterprise__region")

    def get(self, request: HttpRequest) -> HttpResponse:
        pool = request.GET.get("pool")
        if pool in Pool.values:
            self.title = self.export_name = Pool(pool).label
        return super().get(request)


class CertificateListView(ScopedListView):
    """High-tech certificates ending within 12 months (re-recognition due)."""

    model = CultivationProfile
    filterset_class = CertificateFilter
    table = CERTIFICATE_TABLE
    title = export_name = Pool.HNTE_EXPIRING.label

    def get_queryset(self):
        return pools.expiring_certificates(self.request.user, timezone.localdate())


@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    """One enterprise: latest evaluation, coaching, yearly figures, lists, earlier evaluations."""
    org = get_for_user(CultivatedEnterprise, request.user, pk)
    profile = CultivationProfile.objects.filter(enterprise=org).first()
    evaluations = Evaluation.objects.filter(enterprise=org).order_by("-created_at", "-pk")
    latest = evaluations.first()
    return render(request, "cultivation/enterprise.html", {
        "org": org, "profile": profile, "latest": latest, "evaluations": evaluations[:50],
        "figures": AnnualFigures.objects.filter(enterprise=org).order_by("-year"),
        "lists": [(title, formset.model.objects.filter(enterprise=org)) for _, title, formset in LIST_FORMSETS],
        "can_change": can(request.user, CHANGE, org), "can_evaluate": can(request.user, ADD, org),
        "year": current_year(),
        "history": history_rows(profile) if profile else [],
    })


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_for_user(Evaluation.objects.select_related("enterprise"), request.user, pk)
    return render(request, "cultivation/evaluation.html", {"evaluation": evaluation, "result": evaluation.result,
                                                           "org": evaluation.enterprise})


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page coaching report (精准辅导报告) of an evaluation, laid out for printing."""
    evaluation = get_for_user(Evaluation.objects.select_related("enterprise__region"), request.user, pk)
    return render(request, "cultivation/report.html", {"evaluation": evaluation, "result": evaluation.result,
                                                       "org": evaluation.enterprise, "today": timezone.localdate()})


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_for_user(CultivatedEnterprise, request.user, pk, ADD)
    try:
        year = check_year(request.POST.get("year") or current_year())
        evaluation = evaluate_enterprise(org, year, user=request.user)
    except (MissingProfile, LookupError, ValueError) as exc:
        messages.error(request, f"无法评估：{exc}")
        return redirect("cultivation:enterprise", pk=org.pk)
    messages.success(request, f"已完成 {year} 年度评估（评价规则：{rule_version_text(evaluation.rule_version)}）")
    return redirect(evaluation)


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The profile and the enterprise's lists, saved together (all or nothing)."""
    org = get_for_user(CultivatedEnterprise, request.user, pk, CHANGE)
    profile = CultivationProfile.objects.filter(enterprise=org).first()
    data = request.POST if request.method == "POST" else None
    staff = may_import(request.user)  # city and county staff verify the bureau's facts
    form = ProfileForm(data, instance=profile, staff=staff)
    formsets = [(title, formset(data, instance=org, prefix=prefix)) for prefix, title, formset in LIST_FORMSETS
                if staff or prefix in OWN_LISTS]
    if request.method == "POST":
        if form.is_valid() and all(fs.is_valid() for _, fs in formsets):
            save_profile(org, form, [fs for _, fs in formsets])
            messages.success(request, "培育档案已保存")
            return redirect("cultivation:enterprise", pk=org.pk)
        messages.error(request, "保存失败，请按提示修改后重试")
    return render(request, "cultivation/profile_form.html", {"org": org, "form": form, "formsets": formsets})


@login_required
def figures_edit(request: HttpRequest, pk: int, year: int | None = None) -> HttpResponse:
    """One year's figures (new when ``year`` is None), with pre-checks as the user types."""
    org = get_for_user(CultivatedEnterprise, request.user, pk, CHANGE)
    instance = AnnualFigures.objects.filter(enterprise=org, year=year).first() if year else None
    if year and instance is None:
        instance = AnnualFigures(enterprise=org, year=year)
    held = set(AnnualFigures.objects.filter(enterprise=org).values_list("year", flat=True))
    first_missing = next((y for y in range(current_year() - 1, current_year() - 6, -1) if y not in held),
                         current_year() - 1)
    form = AnnualFiguresForm(request.POST or None, instance=instance, initial={"year": year or first_missing})
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_annual_figures(org, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{saved.year} 年度数据已保存")
            return redirect("cultivation:enterprise", pk=org.pk)
    return render(request, "cultivation/figures_form.html", {"org": org, "form": form, "year": year,
                                                             "history": history_rows(instance) if instance
                                                             and instance.pk else []})


@login_required
@require_POST
def figures_check(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the pre-checks of the figures typed so far (nothing is saved)."""
    org = get_for_user(CultivatedEnterprise, request.user, pk, CHANGE)
    form = AnnualFiguresForm(request.POST, instance=AnnualFigures(enterprise=org))
    form.is_valid()
    errors = [(form.fields[name].label if name in form.fields else "", e) for name, errs in form.errors.items()
              for e in errs if name != "year"]
    year, editing = form.cleaned_data.get("year"), request.POST.get("editing", "")
    if year and str(year) != editing and AnnualFigures.objects.filter(enterprise=org, year=year).exists():
        errors.insert(0, ("会计年度", f"{year} 年度数据已存在，请在企业页面的年度数据表中点“修改”"))
    return render(request, "cultivation/_precheck.html", {"errors": errors, "warnings": form.warnings(),
                                                          "ratios": form.ratios()})


def self_assessment(request: HttpRequest) -> HttpResponse:
    """Public (自测), nothing is stored: the enterprise's own forms in 万元 grouped in steps (``mode=form``),
    or the same forms filled from the Excel template (``mode=xlsx``), or an assessment-input JSON document
    (``mode=json``, 元); all give the verdicts and coaching of the same engine path
    (:func:`.selfassess.submit`)."""
    mode = request.POST.get("mode") or request.GET.get("mode") or (
        "json" if "text" in request.POST or "upload" in request.FILES else "form")
    example = bool(request.GET.get("example"))
    json_form = SelfAssessmentForm(request.POST or None, request.FILES or None) if mode == "json" \
        else SelfAssessmentForm(initial={"text": example_input()} if example else None)
    if reason := refused(request):
        messages.error(request, reason)
        outcome = selfassess.start(example=False, today=timezone.localdate())
    elif request.method == "POST" and mode == "json":
        outcome = selfassess.start(example=False, today=timezone.localdate())
        if json_form.is_valid():
            outcome = selfassess.submit_json(json_form.cleaned_data["text"], outcome)
    elif request.method == "POST":
        upload = request.FILES.get("workbook")
        outcome = selfassess.submit(mode, request.POST, upload.read(selfassess.MAX_XLSX_BYTES + 1) if upload else None)
    else:
        outcome = selfassess.start(example=example, today=timezone.localdate())
    return render(request, "cultivation/self_assessment.html", {
        "form": json_form, "filled": outcome.filled, "checked": outcome.checked, "mode": mode,
        "result": outcome.result, "problems": outcome.problems})


def self_assessment_template(request: HttpRequest) -> HttpResponse:
    """The Excel template of the self-assessment (one sheet of labelled fields, 万元); ``?example=1`` fills
    in the page's example."""
    example = bool(request.GET.get("example"))
    data = selfassess.example_data() if example else selfassess.blank_data(timezone.localdate().replace(month=6, day=30))
    return xlsx_download(selfassess.template_workbook(data), "企业梯度自测示例.xlsx" if example else "企业梯度自测模板.xlsx")


@login_required
def import_figures(request: HttpRequest) -> HttpResponse:
    """Staff import yearly figures from xlsx / csv (all or nothing, per-row report)."""

    def run(upload, data):
        return AnnualFiguresImporter(request.user).run(upload, upload.name, valid_only=data["valid_only"],
                                                       mapping=data["mapping"])

    return import_page(request, run, "cultivation/import.html", context={"title": "导入企业年度数据"})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    return template_download(AnnualFiguresImporter, "企业年度数据导入模板.xlsx")

