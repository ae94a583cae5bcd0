from __future__ import annotations

from pathlib import Path

import pytest

from kechuang.engines.matching import FieldClassifier, MatchIndex
from kechuang.engines.matching.datasets import load_csl_records

from ._util import shared_data_or_skip

SAMPLE = [
    ("锂离子电池正极材料的制备与电化学性能", "材料科学与工程", "工学"),
    ("石墨烯复合负极材料的循环稳定性", "材料科学与工程", "工学"),
    ("玄武岩纤维增强复合材料的力学性能", "材料科学与工程", "工学"),
    ("富硒茶树栽培与茶叶品质", "作物学", "农学"),
    ("水稻品种的产量与抗病性", "作物学", "农学"),
    ("玉米种植密度对产量的影响", "作物学", "农学"),
    ("高血压患者的药物治疗效果", "临床医学", "医学"),
    ("糖尿病并发症的临床观察", "临床医学", "医学"),
    ("肺癌患者术后护理的临床研究", "临床医学", "医学"),
]


def _fit() -> FieldClassifier:
    texts, disc, cat = zip(*SAMPLE, strict=True)
    return FieldClassifier(min_df=1).fit(list(texts), list(disc), list(cat))


def test_train_predict_save_load(tmp_path: Path) -> None:
    clf = _fit()
    assert clf.disciplines == ["临床医学", "作物学", "材料科学与工程"]
    preds = clf.predict(["锂电池负极材料", "茶叶栽培", "高血压的临床治疗"])
    assert [p.discipline for p in preds] == ["材料科学与工程", "作物学", "临床医学"]
    assert [p.category for p in preds] == ["工学", "农学", "医学"]
    assert all(0 < p.discipline_score <= 1 and len(p.top_disciplines) == 3 for p in preds)
    clf.save(tmp_path / "clf.joblib")
    again = FieldClassifier.load(tmp_path / "clf.joblib")
    assert again.predict(["锂电池负极材料", "茶叶栽培"]) == clf.predict(["锂电池负极材料", "茶叶栽培"])
    assert clf.predict([]) == []


def test_category_only_model_and_errors() -> None:
    texts, disc, _ = zip(*SAMPLE, strict=True)
    clf = FieldClassifier(min_df=1).fit(
        list(texts), list(disc), None, category_only=[("稻米加工", "农学"), ("电池隔膜", "工学")]
    )
    assert clf.predict(["水稻产量"])[0].category == "农学"  # no discipline map: direct model decides
    with pytest.raises(RuntimeError):
        FieldClassifier().predict(["文本"])
    with pytest.raises(ValueError):
        FieldClassifier(min_df=1).fit(["一", "二"], ["甲"])
    with pytest.raises(ValueError):
        FieldClassifier(min_df=1).fit(["一", "二"], ["甲", "甲"])


def test_classifier_is_saved_with_the_index(tmp_path: Path) -> None:
    idx = MatchIndex(classifier=_fit())
    idx.add("x", "锂电池")
    idx.save(tmp_path / "idx")
    loaded = MatchIndex.load(tmp_path / "idx")
    assert loaded.classifier is not None
    assert loaded.classify("石墨烯负极材料").discipline == "材料科学与工程"
    with pytest.raises(RuntimeError):
        MatchIndex().classify("文本")


def test_on_shared_sample() -> None:
    data = shared_data_or_skip()
    records = load_csl_records(data)[:1200]
    train, test = records[:1000], records[1000:]
    clf = FieldClassifier().fit(
        [f"{r.title} {r.abstract}" for r in train], [r.discipline for r in train], [r.category for r in train]
    )
    preds = clf.predict([f"{r.title} {r.abstract}" for r in test])
    cat_acc = sum(p.category == r.category for p, r in zip(preds, test, strict=True)) / len(test)
    assert cat_acc > 0.5  # small sample; the full figures come from evaluate.py
