from __future__ import annotations

from pathlib import Path

import pytest

from kechuang.engines.matchmaking.segment import (
    Segmenter,
    char_bigrams,
    default_dictionary_path,
    prune_contained,
    read_dictionary,
)


def test_domain_dictionary_changes_segmentation() -> None:
    text = "玄武岩纤维增强复合材料与富硒茶，锂钾资源"
    plain = Segmenter(use_default_dictionary=False).words(text)
    domain = Segmenter().words(text)
    assert "玄武岩纤维" not in plain and "富硒茶" not in plain
    assert "玄武岩纤维" in domain and "富硒茶" in domain and "锂钾" in domain


def test_shipped_dictionary_is_seeded_with_reference_industries() -> None:
    words = {e.word for e in read_dictionary(default_dictionary_path())}
    for term in (
        "天然气",
        "锂钾",
        "玄武岩纤维",
        "微玻纤",
        "新能源材料",
        "先进碳材料",
        "人工智能",
        "富硒茶",
        "农产品加工",
    ):
        assert term in words


def test_staff_dictionary_file_and_runtime_words(tmp_path: Path) -> None:
    extra = tmp_path / "staff.txt"
    extra.write_text("# 员工补充词\n巴山脆李 10 n\n达州乌梅\n", encoding="utf-8")
    base = Segmenter()
    seg = Segmenter(extra_dictionaries=[extra])
    assert "巴山脆李" not in base.words("巴山脆李种植")
    assert "巴山脆李" in seg.words("巴山脆李种植")
    assert seg.fingerprint != base.fingerprint
    seg.add_words(["秦巴山区特色"])
    assert "秦巴山区特色" in seg.words("秦巴山区特色产业")


def test_bad_dictionary_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("词语 -3 n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="frequency"):
        read_dictionary(bad)


def test_stopwords_and_punctuation_removed() -> None:
    words = Segmenter().words("本文研究了天然气的净化，结果表明：效果好。")
    assert "的" not in words and "本文" not in words and "，" not in words
    assert "天然气" in words
    assert Segmenter(stopwords=[]).words("天然气的净化").count("的") == 1


def test_traditional_text_segments_like_simplified() -> None:
    seg = Segmenter()
    assert seg.words("玄武岩纖維複合材料") == seg.words("玄武岩纤维复合材料")


def test_bigrams() -> None:
    assert char_bigrams("玄武岩") == ["玄武", "武岩"]
    assert char_bigrams("锂 agm隔板 3.5v") == ["锂", "agm", "隔板", "3.5v"]
    assert char_bigrams("") == []


def test_prune_contained() -> None:
    assert prune_contained(["纤维", "玄武岩纤维", "硒", "纤维"]) == ["玄武岩纤维", "硒"]


def test_word_filter_cache_gives_the_same_words(monkeypatch) -> None:
    from kechuang.engines.matchmaking import segment

    text = "本文研究了天然气的净化，结果表明：效果好。锂电池 the 3.5v"
    seg = Segmenter()
    first = seg.words(text)
    assert seg.words(text) == first  # served from the cache
    monkeypatch.setattr(segment, "_KEEP_CACHE_MAX", 2)  # cache keeps being cleared
    fresh = Segmenter()
    assert fresh.words(text) == first and fresh.words(text) == first
    assert "的" not in first and "，" not in first and "天然气" in first
