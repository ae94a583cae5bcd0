"""REST endpoints of R&D reporting: reports (list, detail, create, change), pre-review without saving,
submission and the review steps. Amounts are in 千元 as on the 107 forms (stored in yuan). Same access
rules and the same checks as the pages: a report with an error cannot be submitted here either."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from kechuang.common.access import CHANGE, get_for_user
from kechuang.common.api_crud import Errors, invalid
from kechuang.common.api_pages import page_of
from kechuang.engines.rdreport import ReportInputError, form_catalogue
from kechuang.rdreport import services
from kechuang.rdreport.filters import ReportFilter
from kechuang.rdreport.models import RdReport

router = Router(tags=["研发投入"])


class ReportOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    year: int
    status: str
    status_label: str
    error_count: int
    warning_count: int
    unexplained_count: int
    rd_expense_total: Decimal
    rd_personnel_total: int
    return_count: int
    submitted_at: datetime | None
    updated_at: datetime


class ReportDetail(ReportOut):
    firm: dict[str, Any]
    projects: list[dict[str, Any]]
    explanations: dict[str, str]
    findings: list[dict[str, Any]]
    comments: list[dict[str, Any]]


class ReportPage(Schema):
    items: list[ReportOut]
    count: int


class ReportIn(Schema):
    """A report's content: 107-2 item key → value and 107-1 rows (money in 千元, persons in 人,
    person-months in 人月), and explanations of warnings by rule key."""

    model_config = ConfigDict(extra="forbid")

    year: int | None = None
    enterprise: int | None = None
    firm: dict[str, Decimal | int | None] = {}
    projects: list[dict[str, Any]] = Field(default=[], max_length=500)
    explanations: dict[str, str] = {}


class CommentIn(Schema):
    field: str = ""
    text: str


class ReplyIn(Schema):
    """The enterprise's answer to a reviewer's comment (text only; files come with the attachment service)."""

    text: str  # its length is checked by the service, with its Chinese message (答复最多 … 字)


class ReviewIn(Schema):
    comment: str = ""
    comments: list[CommentIn] = []


def _out(report: RdReport, full: bool = False) -> dict[str, Any]:
    data = {name: getattr(report, name) for name in ReportOut.model_fields if hasattr(report, name)}
    data.update(enterprise_name=report.enterprise.name, status_label=report.get_status_display(),
                rd_expense_total=services.shown_values(report.year, {"rd_expense_total": report.rd_expense_total}
                                                       )["rd_expense_total"])
    if full:
        data.update(firm=services.shown_values(report.year, report.firm),
                    projects=[services.shown_values(report.year, p, project=True) for p in report.projects],
                    explanations=report.explanations, findings=report.findings,
                    comments=[{"id": c.pk, "field": c.field, "text": c.text, "round": c.round,
                               "author": str(c.author or ""), "created_at": c.created_at.isoformat(),
                               "replies": [{"text": r.text, "author": str(r.author or ""),
                                            "created_at": r.created_at.isoformat()} for r in c.replies.all()]}
                              for c in report.comments.prefetch_related("replies__author")])
    return data


def _errors(exc: Exception) -> dict[str, dict[str, list[str]]]:
    messages = getattr(exc, "messages", None) or [str(exc)]
    return {"errors": {"__all__": list(messages)}}


def _unknown(year: int, payload: ReportIn) -> dict[str, list[str]]:
    catalogue = form_catalogue(year)
    errors = {f"firm.{k}": ["未知指标"] for k in payload.firm if k not in catalogue.firm_items}
    for i, row in enumerate(payload.projects):
        errors.update({f"projects[{i}].{k}": ["未知栏目"] for k in row if k not in catalogue.project_columns})
    # explanations answer the year's audit rules: keyed by rule key (R16, R21a:labour_cost, X01 …)
    rule_keys = {rule.key for rule in services.rules_for(year).rules}
    errors.update({f"explanations.{k[:60]}": [f"未知规则：说明须对应 {year} 年的某条审核规则"]
                   for k in payload.explanations if k not in rule_keys})
    return errors


def _save(report: RdReport, payload: ReportIn, user: Any):
    unknown = _unknown(report.year, payload)
    if unknown:
        return Status(422, {"errors": unknown})
    firm = {k: v for k, v in payload.firm.items() if v is not None}
    try:
        services.save_content(report, firm, payload.projects, payload.explanations, user)
    except ReportInputError as exc:
        return Status(422, {"errors": {"__all__": [exc.message_zh]}})
    except (ValidationError, ValueError) as exc:
        return Status(422, _errors(exc))
    return _out(report, full=True)


@router.get("/reports", response={200: ReportPage, 422: Errors}, summary="研发投入统计报表列表")
def reports(request: HttpRequest, q: str = "", year: int | None = None, status: str = "", region: int | None = None,
            page: int = 1, page_size: int = 50):
    params = {k: v for k, v in {"q": q, "year": year, "status": status, "region": region}.items() if v}
    filterset = ReportFilter(params, queryset=RdReport.objects.visible_to(request.user).select_related("enterprise"))
    if not filterset.is_valid():
        return invalid(filterset)
    return page_of(filterset.qs.order_by("-year", "pk"), page, page_size, _out)


@router.get("/reports/{report_id}", response=ReportDetail, summary="一张报表（金额单位：千元）")
def report(request: HttpRequest, report_id: int):
    return _out(get_for_user(RdReport.objects.select_related("enterprise"), request.user, report_id), full=True)


@router.post("/reports", response={200: ReportDetail, 422: Errors}, summary="新建报表（金额单位：千元；保存时即审核）")
def create(request: HttpRequest, payload: ReportIn):
    user = request.user
    try:
        report = services.new_report(user, payload.enterprise, payload.year)
    except ValidationError as exc:
        return Status(422, {"errors": exc.message_dict})
    return _save(report, payload, user)


@router.put("/reports/{report_id}", response={200: ReportDetail, 422: Errors}, summary="修改报表（草稿或已退回）")
def change(request: HttpRequest, report_id: int, payload: ReportIn):
    report = get_for_user(RdReport.objects.select_related("enterprise"), request.user, report_id, CHANGE)
    return _save(report, payload, request.user)


@router.post("/reports/{report_id}/submit", response={200: ReportDetail, 422: Errors},
             summary="报送（有错误或未说明的预警时拒绝）")
def submit(request: HttpRequest, report_id: int):
    report = get_for_user(RdReport.objects.select_related("enterprise"), request.user, report_id, CHANGE)
    try:
        services.submit(report, request.user)
    except ValidationError as exc:
        return Status(422, _errors(exc))
    return _out(report, full=True)


@router.post("/reports/{report_id}/review/{name}", response={200: ReportDetail, 422: Errors},
             summary="审核：county_review（县级预审）、city_review（市级审核）、deliver（报送统计部门）、return_report（退回）")
def review_step(request: HttpRequest, report_id: int, name: str, payload: ReviewIn):
    report = get_for_user(RdReport.objects.select_related("enterprise"), request.user, report_id)
    try:
        services.review_step(report, request.user, name, payload.comment, [(c.field, c.text) for c in payload.comments])
    except ValidationError as exc:
        return Status(422, _errors(exc))
    return _out(report, full=True)


@router.post("/reports/{report_id}/comments/{comment_id}/replies", response={200: ReportDetail, 422: Errors},
             summary="答复审核意见（文字；企业用户，报表为草稿或已退回时）")
def reply(request: HttpRequest, report_id: int, comment_id: int, payload: ReplyIn):
    report = get_for_user(RdReport.objects.select_related("enterprise"), request.user, report_id)
    comment = report.comments.filter(pk=comment_id).first()
    if comment is None:
        raise Http404("没有这条审核意见")
    try:
        services.reply_to_comment(comment, request.user, payload.text)
    except ValidationError as exc:
        return Status(422, _errors(exc))
    return _out(report, full=True)
