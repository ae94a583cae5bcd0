"""Benchmark of the matching engine against a plain BM25 baseline: quality, latency, build speed, memory.

Run::

    kechuang bench matchmaking --corpus FILE [--queries FILE] [--scale N] [--seed S]
    python -m kechuang.engines.matchmaking.bench --corpus /work/shared/data/csl/csl_records.jsonl

Input: JSONL records with ``id``, ``title``, ``abstract``, ``keywords`` (list, or one string
split on ``_ ; ，,``) and ``discipline``, as ``shared/data/csl/csl_records.jsonl``.

Protocol
--------
* **Split.** With ``--queries``, those records are the queries. Without it, the corpus file is
  split deterministically: the records are shuffled with ``random.Random(seed)`` and the first
  ``n // 5`` (1 in 5) are the queries. Either way **the index holds every corpus record and every
  query record** (ids de-duplicated), so both tasks are well defined on one index:
* **(a) known item** — query: the record's keywords joined by spaces; the one relevant document
  is the record itself. Keywords are *not indexed* (documents are title + abstract), otherwise
  the task would be a lookup of the query text. Recall@1 and MRR@10.
* **(b) field relevance** — query: the record's title; relevant: every other indexed record of
  the same discipline; the query record itself is excluded from the results (other query
  records stay in the index as ordinary documents). P@10 and nDCG@10 (binary relevance, ideal
  DCG from the number of relevant records).
* **Labels hidden.** The processes that build and search the indexes receive only ``id``,
  ``title``, ``abstract`` (documents) and ``keywords``/``title`` (queries); disciplines are
  used only here, to score the returned rankings. The engine's field classifier is trained on
  *other* labelled data — FewCLUE CSLDCP abstracts with their disciplines (``--train-data``,
  default the shared data folder) — after removing every training text whose normalised form
  equals a title or abstract of the corpus or queries.
* **(c) speed** — each system runs in its own child process with ``OMP/OPENBLAS/MKL/...
  _NUM_THREADS=1`` (one core), one after the other: index build time over the documents
  streamed from a file (engine: normalise, segment, both BM25 indexes, document disciplines;
  baseline: jieba + ``BM25Okapi``) → ``build_docs_per_s``; latency of every query of both tasks
  (p50/p95, ms; one warm-up query first); peak resident memory of the process (``VmHWM``, MiB).
* **Engine**: :class:`~.index.MatchIndex` with its defaults (word + bigram BM25, weighted
  fusion); known item with ``field_weight=0``, field relevance with
  ``field_weight=RELATED_FIELD_WEIGHT`` (soft field agreement from the classifier).
* **Baseline**: ``rank_bm25.BM25Okapi`` (defaults k1 1.5, b 0.75) over ``jieba.lcut`` tokens
  of title + abstract (no domain dictionary, whitespace tokens dropped); the same queries and
  exclusions; documents with score 0 are not returned.
* ``--scale N`` grows the document set to ``N`` with generated records (ids ``gen-…``,
  ``"generated": true``): each abstract has as many sentences as a random corpus abstract,
  drawn at random from all corpus abstracts, each title the first half of one corpus title joined to the second half of
  another. They are used **for the speed figures only**: quality comes from the index over
  the real records; the speed run indexes real + generated records and times the same
  queries (the baseline, whose queries scan every document in Python, on the first
  ``--baseline-queries`` queries, 100 by default above 20,000 documents). Quality figures of
  the engine on the grown index are reported under ``at_scale`` (generated records count as
  not relevant).

The last line printed is one JSON object: ``known_item_recall_at_1``, ``known_item_mrr_at_10``,
``field_p_at_10``, ``field_ndcg_at_10``, ``query_ms_p50``, ``query_ms_p95``,
``build_docs_per_s``, ``rss_mib``, ``n_corpus`` (documents indexed for quality), ``n_queries``
and more, with ``baseline`` holding the same keys for the baseline, and ``ratios`` / ``targets``
comparing the two (targets of issue 4).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BenchRecord",
    "field_metrics",
    "generate_records",
    "known_item_metrics",
    "main",
    "read_records",
    "split_queries",
]

#: Environment of the child processes: one thread for every numeric library.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}

K = 10
_KEYWORD_SPLIT_RE = re.compile(r"[_;；,，]+")
_SENTENCE_RE = re.compile(r"[^。！？；!?;]+?(?:[。！？；!?;]|\.(?!\d)|$)")


def _log(msg: str) -> None:
    print(msg, flush=True)


# -- data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchRecord:
    """One benchmark record (``keywords`` as a tuple; ``discipline`` may be empty for queries-only use)."""

    id: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    discipline: str


def _keywords(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(k.strip() for k in _KEYWORD_SPLIT_RE.split(value) if k.strip())
    return tuple(str(k).strip() for k in value if str(k).strip())


def read_records(path: str | Path) -> list[BenchRecord]:
    """Read a JSONL file of records.

    Input: a path; each non-blank line a JSON object with ``id`` and at least one of
    ``title``/``abstract``; ``keywords`` and ``discipline`` optional. Output: records in file
    order, the first of each id kept. Errors: ``OSError``; ``ValueError`` naming the line when a
    line is not a JSON object with an ``id``.
    """
    out: list[BenchRecord] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or obj.get("id") in (None, ""):
                raise ValueError(f"{path}:{lineno}: a record needs an id")
            rid = str(obj["id"])
            if rid in seen:
                continue
            seen.add(rid)
            out.append(
                BenchRecord(
                    id=rid,
                    title=str(obj.get("title") or ""),
                    abstract=str(obj.get("abstract") or ""),
                    keywords=_keywords(obj.get("keywords")),
                    discipline=str(obj.get("discipline") or ""),
                )
            )
    return out


def split_queries(records: Sequence[BenchRecord], seed: int, fraction: float = 0.2) -> list[BenchRecord]:
    """The query records of a deterministic split: the first ``int(n × fraction)`` after a seeded shuffle.

    Output: those records in file order (every record stays in the index; see the module docstring).
    """
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    chosen = set(order[: int(len(records) * fraction)])
    return [r for i, r in enumerate(records) if i in chosen]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(text) if len(s.strip()) >= 4]


def generate_records(records: Sequence[BenchRecord], count: int, seed: int) -> Iterator[dict[str, Any]]:
    """``count`` generated documents recombined from ``records`` (deterministic for a seed).

    Each: ``{"id": "gen-000001", "title", "abstract", "generated": True}`` — the title joins the
    first half of one real title to the second half of another; the abstract is as many
    sentences as a randomly chosen real abstract has, each drawn at random from all real
    abstracts (so lengths follow the real distribution).
    """
    rng = random.Random(seed * 1_000_003 + 17)
    split = [_sentences(r.abstract) for r in records]
    pool = [s for sents in split for s in sents] or ["生成文本。"]
    lengths = [len(sents) for sents in split if sents] or [3]
    titles = [r.title for r in records if r.title] or ["生成标题"]
    for i in range(1, count + 1):
        a, b = rng.choice(titles), rng.choice(titles)
        title = a[: max(1, len(a) // 2)] + b[len(b) // 2 :]
        abstract = "".join(rng.choice(pool) for _ in range(rng.choice(lengths)))
        yield {"id": f"gen-{i:06d}", "title": title, "abstract": abstract, "generated": True}


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def _read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# -- metrics ------------------------------------------------------------------------------------


def known_item_metrics(
    rankings: Sequence[Sequence[str]], targets: Sequence[str], k: int = K
) -> dict[str, float]:
    """Recall@1 and MRR@k of known-item rankings (one relevant id per query).

    Output: ``{"recall_at_1", "mrr_at_10"}`` (0 for no queries).
    """
    if not targets:
        return {"recall_at_1": 0.0, "mrr_at_10": 0.0}
    rr = 0.0
    hit1 = 0
    for ids, target in zip(rankings, targets, strict=True):
        top = list(ids)[:k]
        if target in top:
            pos = top.index(target)
            rr += 1.0 / (pos + 1)
            hit1 += pos == 0
    n = len(targets)
    return {"recall_at_1": round(hit1 / n, 4), "mrr_at_10": round(rr / n, 4)}


def field_metrics(
    rankings: Sequence[Sequence[str]],
    query_labels: Sequence[str],
    doc_label: dict[str, str],
    n_relevant: Sequence[int],
    k: int = K,
) -> dict[str, float]:
    """P@k and nDCG@k with binary relevance "same label" (unknown ids are not relevant).

    Inputs: per query its ranking, label and number of relevant documents in the index.
    Output: ``{"p_at_10", "ndcg_at_10"}`` means (0 for no queries).
    """
    if not query_labels:
        return {"p_at_10": 0.0, "ndcg_at_10": 0.0}
    ps = 0.0
    nd = 0.0
    for ids, label, nrel in zip(rankings, query_labels, n_relevant, strict=True):
        rel = [1.0 if doc_label.get(i) == label else 0.0 for i in list(ids)[:k]]
        ps += sum(rel) / k
        dcg = sum(r / math.log2(j + 2) for j, r in enumerate(rel))
        idcg = sum(1.0 / math.log2(j + 2) for j in range(min(k, nrel)))
        nd += dcg / idcg if idcg > 0 else 0.0
    n = len(query_labels)
    return {"p_at_10": round(ps / n, 4), "ndcg_at_10": round(nd / n, 4)}


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    pos = (len(s) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def _median(values: Sequence[float]) -> float:
    return _percentile(values, 50.0)


# -- child processes ----------------------------------------------------------------------------


def _rss() -> tuple[float, float]:
    """(peak, current) resident memory of this process in MiB."""
    peak = cur = 0.0
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024.0
                elif line.startswith("VmRSS:"):
                    cur = int(line.split()[1]) / 1024.0
    except OSError:  # pragma: no cover - not Linux
        import resource

        peak = cur = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return round(peak, 1), round(cur, 1)


def _queries(spec: dict[str, Any]) -> list[dict[str, Any]]:
    qs = list(_read_jsonl(spec["queries"]))
    limit = spec.get("query_limit")
    return qs[:limit] if limit else qs


def _run_engine(spec: dict[str, Any]) -> dict[str, Any]:
    from .classifier import FieldClassifier
    from .index import RELATED_FIELD_WEIGHT, MatchIndex

    clf = FieldClassifier.load(spec["classifier"]) if spec.get("classifier") else None
    index = MatchIndex(classifier=clf)
    docs = (
        (d["id"], {"title": d.get("title", ""), "abstract": d.get("abstract", "")})
        for d in _read_jsonl(spec["docs"])
    )
    t0 = time.perf_counter()
    n_docs = index.add_many(docs)
    build_s = time.perf_counter() - t0
    queries = _queries(spec)
    weight = RELATED_FIELD_WEIGHT if clf is not None else 0.0
    if queries:  # warm-up (lazy tables), not timed
        index.search(queries[0]["title"] or queries[0]["keywords"], K, field_weight=weight)
    out: dict[str, Any] = {"known_item": [], "field": [], "ms_known_item": [], "ms_field": []}
    for q in queries:
        if q["keywords"]:
            t = time.perf_counter()
            res = index.search(q["keywords"], K, field_weight=0.0)
            out["ms_known_item"].append((time.perf_counter() - t) * 1000)
            out["known_item"].append([r.doc_id for r in res])
        if q["title"]:
            t = time.perf_counter()
            res = index.search(q["title"], K, exclude_ids=[q["id"]], field_weight=weight)
            out["ms_field"].append((time.perf_counter() - t) * 1000)
            out["field"].append([r.doc_id for r in res])
    out.update(
        n_docs=n_docs,
        build_s=build_s,
        field_weight=weight,
        index_stats=index.stats(),
        rss=_rss(),
    )
    return out


def _run_baseline(spec: dict[str, Any]) -> dict[str, Any]:
    import jieba
    import numpy as np
    from rank_bm25 import BM25Okapi

    jieba.setLogLevel(60)
    jieba.initialize()  # load the dictionary before timing (the engine's segmenter is also ready)

    def tokens(text: str) -> list[str]:
        return [t for t in jieba.lcut(text) if t.strip()]

    ids: list[str] = []

    def corpus() -> Iterator[list[str]]:
        for d in _read_jsonl(spec["docs"]):
            ids.append(str(d["id"]))
            yield tokens(f"{d.get('title', '')} {d.get('abstract', '')}")

    t0 = time.perf_counter()
    bm = BM25Okapi(corpus())
    build_s = time.perf_counter() - t0
    row = {i: r for r, i in enumerate(ids)}

    def search(text: str, exclude: str | None = None) -> list[str]:
        scores = bm.get_scores(tokens(text))
        if exclude is not None and exclude in row:
            scores[row[exclude]] = 0.0
        cand = np.flatnonzero(scores > 0)
        if cand.size > K:
            cand = cand[np.argpartition(-scores[cand], K - 1)[:K]]
        cand = cand[np.lexsort((cand, -scores[cand]))]
        return [ids[int(r)] for r in cand]

    queries = _queries(spec)
    if queries:
        search(queries[0]["title"] or queries[0]["keywords"])
    out: dict[str, Any] = {"known_item": [], "field": [], "ms_known_item": [], "ms_field": []}
    for q in queries:
        if q["keywords"]:
            t = time.perf_counter()
            res = search(q["keywords"])
            out["ms_known_item"].append((time.perf_counter() - t) * 1000)
            out["known_item"].append(res)
        if q["title"]:
            t = time.perf_counter()
            res = search(q["title"], q["id"])
            out["ms_field"].append((time.perf_counter() - t) * 1000)
            out["field"].append(res)
    out.update(n_docs=len(ids), build_s=build_s, rss=_rss())
    return out


def _worker(spec_path: str) -> int:
    with open(spec_path, encoding="utf-8") as fh:
        spec = json.load(fh)
    result = _run_engine(spec) if spec["system"] == "engine" else _run_baseline(spec)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _spawn(spec: dict[str, Any], workdir: Path, name: str) -> dict[str, Any]:
    spec_path = workdir / f"{name}.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env.update(THREAD_ENV)
    root = str(Path(__file__).resolve().parents[3])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "kechuang.engines.matchmaking.bench", "--worker", str(spec_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise RuntimeError(f"benchmark process {name} failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - t0
    return result


# -- classifier ---------------------------------------------------------------------------------


def _key(text: str) -> str:
    from .normalize import normalize_text

    return normalize_text(text).replace(" ", "")


def train_field_classifier(train_dir: Path, records: Sequence[BenchRecord], out_path: Path) -> dict[str, Any]:
    """Train the discipline classifier on CSLDCP, minus every text equal to a benchmark title/abstract.

    Output: facts for the report (``n_train``, ``n_excluded``, ``train_s``, ``source``).
    Errors: ``FileNotFoundError`` when the training file is missing.
    """
    from .classifier import FieldClassifier
    from .datasets import load_csldcp

    held = {_key(t) for r in records for t in (r.title, r.abstract) if t}
    held.discard("")
    rows = load_csldcp(train_dir)
    keep = [(a, d) for a, d in rows if _key(a) not in held]
    t0 = time.perf_counter()
    clf = FieldClassifier().fit([a for a, _ in keep], [d for _, d in keep])
    train_s = time.perf_counter() - t0
    clf.save(out_path)
    return {
        "source": "fewclue_csldcp/csldcp_train_dev.jsonl",
        "n_train": len(keep),
        "n_excluded": len(rows) - len(keep),
        "n_disciplines": len(clf.disciplines),
        "train_s": round(train_s, 2),
    }


# -- report -------------------------------------------------------------------------------------


def _figures(
    runs: Sequence[dict[str, Any]],
    quality: dict[str, Any] | None,
    targets: list[str],
    doc_label: dict[str, str],
    nrel: list[int],
    field_labels: list[str],
) -> dict[str, Any]:
    """Quality from ``quality`` rankings; speed as the median over ``runs``."""
    fig: dict[str, Any] = {}
    if quality is not None:
        ki = known_item_metrics(quality["known_item"], targets)
        fr = field_metrics(quality["field"], field_labels, doc_label, nrel)
        fig.update(
            known_item_recall_at_1=ki["recall_at_1"],
            known_item_mrr_at_10=ki["mrr_at_10"],
            field_p_at_10=fr["p_at_10"],
            field_ndcg_at_10=fr["ndcg_at_10"],
        )
    p50 = [_percentile(r["ms_known_item"] + r["ms_field"], 50) for r in runs]
    p95 = [_percentile(r["ms_known_item"] + r["ms_field"], 95) for r in runs]
    fig.update(
        query_ms_p50=round(_median(p50), 3),
        query_ms_p95=round(_median(p95), 3),
        query_ms_p50_known_item=round(_median([_percentile(r["ms_known_item"], 50) for r in runs]), 3),
        query_ms_p50_field=round(_median([_percentile(r["ms_field"], 50) for r in runs]), 3),
        build_s=round(_median([r["build_s"] for r in runs]), 2),
        build_docs_per_s=round(
            _median([r["n_docs"] / r["build_s"] if r["build_s"] > 0 else 0.0 for r in runs]), 1
        ),
        rss_mib=round(_median([r["rss"][0] for r in runs]), 1),
        rss_mib_after_queries=round(_median([r["rss"][1] for r in runs]), 1),
        n_docs_speed=runs[0]["n_docs"],
        n_speed_queries=len(runs[0]["ms_known_item"]) + len(runs[0]["ms_field"]),
        speed_runs=len(runs),
    )
    return fig


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print a report whose last line is one JSON object.

    Input: command-line arguments (see ``--help``). Output: exit status 0 on success, 2 on bad
    input (missing file, no queries, missing training data).
    """
    ap = argparse.ArgumentParser(
        prog="kechuang bench matchmaking",
        description="匹配引擎基准：已知项检索、同领域相关、速度与内存，并与 rank_bm25 + jieba 基线对比",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help="JSONL records: id, title, abstract, keywords, discipline")
    ap.add_argument("--queries", help="JSONL query records (default: 1 in 5 corpus records, seeded)")
    ap.add_argument(
        "--scale",
        type=int,
        default=0,
        help="grow the documents to N with generated text for the speed figures",
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of the split and of generated text (default 0)")
    ap.add_argument(
        "--train-data", help="labelled data folder for the field classifier (default: shared data)"
    )
    ap.add_argument("--no-classifier", action="store_true", help="engine without field classifier")
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    ap.add_argument(
        "--baseline-queries",
        type=int,
        default=None,
        help="queries timed for the baseline in the speed run (default: all up to 20,000 documents, else 100)",
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="speed runs per system; medians are reported (default 1)"
    )
    args = ap.parse_args(list(argv) if argv is not None else None)
    if args.worker:
        return _worker(args.worker)
    if not args.corpus:
        ap.print_usage(sys.stderr)
        print(json.dumps({"error": "--corpus is required"}))
        return 2
    try:
        return _main(args)
    except (OSError, ValueError) as exc:
        print(f"基准无法运行：{exc}", file=sys.stderr)
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2


def _main(args: argparse.Namespace) -> int:
    from .datasets import find_shared_data

    corpus = read_records(args.corpus)
    if args.queries:
        query_records = read_records(args.queries)
        split = f"queries from {args.queries}; query records added to the index when not in the corpus"
    else:
        query_records = split_queries(corpus, args.seed)
        split = f"1 in 5 corpus records as queries (random.Random({args.seed}) shuffle, first n//5)"
    by_id = {r.id: r for r in corpus}
    indexed = list(corpus) + [r for r in query_records if r.id not in by_id]
    query_records = [by_id.get(r.id, r) for r in query_records]
    if not query_records:
        raise ValueError("no query records")
    doc_label = {r.id: r.discipline for r in indexed}
    count: dict[str, int] = {}
    for r in indexed:
        count[r.discipline] = count.get(r.discipline, 0) + 1
    ki_queries = [r for r in query_records if r.keywords]
    fr_queries = [r for r in query_records if r.title]
    targets = [r.id for r in ki_queries]
    field_labels = [r.discipline for r in fr_queries]
    nrel = [count.get(r.discipline, 0) - 1 for r in fr_queries]
    _log(f"数据：{len(indexed)} 条记录入索引，{len(query_records)} 条查询（{split}）")

    with tempfile.TemporaryDirectory(prefix="kechuang-bench-") as tmp:
        work = Path(tmp)
        docs_path = work / "docs.jsonl"
        _write_jsonl(docs_path, ({"id": r.id, "title": r.title, "abstract": r.abstract} for r in indexed))
        queries_path = work / "queries.jsonl"
        _write_jsonl(
            queries_path,
            ({"id": r.id, "keywords": " ".join(r.keywords), "title": r.title} for r in query_records),
        )
        clf_info: dict[str, Any] | None = None
        clf_path: str | None = None
        if not args.no_classifier:
            train_dir = find_shared_data(args.train_data)
            if train_dir is None:
                raise ValueError("labelled training data not found: pass --train-data DIR (shared/data)")
            clf_info = train_field_classifier(train_dir, indexed, work / "classifier.joblib")
            clf_path = str(work / "classifier.joblib")
            _log(
                f"领域分类器：CSLDCP {clf_info['n_train']} 条（剔除与语料/查询相同的 {clf_info['n_excluded']} 条），"
                f"训练 {clf_info['train_s']} s"
            )
        scaled = args.scale > len(indexed)
        speed_docs = docs_path
        n_generated = 0
        if scaled:
            speed_docs = work / "docs_scaled.jsonl"

            def grown() -> Iterator[dict[str, Any]]:
                for r in indexed:
                    yield {"id": r.id, "title": r.title, "abstract": r.abstract}
                yield from generate_records(indexed, args.scale - len(indexed), args.seed)

            _write_jsonl(speed_docs, grown())
            n_generated = args.scale - len(indexed)
            _log(
                f"规模测试：{args.scale} 条文档，其中生成文本 {n_generated} 条（句子重组，标记为 generated）"
            )

        systems = ["engine"] + ([] if args.no_baseline else ["baseline"])
        results: dict[str, dict[str, Any]] = {}
        for system in systems:
            base = {"system": system, "queries": str(queries_path), "classifier": clf_path}
            quality = _spawn({**base, "docs": str(docs_path)}, work, f"{system}-quality")
            runs = [quality] if not scaled else []
            limit = None
            if scaled:
                if system == "baseline":
                    limit = args.baseline_queries
                    if limit is None and args.scale > 20000:
                        limit = 100
                for i in range(max(1, args.repeat)):
                    runs.append(
                        _spawn(
                            {**base, "docs": str(speed_docs), "query_limit": limit},
                            work,
                            f"{system}-speed-{i}",
                        )
                    )
            else:
                for i in range(1, max(1, args.repeat)):
                    runs.append(_spawn({**base, "docs": str(docs_path)}, work, f"{system}-speed-{i}"))
            fig = _figures(runs, quality, targets, doc_label, nrel, field_labels)
            fig["n_corpus"] = len(indexed)
            fig["n_queries"] = len(query_records)
            if scaled:
                fig["quality_run"] = _figures([quality], None, targets, doc_label, nrel, field_labels)
                if system == "engine":
                    q = runs[len(runs) // 2]
                    ki = known_item_metrics(q["known_item"], targets)
                    fr = field_metrics(q["field"], field_labels, doc_label, nrel)
                    fig["at_scale"] = {
                        "known_item_recall_at_1": ki["recall_at_1"],
                        "known_item_mrr_at_10": ki["mrr_at_10"],
                        "field_p_at_10": fr["p_at_10"],
                        "field_ndcg_at_10": fr["ndcg_at_10"],
                    }
            if system == "engine":
                fig["index_stats"] = runs[0].get("index_stats")
                fig["field_weight"] = quality.get("field_weight")
            results[system] = fig
            _log(
                f"{'引擎' if system == 'engine' else '基线'}：已知项 R@1 {fig['known_item_recall_at_1']:.4f} "
                f"MRR@10 {fig['known_item_mrr_at_10']:.4f}；领域 P@10 {fig['field_p_at_10']:.4f} "
                f"nDCG@10 {fig['field_ndcg_at_10']:.4f}；查询 p50 {fig['query_ms_p50']:.2f} ms "
                f"p95 {fig['query_ms_p95']:.2f} ms（{fig['n_speed_queries']} 次，{fig['n_docs_speed']} 条文档）；"
                f"建索引 {fig['build_docs_per_s']:.0f} 条/秒；内存峰值 {fig['rss_mib']:.0f} MiB"
            )

    out: dict[str, Any] = dict(results["engine"])
    out.update(
        n_generated=n_generated,
        scale=args.scale if scaled else 0,
        seed=args.seed,
        split=split,
        n_known_item_queries=len(targets),
        n_field_queries=len(field_labels),
        threads=1,
        classifier=clf_info,
    )
    if "baseline" in results:
        b = results["baseline"]
        out["baseline"] = b

        def ratio(key: str) -> float | None:
            return round(out[key] / b[key], 4) if b.get(key) else None

        out["ratios"] = {
            k: ratio(k)
            for k in (
                "known_item_recall_at_1",
                "known_item_mrr_at_10",
                "field_p_at_10",
                "field_ndcg_at_10",
                "query_ms_p50",
                "query_ms_p95",
                "build_docs_per_s",
                "rss_mib",
            )
        }
        out["targets"] = {
            "known_item_recall_at_1_not_below_baseline": out["known_item_recall_at_1"]
            >= b["known_item_recall_at_1"],
            "field_p_at_10_at_least_1.5x_baseline": out["field_p_at_10"] >= 1.5 * b["field_p_at_10"],
            "query_ms_p50_le_20": out["query_ms_p50"] <= 20.0,
            "query_ms_p95_le_50": out["query_ms_p95"] <= 50.0,
            "build_docs_per_s_ge_2000": out["build_docs_per_s"] >= 2000.0,
            "rss_mib_le_1024": out["rss_mib"] <= 1024.0,
            "speed_targets_measured_at": out["n_docs_speed"],
        }
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
