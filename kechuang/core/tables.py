"""Column sets of the core app's lists and exports."""

from __future__ import annotations

from kechuang.common.tables import Column, Table
from kechuang.core.industry import section_name

ORGANISATION_TABLE = Table((
    Column("name", "名称", link=True),
    Column("kind", "类型"),
    Column("uscc", "统一社会信用代码"),
    Column("industry_code", "行业代码"),
    Column("industry_section", "行业门类", value=lambda o: section_name(o.industry_code), sortable=False),
    Column("region__path", "所在区域", value=lambda o: o.region.full_name),
    Column("address", "地址", sortable=False),
    Column("updated_at", "更新时间"),
))
