from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.engines.matchmaking.normalize import (
    normalize_text,
    strip_punctuation,
    to_halfwidth,
    to_simplified,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＩ芯片", "ai芯片"),  # full-width Latin, case
        ("１２３　ＧＰＵ", "123 gpu"),  # full-width digits, ideographic space
        ("鋰離子電池", "锂离子电池"),  # traditional → simplified
        ("臺灣大學電腦軟體", "台湾大学电脑软体"),
        ("反覆試驗", "反复试验"),  # phrase-level conversion (覆 alone stays)
        ("玄武岩纖維，複合材料！", "玄武岩纤维 复合材料"),  # punctuation → space
        ("“富硒茶”（Se-rich）", "富硒茶 se-rich"),  # quotes and brackets removed, joiner kept
        ("C++与C#；Li-ion电池3.5V。", "c++与c# li-ion电池3.5v"),
        ("  多个   空格\t和\n换行 ", "多个 空格 和 换行"),
        ("", ""),
        (None, ""),
        ("哈代-温伯格平衡", "哈代 温伯格平衡"),  # dash between Chinese is not a joiner
    ],
)
def test_normalize_cases(raw: str | None, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_parts() -> None:
    assert to_halfwidth("Ｘ＝１") == "X=1"
    assert to_simplified("資訊") == "资讯"
    assert to_simplified("已经是简体") == "已经是简体"
    assert strip_punctuation("a,b") == "a b"
    assert normalize_text("锂，钾", keep_punctuation=True) == "锂,钾"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_idempotent_and_no_double_spaces(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "  " not in once
    assert once == once.strip()


def _reference_strip(text: str) -> str:
    """The original character-by-character rules, kept to check the fast path against."""
    import unicodedata

    def punct(ch: str) -> bool:
        cat = unicodedata.category(ch)
        return cat[0] in "PS" or cat in ("Cc", "Cf")

    def alnum(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if not punct(ch):
            out.append(ch)
            continue
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        keep = False
        if ch == ".":
            keep = prev.isascii() and prev.isdigit() and nxt.isascii() and nxt.isdigit()
        elif ch == "-":
            keep = alnum(prev) and alnum(nxt)
        elif ch in "+#":
            keep = (prev.isascii() and prev.isalpha()) or (prev in "+#" and bool(out) and out[-1] == prev)
        out.append(ch if keep else " ")
    return "".join(out)


@pytest.mark.parametrize(
    "text",
    ["c++与c#", "a+#+b", "+c++", "x#+#", "1.2.3", ".5-", "a-b-c", "--a", "f#.net", "3.5v-li-ion", "#+a++"],
)
def test_fast_strip_matches_reference_cases(text: str) -> None:
    assert strip_punctuation(text) == _reference_strip(text)


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab1.-+# ，。中文\u200b\x07％＋")) | st.characters(), max_size=40)
)
def test_fast_strip_matches_reference(text: str) -> None:
    assert strip_punctuation(text) == _reference_strip(text)
