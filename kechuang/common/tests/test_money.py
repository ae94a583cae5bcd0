"""Money typed in the official form's unit and kept in yuan."""

from decimal import Decimal

import pytest
from django import forms

from kechuang.common.money import UnitMoneyField, to_unit


class Form(forms.Form):
    wan = UnitMoneyField(unit="万元", label="研发费用")
    qian = UnitMoneyField(unit="千元", label="经费支出")
    signed = UnitMoneyField(unit="万元", label="净资产", allow_negative=True)


def test_units_convert_both_ways():
    form = Form({"wan": "54", "qian": "1.25", "signed": "-0.5"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"wan": Decimal("540000.00"), "qian": Decimal("1250.00"), "signed": Decimal("-5000.00")}
    assert form.fields["wan"].label == "研发费用（万元）"
    assert to_unit(Decimal("540000.00"), "万元") == Decimal(54)
    assert to_unit(Decimal("1250.00"), "千元") == Decimal("1.25")
    shown = Form(initial={"wan": Decimal("545000.00")})
    assert 'value="54.5"' in str(shown["wan"])


@pytest.mark.parametrize(("value", "message"), [("-1", "不能为负数"), ("0.0000001", "金额最小到分"), ("abc", "输入一个数字"),
                                              ("1e999999999", "金额过大"), ("10000000000", "金额过大"),
                                              ("1e-999999999", "金额最小到分")])
def test_bad_amounts_are_refused_in_chinese(value, message):
    form = Form({"wan": value})
    assert not form.is_valid()
    assert message in " ".join(form.errors["wan"])


def test_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError):
        UnitMoneyField(unit="亿元")
