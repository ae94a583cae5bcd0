"""Importers of the three registries (templates, column aliases, conversions, duplicate keys) and the
column presets for known outside files.

Cells are converted to what the forms expect: choice labels (「专利」) or codes (``patent``), technical
fields by code (``0402``) or name (「无机非金属材料」), organisations by unified social credit code or
exact name, regions by division code or name, 「面议」 in the price column. The same columns, with the
same headers and cell forms, make the Excel export, so an export re-imports to the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history

from kechuang.common.cells import CellError, is_blank, plain, read_date, read_number, read_whole
from kechuang.common.imports import ImportColumn, Importer
from kechuang.core.choices import OrganisationKind, RegionLevel
from kechuang.core.models import Organisation, Region
from kechuang.market.choices import (
    AchievementKind,
    AchievementStatus,
    CooperationMode,
    DemandStatus,
    ExpertStatus,
    TransferMode,
)
from kechuang.market.forms import AchievementForm, DemandForm, ExpertForm, in_yuan
from kechuang.market.models import Achievement, AchievementPatent, Demand, Expert, TechField
from kechuang.market.text import join_list, split_list, title_key

PLACEHOLDER_SOURCE = "导入占位"


def _money(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _choice(choices: type[models.Choices], value: Any, problems: list, key: str, label: str) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    by_label = {str(lbl): code for code, lbl in choices.choices}
    if text in choices.values:
        return text
    if text in by_label:
        return by_label[text]
    problems.append((key, f"{label}“{text}”无效，可选：{'、'.join(by_label)}"))
    return ""


def figure(cells: dict, key: str, problems: list, importer: Importer) -> str:
    """A money cell read by the one number reader, as the form's text ("" when blank or unreadable)."""
    column = next((c for c in importer.columns if c.key == key), None)
    try:
        return plain(read_number(cells.get(key), unit=column.money_unit if column else ""))
    except CellError as exc:
        problems.append((key, str(exc)))
        return ""


def whole(cells: dict, key: str, problems: list) -> Any:
    """A whole-number cell (TRL, service cap) as the form's text ("" when blank or unreadable)."""
    try:
        number = read_whole(cells.get(key))
    except CellError as exc:
        problems.append((key, str(exc)))
        return ""
    return "" if number is None else str(number)


