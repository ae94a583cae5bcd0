"""The access matrix of R&D reporting (kechuang.common.testing.ScopedAccessChecks): the enterprise files
and corrects its report while it is a draft (or returned), staff over its region review it; plans, GDP
and deadlines are the staff's, plans readable by their enterprise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from kechuang.common.testing import ScopedAccessChecks
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.models import (
    CommentReply,
    RdPlan,
    RdReport,
    RegionalGdp,
    ReportingDeadline,
    ReviewComment,
)


class TestRdReportDraftAccess(ScopedAccessChecks):
    model = RdReport
    owners = ("acme",)
    urls = {
        "list": lambda r: reverse("rdreport:report-list") + f"?year={r.year}",
        "export": lambda r: reverse("rdreport:report-list") + f"?year={r.year}&export=xlsx",
        "detail": lambda r: reverse("rdreport:report-detail", args=[r.pk]),
        "edit": lambda r: reverse("rdreport:report-edit", args=[r.pk]),
        "api_list": lambda r: f"/api/rd/reports?year={r.year}",
        "api_detail": lambda r: f"/api/rd/reports/{r.pk}",
    }
    status = ReportStatus.DRAFT

    def make(self, orgs, cast, regions):
        return RdReport.objects.create(enterprise=orgs["acme_ltd"], year=2025, status=self.status)

    def marker(self, record):
        return record.enterprise.name


class TestRdReportSubmittedAccess(TestRdReportDraftAccess):
    """Submitted: the enterprise reads it, no longer changes it (the scope's ``owner_editable``)."""

    status = ReportStatus.SUBMITTED
    exceptions = {
        # Staff keep CHANGE on a submitted report (they review it: its state moves), but its figures are
        # no longer editable by anyone, so the edit page sends staff back to the report (302 with a
        # message) instead of answering 200 — a state rule of the report, not an access rule.
        ("edit", "city"): 302,
        ("edit", "tongchuan"): 302,
    }


def _comment(orgs) -> ReviewComment:
    report = RdReport.objects.create(enterprise=orgs["acme_ltd"], year=2025, status=ReportStatus.RETURNED)
    return ReviewComment.objects.create(report=report, field="rd_expense_total", text="请核对研发费用合计")


class TestReviewCommentAccess(ScopedAccessChecks):
    model = ReviewComment
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return _comment(orgs)


class TestCommentReplyAccess(ScopedAccessChecks):
    model = CommentReply
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return CommentReply.objects.create(comment=_comment(orgs), text="已按账簿核对")


class TestRdPlanAccess(ScopedAccessChecks):
    model = RdPlan
    owners = ("acme",)
    list_refused = 403  # the targets page refuses roles without view on plans (researchers, experts)
    urls = {
        "list": lambda r: reverse("rdreport:targets") + f"?year={r.year}",
        "edit": lambda r: reverse("rdreport:target-edit", args=[r.pk]),
    }

    def make(self, orgs, cast, regions):
        return RdPlan.objects.create(enterprise=orgs["acme_ltd"], year=2025, target_expense=Decimal("3000000"),
                                     note="新建中试线")

    def marker(self, record):
        return record.note


class TestRegionalGdpAccess(ScopedAccessChecks):
    model = RegionalGdp

    def make(self, orgs, cast, regions):
        return RegionalGdp.objects.create(region=regions["通川区"], year=2024, gdp=Decimal("60000000000"))


class TestReportingDeadlineAccess(ScopedAccessChecks):
    model = ReportingDeadline

    def make(self, orgs, cast, regions):
        return ReportingDeadline.objects.create(region=regions["通川区"], year=2025, deadline=dt.date(2026, 3, 31))
