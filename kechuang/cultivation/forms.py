"""Forms of the cultivation pages: the profile, one year's figures (money in 万元, with pre-checks), the
enterprise's lists, and the public self-assessment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from kechuang.common.models import concrete_field
from kechuang.common.money import UnitMoneyField
from kechuang.core.models import Organisation
from kechuang.cultivation.models import (
    AnnualFigures,
    Award,
    CultivationProfile,
    Incident,
    IntellectualProperty,
    RecognisedRdInstitution,
    StandardDrafted,
)
from kechuang.engines.cultivation.codec import expert_problems

MONEY_FIELDS = ("sales_revenue", "total_revenue", "non_taxable_revenue", "hitech_revenue",
                "total_costs_and_expenses", "total_assets", "net_assets", "net_profit", "rd_expense_hnte",
                "rd_expense_hnte_domestic", "rd_expense_super_deduction", "rd_expense_financial")
SIGNED = {"net_assets", "net_profit"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


#: The expert-judged items of the HNTE innovation score (国科发火〔2016〕195号, 附件2), in the order of the
#: official table: (item id, Chinese name). Points given fix the item's score; left blank, the item counts as
#: its official range. A part's total (A, B, C, D) may be given instead of its items.
EXPERT_ITEMS = (
    ("A", "知识产权（合计）"), ("A1", "技术的先进程度"), ("A2", "对主要产品（服务）在技术上发挥核心支持作用"),
    ("A3", "知识产权数量"), ("A4", "知识产权获得方式"), ("A5", "参与编制国家标准、行业标准、检测方法、技术规范（加分）"),
    ("B", "科技成果转化能力"),
    ("C", "研究开发组织管理水平（合计）"), ("C1", "研发组织管理制度、研发投入核算体系、研发费用辅助账"),
    ("C2", "内设研发机构及产学研合作"), ("C3", "成果转化组织实施与激励奖励制度、创新创业平台"),
    ("C4", "人才培养、引进与绩效评价奖励制度"),
    ("D", "企业成长性（合计）"), ("D1", "净资产增长率"), ("D2", "销售收入增长率"),
)
#: Items judged by expert band (A–E) as well as by points (HT-G: A1, A2).
EXPERT_BAND_ITEMS = ("A1", "A2")
POINTS_PREFIX, BAND_PREFIX = "expert_points_", "expert_band_"

#: Facts the bureau verifies (certificates, credit and incident records, expert judgements): staff change
#: them; an enterprise sees them but cannot set them for itself.
VERIFIED_FIELDS = ("hnte_certificate_number", "hnte_certificate_issue_date", "tsme_registration_number",
                   "tsme_registration_year", "incidents_checked", "on_abnormal_operation_list",
                   "on_serious_violation_list")


def _expert_scales(year: int) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """The maximum points per item and part, and the expert bands ``(letter, low, high)``, of the rules in
    force in ``year`` (the bureau's configuration)."""
    from kechuang.cultivation.services import bureau_config

    params = bureau_config().parameters(year).hnte
    bands = [(b.label, b.points_min, b.points_max) for b in params.expert_bands]
    return {**params.part_max, **params.item_max}, bands


class ProfileForm(forms.ModelForm):
    """The enterprise's cultivation profile (facts that do not change by year). ``staff``: whether the
    user may set the verified facts (:data:`VERIFIED_FIELDS` and the expert judgements); for others they
    are shown disabled.

    Expert judgements are one integer input per item of :data:`EXPERT_ITEMS` (``expert_points_A1``,
    bounded by the item's official maximum) and one band choice per :data:`EXPERT_BAND_ITEMS`
    (``expert_band_A1``); they are stored as the profile's ``expert_points`` / ``expert_bands``."""

    class Meta:
        model = CultivationProfile
        exclude = ["enterprise", "hnte_certificate_valid_until", "expert_points", "expert_bands"]
        widgets = {"establish_date": DATE, "hnte_certificate_issue_date": DATE}

    def __init__(self, *args: Any, staff: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        maxima, bands = _expert_scales(timezone.localdate().year)
        points = dict(self.instance.expert_points or {}) if self.instance else {}
        given_bands = dict(self.instance.expert_bands or {}) if self.instance else {}
        self.expert_names: list[str] = []
        for item, name in EXPERT_ITEMS:
            top = maxima.get(item)
            if top is None:
                continue
            field_name = POINTS_PREFIX + item
            self.fields[field_name] = forms.IntegerField(
                label=f"{name}（0–{top} 分）", required=False, min_value=0, max_value=top,
                initial=points.get(item), widget=forms.NumberInput(attrs={"min": 0, "max": top, "step": 1}),
                error_messages={key: f"应为 0–{top} 之间的整数分数" for key in ("invalid", "min_value", "max_value")})
            self.expert_names.append(field_name)
            if item in EXPERT_BAND_ITEMS:
                field_name = BAND_PREFIX + item
                self.fields[field_name] = forms.ChoiceField(
                    label=f"{name}（专家评档）", required=False, initial=given_bands.get(item, ""),
                    choices=[("", "未评档"), *((letter, f"{letter} 档（{low}–{high} 分）" if low != high
                                               else f"{letter} 档（{low} 分）") for letter, low, high in bands)])
                self.expert_names.append(field_name)
        if not staff:
            for name in (*VERIFIED_FIELDS, *self.expert_names):
                self.fields[name].disabled = True
                self.fields[name].help_text = "由科技部门核实填写"

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The bound fields in sections for the page: basic facts, R&D management evidence, the bureau's
        verified facts, expert judgements."""
        evidence = set(CultivationProfile.EVIDENCE_FIELDS)
        verified = set(VERIFIED_FIELDS)
        expert = set(self.expert_names)
        sections: list[tuple[str, list[Any]]] = [("基本情况", []), ("研究开发组织管理（高新技术企业创新能力评价）", []),
                                                 ("科技部门核实事项", []), ("专家评审（高新技术企业创新能力评价）", [])]
        for bound in self:
            index = 1 if bound.name in evidence else 2 if bound.name in verified else 3 if bound.name in expert else 0
            sections[index][1].append(bound)
        return sections

    def clean_establish_date(self) -> Any:
        value = self.cleaned_data["establish_date"]
        if value and not dt.date(1900, 1, 1) <= value <= timezone.localdate():
            raise forms.ValidationError("成立日期应在 1900 年之后且不晚于今天")
        return value

    def clean_hnte_certificate_issue_date(self) -> Any:
        value = self.cleaned_data.get("hnte_certificate_issue_date")
        if value and not dt.date(2000, 1, 1) <= value <= timezone.localdate():
            raise forms.ValidationError("发证日期应在 2000 年之后且不晚于今天")
        return value

    def clean_tsme_registration_year(self) -> Any:
        value = self.cleaned_data.get("tsme_registration_year")
        if value is not None and not 2017 <= value <= timezone.localdate().year + 1:
            raise forms.ValidationError("入库年度应在 2017 年（科技型中小企业评价办法施行）至明年之间")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)
        points = {name.removeprefix(POINTS_PREFIX): data[name] for name in self.expert_names
                  if name.startswith(POINTS_PREFIX) and data.get(name) is not None}
        bands = {name.removeprefix(BAND_PREFIX): data[name] for name in self.expert_names
                 if name.startswith(BAND_PREFIX) and data.get(name)}
        for problem in expert_problems(points, bands, timezone.localdate().year):
            kind, _, item = problem.path.partition(".")
            field = (POINTS_PREFIX if kind == "points" else BAND_PREFIX) + item
            self.add_error(field if field in self.fields else None, problem.message_zh)
        self.instance.expert_points, self.instance.expert_bands = points, bands
        return data


class AnnualFiguresForm(forms.ModelForm):
    """One fiscal year's figures. Money is typed in 万元 (the unit of the high-tech application forms) and
    stored in yuan. :meth:`clean` rejects impossible combinations (a part above its whole);
    :meth:`warnings` lists unusual but possible ones, shown while the user types."""

    class Meta:
        model = AnnualFigures
        exclude = ["enterprise"]

    def __init__(self, *args: Any, money_unit: str = "万元", **kwargs: Any) -> None:
        """``money_unit``: the unit amounts are typed in (万元 on the pages, 元 in the API)."""
        super().__init__(*args, **kwargs)
        for name in MONEY_FIELDS:
            model_field = concrete_field(AnnualFigures, name)
            self.fields[name] = UnitMoneyField(unit=money_unit, label=model_field.verbose_name,
                                               help_text=model_field.help_text, allow_negative=name in SIGNED)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)

        def over(part: str, whole: str, message: str) -> None:
            a, b = data.get(part), data.get(whole)
            if a is not None and b is not None and a > b:
                self.add_error(part, message)

        over("tech_staff_avg", "staff_total_avg", "科技人员数不能多于职工总数")
        over("tsme_tech_staff", "tsme_staff_total", "科技人员数不能多于职工总数")
        over("non_taxable_revenue", "total_revenue", "不征税收入不能大于收入总额")
        over("rd_expense_hnte_domestic", "rd_expense_hnte", "境内研发费用不能大于研发费用总额")
        total, exempt, hitech = (data.get("total_revenue"), data.get("non_taxable_revenue") or Decimal(0),
                                 data.get("hitech_revenue"))
        if total is not None and hitech is not None and hitech > total - exempt:
            self.add_error("hitech_revenue", "高新技术产品（服务）收入不能大于总收入（收入总额 − 不征税收入）")
        return data

    def warnings(self) -> list[str]:
        """Unusual values worth a second look (does not block saving)."""
        data = getattr(self, "cleaned_data", {}) or {}
        notes: list[str] = []
        sales, rd = data.get("sales_revenue"), data.get("rd_expense_hnte")
        if sales and rd is not None and rd > sales / 2:
            notes.append("研发费用超过销售收入的 50%，请核对单位（万元）")
        notes += self.unit_warnings(data)
        sd, hn = data.get("rd_expense_super_deduction"), data.get("rd_expense_hnte")
        if sd and hn and (sd > hn * 2 or hn > sd * 2):
            notes.append("两种口径的研发费用相差一倍以上，请核对")
        if data.get("sales_revenue") is not None and data.get("total_revenue") is not None \
                and data["sales_revenue"] > data["total_revenue"]:
            notes.append("销售收入大于收入总额，请核对")
        if data.get("net_assets") is not None and data.get("total_assets") is not None \
                and data["net_assets"] > data["total_assets"]:
            notes.append("净资产大于资产总额（负债为负），请核对")
        return notes

    #: Amounts (yuan) above which a figure typed in 元 into a 万元 field (10,000 times too large) is
    #: likely: 100 亿元 in total, or 1 亿元 of sales per employee.
    LARGE_AMOUNT = Decimal(10) ** 10
    LARGE_SALES_PER_HEAD = Decimal(10) ** 8

    def unit_warnings(self, data: dict[str, Any]) -> list[str]:
        """请核对单位 notes for amounts that look typed in 元 where the form wants 万元 (a page and an
        import show the same)."""
        notes = []
        large = [str(self.fields[n].label) for n in MONEY_FIELDS
                 if data.get(n) is not None and abs(data[n]) >= self.LARGE_AMOUNT]
        if large:
            notes.append(f"{'、'.join(large)}超过 100 亿元，是否按“元”填写了？金额单位为万元，请核对单位")
        sales, staff = data.get("sales_revenue"), data.get("staff_total_avg")
        if not large and sales and staff and sales / staff >= self.LARGE_SALES_PER_HEAD:
            notes.append("人均销售收入超过 1 亿元，是否按“元”填写了？金额单位为万元，请核对单位")
        return notes

    def ratios(self) -> list[tuple[str, str]]:
        """This year's ratios that the criteria use, as the user types (label, percentage)."""
        data = getattr(self, "cleaned_data", {}) or {}
        shown = []
        for label, part, whole in (("科技人员占职工总数", "tech_staff_avg", "staff_total_avg"),
                                   ("研发费用占销售收入", "rd_expense_hnte", "sales_revenue"),
                                   ("境内研发费用占研发费用", "rd_expense_hnte_domestic", "rd_expense_hnte")):
            a, b = data.get(part), data.get(whole)
            if a is not None and b:
                shown.append((label, f"{a / b * 100:.2f}%"))
        total, hitech = data.get("total_revenue"), data.get("hitech_revenue")
        income = (total or Decimal(0)) - (data.get("non_taxable_revenue") or Decimal(0))
        if hitech is not None and income > 0:
            shown.append(("高新技术产品（服务）收入占总收入", f"{hitech / income * 100:.2f}%"))
        return shown


def _list_form(model: type, fields: list[str], widgets: dict[str, Any] | None = None) -> type[forms.ModelForm]:
    meta = type("Meta", (), {"model": model, "fields": fields, "widgets": widgets or {}})
    return type(f"{model.__name__}Form", (forms.ModelForm,), {"Meta": meta})


def _formset(model: type, fields: list[str], widgets: dict[str, Any] | None = None) -> Any:
    return forms.inlineformset_factory(Organisation, model, form=_list_form(model, fields, widgets), extra=1,
                                       can_delete=True)


#: The enterprise's lists, edited as tables on one page: (prefix, title, formset class).
LIST_FORMSETS = [
    ("ip", "知识产权", _formset(IntellectualProperty, [
        "identifier", "kind", "acquisition", "in_force", "granted_in_china", "owned_by_applicant",
        "related_to_main_products", "in_dispute", "used_in_previous_recognition", "claimed_by_co_owner"])),
    ("standards", "主持或参与制定的标准", _formset(StandardDrafted, ["title", "kind", "level", "role", "date", "recognized"],
                                                   {"date": DATE})),
    ("awards", "科技奖励", _formset(Award, ["title", "level", "date", "rank"], {"date": DATE})),
    ("institutions", "认定的研发机构", _formset(RecognisedRdInstitution, ["name", "level"])),
    ("incidents", "事故与失信记录", _formset(Incident, ["date", "kind", "description"], {"date": DATE})),
]
#: The lists an enterprise keeps itself (incident records are the bureau's, like the verified fields).
OWN_LISTS = ("ip", "standards", "awards", "institutions")


class SelfAssessmentForm(forms.Form):
    """The public self-assessment (自测): the figures as JSON (the format of ``kechuang assess``,
    docs/assess_input.md), pasted or uploaded."""

    text = forms.CharField(label="企业数据（JSON）", required=False, widget=forms.Textarea(attrs={"rows": 14}))
    upload = forms.FileField(label="或上传 JSON 文件", required=False)

    MAX_BYTES = 1_000_000

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # (typed optional: a clean() may return None)
        upload = data.get("upload")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError("文件过大（上限 1 MB）")
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError("文件不是 UTF-8 编码的 JSON") from exc
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("请粘贴或上传企业数据")
        if len(data["text"]) > self.MAX_BYTES:
            raise forms.ValidationError("数据过大（上限 1 MB）")
        return data
