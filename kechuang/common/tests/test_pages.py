"""Shared page machinery."""

from kechuang.common.views import page_numbers


def test_page_numbers_show_ends_and_gaps():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 10) == [1, 2, 3, None, 10]
    assert page_numbers(6, 10) == [1, None, 4, 5, 6, 7, 8, None, 10]
    assert page_numbers(10, 10) == [1, None, 8, 9, 10]
    assert page_numbers(3, 5) == [1, 2, 3, 4, 5]
