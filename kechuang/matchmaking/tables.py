"""Columns of the matchmaking record list's Excel export."""

from __future__ import annotations

from kechuang.common.tables import Column, Table

MATCH_RECORD_TABLE = Table((
    Column("demand", "技术需求", value=lambda r: r.demand.title),
    Column("counterpart", "对接对象", value=lambda r: str(r.counterpart)),
    Column("region", "需求所在区域", value=lambda r: r.region.name),
    Column("score", "匹配得分", value=lambda r: None if r.score is None else round(r.score, 3)),
    Column("status", "状态"),
    Column("drop_reason", "终止原因"),
    Column("created_at", "创建时间"),
    Column("updated_at", "更新时间"),
))
"""Matchmaking records (rows: :class:`kechuang.matchmaking.models.MatchRecord` with demand, counterpart
and region loaded)."""
