"""Industry classification codes of GB/T 4754-2017 (国民经济行业分类), checked by structure.

A code is a section letter (门类, A–T), optionally followed by a 2-digit division (大类), a 3-digit
group (中类) or a 4-digit class (小类), e.g. ``C``, ``C26``, ``C261``, ``C2614``. The division must belong
to its section; the ranges below are the standard's table of sections (GB/T 4754-2017, 表 1).
"""

from __future__ import annotations

import re

SECTIONS: dict[str, tuple[str, range]] = {
    "A": ("农、林、牧、渔业", range(1, 6)),
    "B": ("采矿业", range(6, 13)),
    "C": ("制造业", range(13, 44)),
    "D": ("电力、热力、燃气及水生产和供应业", range(44, 47)),
    "E": ("建筑业", range(47, 51)),
    "F": ("批发和零售业", range(51, 53)),
    "G": ("交通运输、仓储和邮政业", range(53, 61)),
    "H": ("住宿和餐饮业", range(61, 63)),
    "I": ("信息传输、软件和信息技术服务业", range(63, 66)),
    "J": ("金融业", range(66, 70)),
    "K": ("房地产业", range(70, 71)),
    "L": ("租赁和商务服务业", range(71, 73)),
    "M": ("科学研究和技术服务业", range(73, 76)),
    "N": ("水利、环境和公共设施管理业", range(76, 80)),
    "O": ("居民服务、修理和其他服务业", range(80, 83)),
    "P": ("教育", range(83, 84)),
    "Q": ("卫生和社会工作", range(84, 86)),
    "R": ("文化、体育和娱乐业", range(86, 91)),
    "S": ("公共管理、社会保障和社会组织", range(91, 97)),
    "T": ("国际组织", range(97, 98)),
}

_PATTERN = re.compile(r"^([A-T])([0-9]{2,4})?$")


def industry_code_error(code: str) -> str | None:
    """A Chinese message saying what is wrong with ``code``, or None when it is well-formed."""
    match = _PATTERN.match(code)
    if not match:
        return "国民经济行业分类代码格式应为门类字母加 2–4 位数字，如 C2614"
    section, digits = match.groups()
    if digits is not None:
        name, divisions = SECTIONS[section]
        if int(digits[:2]) not in divisions:
            first, last = divisions[0], divisions[-1]
            return f"大类 {digits[:2]} 不属于门类 {section}（{name}，大类 {first:02d}–{last:02d}）"
    return None


def section_of(code: str) -> str:
    """The section letter of a code ('' for an empty code)."""
    return code[:1]


def section_name(code: str) -> str:
    """The Chinese name of the code's section, or '' when unknown."""
    entry = SECTIONS.get(section_of(code))
    return entry[0] if entry else ""
