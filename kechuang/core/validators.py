"""Field validators of the core app, raising Django ``ValidationError`` with the Chinese messages of the
framework-free checks (one table of messages for page, API and import)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from kechuang.common.uscc import normalise, uscc_errors
from kechuang.core.industry import industry_code_error


def validate_uscc(value: str) -> None:
    """Refuse a wrong unified social credit code, saying what is wrong (GB 32100-2015)."""
    errors = uscc_errors(normalise(value))
    if errors:
        raise ValidationError([e.message for e in errors], code=f"uscc_{errors[0].kind}")


def validate_industry_code(value: str) -> None:
    """Refuse a malformed GB/T 4754-2017 industry code."""
    message = industry_code_error(value)
    if message:
        raise ValidationError(message, code="industry_code")


def validate_division_code(value: str) -> None:
    """Refuse a division code that is not 6 digits (GB/T 2260)."""
    if len(value) != 6 or not value.isdigit():
        raise ValidationError("行政区划代码应为 6 位数字（GB/T 2260）", code="division_code")
