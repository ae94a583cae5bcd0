"""Pages of R&D reporting: the report list, filling in a report with the pre-review as one types,
submission, the three-level review with comments, and the enterprise's own reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kechuang.common.access import ADD, CHANGE, RETURN_STEP, can, get_for_user, role_allows
from kechuang.common.history import history_rows
from kechuang.common.views import ScopedListView
from kechuang.common.workflow import available_transitions
from kechuang.core.choices import Role
from kechuang.core.models import signed_in
from kechuang.cultivation.facts import enterprise_for
from kechuang.engines.rdreport import ReportInputError, Severity, form_catalogue
from kechuang.rdreport import services
from kechuang.rdreport.display import project_cells
from kechuang.rdreport.filters import ReportFilter
from kechuang.rdreport.forms import FirmForm, ReturnForm, project_formset, project_rows
from kechuang.rdreport.models import RdReport, ReviewComment
from kechuang.rdreport.tables import REPORT_TABLE


class ReportListView(ScopedListView):
    model = RdReport
    filterset_class = ReportFilter
    table = REPORT_TABLE
    title = export_name = "研发投入统计报表"

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise__region")

    def can_create(self) -> bool:
        return signed_in(self.request).role == Role.ENTERPRISE_USER and role_allows(self.request.user, RdReport, ADD)

    def extra_links(self) -> list[tuple[str, str]]:
        from kechuang.rdreport.views_staff import staff_links

        return staff_links(self.request.user)

    create_url = "rdreport:report-new"


def _current_year() -> int:
    return timezone.localdate().year - 1  # the report year: last year's activity


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """An enterprise starts its report of a year (one per year); staff start one for an enterprise."""
    user = request.user
    year = request.GET.get("year") or request.POST.get("year") or _current_year()
    enterprise_id = request.POST.get("enterprise") or request.GET.get("enterprise")
    try:
        report = services.new_report(user, enterprise_id, year)
    except services.ReportExists as exc:
        return redirect(exc.report)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("rdreport:report-list")
    year = report.year
    if request.method == "POST":
        return _save(request, report)
    return _edit_page(request, report, FirmForm(year=year), project_formset(year))


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(RdReport.objects.select_related("enterprise"), request.user, pk, CHANGE)
    if not report.editable:
        messages.error(request, f"报表状态为“{report.get_status_display()}”，不能修改")
        return redirect(report)
    if request.method == "POST":
        return _save(request, report)
    firm = FirmForm(initial=services.shown_values(report.year, report.firm), year=report.year)
    projects = project_formset(report.year, initial=[services.shown_values(report.year, p, project=True)
                                                     for p in report.projects])
    return _edit_page(request, report, firm, projects)


def _explanations(request: HttpRequest) -> dict[str, str]:
    return {key[len("explain:"):]: str(value) for key, value in request.POST.items() if key.startswith("explain:")}


def _save(request: HttpRequest, report: RdReport) -> HttpResponse:
    firm = FirmForm(request.POST, year=report.year)
    projects = project_formset(report.year, request.POST)
    if firm.is_valid() and projects.is_valid():
        values = {k: v for k, v in firm.cleaned_data.items() if v not in (None, "")}
        try:
            services.save_content(report, values, project_rows(projects), _explanations(request), request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            if request.POST.get("action") == "submit":
                return _submit(request, report)
            messages.success(request, f"已保存（错误 {report.error_count} 处，预警 {report.warning_count} 条）")
            return redirect(report)
    else:
        messages.error(request, "保存失败，请按提示修改")
    return _edit_page(request, report, firm, projects)


def _findings_context(report: RdReport, findings: list[dict], suggestion=None) -> dict:
    """Findings by severity, the fields to highlight, item labels, and the localisation as labels."""
    catalogue = form_catalogue(report.year)
    labels = {k: i.label_zh for k, i in {**catalogue.project_columns, **catalogue.firm_items}.items()}
    aggregate_labels = {k: a.name_zh for k, a in services.rules_for(report.year).aggregates.items()}
    flagged: dict[str, Any] = {}
    for finding in findings:
        for key in finding["fields"]:
            if finding["project_index"] is None:
                flagged.setdefault(key, finding["severity"])
    return {
        "errors": [f for f in findings if f["severity"] == Severity.ERROR.value],
        "warnings": [f for f in findings if f["severity"] == Severity.WARNING.value],
        "infos": [f for f in findings if f["severity"] == Severity.INFO.value],
        "flagged": flagged,
        "missing": [f["fields"][0] for f in findings
                    if f["rule_id"] == services.REQUIRED_RULE and f["project_index"] is None],
        "required": services.REQUIRED_FIRM_ITEMS,
        "labels": labels,
        "suggested": [(k, labels.get(k) or aggregate_labels.get(k, k)) for k in (suggestion.fields if suggestion else ())],
    }


def _edit_page(request: HttpRequest, report: RdReport, firm: FirmForm, projects) -> HttpResponse:
    findings = report.findings or []
    open_comments = [c for c in services.labelled_comments(report) if c.is_open]
    by_field = services.REVIEW.open_by_field(open_comments)
    groups = [(title, [(f, by_field.get(f.name, [])) for f in fields]) for title, fields in firm.groups()]
    return render(request, "rdreport/report_form.html", {
        "report": report, "firm": firm, "projects": projects, "explanations": report.explanations or {},
        "groups": groups, "open_comments": open_comments, "general_comments": by_field.get("", []),
        "project_comments": [c for c in open_comments if c.field.startswith("projects[")],
        "may_reply": services.may_reply(report, request.user),
        **_findings_context(report, findings, services.localisation(report) if report.pk else None),
    })


@login_required
@require_POST
def comment_reply(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """The enterprise answers a reviewer's comment (text). htmx gets the comment with its replies back;
    a plain form post goes back to the edit page (or the report when it is no longer editable)."""
    report = get_for_user(RdReport.objects.select_related("enterprise"), request.user, pk)
    comment = get_object_or_404(ReviewComment, pk=comment_pk, report=report)
    error = ""
    try:
        services.reply_to_comment(comment, request.user, request.POST.get("text", ""))
    except (ValidationError, PermissionDenied) as exc:
        error = "；".join(getattr(exc, "messages", [str(exc)]))
    if request.headers.get("HX-Request"):
        labelled = next(c for c in services.labelled_comments(report) if c.pk == comment.pk)
        return render(request, "rdreport/_comment.html", {
            "c": labelled, "show_field": comment.field.startswith("projects["), "reply_error": error,
            "may_reply": services.may_reply(report, request.user)})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "已答复审核意见")
    return redirect("rdreport:report-edit", pk=report.pk) if report.editable else redirect(report)


@login_required
@require_POST
def report_check(request: HttpRequest) -> HttpResponse:
    """htmx: validate what is typed so far (nothing is saved): findings and the localisation."""
    try:
        year = services.check_report_year(request.POST.get("year", ""))
    except ValidationError as exc:
        return HttpResponse(exc.messages[0], status=400)
    report = None
    if request.POST.get("report"):
        report = get_for_user(RdReport, request.user, request.POST["report"], CHANGE)
    elif request.POST.get("enterprise"):
        report = RdReport(enterprise=enterprise_for(request.user, request.POST["enterprise"]),
                          year=year)
    firm = FirmForm(request.POST, year=year)
    projects = project_formset(year, request.POST)
    problems: list[str] = []
    findings: list[dict] = []
    suggestion = None
    if firm.is_valid() and projects.is_valid():
        try:
            values = services.stored_values(year, {k: v for k, v in firm.cleaned_data.items() if v not in (None, "")})
            rows = [services.stored_values(year, p, project=True) for p in project_rows(projects)]
        except ValidationError as exc:
            return render(request, "rdreport/_findings.html", {
                "problems": exc.messages, "live": True, "oob": True, "explanations": _explanations(request),
                **_findings_context(report or RdReport(year=year), [])})
        draft = RdReport(enterprise=report.enterprise if report else None, year=year, firm=values, projects=rows,
                         explanations=_explanations(request))
        try:
            findings = [services.finding_json(f) for f in services.check(year, values, rows, report)]
            draft.error_count = sum(1 for f in findings if f["severity"] == "E")
            suggestion = services.localisation(draft)
        except ReportInputError as exc:
            problems.append(exc.message_zh)
    else:
        problems += [f"{firm.fields[k].label if k in firm.fields else k}：{e}" for k, errs in firm.errors.items()
                     for e in errs]
        problems += ["107-1 项目表有不能识别的值"] if any(projects.errors) else []
    fake = report or RdReport(year=year)
    return render(request, "rdreport/_findings.html", {
        "problems": problems, "live": True, "oob": True, "explanations": _explanations(request),
        **_findings_context(fake, findings, suggestion),
    })


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(RdReport.objects.select_related("enterprise__region"), request.user, pk)
    catalogue = form_catalogue(report.year)
    shown = services.shown_values(report.year, report.firm)
    rows = [(item, shown.get(key)) for key, item in catalogue.firm_items.items()]
    projects = [project_cells(catalogue, services.shown_values(report.year, p, project=True))
                for p in report.projects]
    said = {f["rule_key"]: f["message_zh"] for f in reversed(report.findings or []) if f.get("rule_key")}
    explained = [(said.get(key, "其他说明"), text) for key, text in (report.explanations or {}).items()]
    transitions = [(n, label) for n, label in available_transitions(report, request.user) if n != "submit"]
    return render(request, "rdreport/report_detail.html", {
        "report": report, "rows": rows, "columns": list(catalogue.project_columns.values()), "projects": projects,
        "explained": explained,
        "comments": services.labelled_comments(report), "changes": services.changes_since_return(report),
        "transitions": transitions, "return_form": ReturnForm(year=report.year),
        "can_edit": report.editable and can(request.user, CHANGE, report),
        "on_behalf": signed_in(request).role != Role.ENTERPRISE_USER,
        "expense_thousand": services.shown_values(report.year, {"rd_expense_total": report.rd_expense_total}
                                                  )["rd_expense_total"],
        "can_submit": any(n == "submit" for n, _ in available_transitions(report, request.user)),
        "deadline": services.deadline_for(report, report.year), "history": history_rows(report),
        **_findings_context(report, report.findings or [], services.localisation(report)),
    })


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_user(RdReport, request.user, pk, CHANGE)
    return _submit(request, report)


def _submit(request: HttpRequest, report: RdReport) -> HttpResponse:
    try:
        services.submit(report, request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("rdreport:report-edit", pk=report.pk) if report.editable else redirect(report)
    messages.success(request, "已报送，等待县级预审")
    return redirect(report)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    report = get_for_user(RdReport, request.user, pk)
    try:
        comments = []
        if name == RETURN_STEP:
            form = ReturnForm(request.POST, year=report.year)
            if not form.is_valid():
                raise ValidationError("退回时须填写退回意见")
            comments = form.field_comments()
        services.review_step(report, request.user, name, request.POST.get("comment", ""), comments)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"报表状态已变为“{report.get_status_display()}”")
    return redirect(report)
