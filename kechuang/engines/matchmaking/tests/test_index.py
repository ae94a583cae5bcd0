from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from kechuang.engines.matchmaking import FusionConfig, IndexConfig, MatchIndex, Segmenter

from ._util import DEMO_DOCS

QUERIES = [
    "玄武岩纤维复合材料",
    "富硒茶叶",
    "碳酸锂 卤水",
    "天然气 管道泄漏",
    "AGM隔板",
    "锂电池负极",
    "農產品追溯",
]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


@pytest.fixture
def index(segmenter: Segmenter) -> MatchIndex:
    idx = MatchIndex(segmenter=segmenter)
    idx.add_many(DEMO_DOCS.items())
    return idx


def test_search_ranks_and_explains(index: MatchIndex) -> None:
    res = index.search("玄武岩纤维复合材料", top_k=3)
    assert res[0].doc_id == "a1"
    top = res[0]
    assert top.rank == 1
    assert "玄武岩纤维" in top.matched_terms and "复合材料" in top.matched_terms
    assert set(top.parts) == {"bm25_word", "bm25_bigram"}
    assert top.parts["bm25_word"] > 0 and top.parts["bm25_bigram"] > 0
    assert sum(top.contributions.values()) == pytest.approx(top.score)
    exp = top.explanation()
    assert exp["matched_terms"] == list(top.matched_terms) and set(exp["parts"]) == {
        "bm25_word",
        "bm25_bigram",
    }
    assert "命中词：玄武岩纤维" in top.describe()
    assert [r.rank for r in res] == list(range(1, len(res) + 1))
    assert all(a.score >= b.score for a, b in zip(res, res[1:], strict=False))


def test_traditional_query_matches_simplified_doc(index: MatchIndex) -> None:
    assert index.search("農產品追溯", 1)[0].doc_id == 3


def test_bigram_rescues_segmentation_miss(segmenter: Segmenter) -> None:
    idx = MatchIndex(segmenter=segmenter)
    doc = "超细玻璃棉制备蓄电池隔板"
    idx.add_many([("agm", doc), ("tea", "茶园土壤硒含量调查")])
    query = "电池隔板"  # one dictionary word in the query; the document is cut 蓄电池 / 隔板
    assert segmenter.words(query, for_query=True) == ["电池隔板"]
    assert "电池隔板" not in segmenter.words(doc)
    assert idx.search(query, scorers=["bm25_word"]) == []
    res = idx.search(query)
    assert [r.doc_id for r in res] == ["agm"]
    assert res[0].parts["bm25_word"] == 0 and res[0].parts["bm25_bigram"] > 0
    assert res[0].matched_terms == ("电池隔板",)  # found in the text, so it can be highlighted


def test_single_character_query_matches_inside_words(segmenter: Segmenter) -> None:
    idx = MatchIndex(segmenter=segmenter)
    idx.add_many([("li", "富钾卤水中提取碳酸锂"), ("se", "茶园土壤硒含量调查")])
    assert [r.doc_id for r in idx.search("锂")] == ["li"]
    assert [r.doc_id for r in idx.search("硒")] == ["se"]


def test_no_match_gives_no_result(index: MatchIndex) -> None:
    assert index.search("量子引力弦论", 5) == []
    assert index.search("", 5) == []
    assert index.search("天然气", 0) == []
    assert MatchIndex().search("天然气") == []


def test_removed_doc_never_appears(index: MatchIndex) -> None:
    assert index.search("富硒茶")[0].doc_id == "a2"
    assert index.remove("a2") is True
    assert index.remove("a2") is False
    assert all(r.doc_id != "a2" for q in QUERIES + ["富硒茶"] for r in index.search(q, 10))
    with index.batch():
        index.remove(1)  # excluded at once, before the batch's rebuild
        assert all(r.doc_id != 1 for r in index.search("高含硫天然气净化", 10))
        index.upsert("new", "高含硫天然气净化新工艺")
    assert [r.doc_id for r in index.search("高含硫天然气净化", 10)][0] == "new"
    assert 1 not in index and "a2" not in index and len(index) == len(DEMO_DOCS) - 1


def test_random_operations_keep_results_consistent(segmenter: Segmenter) -> None:
    rng = random.Random(7)
    idx = MatchIndex(segmenter=segmenter)
    texts = list(DEMO_DOCS.values())
    alive: dict[int, str] = {}
    for _ in range(60):
        op = rng.random()
        key = rng.randrange(12)
        if op < 0.5:
            alive[key] = rng.choice(texts)
            idx.upsert(key, alive[key])
        else:
            idx.remove(key)
            alive.pop(key, None)
        for q in ("天然气", "锂", "茶", "纤维"):
            got = {r.doc_id for r in idx.search(q, 20)}
            assert got <= set(alive)
            want = {k for k, t in alive.items() if q in t}
            assert want <= got
    assert sorted(idx.ids()) == sorted(alive)


