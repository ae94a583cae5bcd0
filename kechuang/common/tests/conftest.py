"""The registry records of the market tests (see kechuang/market/tests/conftest.py)."""

from kechuang.market.tests.conftest import fields, records  # noqa: F401 - fixtures