class Lookups:
    """Organisations, regions and technical fields by every name a file may use, loaded once."""

    def __init__(self, user: Any) -> None:
        orgs = Organisation.objects.all() if user is None else Organisation.objects.visible_to(user)
        self.org_by_code = {}
        self.org_by_name: dict[str, list[int]] = {}
        for pk, name, uscc in orgs.values_list("pk", "name", "uscc"):
            if uscc:
                self.org_by_code[uscc] = pk
            self.org_by_name.setdefault(name, []).append(pk)
        self.user = user
        self.region_by_name: dict[str, int] = {}
        for region in Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent"):
            for name in (region.code, region.name, region.full_name, region.full_name.replace(" / ", "")):
                if name:
                    self.region_by_name.setdefault(name, region.pk)
        self.field_by_name: dict[str, int] = {}
        for tech in TechField.objects.select_related("parent"):
            for name in (tech.code, tech.name, str(tech)):
                self.field_by_name.setdefault(name, tech.pk)

    def organisation(self, value: Any, problems: list, key: str, label: str) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if text.upper() in self.org_by_code:
            return self.org_by_code[text.upper()]
        matches = self.org_by_name.get(text, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            problems.append((key, f"{label}“{text}”对应多个单位，请改填统一社会信用代码"))
        elif self.user is not None and Organisation.objects.filter(
                models.Q(uscc=text.upper()) | models.Q(name=text)).exists():
            problems.append((key, f"{label}“{text}”已在本市其他区县登记，不在您的管理范围内，不必也不能重复登记；"
                                  "请由该单位所在区县的科技部门或市科技局导入这一行"))
        else:
            problems.append((key, f"未找到{label}“{text}”（请先登记该单位，或检查名称、统一社会信用代码）"))
        return None

    def region(self, value: Any, problems: list, key: str) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if text in self.region_by_name:
            return self.region_by_name[text]
        problems.append((key, f"未知的区域“{text}”"))
        return None

    def tech_field(self, value: Any, problems: list, key: str) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if text in self.field_by_name:
            return self.field_by_name[text]
        problems.append((key, f"未知的技术领域“{text}”（应为《国家重点支持的高新技术领域》的代码或名称，如 0402 或 无机非金属材料）"))
        return None


GENERAL_RULES = (
    "从第一张工作表的第 2 行起填写，每行一条记录；表头只占一行，不要合并单元格。表头为红色的列必须填写。",
    "日期可写 2025-01-02、2025.1.2、2025/1/2 或 2025年1月2日；金额只填数字（可带千位分隔符 1,234.5），不要在格内写单位。",
    "默认全部无误才写入，逐行列出问题；勾选“只导入无误的行”时写入无误的行。数据来源、来源编号最多 100 个字，超出时该行报错（不截断）。",
)


COMMON_TAIL = (
    ImportColumn("_status", "状态", ("审核状态",), note="留空为草稿；可填 草稿、待审核、已发布 等"),
    ImportColumn("_source", "数据来源", ("来源",), note="如：某某大学 2026 年成果汇编"),
    ImportColumn("_source_ref", "来源编号", ("编号", "id"), note="来源文件中的编号，用于去重"),
)


class RegistryImporter(Importer):
    """Shared conversions: status, source, region; normalise and bulk-insert with history."""

    model: Any = None
    status_choices: Any = None

    def __init__(self, user: Any = None, defaults: dict[str, Any] | None = None,
                 placeholder_owner_region: Region | None = None) -> None:
        super().__init__(user, defaults)
        self.lookups = Lookups(user)
        self.placeholder_owner_region = placeholder_owner_region

    def prepare_common(self, cells: dict, problems: list, data: dict) -> None:
        data["_status"] = _choice(self.status_choices, cells.get("_status"), problems, "_status", "状态")
        for key in ("_source", "_source_ref"):
            text = str(cells.get(key) or "").strip()
            limit = self.model._meta.get_field(key[1:]).max_length
            if len(text) > limit:  # refused, never cut
                problems.append((key, f"最多 {limit} 个字（本格 {len(text)} 个字）"))
            data[key] = text
        if "region" in cells:
            data["region"] = self.lookups.region(cells.get("region"), problems, "region")

    def finish(self, instance: Any, data: dict) -> None:
        if data.get("_status"):
            instance.status = data["_status"]
        instance.source = data.get("_source", "")
        instance.source_ref = data.get("_source_ref", "")

    def write(self, instances: list[Any]) -> None:
        for instance in instances:
            instance.normalise()
        bulk_create_with_history(instances, self.model, batch_size=self.batch_size, default_user=self.user,
                                 default_change_reason="批量导入")

    def placeholder_owner(self, source: str) -> int:
        """The placeholder organisation for records without an owner, named after their source."""
        name = f"{source or '未注明来源'}（来源占位）"[:100]
        if name in self.lookups.org_by_name:
            return self.lookups.org_by_name[name][0]
        region = self.placeholder_owner_region or Region.objects.filter(level=RegionLevel.CITY).first()
        defaults: dict[str, Any] = {"kind": OrganisationKind.OTHER, "region": region,
                                   "description": "导入时成果未注明所有方，按数据来源归集到此占位单位。"}
        org, _ = Organisation.objects.get_or_create(name=name, source=PLACEHOLDER_SOURCE, defaults=defaults)
        self.lookups.org_by_name[name] = [org.pk]
        return org.pk


# --- achievements --------------------------------------------------------------------------------


class AchievementImporter(RegistryImporter):
    label = "科技成果"
    rules = (*GENERAL_RULES,
             "重复的成果（同一所有方的同名成果、相同专利申请号、相同的数据来源与来源编号）不会重复导入；"
             "同一文件中同一成果写了两行且内容不同时，作为冲突列出。")
    model = Achievement
    form_class = in_yuan(AchievementForm)  # the template's money columns are in 元
    status_choices = AchievementStatus
    columns = (
        ImportColumn("title", "成果名称", ("名称", "标题", "成果名"), True, "必填，200 字以内", "高性能连续玄武岩纤维制备技术",
                     lambda a: a.title),
        ImportColumn("summary", "成果简介", ("简介", "摘要", "成果介绍"), False, "", "",
                     lambda a: a.summary),
        ImportColumn("keywords", "关键词", ("关键字",), False, "多个用“；”分隔", "玄武岩纤维；拉丝工艺",
                     lambda a: a.keywords),
        ImportColumn("field", "技术领域", ("领域", "所属领域"), False, "代码或名称，如 0402 或 无机非金属材料", "0402",
                     lambda a: a.field.code if a.field_id else ""),
        ImportColumn("discipline", "学科", ("学科分类",), False, "", "材料科学", lambda a: a.discipline),
        ImportColumn("trl", "技术就绪度", ("TRL", "成熟度"), False, "1–9 的整数（GB/T 22900-2022）", "6",
                     lambda a: a.trl),
        ImportColumn("kind", "成果类型", ("类型",), False, "、".join(str(x.label) for x in AchievementKind), "专利",
                     lambda a: a.get_kind_display()),
        ImportColumn("patent_numbers", "专利申请号", ("专利号", "申请号"), False, "多个用“；”分隔，如 CN200310102344.5",
                     "CN200310102344.5", lambda a: a.patent_numbers),
        ImportColumn("owner", "成果所有方", ("所有方", "完成单位", "成果单位", "单位"), True,
                     "必填，已登记单位的统一社会信用代码或全称", "",
                     lambda a: a.owner.uscc or a.owner.name),
        ImportColumn("inventor_names", "完成人", ("发明人", "完成人员"), False, "", "张三；李四",
                     lambda a: a.inventor_names),
        ImportColumn("transfer_modes", "转化方式", ("合作方式",), False,
                     "多个用“；”分隔：" + "、".join(str(x.label) for x in TransferMode), "转让；许可",
                     lambda a: join_list(a.transfer_mode_labels)),
        ImportColumn("asking_price", "转让价格（元）", ("价格", "转让价格", "价格（元）"), False, "数字（元），或填“面议”",
                     "面议", lambda a: "面议" if a.price_negotiable else _money(a.asking_price)),
        ImportColumn("region", "所在区域", ("区域", "所在地"), False, "区划代码或名称，留空取所有方所在区域", "",
                     lambda a: a.region.code or a.region.name),
        *[ImportColumn(c.key, c.header, c.aliases, c.required, c.note, c.example,
                       {"_status": lambda a: a.get_status_display(), "_source": lambda a: a.source,
                        "_source_ref": lambda a: a.source_ref}[c.key]) for c in COMMON_TAIL],
    )

    def prepare(self, cells: dict, problems: list) -> dict:
        data = {k: ("" if v is None else v) for k, v in cells.items() if not k.startswith("_")}
        data["kind"] = _choice(AchievementKind, cells.get("kind"), problems, "kind", "成果类型") or \
            AchievementKind.OTHER
        data["field"] = self.lookups.tech_field(cells.get("field"), problems, "field")
        owner = cells.get("owner")
        if not str(owner or "").strip() and self.placeholder_owner_region is not None:
            data["owner"] = self.placeholder_owner(str(cells.get("_source") or ""))
        else:
            data["owner"] = self.lookups.organisation(owner, problems, "owner", "成果所有方")
        modes = []
        for item in split_list(str(cells.get("transfer_modes") or "")):
            code = _choice(TransferMode, item, problems, "transfer_modes", "转化方式")
            if code:
                modes.append(code)
        data["transfer_modes"] = modes
        price = cells.get("asking_price")
        if str(price or "").strip() == "面议":
            data["asking_price"], data["price_negotiable"] = "", True
        else:
            data["asking_price"], data["price_negotiable"] = figure(cells, "asking_price", problems, self), False
        data["trl"] = whole(cells, "trl", problems)
        self.prepare_common(cells, problems, data)
        return data

    def provided_keys(self) -> set[str]:
        return super().provided_keys() | ({"owner"} if self.placeholder_owner_region is not None else set())

    def keys(self, instance: Achievement) -> list[tuple]:
        instance.normalise()
        keys: list[tuple[Any, ...]] = [("title", instance.owner_id, instance.title_key)]
        keys += [("patent", n) for n in instance.patent_list]
        if instance.source_ref:
            keys.append(("ref", instance.source, instance.source_ref))
        return keys

    def existing_keys(self) -> set[tuple]:
        keys: set[tuple[Any, ...]] = {("title", o, t) for o, t in Achievement.objects.values_list("owner_id", "title_key")}
        keys |= {("patent", n) for n in AchievementPatent.objects.values_list("number", flat=True)}
        keys |= {("ref", s, r) for s, r in Achievement.objects.exclude(source_ref="").values_list("source",
                                                                                                 "source_ref")}
        return keys

    def write(self, instances: list[Achievement]) -> None:
        super().write(instances)
        AchievementPatent.objects.bulk_create([AchievementPatent(number=n, achievement=a)
                                               for a in instances for n in a.patent_list])
        link_inventors(instances)


def link_inventors(achievements: list[Achievement]) -> int:
    """Link each achievement to the registered experts of its owner whose names appear among its
    inventors (「完成人」); returns the number of links made."""
    owners = {a.owner_id for a in achievements if a.inventor_names}
    experts: dict[tuple[int, str], int] = {
        (org, name): pk for pk, org, name in
        Expert.objects.filter(organisation_id__in=owners).values_list("pk", "organisation_id", "name")}
    through = Achievement.inventors.through
    links = [through(achievement_id=a.pk, expert_id=experts[(a.owner_id, name)])
             for a in achievements for name in split_list(a.inventor_names) if (a.owner_id, name) in experts]
    through.objects.bulk_create(links, ignore_conflicts=True)
    return len(links)


# --- demands -------------------------------------------------------------------------------------


class DemandImporter(RegistryImporter):
    label = "技术需求"
    rules = (*GENERAL_RULES,
             "同一企业的同名需求视为同一条记录，已登记的不会重复导入；同一文件中写了两行且内容不同时，作为冲突列出。")
    model = Demand
    form_class = in_yuan(DemandForm)
    status_choices = DemandStatus
    columns = (
        ImportColumn("title", "需求名称", ("名称", "标题", "需求标题"), True, "必填", "玄武岩纤维表面处理工艺改进",
                     lambda d: d.title),
        ImportColumn("description", "需求描述", ("描述", "需求内容", "内容"), False, "", "", lambda d: d.description),
        ImportColumn("field", "技术领域", ("领域",), False, "代码或名称", "0402",
                     lambda d: d.field.code if d.field_id else ""),
        ImportColumn("keywords", "关键词", ("关键字",), False, "多个用“；”分隔", "", lambda d: d.keywords),
        ImportColumn("enterprise", "需求企业", ("企业", "企业名称", "单位"), True, "必填，统一社会信用代码或全称", "",
                     lambda d: d.enterprise.uscc or d.enterprise.name),
        ImportColumn("budget_min", "预算下限（元）", ("预算下限", "最低预算"), False, "数字（元）", "200000",
                     lambda d: _money(d.budget_min)),
        ImportColumn("budget_max", "预算上限（元）", ("预算上限", "最高预算", "预算"), False, "数字（元）", "500000",
                     lambda d: _money(d.budget_max)),
        ImportColumn("deadline", "截止日期", ("截止时间",), False, "YYYY-MM-DD", "2027-06-30",
                     lambda d: d.deadline.isoformat() if d.deadline else ""),
        ImportColumn("cooperation_mode", "合作方式", (), False, "、".join(str(x.label) for x in CooperationMode),
                     "合作开发", lambda d: d.get_cooperation_mode_display()),
        ImportColumn("contact_name", "联系人", (), False, "", "", lambda d: d.contact_name),
        ImportColumn("contact_phone", "联系电话", ("电话",), False, "", "", lambda d: d.contact_phone),
        ImportColumn("contact_email", "联系邮箱", ("邮箱",), False, "", "", lambda d: d.contact_email),
        ImportColumn("region", "所在区域", ("区域",), False, "留空取企业所在区域", "",
                     lambda d: d.region.code or d.region.name),
        *[ImportColumn(c.key, c.header, c.aliases, c.required, c.note, c.example,
                       {"_status": lambda d: d.get_status_display(), "_source": lambda d: d.source,
                        "_source_ref": lambda d: d.source_ref}[c.key]) for c in COMMON_TAIL],
    )

    def prepare(self, cells: dict, problems: list) -> dict:
        data = {k: ("" if v is None else v) for k, v in cells.items() if not k.startswith("_")}
        data["field"] = self.lookups.tech_field(cells.get("field"), problems, "field")
        data["enterprise"] = self.lookups.organisation(cells.get("enterprise"), problems, "enterprise", "需求企业")
        data["cooperation_mode"] = _choice(CooperationMode, cells.get("cooperation_mode"), problems,
                                           "cooperation_mode", "合作方式") or CooperationMode.JOINT_DEVELOPMENT
        for key in ("budget_min", "budget_max"):
            data[key] = figure(cells, key, problems, self)
        try:  # a deadline may lie in the future (the form decides whether it may lie in the past)
            deadline = read_date(cells.get("deadline"))
        except CellError as exc:
            problems.append(("deadline", str(exc)))
            deadline = None
        data["deadline"] = deadline.isoformat() if deadline else ""
        self.prepare_common(cells, problems, data)
        return data

    def keys(self, instance: Demand) -> list[tuple]:
        return [("title", instance.enterprise_id, title_key(instance.title))]

    def existing_keys(self) -> set[tuple]:
        return {("title", e, t) for e, t in Demand.objects.values_list("enterprise_id", "title_key")}


# --- experts -------------------------------------------------------------------------------------


class ExpertImporter(RegistryImporter):
    label = "专家"
    rules = (*GENERAL_RULES,
             "同一工作单位的同名专家视为同一人，已登记的不会重复导入；同一文件中写了两行且内容不同时，作为冲突列出。")
    model = Expert
    form_class = ExpertForm
    status_choices = ExpertStatus
    columns = (
        ImportColumn("name", "姓名", ("专家姓名",), True, "必填", "张三", lambda e: e.name),
        ImportColumn("organisation", "工作单位", ("单位", "所在单位"), False, "统一社会信用代码或全称", "",
                     lambda e: (e.organisation.uscc or e.organisation.name) if e.organisation_id else ""),
        ImportColumn("title", "职称", (), False, "", "教授", lambda e: e.title),
        ImportColumn("tech_fields", "技术领域", ("领域",), False, "代码或名称，多个用“；”分隔", "0402；0603",
                     lambda e: e.tech_fields),
        ImportColumn("keywords", "研究方向关键词", ("关键词", "研究方向"), False, "多个用“；”分隔", "",
                     lambda e: e.keywords),
        ImportColumn("biography", "个人简介", ("简介",), False, "", "", lambda e: e.biography),
        ImportColumn("region", "所在区域", ("区域",), False, "留空取工作单位所在区域", "",
                     lambda e: e.region.code or e.region.name),
        ImportColumn("available", "可接受对接", ("是否可对接",), False, "是/否，留空为是", "是",
                     lambda e: "是" if e.available else "否"),
        ImportColumn("max_load", "同时服务上限", ("服务上限",), False, "1–50 的整数，留空为 3", "3",
                     lambda e: e.max_load),
        ImportColumn("phone", "手机号码", ("手机", "电话"), False, "个人信息，仅市科技局可见", "", lambda e: e.phone),
        ImportColumn("email", "电子邮箱", ("邮箱",), False, "个人信息，仅市科技局可见", "", lambda e: e.email),
        ImportColumn("id_number", "身份证号码", ("身份证号",), False, "个人信息，仅市科技局可见", "",
                     lambda e: e.id_number),
        *[ImportColumn(c.key, c.header, c.aliases, c.required, c.note, c.example,
                       {"_status": lambda e: e.get_status_display(), "_source": lambda e: e.source,
                        "_source_ref": lambda e: e.source_ref}[c.key]) for c in COMMON_TAIL],
    )

    def prepare(self, cells: dict, problems: list) -> dict:
        data = {k: ("" if v is None else v) for k, v in cells.items() if not k.startswith("_")}
        data["organisation"] = self.lookups.organisation(cells.get("organisation"), problems, "organisation",
                                                         "工作单位")
        codes = []
        for item in split_list(str(cells.get("tech_fields") or "")):
            pk = self.lookups.tech_field(item, problems, "tech_fields")
            if pk is not None:
                codes.append(TechField.objects.get(pk=pk).code)
        data["tech_fields"] = join_list(codes)
        available = str(cells.get("available") if cells.get("available") is not None else "").strip()
        if available in ("", "是", "1", "true", "True", "TRUE", "Y", "y"):
            data["available"] = True
        elif available in ("否", "0", "false", "False", "FALSE", "N", "n"):
            data["available"] = False
        else:
            problems.append(("available", f"“{available}”无效，应填“是”或“否”"))
        data["max_load"] = 3 if is_blank(cells.get("max_load")) else whole(cells, "max_load", problems)
        self.prepare_common(cells, problems, data)
        return data

    def keys(self, instance: Expert) -> list[tuple]:
        return [("name", instance.name.strip(), instance.organisation_id)]

    def existing_keys(self) -> set[tuple]:
        return {("name", n, o) for n, o in Expert.objects.values_list("name", "organisation_id")}


IMPORTERS: dict[str, type[RegistryImporter]] = {
    "achievements": AchievementImporter,
    "demands": DemandImporter,
    "experts": ExpertImporter,
}


@dataclass(frozen=True)
class Preset:
    """Column mapping and fixed values for a known outside file."""

    label: str
    registry: str
    mapping: dict[str, str]
    defaults: dict[str, Any] = field(default_factory=dict)
    placeholder_owner: bool = False


PRESETS = {
    # ../shared/data/csl/csl_records.jsonl: CSL Chinese scientific literature records (see its SOURCE.md).
    "csl": Preset(
        label="CSL 中文科技文献记录（jsonl）",
        registry="achievements",
        mapping={"title": "title", "abstract": "summary", "keywords": "keywords", "discipline": "discipline",
                 "id": "_source_ref", "source": "_source"},
        defaults={"kind": AchievementKind.PAPER, "_status": AchievementStatus.PUBLISHED},
        placeholder_owner=True,
    ),
}


def make_importer(registry: str, user: Any = None, preset: str | None = None,
                  region: Region | None = None) -> tuple[RegistryImporter, dict[str, str]]:
    """The importer for a registry (and preset), with the preset's column mapping.

    Raises:
        KeyError: unknown registry or preset (message in Chinese).
    """
    if registry not in IMPORTERS:
        raise KeyError(f"未知的登记库：{registry}（可选：{'、'.join(IMPORTERS)}）")
    mapping: dict[str, str] = {}
    defaults: dict[str, Any] = {}
    placeholder_region = None
    if preset:
        if preset not in PRESETS or PRESETS[preset].registry != registry:
            raise KeyError(f"未知的列映射预设：{preset}")
        chosen = PRESETS[preset]
        mapping, defaults = dict(chosen.mapping), dict(chosen.defaults)
        if chosen.placeholder_owner:
            # The importing officer's own region, so the placeholder owner stays within its scope.
            placeholder_region = region or Region.objects.filter(level=RegionLevel.CITY).order_by("pk").first()
    importer = IMPORTERS[registry](user, defaults, placeholder_owner_region=placeholder_region)
    importer.preset_sources = set(mapping)
    return importer, mapping
