"""Unified social credit code (统一社会信用代码) per GB 32100-2015.

Framework-free: used by the model field validator, the import checks and the demo generator.

Layout of the 18 characters (GB 32100-2015, art. 4):
  1      registration authority code (登记管理部门代码)
  2      organisation type code (机构类别代码)
  3–8    administrative division code of the registering authority (GB/T 2260), digits
  9–17   organisation code (主体标识码, GB 11714)
  18     check character, computed over characters 1–17 (art. 5 and annex)

The character set is the digits and the upper-case Latin letters without I, O, Z, S, V (31 symbols,
values 0–30 in that order). Check character: C18 = 31 − (Σ Ci·Wi mod 31), with Wi = 3^(i−1) mod 31 for
i = 1..17, and 31 written as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


@dataclass(frozen=True)
class UsccError:
    """One reason a code is wrong: ``kind`` in {"length", "charset", "division", "check"}, and a Chinese message."""

    kind: str
    message: str


def normalise(code: str) -> str:
    """Strip surrounding spaces and upper-case; full-width letters and digits become half-width."""
    half = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in code.strip())
    return "".join(half.split()).upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code.

    Raises:
        ValueError: ``first17`` is not 17 characters from the GB 32100-2015 alphabet.
    """
    if len(first17) != 17 or any(c not in VALUES for c in first17):
        raise ValueError(f"need 17 characters from {ALPHABET!r}, got {first17!r}")
    remainder = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True)) % 31
    return ALPHABET[(31 - remainder) % 31]


def uscc_errors(code: str) -> list[UsccError]:
    """Everything wrong with ``code`` (already normalised), as a list; empty when the code is valid.

    The checks run in order and stop at the first kind that fails, because later checks mean nothing
    on a code of the wrong length or alphabet.
    """
    if len(code) != LENGTH:
        return [UsccError("length", f"统一社会信用代码应为 18 位，当前为 {len(code)} 位")]
    bad = [(i + 1, c) for i, c in enumerate(code) if c not in VALUES]
    if bad:
        where = "、".join(f"第 {pos} 位“{c}”" for pos, c in bad)
        return [
            UsccError(
                "charset",
                f"统一社会信用代码含有不允许的字符：{where}（只允许数字和除 I、O、Z、S、V 以外的大写字母）",
            )
        ]
    if not code[2:8].isdigit():
        return [UsccError("division", "统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）")]
    expected = check_character(code[:17])
    if code[17] != expected:
        return [UsccError("check", f"统一社会信用代码校验位错误：第 18 位应为“{expected}”，当前为“{code[17]}”")]
    return []


def is_valid_uscc(code: str) -> bool:
    """True when ``code`` (normalised first) is a valid unified social credit code."""
    return not uscc_errors(normalise(code))
