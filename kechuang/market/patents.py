"""Chinese patent application numbers (专利申请号), checked with their check digit.

Standard: 国家知识产权局《专利申请号标准》ZC 0006-2003. Since 1 October 2003 an application number is
12 digits — year (4), kind (1), serial (7) — followed by a check character: 2003 1 0100002 . X.
Before that, 8 digits — year (2), kind (1), serial (5) — and the check character. Kinds: 1 invention,
2 utility model, 3 design, 8 PCT invention entering the national phase, 9 PCT utility model.

Check character: multiply the digits, from the left, by the weights 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5
(the cycle 2–9 repeated); the sum modulo 11 is the check digit, and 10 is written X.

Accepted spellings: optional prefix CN or ZL, spaces, full-width characters, with or without the dot
before the check character. The normal form is ``CN`` + digits + ``.`` + check, e.g.
``CN201310012345.4``.
"""

from __future__ import annotations

import re

KINDS = {"1": "发明", "2": "实用新型", "3": "外观设计", "8": "PCT 发明", "9": "PCT 实用新型"}
_SHAPE = re.compile(r"^(?:CN|ZL)?(\d{8}|\d{12})\.?([0-9X])$")


def _half_width(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)


def check_digit(digits: str) -> str:
    """The check character for 8 or 12 application-number digits ('0'–'9' or 'X')."""
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalise_patent_number(text: str) -> str:
    """Upper-case, half-width, without spaces (the input to :func:`patent_number_error`)."""
    return re.sub(r"\s+", "", _half_width(text)).upper()


def patent_number_error(text: str) -> str | None:
    """A Chinese message saying what is wrong with an application number, or None when it is valid."""
    value = normalise_patent_number(text)
    match = _SHAPE.match(value)
    if not match:
        return f"专利申请号“{text}”格式不正确：应为 12 位（2003 年 10 月以后）或 8 位数字加校验位，如 CN201310012345.4"
    digits, given = match.groups()
    kind = digits[4] if len(digits) == 12 else digits[2]
    if kind not in KINDS:
        return f"专利申请号“{text}”的专利类型位“{kind}”无效（应为 1、2、3、8、9 之一）"
    if len(digits) == 12 and not 1985 <= int(digits[:4]) <= 2099:
        return f"专利申请号“{text}”的年份“{digits[:4]}”无效"
    expected = check_digit(digits)
    if given != expected:
        return f"专利申请号“{text}”校验位错误：应为“{expected}”，当前为“{given}”"
    return None


def canonical_patent_number(text: str) -> str:
    """The normal form ``CN<digits>.<check>`` of a valid number.

    Raises:
        ValueError: the number is not valid (the message says why).
    """
    error = patent_number_error(text)
    if error:
        raise ValueError(error)
    shape = _SHAPE.match(normalise_patent_number(text))
    assert shape is not None  # no error above: the number has this shape
    digits, check = shape.groups()
    return f"CN{digits}.{check}"
