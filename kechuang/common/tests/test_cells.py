"""The one date reader and the one number reader of every importer (issue 11, items 1 and 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.common.cells import CellError, read_date, read_number, read_year_month


@pytest.mark.parametrize(("typed", "date"), [
    ("2025-01-02", dt.date(2025, 1, 2)),
    ("2025.1.2", dt.date(2025, 1, 2)),        # was read as December 2025 by the 107-1 reader
    ("2025/1/2", dt.date(2025, 1, 2)),
    ("2025年1月2日", dt.date(2025, 1, 2)),
    ("２０２５．１．２", dt.date(2025, 1, 2)),  # full-width
    ("20250102", dt.date(2025, 1, 2)),
    (45659, dt.date(2025, 1, 2)),             # an Excel serial in a cell formatted as General
    (dt.datetime(2025, 1, 2), dt.date(2025, 1, 2)),
    ("2027.5.1", dt.date(2027, 5, 1)),        # a future deadline is a date like any other
    ("2027年5月1日", dt.date(2027, 5, 1)),
])
def test_every_typed_form_of_a_date_is_read_exactly(typed, date):
    assert read_date(typed) == date


@pytest.mark.parametrize("typed", ["1/2/2025", "01/02/25", "25.1.2", "2025-2-30", "2025.13.1", "明天", 3.5,
                                   "2025-01-02 13:45"])
def test_ambiguous_or_impossible_dates_are_refused(typed):
    with pytest.raises(CellError):
        read_date(typed)


def test_a_field_bound_refuses_dates_outside_it():
    with pytest.raises(CellError, match="不在"):
        read_date("2027.5.1", latest=dt.date(2026, 12, 31))


@pytest.mark.parametrize(("typed", "month"), [
    ("202501", 202501), (202501, 202501), ("2025年1月", 202501), ("2025-01", 202501), ("2025.1", 202501),
    ("2025.1.2", 202501), ("2025/1/1", 202501), (dt.datetime(2025, 11, 3), 202511), (0, 0),
])
def test_year_month_reads_the_month_it_says(typed, month):
    assert read_year_month(typed) == month


@pytest.mark.parametrize("typed", ["202513", "2025.13", 45659, "1/2025"])
def test_year_month_refuses_what_it_cannot_read(typed):
    with pytest.raises(CellError):
        read_year_month(typed)


@pytest.mark.parametrize(("typed", "number"), [
    ("1,234.5", Decimal("1234.5")), ("１，２３４．５", Decimal("1234.5")), ("1，234", Decimal("1234")),
    (1234.567, Decimal("1234.567")), ("-5", Decimal("-5")), (" 12 ", Decimal("12")),
])
def test_numbers_with_separators_and_full_width_digits_are_read(typed, number):
    assert read_number(typed) == number


def test_a_unit_in_the_cell_is_refused_with_the_unit_named():
    with pytest.raises(CellError, match="含单位“万元”.*本列单位：千元"):
        read_number("12万元", unit="千元")
    with pytest.raises(CellError, match="含单位“元”"):
        read_number("12 元")


def test_percent_only_where_the_column_is_a_percentage():
    assert read_number("12.5%", percent=True) == Decimal("12.5")
    with pytest.raises(CellError, match="百分号"):
        read_number("12%")


@pytest.mark.parametrize("typed", ["1,23", "1.2.3", "abc", "NaN", "1e40", True])
def test_numbers_that_cannot_be_read_exactly_are_refused(typed):
    with pytest.raises(CellError):
        read_number(typed)


def test_decimals_are_bounded_when_the_column_says_so():
    with pytest.raises(CellError, match="3 位小数"):
        read_number("1.2345", decimals=3)
    assert read_number("1.2340", decimals=3) == Decimal("1.234")
