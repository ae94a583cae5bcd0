"""Column sets of the registries: a short one for the list pages; the Excel export as the list page shows
things, with every field (``*_EXPORT``: technical fields, organisations and regions by name, the credit
code in its own column, money as numbers in 万元 with the unit in the header). The import template's columns
(「导出为导入模板」) come from each registry's importer (:func:`kechuang.common.templates_xlsx.template_table`)."""

from __future__ import annotations

from typing import Any

from kechuang.common.money import MODULE_UNITS, to_unit
from kechuang.common.tables import Column, Table

UNIT = MODULE_UNITS["market"]


def _money(yuan: Any) -> Any:
    """Yuan → a number in the market's unit (万元) for a spreadsheet cell; empty for none."""
    return "" if yuan is None else to_unit(yuan, UNIT)


def _organisation(key: str, label: str, attribute: str) -> tuple[Column, Column]:
    """The organisation's name, and its unified social credit code in the next column."""
    def org(obj: Any) -> Any:
        return getattr(obj, attribute) if getattr(obj, f"{attribute}_id") else None

    return (Column(key, label, value=lambda o: org(o).name if org(o) else "", sortable=False),
            Column(f"{key}_uscc", f"{label}统一社会信用代码", value=lambda o: (org(o).uscc or "") if org(o) else "",
                   sortable=False))


def _tail() -> tuple[Column, ...]:
    return (Column("region", "所在区域", value=lambda o: o.region.name, sortable=False),
            Column("status", "状态", sortable=False),
            Column("source", "数据来源", sortable=False),
            Column("source_ref", "来源编号", sortable=False),
            Column("updated_at", "更新时间", sortable=False))


def _field_name(obj: Any) -> str:
    return obj.field.name if obj.field_id else ""


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
ACHIEVEMENT_EXPORT = Table((
    Column("title", "成果名称"),
    Column("summary", "成果简介"),
    Column("keywords", "关键词"),
    Column("field", "技术领域", value=_field_name),
    Column("discipline", "学科"),
    Column("trl", "技术就绪度", value=lambda a: a.trl if a.trl is not None else ""),
    Column("kind", "成果类型"),
    Column("patent_numbers", "专利申请号"),
    *_organisation("owner", "成果所有方", "owner"),
    Column("inventor_names", "完成人"),
    Column("transfer_modes", "转化方式", value=lambda a: "、".join(a.transfer_mode_labels)),
    Column("asking_price", f"转让价格（{UNIT}）", value=lambda a: "" if a.price_negotiable else _money(a.asking_price)),
    Column("price_negotiable", "价格面议", value=lambda a: "是" if a.price_negotiable else "否"),
    *_tail(),
))

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
DEMAND_EXPORT = Table((
    Column("title", "需求名称"),
    Column("description", "需求描述"),
    Column("field", "技术领域", value=_field_name),
    Column("keywords", "关键词"),
    *_organisation("enterprise", "需求企业", "enterprise"),
    Column("budget_min", f"预算下限（{UNIT}）", value=lambda d: _money(d.budget_min)),
    Column("budget_max", f"预算上限（{UNIT}）", value=lambda d: _money(d.budget_max)),
    Column("deadline", "截止日期"),
    Column("cooperation_mode", "合作方式"),
    Column("contact_name", "联系人"),
    Column("contact_phone", "联系电话"),
    Column("contact_email", "联系邮箱"),
    *_tail(),
))

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
EXPERT_EXPORT = Table((
    Column("name", "姓名"),
    *_organisation("organisation", "工作单位", "organisation"),
    Column("title", "职称"),
    Column("tech_fields", "技术领域", value=lambda e: "、".join(e.field_names)),
    Column("keywords", "研究方向关键词"),
    Column("biography", "个人简介"),
    Column("available", "可接受对接", value=lambda e: "是" if e.available else "否"),
    Column("max_load", "同时服务上限"),
    Column("phone", "手机号码"),
    Column("email", "电子邮箱"),
    Column("id_number", "身份证号码"),
    *_tail(),
))