def test_ids_types_and_errors(index: MatchIndex) -> None:
    with pytest.raises(KeyError):
        index.add("a1", "重复")
    with pytest.raises(KeyError):
        index.update("missing", "不存在")
    with pytest.raises(TypeError):
        index.add(True, "布尔编号")
    with pytest.raises(TypeError):
        index.add(1.5, "浮点编号")  # type: ignore[arg-type]
    index.add("1", "字符串编号一号：天然气净化")
    ids = {r.doc_id for r in index.search("天然气净化", 10)}
    assert 1 in ids and "1" in ids
    index.update("a1", "富硒茶饮料")
    assert "a1" in {r.doc_id for r in index.search("富硒茶饮料", 3)}


def test_allowed_and_excluded_ids(index: MatchIndex) -> None:
    res = index.search("天然气", 10, allowed_ids=[1, "unknown"])
    assert [r.doc_id for r in res] == [1]
    res = index.search("天然气", 10, exclude_ids=[1])
    assert 1 not in {r.doc_id for r in res} and res
    assert index.search("天然气", 10, allowed_ids=[]) == []


def test_fields_and_boosts(segmenter: Segmenter) -> None:
    idx = MatchIndex(segmenter=segmenter)
    idx.add("t", {"title": "石墨烯导热膜", "abstract": "一种散热材料"})
    idx.add("b", {"title": "散热材料", "abstract": "含石墨烯导热膜的散热材料", "keywords": ["散热"]})
    assert idx.search("石墨烯导热膜", 2)[0].doc_id == "t"
    assert idx.get_fields("b")["keywords"] == "散热"


def test_rrf_fusion(index: MatchIndex) -> None:
    res = index.search("碳酸锂卤水", 3, fusion=FusionConfig(method="rrf"))
    assert res[0].doc_id == "a3"
    with pytest.raises(ValueError):
        FusionConfig(method="max")


def test_persist_load_round_trip(index: MatchIndex, tmp_path: Path, segmenter: Segmenter) -> None:
    index.remove("a5")
    before = {q: index.search(q, 5) for q in QUERIES}
    path = tmp_path / "idx"
    index.save(path)
    index.save(path)  # overwriting an existing index works
    loaded = MatchIndex.load(path, segmenter=segmenter)
    assert loaded.ids() == index.ids()
    assert {type(i) for i in loaded.ids()} == {str, int}
    after = {q: loaded.search(q, 5) for q in QUERIES}
    assert after == before
    assert loaded.config == index.config
    assert not list(tmp_path.glob(".idx.*"))  # no temporary folders left behind


def test_load_with_extended_dictionary_resegments(index: MatchIndex, tmp_path: Path) -> None:
    index.add("plum", "巴山脆李种植基地")
    index.save(tmp_path / "idx")
    extended = Segmenter(extra_words=["巴山脆李"])
    loaded = MatchIndex.load(tmp_path / "idx", segmenter=extended)
    res = loaded.search("巴山脆李", 1)
    assert res[0].doc_id == "plum" and res[0].parts["bm25_word"] > 0
    assert "巴山脆李" in res[0].matched_terms


def test_load_rejects_unknown_folder(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ValueError):
        MatchIndex.load(tmp_path)
    with pytest.raises(FileNotFoundError):
        MatchIndex.load(tmp_path / "none")


def test_search_while_updating_is_safe(segmenter: Segmenter) -> None:
    idx = MatchIndex(IndexConfig(), segmenter=segmenter)
    idx.add_many(
        (f"d{i}", f"{text} 编号{i}")
        for i in range(40)
        for text in [list(DEMO_DOCS.values())[i % len(DEMO_DOCS)]]
    )
    removed: set[str] = set()
    removed_lock = threading.Lock()
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer() -> None:
        try:
            for i in range(40):
                idx.remove(f"d{i}")
                with removed_lock:
                    removed.add(f"d{i}")
                idx.upsert(f"n{i}", "新增成果：天然气锂电池茶叶纤维")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            stop.set()

    def reader() -> None:
        try:
            while not stop.is_set():
                with removed_lock:
                    gone = set(removed)
                for q in ("天然气", "锂电池", "茶叶", "纤维"):
                    for r in idx.search(q, 50):
                        assert r.doc_id not in gone, r.doc_id
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:1]
    assert all(str(r.doc_id).startswith("n") for r in idx.search("天然气", 100))
