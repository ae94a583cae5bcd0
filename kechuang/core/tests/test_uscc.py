"""Unified social credit codes, GB 32100-2015: valid codes and each kind of wrong one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.common.uscc import ALPHABET, check_character, is_valid_uscc, normalise, uscc_errors

# Codes published by the registrants themselves.
PUBLIC_CODES = ["91350100M000100Y43", "91110000600037341L", "911100001000079554", "91440300708461136T"]


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_published_codes_are_valid(code):
    assert uscc_errors(code) == []


def test_full_width_spaces_and_lower_case_are_normalised():
    assert normalise(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert is_valid_uscc("91350100m000100y43")


@pytest.mark.parametrize("code,length", [("9135010", 7), ("91350100M000100Y4", 17), ("91350100M000100Y433", 19),
                                         ("", 0)])
def test_wrong_length_says_how_long(code, length):
    [error] = uscc_errors(code)
    assert error.kind == "length"
    assert f"当前为 {length} 位" in error.message


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-", "*"])
def test_forbidden_character_names_its_position(bad):
    code = "91350100M0001" + bad + "0Y43"
    [error] = uscc_errors(code)
    assert error.kind == "charset"
    assert f"第 14 位“{bad}”" in error.message


def test_division_part_must_be_digits():
    first17 = "91A50100M000100Y4"
    [error] = uscc_errors(first17 + check_character(first17))
    assert error.kind == "division"


def test_wrong_check_character_names_the_right_one():
    [error] = uscc_errors("91350100M000100Y44")
    assert error.kind == "check"
    assert "应为“3”" in error.message and "当前为“4”" in error.message


@given(st.text(alphabet=ALPHABET, min_size=9, max_size=9))
def test_computed_check_character_makes_a_valid_code_and_any_other_breaks_it(body):
    first17 = "91" + "511702" + body
    check = check_character(first17)
    assert is_valid_uscc(first17 + check)
    for other in ALPHABET.replace(check, ""):
        assert not is_valid_uscc(first17 + other)


def test_check_character_refuses_bad_input():
    with pytest.raises(ValueError):
        check_character("123")
