"""Chinese patent application numbers, ZC 0006-2003: shape, kind digit and check character."""

import pytest

from kechuang.market.patents import canonical_patent_number, check_digit, patent_number_error


def test_the_standards_example_is_valid():
    # ZC 0006-2003 gives 200310102344.5 as its example.
    assert check_digit("200310102344") == "5"
    assert patent_number_error("200310102344.5") is None


@pytest.mark.parametrize("spelling", ["CN200310102344.5", "ZL 2003 1 0102344.5", "cn2003101023445",
                                      "ＣＮ２００３１０１０２３４４．５", " 200310102344.5 "])
def test_accepted_spellings_normalise_to_one_form(spelling):
    assert canonical_patent_number(spelling) == "CN200310102344.5"


def test_check_character_x():
    digits = next(f"2021100{n:05d}" for n in range(100000) if check_digit(f"2021100{n:05d}") == "X")
    assert patent_number_error(digits + ".X") is None
    assert "校验位错误" in patent_number_error(digits + ".0")


def test_old_eight_digit_numbers():
    assert patent_number_error(f"98123456.{check_digit('98123456')}") is None


@pytest.mark.parametrize("number,fragment", [
    ("200310102344.6", "校验位错误：应为“5”"),
    ("200340102344.5", "专利类型位“4”无效"),
    ("12345", "格式不正确"),
    ("CN2003101023A4.5", "格式不正确"),
    ("180010102344.5", "年份"),
])
def test_wrong_numbers_say_why(number, fragment):
    assert fragment in patent_number_error(number)


def test_canonical_refuses_a_wrong_number():
    with pytest.raises(ValueError, match="校验位错误"):
        canonical_patent_number("200310102344.6")
