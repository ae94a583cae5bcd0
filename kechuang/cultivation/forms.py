"""Forms of the cultivation pages: the profile, one year's figures (money in 万元, with pre-checks), the
enterprise's lists, and the public self-assessment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.fields import InvalidJSONInput
from django.utils import timezone

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
                "rd_expense_hnte_domestic", "rd_expense_super_deduction")
SIGNED = {"net_assets", "net_profit"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SafeJSONField(forms.JSONField):
    """A JSON form field that answers a form error, not a crash, for pathological text."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > 2000:
            raise forms.ValidationError("内容过长")
        try:
            return super().to_python(value)
        except (RecursionError, ValueError) as exc:
            raise forms.ValidationError("不是有效的 JSON") from exc

    def bound_data(self, data: Any, initial: Any) -> Any:
        if isinstance(data, str) and len(data) > 2000:
            return InvalidJSONInput(data[:2000])
        try:
            return super().bound_data(data, initial)
        except (RecursionError, ValueError):
            return InvalidJSONInput(data)


#: Facts the bureau verifies (certificates, credit and incident records, expert judgements): staff change
#: them; an enterprise sees them but cannot set them for itself.
VERIFIED_FIELDS = ("hnte_certificate_number", "hnte_certificate_issue_date", "tsme_registration_number",
                   "tsme_registration_year", "incidents_checked", "on_abnormal_operation_list",
                   "on_serious_violation_list", "expert_points", "expert_bands")


class ProfileForm(forms.ModelForm):
    """The enterprise's cultivation profile (facts that do not change by year). ``staff``: whether the
    user may set the verified facts (:data:`VERIFIED_FIELDS`); for others they are shown disabled."""

    expert_points = SafeJSONField(label="专家评分（分）", required=False,
                                  help_text='专家评审给出的分数，如 {"A1": 6, "C1": 5}；未给出的项按分值区间计')
    expert_bands = SafeJSONField(label="专家评档", required=False, help_text='如 {"A1": "B"}')

    class Meta:
        model = CultivationProfile
        exclude = ["enterprise", "hnte_certificate_valid_until"]
        widgets = {"establish_date": DATE, "hnte_certificate_issue_date": DATE}

    def __init__(self, *args: Any, staff: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            for name in VERIFIED_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = "由科技部门核实填写"

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
        data = super().clean()
        points, bands = data.get("expert_points") or {}, data.get("expert_bands") or {}
        data["expert_points"], data["expert_bands"] = points, bands
        for problem in expert_problems(points, bands, timezone.localdate().year):
            field = "expert_points" if problem.path.startswith("points") else "expert_bands"
            self.add_error(field, f"{problem.path.split('.', 1)[-1]}：{problem.message_zh}")
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
            model_field = AnnualFigures._meta.get_field(name)
            self.fields[name] = UnitMoneyField(unit=money_unit, label=model_field.verbose_name,
                                               help_text=model_field.help_text, allow_negative=name in SIGNED)

    def clean(self) -> dict[str, Any]:
        data = super().clean()

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
        data = super().clean()
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
