"""一企一策: the enterprises expected to report in a year, their target R&D expense and how far their
report has got towards it.

The reported figure is the report's 研究开发费用合计 ([7], ``rd_expense_total``) of the same year once the
report is submitted (a draft's or a returned report's figure is shown as the enterprise's own, unreviewed,
but does not count). An enterprise is *behind* when it has no submitted report, or has a target and its
submitted report does not reach it.
Targets are kept in yuan and shown in 千元, the unit of the statistics form; every change is in the plan's
history (simple-history).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kechuang.common.money import to_unit
from kechuang.common.tables import Column, Table
from kechuang.core.models import Organisation
from kechuang.engines.rdreport import fmt_percent
from kechuang.rdreport.choices import EDITABLE
from kechuang.rdreport.models import RdPlan, RdReport


@dataclass
class TargetRow:
    """One plan of a year with the enterprise's report of that year (None: not started)."""

    plan: RdPlan
    report: RdReport | None

    @property
    def enterprise(self) -> Organisation:
        return self.plan.enterprise

    @property
    def target(self) -> Decimal | None:
        """Target R&D expense in yuan (None: no target set)."""
        return self.plan.target_expense

    @property
    def reported(self) -> Decimal | None:
        """研究开发费用合计 of the report in yuan (None: no report)."""
        return self.report.rd_expense_total if self.report is not None else None

    @property
    def target_qian(self) -> Decimal | int | None:
        return qian(self.target)

    @property
    def reported_qian(self) -> Decimal | int | None:
        return qian(self.reported)

    @property
    def progress(self) -> Decimal | None:
        """reported / target as a fraction (None without a positive target; 0 without a report)."""
        if not self.target:
            return None
        return (self.reported or Decimal(0)) / self.target

    @property
    def progress_text(self) -> str:
        return fmt_percent(self.progress, 1) if self.progress is not None else "—"

    @property
    def counted(self) -> bool:
        """Whether the report counts towards the target: submitted or further (not a draft, not returned)."""
        return self.report is not None and self.report.status not in EDITABLE

    @property
    def behind(self) -> bool:
        """No submitted report, or a target the submitted figure does not reach."""
        if not self.counted:
            return True
        return self.target is not None and self.reported is not None and self.reported < self.target

    @property
    def status(self) -> str:
        return self.report.get_status_display() if self.report is not None else "未开始"


def target_rows(user: Any, year: int, *, behind_only: bool = False) -> list[TargetRow]:
    """The plans of ``year`` the user may see, with their reports (those the user may see), by region and
    enterprise; ``behind_only`` keeps the enterprises behind their target."""
    plans = list(RdPlan.objects.visible_to(user).filter(year=year).select_related("enterprise__region")
                 .order_by("enterprise__region__path", "enterprise__name"))
    reports = {r.enterprise_id: r for r in RdReport.objects.visible_to(user)
               .filter(year=year, enterprise_id__in=[p.enterprise_id for p in plans])}
    rows = [TargetRow(p, reports.get(p.enterprise_id)) for p in plans]
    return [r for r in rows if r.behind] if behind_only else rows


def qian(value: Decimal | None) -> Decimal | None:
    """Yuan → 千元 for display and export (:func:`kechuang.common.money.to_unit`)."""
    return to_unit(value, "千元")


TARGET_TABLE = Table((
    Column("enterprise", "企业", value=lambda r: r.enterprise.name, sortable=False),
    Column("uscc", "统一社会信用代码", value=lambda r: r.enterprise.uscc, sortable=False),
    Column("region", "区域", value=lambda r: r.enterprise.region.name, sortable=False),
    Column("target", "目标研发费用（千元）", value=lambda r: qian(r.target), sortable=False),
    Column("reported", "已填报研究开发费用合计（千元）", value=lambda r: qian(r.reported), sortable=False),
    Column("progress", "完成进度", value=lambda r: r.progress_text, sortable=False),
    Column("status", "报表状态", value=lambda r: r.status, sortable=False),
    Column("behind", "未达目标", value=lambda r: "是" if r.behind else "", sortable=False),
    Column("note", "措施与说明", value=lambda r: r.plan.note, sortable=False),
))
"""Columns of the targets page and its Excel export."""
