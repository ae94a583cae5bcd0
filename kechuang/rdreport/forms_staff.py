"""Small forms of the staff pages of R&D reporting: bulk import, a target of 一企一策, GDP per region."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from kechuang.common.money import UnitMoneyField
from kechuang.core.models import Region

YI = Decimal(10) ** 8


class ReportImportForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx）", help_text="格式见导入模板：「107-2」每张报表一行，「107-1项目」每个项目一行"
                                                       "（新报表有研发活动时必填；更新已有报表时可省略）")
    year = forms.IntegerField(label="报告年度（可选）", required=False, min_value=2000, max_value=2100,
                              help_text="文件没有“报告年度”列时填写；填写后文件中其他年度的行将被拒绝")


class TargetForm(forms.Form):
    """A target of 一企一策: the enterprise by credit code (new plans only), the target in 千元, a note."""

    uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    target = UnitMoneyField(label="目标研发费用", unit="千元", help_text="研究开发费用合计[7]的目标；可不填")
    note = forms.CharField(label="措施与说明", max_length=300, required=False)

    def __init__(self, *args: Any, new: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new = new
        if new:
            self.fields["uscc"].required = True
        else:
            del self.fields["uscc"]

    def clean_uscc(self) -> str:
        return self.cleaned_data["uscc"].strip().upper()


class GdpForm(forms.Form):
    """GDP of a year per region, in 亿元 (stored in yuan); a blank field removes the region's figure."""

    def __init__(self, *args: Any, regions: list[Region], editable: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = regions
        for region in regions:
            self.fields[f"gdp_{region.pk}"] = forms.DecimalField(
                label=region.name, required=False, min_value=0, max_digits=10, decimal_places=4,
                disabled=region.pk not in editable,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))

    def yuan(self) -> dict[int, Decimal | None]:
        """Region id → GDP in yuan (None: blank) for the fields the user may change."""
        out: dict[int, Decimal | None] = {}
        for region in self.regions:
            name = f"gdp_{region.pk}"
            if self.fields[name].disabled:
                continue
            value = self.cleaned_data.get(name)
            out[region.pk] = None if value is None else (value * YI).quantize(Decimal("0.01"))
        return out

    def rows(self) -> list[tuple[Region, forms.BoundField]]:
        return [(region, self[f"gdp_{region.pk}"]) for region in self.regions]
