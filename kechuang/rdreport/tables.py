"""Columns of the R&D report list (page and Excel export)."""

from __future__ import annotations

from kechuang.common.money import to_unit
from kechuang.common.tables import Column, Table


def _qian(value):
    return to_unit(value, "千元")


REPORT_TABLE = Table((
    Column("enterprise__name", "企业", value=lambda r: r.enterprise.name, link=True),
    Column("enterprise__region__path", "区域", value=lambda r: r.enterprise.region.name),
    Column("year", "报告年度"),
    Column("status", "状态"),
    Column("rd_personnel_total", "研究开发人员（人）"),
    Column("rd_expense_total", "研究开发费用合计（千元）", value=lambda r: _qian(r.rd_expense_total)),
    Column("internal_expenditure", "R&D经费内部支出（千元）", value=lambda r: _qian(r.internal_expenditure)),
    Column("error_count", "错误"),
    Column("warning_count", "预警"),
    Column("return_count", "退回次数"),
    Column("submitted_at", "报送时间"),
    Column("updated_at", "更新时间"),
))
