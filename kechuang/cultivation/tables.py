"""Columns of the cultivation lists (page and Excel export share them)."""

from __future__ import annotations

from kechuang.common.tables import Column, Table
from kechuang.cultivation.templatetags.cultivation import label_text, rule_version_text


def _range(low: int | None, high: int | None) -> str:
    if low is None:
        return ""
    return str(low) if low == high else f"{low}–{high}"


def _wan(value) -> str:
    return "" if value is None else f"{value / 10000:,.2f}"


EVALUATION_TABLE = Table((
    Column("enterprise__name", "企业", value=lambda e: e.enterprise.name, link=True),
    Column("enterprise__region__path", "区域", value=lambda e: e.enterprise.region.name),
    Column("enterprise__industry_code", "行业代码", value=lambda e: e.enterprise.industry_code),
    Column("year", "评估年度"),
    Column("highest_tier", "已达梯度", value=lambda e: e.get_highest_tier_display() or "未达到"),
    Column("next_tier", "下一梯度", value=lambda e: e.get_next_tier_display() or "—"),
    Column("tsme_label", "科技型中小企业", value=lambda e: label_text(e.tsme_label)),
    Column("hnte_label", "高新技术企业", value=lambda e: label_text(e.hnte_label)),
    Column("hnte_score_max", "创新能力得分", value=lambda e: _range(e.hnte_score_min, e.hnte_score_max)),
    Column("gazelle_label", "瞪羚企业", value=lambda e: label_text(e.gazelle_label)),
    Column("coaching_count", "辅导事项"),
    Column("rule_version", "评价规则", value=lambda e: rule_version_text(e.rule_version, short=True),
           sortable=False),
    Column("created_at", "评估时间"),
))

CERTIFICATE_TABLE = Table((
    Column("enterprise__name", "企业", value=lambda p: p.enterprise.name, link=True),
    Column("enterprise__region__path", "区域", value=lambda p: p.enterprise.region.name),
    Column("hnte_certificate_number", "高企证书编号"),
    Column("hnte_certificate_issue_date", "发证日期"),
    Column("hnte_certificate_valid_until", "有效期至"),
))
