"""GB/T 4754-2017 industry codes, checked by structure."""

import pytest

from kechuang.core.industry import industry_code_error, section_name


@pytest.mark.parametrize("code", ["C", "C26", "C261", "C2614", "A0164", "I6513", "M7320", "T97"])
def test_well_formed_codes_pass(code):
    assert industry_code_error(code) is None


@pytest.mark.parametrize("code,fragment", [("c2614", "格式"), ("C26145", "格式"), ("X12", "格式"), ("C2", "格式"),
                                           ("C05", "大类 05 不属于门类 C"), ("A13", "不属于门类 A")])
def test_malformed_codes_say_why(code, fragment):
    assert fragment in industry_code_error(code)


def test_section_name():
    assert section_name("C2614") == "制造业"
    assert section_name("") == ""
