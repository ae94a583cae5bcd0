"""Resident identity card numbers (公民身份号码), GB 11643-1999: 17 digits and a check character.

Check character (ISO 7064 MOD 11-2): weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first 17
digits; the sum modulo 11 maps 0–10 to 1 0 X 9 8 7 6 5 4 3 2.
"""

from __future__ import annotations

import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECKS = "10X98765432"


def check_character(first17: str) -> str:
    """The check character (``0``–``9`` or ``X``) of the 17 digits ``first17`` (ISO 7064 MOD 11-2)."""
    return CHECKS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_number_error(value: str) -> str | None:
    """A Chinese message saying what is wrong with an 18-character ID number, or None when valid."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return "身份证号码应为 17 位数字加 1 位数字或 X"
    expected = check_character(value[:17])
    if value[17] != expected:
        return f"身份证号码校验位错误：第 18 位应为“{expected}”"
    return None
