"""Columns of the pairing lists: a campaign's pairs on its page and in its Excel export (one definition)."""

from __future__ import annotations

from kechuang.common.tables import Column, Table

PAIRING_TABLE = Table((
    Column("enterprise", "企业", value=lambda p: p.enterprise.name),
    Column("expert", "专家", value=lambda p: p.expert.name),
    Column("organisation", "专家单位", value=lambda p: p.expert.organisation.name if p.expert.organisation_id else ""),
    Column("affinity", "匹配度", value=lambda p: round(p.affinity, 3)),
    Column("matched_terms", "命中词"),
    Column("manual", "人工调整", value=lambda p: "是" if p.manual else ""),
))
"""A campaign's pairs (rows: :class:`kechuang.pairing.models.Pairing` with enterprise and expert loaded)."""
