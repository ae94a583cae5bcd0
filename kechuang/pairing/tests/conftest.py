from kechuang.market.tests.conftest import fields, records  # noqa: F401 - fixtures
