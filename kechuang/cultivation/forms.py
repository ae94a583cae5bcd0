"""Forms of the cultivation pages: the profile, one year's figures (money in 万元, with pre-checks), the
enterprise's lists, and the public self-assessment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

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

MONEY_FIELDS = ("sales_revenue", "total_revenue", "non_taxable_revenue", "hitech_revenue",
                "total_costs_and_expenses", "total_assets", "net_assets", "net_profit", "rd_expense_hnte",
                "rd_expense_hnte_domestic", "rd_expense_super_deduction")
SIGNED = {"net_assets", "net_profit"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.ModelForm):
    """The enterprise's cultivation profile (facts that do not change by year)."""

    class Meta:
        model = CultivationProfile
        exclude = ["enterprise", "hnte_certificate_valid_until"]
        widgets = {"establish_date": DATE, "hnte_certificate_issue_date": DATE}

    def _clean_expert(self, name: str, kind: type) -> dict[str, Any]:
        value = self.cleaned_data.get(name) or {}
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, kind) and
                                                  not isinstance(v, bool) for k, v in value.items()):
            example = '{"A1": 6}' if kind is int else '{"A1": "B"}'
            raise forms.ValidationError(f"格式应为 {example}")
        return value

    def clean_expert_points(self) -> dict[str, int]:
        return self._clean_expert("expert_points", int)

    def clean_expert_bands(self) -> dict[str, str]:
        return self._clean_expert("expert_bands", str)


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
    ("standards", "主持或参与制定的标准", _formset(StandardDrafted, ["title", "level", "role", "date", "recognized"],
                                                   {"date": DATE})),
    ("awards", "科技奖励", _formset(Award, ["title", "level", "date", "rank"], {"date": DATE})),
    ("institutions", "认定的研发机构", _formset(RecognisedRdInstitution, ["name", "level"])),
    ("incidents", "事故与失信记录", _formset(Incident, ["date", "kind", "description"], {"date": DATE})),
]


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
