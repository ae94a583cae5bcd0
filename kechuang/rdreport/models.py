"""Enterprise R&D statistics reports (研发投入统计, forms 107-1 / 107-2) and what the review needs.

* :class:`RdReport` — one enterprise's report for a year: the 107-2 items and the 107-1 projects as
  entered (money kept in **yuan**, shown and validated in 千元 as on the form), the last validation,
  the enterprise's explanations of warnings, and its place in the review workflow;
* :class:`ReviewComment` — a reviewer's comment, tied to a field when it is about one;
* :class:`CommentReply` — the enterprise's answer to a comment (e.g. to a request for evidence);
  both on the review kit (:mod:`kechuang.common.review`); who may do which step is declared in
  :data:`kechuang.common.access.STEP_RULES`;
* :class:`RdPlan` — 一企一策: an enterprise expected to report in a year, with its target R&D expense;
* :class:`RegionalGdp` — GDP (地区生产总值) per region and year, entered by staff, for R&D intensity;
* :class:`ReportingDeadline` — the deadline of a year's reports in a region (and the regions below it).

Item keys and row codes are those of the engine's form catalogue of the report year
(``kechuang/engines/rdreport/catalogue_<year>.json``).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition

from kechuang.common.access import AccessScope, Actions, may_return, step_guard
from kechuang.common.models import HistoricScopedModel
from kechuang.common.money import DigitsOptions
from kechuang.common.review import CommentReplyBase, ReviewCommentBase
from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation, Region
from kechuang.rdreport.choices import EDITABLE, ReportStatus

MONEY: DigitsOptions = {"max_digits": 18, "decimal_places": 2}


class RdReport(HistoricScopedModel):
    """One enterprise's annual R&D statistics report (107-2 totals and 107-1 projects).

    ``firm``: 107-2 item key → amount (money as a decimal string in yuan; persons and counts as
    integers). ``projects``: the 107-1 rows, each column key → value (money in yuan as strings, codes and
    ``YYYYMM`` dates as integers, ``name`` text). ``findings``: the last validation (JSON of the
    engine's findings, messages in 千元). ``explanations``: rule key → the enterprise's written
    explanation of a warning. ``returned_snapshot``: ``{"firm", "projects"}`` as they were when the report
    was last returned, to show what changed on resubmission.
    """

    enterprise = models.ForeignKey(Organisation, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="rd_reports", limit_choices_to={"kind": OrganisationKind.ENTERPRISE})
    year = models.PositiveSmallIntegerField("报告年度")
    status = FSMField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    firm = models.JSONField("企业研究开发活动及相关情况（107-2）", default=dict, blank=True)
    projects = models.JSONField("企业研究开发项目情况（107-1）", default=list, blank=True)
    explanations = models.JSONField("预警说明", default=dict, blank=True)
    findings = models.JSONField("审核结果", default=list, blank=True)
    error_count = models.PositiveSmallIntegerField("错误数", default=0)
    warning_count = models.PositiveSmallIntegerField("预警数", default=0)
    unexplained_count = models.PositiveSmallIntegerField("未说明的预警数", default=0)
    rd_expense_total = models.DecimalField("研究开发费用合计（元）", **MONEY, default=0)
    internal_expenditure = models.DecimalField("R&D经费内部支出（元）", **MONEY, null=True, blank=True)
    rd_personnel_total = models.PositiveIntegerField("研究开发人员合计（人）", default=0)
    returned_snapshot = models.JSONField("退回时的数据", null=True, blank=True)
    return_count = models.PositiveSmallIntegerField("退回次数", default=0)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    access_scope = AccessScope(region="enterprise__region", organisation="enterprise", actions=Actions.REVIEWED,
                               owner_editable=Q(status__in=EDITABLE))

    class Meta:
        verbose_name = verbose_name_plural = "研发投入统计报表"
        ordering = ["-year", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="rd_report_once_a_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} 年研发投入统计"

    def get_absolute_url(self) -> str:
        return reverse("rdreport:report-detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @transition(status, source=list(EDITABLE), target=ReportStatus.SUBMITTED, permission=step_guard("submit"))
    def submit(self) -> None:
        """报送"""

    @transition(status, source=ReportStatus.SUBMITTED, target=ReportStatus.COUNTY_REVIEWED,
                permission=step_guard("county_review"))
    def county_review(self) -> None:
        """县级预审通过"""

    @transition(status, source=ReportStatus.COUNTY_REVIEWED, target=ReportStatus.CITY_REVIEWED,
                permission=step_guard("city_review"))
    def city_review(self) -> None:
        """市级审核通过"""

    @transition(status, source=ReportStatus.CITY_REVIEWED, target=ReportStatus.DELIVERED, permission=step_guard("deliver"))
    def deliver(self) -> None:
        """报送统计部门"""

    @transition(status, source=[ReportStatus.SUBMITTED, ReportStatus.COUNTY_REVIEWED, ReportStatus.CITY_REVIEWED],
                target=ReportStatus.RETURNED, permission=may_return)
    def return_report(self) -> None:
        """退回修改"""


class ReviewComment(ReviewCommentBase, HistoricScopedModel):
    """A reviewer's comment on a report (:class:`kechuang.common.review.ReviewCommentBase`); ``field``
    names the 107-2 item key or ``projects[i].column`` it is about ("" for the report as a whole)."""

    item_field = "report"

    report = models.ForeignKey(RdReport, verbose_name="报表", on_delete=models.CASCADE, related_name="comments")

    access_scope = AccessScope(region="report__enterprise__region", organisation="report__enterprise",
                               actions=Actions.REVIEWED)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering = ["created_at", "pk"]


class CommentReply(CommentReplyBase, HistoricScopedModel):
    """The enterprise's answer to a reviewer's comment (:class:`kechuang.common.review.CommentReplyBase`;
    evidence files follow with the attachment service)."""

    comment = models.ForeignKey(ReviewComment, verbose_name="审核意见", on_delete=models.CASCADE,
                                related_name="replies")

    access_scope = AccessScope(region="comment__report__enterprise__region",
                               organisation="comment__report__enterprise", actions=Actions.REVIEWED)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见答复"
        ordering = ["created_at", "pk"]


class RdPlan(HistoricScopedModel):
    """一企一策: an enterprise expected to file an R&D report for ``year`` (so dashboards list it as
    missing until it does), with an optional target R&D expense (yuan, 研究开发费用合计)."""

    enterprise = models.ForeignKey(Organisation, verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="rd_plans", limit_choices_to={"kind": OrganisationKind.ENTERPRISE})
    year = models.PositiveSmallIntegerField("年度")
    target_expense = models.DecimalField("目标研发费用（元）", **MONEY, null=True, blank=True,
                                         validators=[MinValueValidator(0)])
    note = models.CharField("措施与说明", max_length=300, blank=True)

    access_scope = AccessScope(region="enterprise__region", organisation="enterprise", actions=Actions.OWNER_READS)

    class Meta:
        verbose_name = verbose_name_plural = "一企一策研发目标"
        ordering = ["-year", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="rd_plan_once_a_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} 年研发目标"


class RegionalGdp(HistoricScopedModel):
    """GDP (地区生产总值) of a region in a year, in yuan, for regional R&D intensity."""

    region = models.ForeignKey(Region, verbose_name="区域", on_delete=models.CASCADE, related_name="gdp")
    year = models.PositiveSmallIntegerField("年度")
    gdp = models.DecimalField("地区生产总值（元）", **MONEY, validators=[MinValueValidator(0)])
    money_unit = "亿元"  # as regional statistics publish GDP (the page's unit; kechuang.common.money)

    access_scope = AccessScope(region="region", actions=Actions.OWNER_READS)

    class Meta:
        verbose_name = verbose_name_plural = "地区生产总值"
        ordering = ["-year", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="gdp_once_a_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} 年地区生产总值"


class ReportingDeadline(HistoricScopedModel):
    """The deadline of ``year``'s reports for enterprises in ``region`` and below (the nearest region with
    a deadline wins)."""

    region = models.ForeignKey(Region, verbose_name="区域", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("报告年度")
    deadline = models.DateField("截止日期")

    access_scope = AccessScope(region="region", actions=Actions.OWNER_READS)

    class Meta:
        verbose_name = verbose_name_plural = "报送截止日期"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="deadline_once_a_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} 年报表截止 {self.deadline}"
