"""Column sets of the registries: a short one for the list pages, the import template's columns for
the Excel export (so an export re-imports to the same records)."""

from __future__ import annotations

from kechuang.common.tables import Column, Table
from kechuang.market.importers import AchievementImporter, DemandImporter, ExpertImporter


def export_table(importer: type) -> Table:
    """The template's columns as an export table (header = template header, cell = importable value)."""
    return Table(tuple(Column(c.key, c.header, value=c.export, sortable=False) for c in importer.columns))


ACHIEVEMENT_TABLE = Table((
    Column("title", "成果名称", link=True),
    Column("kind", "类型"),
    Column("field", "技术领域", value=lambda a: a.field.name if a.field_id else "", sortable=False),
    Column("trl", "TRL"),
    Column("owner__name", "所有方", value=lambda a: a.owner.name),
    Column("region__path", "区域", value=lambda a: a.region.name),
    Column("asking_price", "价格", value=lambda a: a.price_display),
    Column("status", "状态"),
    Column("updated_at", "更新时间"),
))
ACHIEVEMENT_EXPORT = export_table(AchievementImporter)

DEMAND_TABLE = Table((
    Column("title", "需求名称", link=True),
    Column("enterprise__name", "需求企业", value=lambda d: d.enterprise.name),
    Column("field", "技术领域", value=lambda d: d.field.name if d.field_id else "", sortable=False),
    Column("budget_max", "预算", value=lambda d: d.budget_display),
    Column("deadline", "截止日期"),
    Column("region__path", "区域", value=lambda d: d.region.name),
    Column("contact_name", "联系人", sortable=False),
    Column("status", "状态"),
    Column("updated_at", "更新时间"),
))
DEMAND_EXPORT = export_table(DemandImporter)

EXPERT_TABLE = Table((
    Column("name", "姓名", link=True),
    Column("organisation__name", "工作单位", value=lambda e: e.organisation.name if e.organisation_id else ""),
    Column("title", "职称"),
    Column("tech_fields", "技术领域", value=lambda e: "、".join(e.field_names), sortable=False),
    Column("region__path", "区域", value=lambda e: e.region.name),
    Column("available", "可对接", value=lambda e: "是" if e.available else "否"),
    Column("phone", "手机号码", sortable=False),
    Column("status", "状态"),
))
EXPERT_EXPORT = export_table(ExpertImporter)
