from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kechuang.engines.matchmaking import FieldClassifier, MatchIndex
from kechuang.engines.matchmaking.datasets import load_csl_records

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


def test_array_model_matches_scikit_learn() -> None:
    import scipy.sparse as sp

    from kechuang.engines.matchmaking.classifier import _fit_model, index_tokens
    from kechuang.engines.matchmaking.normalize import normalize_text

    texts, disc, _ = zip(*SAMPLE, strict=True)
    norm = [normalize_text(t) for t in texts]
    vec, svm = _fit_model(norm, list(disc), 0.5, 1, "bigram")
    clf = FieldClassifier(min_df=1).fit(list(texts), list(disc))
    probe = ["锂电池负极材料", "茶叶栽培", "高血压的临床治疗", "无关文本xyz"]
    want = svm.decision_function(vec.transform([normalize_text(t) for t in probe]))
    assert np.allclose(clf.decision_function(probe), want, atol=1e-4)
    model = clf.token_model()
    assert model is not None
    one = model.decision_from_tokens(index_tokens(normalize_text(probe[0])))
    assert np.allclose(one, want[0], atol=1e-4)
    # counts given as a matrix over the model's columns give the same values
    rows, cols, vals = [], [], []
    for i, t in enumerate(probe):
        for tok in index_tokens(normalize_text(t)):
            j = model.vocabulary.get(tok)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(1.0)
    counts = sp.csr_matrix((vals, (rows, cols)), shape=(len(probe), model.idf.size))
    assert np.allclose(model.decision_from_counts(counts), want, atol=1e-4)


def test_saved_file_is_plain_arrays_and_loads_without_scikit_learn(tmp_path: Path) -> None:
    import subprocess
    import sys

    clf = _fit()
    path = tmp_path / "clf.npz"
    clf.save(path)
    assert path.read_bytes()[:4] == b"PK\x03\x04"
    with np.load(path, allow_pickle=False) as z:  # no pickled objects inside
        assert "disc_coef_t" in z.files
    code = (
        "import sys\n"
        "from kechuang.engines.matchmaking import FieldClassifier\n"
        f"c = FieldClassifier.load({str(path)!r})\n"
        "p = c.predict(['锂电池负极材料'])[0]\n"
        "print(p.discipline, p.category, 'sklearn' in sys.modules)\n"
    )
    repo = Path(__file__).resolve().parents[4]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["材料科学与工程", "工学", "False"]


def test_char_analyzer_still_works(tmp_path: Path) -> None:
    texts, disc, cat = zip(*SAMPLE, strict=True)
    clf = FieldClassifier(min_df=1, analyzer="char").fit(list(texts), list(disc), list(cat))
    assert clf.token_model() is None
    assert clf.predict(["茶叶栽培"])[0].discipline == "作物学"
    clf.save(tmp_path / "c.joblib")
    again = FieldClassifier.load(tmp_path / "c.joblib")
    assert again.analyzer == "char" and again.predict(["茶叶栽培"]) == clf.predict(["茶叶栽培"])
    idx = MatchIndex(classifier=again)  # text path for the documents' fields
    idx.add_many([("t", "富硒茶树栽培"), ("m", "锂电池正极材料")])
    res = idx.search("茶树栽培技术", 2, field_weight=1.0)
    assert res[0].doc_id == "t" and "field" in res[0].parts
    with pytest.raises(ValueError):
        FieldClassifier(analyzer="word")


def test_field_agreement_reorders_by_predicted_discipline() -> None:
    idx = MatchIndex(classifier=_fit())
    idx.add_many(
        [
            ("mat", "复合材料的制备与性能 研究方法"),
            ("crop", "水稻种植 研究方法"),
            ("med", "临床患者 研究方法"),
        ]
    )
    plain = idx.search("研究方法", 3)
    assert "field" not in plain[0].parts
    res = idx.search("玉米产量 研究方法", 3, field_weight=2.0)
    assert res[0].doc_id == "crop"
    top = res[0]
    assert 0.0 <= top.parts["field"] <= 1.0
    assert sum(top.contributions.values()) == pytest.approx(top.score)
    assert top.contributions["field"] == pytest.approx(2.0 * top.parts["field"])
    assert "领域一致" in top.describe()
    # replacing the classifier re-classifies the documents at the next rebuild
    texts, disc, _ = zip(*SAMPLE, strict=True)
    idx.classifier = FieldClassifier(min_df=1).fit(list(texts), ["甲"] * 3 + ["乙"] * 6)
    idx.rebuild()
    assert set(idx.search("研究方法", 3, field_weight=1.0)[0].parts) >= {"field"}


def test_field_distributions_survive_save_and_load(tmp_path: Path) -> None:
    idx = MatchIndex(classifier=_fit())
    idx.add_many([("mat", "复合材料 研究"), ("crop", "水稻种植 研究"), ("med", "临床患者 研究")])
    before = idx.search("玉米 研究", 3, field_weight=2.0)
    idx.save(tmp_path / "idx")
    loaded = MatchIndex.load(tmp_path / "idx")
    assert loaded.search("玉米 研究", 3, field_weight=2.0) == before


def test_a_classifier_saved_under_the_engines_former_name_loads(tmp_path: Path) -> None:
    """An install's joblib classifier written when the engine was ``kechuang.engines.matching`` names
    :func:`index_tokens` under that package; it still loads after the rename (issue 12 item 6)."""
    import pickle
    import sys

    import joblib

    from kechuang.engines.matchmaking import classifier as module

    class FormerName(pickle.Pickler):
        def reducer_override(self, obj):
            if obj is module.index_tokens:
                return getattr, (_FormerModule(), "index_tokens")
            return NotImplemented

    class _FormerModule:
        def __reduce__(self):
            return __import__("importlib").import_module, (f"{module.FORMER_PACKAGE}.classifier",)

    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=module.index_tokens)
    state = {**_fit().to_state(), "vectorizer": vectorizer}
    path = tmp_path / "field_classifier.npz"
    with open(path, "wb") as fh:
        FormerName(fh, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    for name in (module.FORMER_PACKAGE, f"{module.FORMER_PACKAGE}.classifier"):
        sys.modules.pop(name, None)
    loaded = FieldClassifier.load(path)
    assert loaded.predict(["茶叶栽培"])[0].discipline == "作物学"
    assert joblib.load(path)["vectorizer"].analyzer is module.index_tokens
