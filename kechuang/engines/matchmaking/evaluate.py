"""Evaluation of the matching core on the shared CSL data: quality, classifier, speed.

Run: ``python -m kechuang.engines.matchmaking.evaluate [--data DIR] [--seed N] [--limit N] [--tune]``
(the benchmark of issue 4, engine against a baseline, is ``bench.py``). The last line printed is one
JSON object.

What is measured:

1. **Known item** — the corpus is every record's abstract; each record's keywords (joined by
   spaces; also, separately, its title) are a query whose one relevant document is that
   record's abstract. MRR@10, Recall@1 and Recall@10 for word BM25 alone (the baseline: plain
   single-field keyword BM25), bigram BM25 alone, the default fusion, and RRF.
   ``fusion_vs_word_mrr`` is fusion MRR@10 / word-BM25 MRR@10.
2. **Field relevance** — held-out records' titles are queries, relevant documents are the other
   records of the same discipline (the query itself excluded); P@10 and nDCG@10 for word BM25,
   fusion, and fusion re-ranked with field agreement where both sides' disciplines come from
   the classifier (trained on CSLDCP only, so the corpus labels stay hidden from the engine).
3. **Classifier** — discipline and category accuracy on a held-out 20 % of the CSL records
   (split by ``--seed``), trained on the rest plus CSLDCP (overlapping abstracts removed); both
   on full text (title + keywords + abstract) and on the title alone.
4. **Speed** — index build time (segmentation + both BM25 indexes), rebuild time alone, query
   latency p50/p95 (fusion, one thread), peak resident memory.

``--tune`` additionally grid-searches fusion weights and RRF ``k`` on a tuning set disjoint
from the evaluation queries (FewCLUE genuine keyword sets → their abstracts, against the CSL
abstracts as distractors) and prints the best settings.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from .classifier import FieldClassifier
from .datasets import (
    CslRecord,
    find_shared_data,
    load_csl_records,
    load_csldcp,
    load_keyword_pairs,
)
from .fusion import DEFAULT_FUSION, FusionConfig
from .index import DocId, IndexConfig, MatchIndex
from .rerank import CandidateFeatures, QueryContext, RerankWeights, rerank
from .segment import Segmenter

__all__ = ["main", "known_item", "field_relevance"]

SearchFn = Callable[[str], list[Any]]


def _log(msg: str) -> None:
    print(msg, flush=True)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def known_item(
    index: MatchIndex,
    queries: Sequence[tuple[str, Any]],
    *,
    scorers: Sequence[str] | None = None,
    fusion: FusionConfig | None = None,
    k: int = 10,
) -> dict[str, float]:
    """Known-item retrieval quality.

    Inputs: ``index``; ``queries`` as ``(query_text, relevant_id)``; scorer subset / fusion
    override passed to :meth:`MatchIndex.search`; cut-off ``k``.
    Output: ``{"mrr_at_10", "recall_at_1", "recall_at_10", "query_ms_p50", "query_ms_p95"}``
    (recall and MRR in ``[0, 1]``, latency in milliseconds per query).
    """
    rr: list[float] = []
    times: list[float] = []
    hit1 = 0
    for text, target in queries:
        t0 = time.perf_counter()
        res = index.search(text, k, scorers=scorers, fusion=fusion)
        times.append(time.perf_counter() - t0)
        ids = [r.doc_id for r in res]
        if target in ids:
            pos = ids.index(target)
            rr.append(1.0 / (pos + 1))
            hit1 += pos == 0
        else:
            rr.append(0.0)
    n = max(1, len(queries))
    return {
        "mrr_at_10": round(float(np.mean(rr)) if rr else 0.0, 4),
        "recall_at_1": round(hit1 / n, 4),
        "recall_at_10": round(sum(1 for x in rr if x > 0) / n, 4),
        "query_ms_p50": round(float(np.percentile(times, 50)) * 1000, 3) if times else 0.0,
        "query_ms_p95": round(float(np.percentile(times, 95)) * 1000, 3) if times else 0.0,
    }


def field_relevance(
    ranked_ids: Sequence[Sequence[Any]],
    query_labels: Sequence[str],
    doc_label: dict[Any, str],
    n_relevant: Sequence[int],
    k: int = 10,
) -> dict[str, float]:
    """P@k and nDCG@k with binary relevance "same discipline".

    Inputs: per query the ranked doc ids, its true label, the true label of every doc, and the
    number of relevant docs in the corpus for that query (for the ideal DCG).
    Output: ``{"p_at_10", "ndcg_at_10"}`` means over queries.
    """
    ps: list[float] = []
    nd: list[float] = []
    for ids, label, nrel in zip(ranked_ids, query_labels, n_relevant, strict=True):
        rel = [1.0 if doc_label.get(i) == label else 0.0 for i in list(ids)[:k]]
        ps.append(sum(rel) / k)
        dcg = sum(r / math.log2(j + 2) for j, r in enumerate(rel))
        idcg = sum(1.0 / math.log2(j + 2) for j in range(min(k, nrel)))
        nd.append(dcg / idcg if idcg > 0 else 0.0)
    return {"p_at_10": round(float(np.mean(ps)), 4), "ndcg_at_10": round(float(np.mean(nd)), 4)}


def _full_text(r: CslRecord) -> str:
    return f"{r.title} {' '.join(r.keywords)} {r.abstract}"


def _split(
    records: Sequence[CslRecord], seed: int, frac: float = 0.2
) -> tuple[list[CslRecord], list[CslRecord]]:
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    n_test = max(1, int(len(records) * frac))
    test = [records[i] for i in order[:n_test]]
    train = [records[i] for i in order[n_test:]]
    return train, test


def _build(
    records: Sequence[CslRecord], segmenter: Segmenter, config: IndexConfig
) -> tuple[MatchIndex, float]:
    index = MatchIndex(config, segmenter=segmenter)
    t0 = time.perf_counter()
    index.add_many((r.id, r.abstract) for r in records)
    return index, time.perf_counter() - t0


def _tune(
    data_dir: Any, records: Sequence[CslRecord], segmenter: Segmenter, config: IndexConfig
) -> dict[str, Any]:
    pairs = load_keyword_pairs(data_dir, genuine_only=True)
    index = MatchIndex(config, segmenter=segmenter)
    seen = {r.abstract for r in records}
    with index.batch():
        for r in records:
            index.upsert(r.id, r.abstract)
        queries = []
        for i, (abstract, kws) in enumerate(pairs):
            if abstract in seen:
                continue
            seen.add(abstract)
            index.upsert(f"kw-{i}", abstract)
            queries.append((" ".join(kws), f"kw-{i}"))
    grid: list[FusionConfig] = []
    for w in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
        grid.append(
            FusionConfig(method="weighted", weights={"bm25_word": w, "bm25_bigram": 1.0 - w, "dense": 0.5})
        )
    for kk in (10.0, 30.0, 60.0):
        for w in (0.4, 0.5, 0.6):
            grid.append(
                FusionConfig(
                    method="rrf", weights={"bm25_word": w, "bm25_bigram": 1.0 - w, "dense": 0.5}, rrf_k=kk
                )
            )
    rows = []
    for cfg in grid:
        m = known_item(index, queries, fusion=cfg)
        rows.append((m["mrr_at_10"], m["recall_at_10"], cfg))
        _log(
            f"  tune {cfg.method:8s} word={cfg.weights['bm25_word']:.1f} k={cfg.rrf_k:4.0f}: MRR@10 {m['mrr_at_10']:.4f} R@10 {m['recall_at_10']:.4f}"
        )
    best = max(rows, key=lambda t: (t[0], t[1]))
    return {"n_tune_queries": len(queries), "best": best[2].to_dict(), "best_mrr_at_10": best[0]}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; print a report whose last line is one JSON object.

    Input: command-line arguments (see ``--help``). Output: exit status 0 on success, 2 when the
    shared data cannot be found.
    """
    ap = argparse.ArgumentParser(prog="kechuang bench matchmaking", description="匹配引擎评测（CSL 共享数据）")
    ap.add_argument("--data", help="shared data folder (default: auto-detected shared/data)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the held-out split (default 0)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N records (0 = all)")
    ap.add_argument("--mode", choices=("mixed", "search", "default"), default=None, help="segmentation mode")
    ap.add_argument("--tune", action="store_true", help="grid-search fusion settings on the tuning set")
    ap.add_argument(
        "--no-classifier", action="store_true", help="skip classifier training and field relevance"
    )
    args = ap.parse_args(list(argv) if argv is not None else None)

    data_dir = find_shared_data(args.data)
    if data_dir is None:
        print("找不到共享数据目录（shared/data）；请用 --data 指定", file=sys.stderr)
        print(json.dumps({"error": "shared data not found"}))
        return 2
    records = load_csl_records(data_dir)
    if args.limit:
        records = records[: args.limit]
    segmenter = Segmenter(mode=args.mode) if args.mode else Segmenter()
    config = IndexConfig()
    _log(f"数据：{data_dir}，{len(records)} 条记录，分词模式 {segmenter.mode}")

    out: dict[str, Any] = {"n_corpus": len(records), "n_queries": len(records), "seed": args.seed}

    # -- 1. known item ----------------------------------------------------------------------------
    index, build_s = _build(records, segmenter, config)
    rebuild_s = index.rebuild()
    out["build_s"] = round(build_s, 3)
    out["rebuild_s"] = round(rebuild_s, 3)
    out["build_docs_per_s"] = round(len(records) / build_s, 1) if build_s > 0 else 0.0
    _log(f"建索引 {build_s:.2f} s（{out['build_docs_per_s']} 条/秒），仅重建 BM25 {rebuild_s:.2f} s")

    rrf = replace(DEFAULT_FUSION, method="rrf")
    methods: dict[str, dict[str, Any]] = {
        "bm25_word": {"scorers": ["bm25_word"]},
        "bm25_bigram": {"scorers": ["bm25_bigram"]},
        "fusion": {},
        "fusion_rrf": {"fusion": rrf},
    }
    for qname, qfn in (("keywords", lambda r: " ".join(r.keywords)), ("title", lambda r: r.title)):
        queries = [(qfn(r), r.id) for r in records if qfn(r).strip()]
        block: dict[str, Any] = {}
        for mname, kw in methods.items():
            m = known_item(index, queries, **kw)
            block[mname] = m
            _log(
                f"已知项（{qname}→摘要）{mname:12s} MRR@10 {m['mrr_at_10']:.4f}  R@1 {m['recall_at_1']:.4f}  "
                f"R@10 {m['recall_at_10']:.4f}  p50 {m['query_ms_p50']:.2f} ms  p95 {m['query_ms_p95']:.2f} ms"
            )
        word = block["bm25_word"]["mrr_at_10"]
        block["fusion_vs_word_mrr"] = round(block["fusion"]["mrr_at_10"] / word, 4) if word else None
        out[f"known_item_{qname}"] = block
    kw_block = out["known_item_keywords"]
    out["known_item_recall_at_1"] = kw_block["fusion"]["recall_at_1"]
    out["known_item_mrr_at_10"] = kw_block["fusion"]["mrr_at_10"]
    out["fusion_vs_word_mrr"] = kw_block["fusion_vs_word_mrr"]
    out["query_ms_p50"] = kw_block["fusion"]["query_ms_p50"]
    out["query_ms_p95"] = kw_block["fusion"]["query_ms_p95"]

    # -- 2./3. classifier and field relevance -------------------------------------------------------------
    if not args.no_classifier:
        train, test = _split(records, args.seed)
        test_abstracts = {r.abstract for r in test}
        dcp = [(a, d) for a, d in load_csldcp(data_dir) if a not in test_abstracts]
        t0 = time.perf_counter()
        clf = FieldClassifier().fit(
            [_full_text(r) for r in train] + [a for a, _ in dcp],
            [r.discipline for r in train] + [d for _, d in dcp],
            [r.category for r in train] + [None] * len(dcp),
        )
        train_s = time.perf_counter() - t0
        preds = clf.predict([_full_text(r) for r in test])
        tpreds = clf.predict([r.title for r in test])
        cls = {
            "n_train": len(train) + len(dcp),
            "n_test": len(test),
            "train_s": round(train_s, 2),
            "discipline_accuracy": round(
                float(np.mean([p.discipline == r.discipline for p, r in zip(preds, test, strict=True)])), 4
            ),
            "category_accuracy": round(
                float(np.mean([p.category == r.category for p, r in zip(preds, test, strict=True)])), 4
            ),
            "discipline_accuracy_title_only": round(
                float(np.mean([p.discipline == r.discipline for p, r in zip(tpreds, test, strict=True)])), 4
            ),
            "category_accuracy_title_only": round(
                float(np.mean([p.category == r.category for p, r in zip(tpreds, test, strict=True)])), 4
            ),
        }
        out["classifier"] = cls
        _log(
            f"分类器：学科准确率 {cls['discipline_accuracy']:.4f}，门类准确率 {cls['category_accuracy']:.4f}"
            f"（仅标题：{cls['discipline_accuracy_title_only']:.4f} / {cls['category_accuracy_title_only']:.4f}），"
            f"训练 {cls['train_s']} s，训练集 {cls['n_train']}，测试集 {cls['n_test']}"
        )

        # field relevance: classifier trained on CSLDCP only (corpus labels hidden)
        corpus_abstracts = {r.abstract for r in records}
        blind = FieldClassifier().fit(
            *zip(*[(a, d) for a, d in load_csldcp(data_dir) if a not in corpus_abstracts], strict=True)
        )
        doc_pred = dict(
            zip([r.id for r in records], blind.predict([r.abstract for r in records]), strict=True)
        )
        feats: dict[DocId, CandidateFeatures] = {
            i: CandidateFeatures(disciplines=(p.discipline,), categories=(p.category,) if p.category else ())
            for i, p in doc_pred.items()
        }
        doc_label = {r.id: r.discipline for r in records}
        count: dict[str, int] = {}
        for r in records:
            count[r.discipline] = count.get(r.discipline, 0) + 1
        nrel = [count[r.discipline] - 1 for r in test]
        labels = [r.discipline for r in test]
        field_weights = RerankWeights(field_agreement=1.0, trl_fit=0.0, region=0.0, freshness=0.0)
        ranked: dict[str, list[list[Any]]] = {"bm25_word": [], "fusion": [], "fusion_field_rerank": []}
        qpreds = blind.predict([r.title for r in test])
        for r, qp in zip(test, qpreds, strict=True):
            ranked["bm25_word"].append(
                [x.doc_id for x in index.search(r.title, 10, exclude_ids=[r.id], scorers=["bm25_word"])]
            )
            res = index.search(r.title, 100, exclude_ids=[r.id])
            ranked["fusion"].append([x.doc_id for x in res[:10]])
            ctx = QueryContext(disciplines=(qp.discipline,), categories=(qp.category,) if qp.category else ())
            ranked["fusion_field_rerank"].append(
                [m.doc_id for m in rerank(res, feats, ctx, weights=field_weights, top_k=10)]
            )
        fr: dict[str, Any] = {name: field_relevance(ids, labels, doc_label, nrel) for name, ids in ranked.items()}
        base_p = fr["bm25_word"]["p_at_10"]
        fr["rerank_vs_word_p_at_10"] = (
            round(fr["fusion_field_rerank"]["p_at_10"] / base_p, 4) if base_p else None
        )
        fr["blind_classifier_train_n"] = sum(1 for a, _ in load_csldcp(data_dir) if a not in corpus_abstracts)
        out["field_relevance"] = fr
        out["field_p_at_10"] = fr["fusion_field_rerank"]["p_at_10"]
        out["field_ndcg_at_10"] = fr["fusion_field_rerank"]["ndcg_at_10"]
        for name in ("bm25_word", "fusion", "fusion_field_rerank"):
            _log(
                f"领域相关（标题→同学科）{name:20s} P@10 {fr[name]['p_at_10']:.4f}  nDCG@10 {fr[name]['ndcg_at_10']:.4f}"
            )

    if args.tune:
        _log("调参（FewCLUE 真实关键词 → 摘要）：")
        out["tuning"] = _tune(data_dir, records, segmenter, config)
        _log(f"最优：{out['tuning']['best']}，MRR@10 {out['tuning']['best_mrr_at_10']}")

    out["fusion_config"] = config.fusion.to_dict()
    out["segmentation_mode"] = segmenter.mode
    out["rss_mib"] = round(_rss_mib(), 1)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
