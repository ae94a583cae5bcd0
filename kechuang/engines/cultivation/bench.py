"""Benchmark of the cultivation engine: :func:`.coaching.assess` over many seeded enterprise-years.

Run::

    kechuang bench cultivation [--n 100000] [--seed 2025] [--workers 2] [--coaching]
    python -m kechuang.engines.cultivation.bench --n 100000 --workers 2

Protocol
--------
* **Data.** Enterprise-year ``i`` (one enterprise evaluated on one date, all three tiers) is generated
  from ``random.Random`` seeded with ``(seed, i)`` only, so the data set does not depend on the number
  of workers. The mix (see :func:`make_enterprise_year`): micro / small / medium / large firms, about
  45 % high-tech profiles (R&D 2.5–9 %, many tech staff, certificates, Class I IP), young and old
  firms, growing and shrinking ones, and a few percent failing each condition on purpose: not
  resident, assessed tax, restricted catalogue, incidents and list flags, foreign R&D, missing
  figures, no IP, and figures placed exactly on band edges (sales 50,000,000 / 200,000,000 yuan,
  R&D ratio exactly 5 % / 4 % / 3 %, tech staff exactly 10 %). Amounts carry 分 (cents).
* **Work.** The indices are cut into chunks (``--chunk``, default 500). With ``--workers 1`` this
  process evaluates them; otherwise a pool of ``--workers`` processes (``multiprocessing``, fork where
  available) takes the chunks one by one, so a worker slowed by other load on the machine simply takes
  fewer. One :class:`.config.BureauConfig` (defaults) is used, with the evaluation date of each record.
  Without ``--coaching`` the result is what a batch stores: every verdict, score range, figure,
  threshold and remedy, the next tier and the coaching list, with the Chinese texts left unbuilt
  (they are built on first read, see :mod:`.results`). With ``--coaching`` every text is also built
  (all condition and score-part messages with their sources, band hints, notes and the coaching
  lines), as a printed report would.
* **Timing.** Generation is not timed: a worker generates a chunk, then times the evaluation of that
  chunk (``time.perf_counter`` and the process CPU time). Each assessment is tallied (verdicts,
  reasons, next tier; inside the timed part) and dropped, as a batch that writes each result out
  does. (Keeping hundreds of ``Assessment`` objects alive at once makes Python's cyclic garbage
  collector rescan them again and again: measured here, keeping the 500 results of a chunk roughly
  doubles the time. A batch should write results out as it goes, or pause the collector, e.g. with
  ``gc.freeze()``; the engine creates no reference cycles.)
* **Figures.** ``seconds``: evaluation wall time of the busiest worker (the workers run at the same
  time); ``per_second = n / seconds``; ``cpu_seconds``: CPU time of evaluation summed over the workers
  (``cpu_ms_per_item`` per enterprise-year; on an idle machine ``seconds`` ≈ ``cpu_seconds /
  workers``); ``wall_seconds``: the whole run, with process start and generation;
  ``generate_seconds``: generation CPU time summed over the workers. ``meets_target`` compares
  ``seconds``, scaled to 100,000 enterprise-years, with the 10 s of issue 6.

The last line printed is one JSON object: ``n``, ``seconds``, ``per_second``, ``workers``,
``cpu_seconds``, ``cpu_ms_per_item``, ``wall_seconds``, ``generate_seconds``, ``seed``,
``coaching``, ``verdicts`` (tier → verdict → count), ``next_tier``, ``reasons`` (``TIER:CODE`` →
count), ``target_seconds`` (10, issue 6) and ``meets_target``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from .coaching import assess
from .config import BureauConfig
from .figures import (
    Acquisition,
    AwardLevel,
    AwardRecord,
    EnterpriseFigures,
    ExpertInput,
    FiscalYearFigures,
    HnteCertificate,
    Incident,
    IncidentKind,
    InstitutionLevel,
    IPItem,
    IPKind,
    RdInstitution,
    RdManagementEvidence,
    StandardLevel,
    StandardRecord,
    StandardRole,
    TaxMode,
    TechField,
    TsmeRegistration,
)
from .results import Assessment, ScorePart, Tier, Verdict

__all__ = ["TARGET_SECONDS", "main", "make_enterprise_year", "render_all", "run_chunk"]

TARGET_SECONDS = 10.0
"""Issue 6: 100,000 enterprise-years in at most 10 s on a 2-core machine."""

_CHUNK = 500
_EVAL_YEARS = (2023, 2024, 2025)
_SIZES = ("micro", "small", "medium", "large")
_SIZE_WEIGHTS = (30, 35, 22, 13)
# (staff low, staff high, sales low, sales high) in persons and yuan for the last fiscal year
_SIZE_RANGES = {
    "micro": (5, 60, 500_000, 20_000_000),
    "small": (20, 300, 10_000_000, 80_000_000),
    "medium": (100, 600, 40_000_000, 260_000_000),
    "large": (300, 3000, 180_000_000, 2_000_000_000),
}
_CLASS_I_KINDS = (
    IPKind.INVENTION_PATENT,
    IPKind.INVENTION_PATENT,
    IPKind.IC_LAYOUT_DESIGN,
    IPKind.NATIONAL_NEW_DRUG,
)
_CLASS_II_KINDS = (
    IPKind.UTILITY_MODEL,
    IPKind.SOFTWARE_COPYRIGHT,
    IPKind.DESIGN_PATENT,
    IPKind.UTILITY_MODEL,
)
_ACQUIRED = (Acquisition.PURCHASED, Acquisition.GIFTED, Acquisition.MERGER_ACQUISITION)
_FIELDS = tuple(TechField)
_INCIDENTS = tuple(IncidentKind)
_NULLABLE = (
    "sales_revenue",
    "total_revenue",
    "hitech_revenue",
    "total_costs_and_expenses",
    "total_assets",
    "net_assets",
    "rd_expense_hnte",
    "rd_expense_hnte_domestic",
    "rd_expense_super_deduction",
    "staff_total_avg",
    "tech_staff_avg",
    "achievements_transformed",
)


def _cents(rng: random.Random, low: float, high: float) -> Decimal:
    """A random amount in yuan with 分, ``low <= x <= high`` (floats only to draw; the value is exact)."""
    return Decimal(rng.randint(int(low * 100), int(high * 100))).scaleb(-2)


def _scaled(amount: Decimal, factor: float) -> Decimal:
    """``amount * factor`` truncated to 分 (the factor is a random draw, the result an exact Decimal)."""
    return Decimal(int(int(amount.scaleb(2)) * factor)).scaleb(-2)


def _tenths(value: float) -> Decimal:
    return Decimal(max(int(value * 10), 0)).scaleb(-1)


def _ip_items(rng: random.Random, hightech: bool, last_year: int) -> tuple[IPItem, ...]:
    if hightech:
        n1 = rng.choices((0, 1, 2, 4), weights=(40, 30, 20, 10))[0]
        n2 = rng.randint(0, 9)
    else:
        n1 = 1 if rng.random() < 0.08 else 0
        n2 = rng.choices((0, 1, 2, 3, 5), weights=(30, 25, 20, 15, 10))[0]
    items: list[IPItem] = []
    for k in range(n1 + n2):
        kind = rng.choice(_CLASS_I_KINDS if k < n1 else _CLASS_II_KINDS)
        flaw = rng.random()
        items.append(
            IPItem(
                identifier=f"{'ZL' if k < n1 else 'SR'}{last_year}{k:04d}",
                kind=kind,
                acquisition=Acquisition.SELF_DEVELOPED if rng.random() < 0.85 else rng.choice(_ACQUIRED),
                in_force=flaw >= 0.03,
                granted_in_china=not 0.03 <= flaw < 0.05,
                owned_by_applicant=not 0.05 <= flaw < 0.06,
                related_to_main_products=not 0.06 <= flaw < 0.09,
                in_dispute=0.09 <= flaw < 0.11,
                used_in_previous_recognition=0.11 <= flaw < 0.2,
                claimed_by_co_owner=0.2 <= flaw < 0.21,
            )
        )
    if rng.random() < 0.1:
        items.append(IPItem(f"TM{last_year}", IPKind.TRADEMARK))
    return tuple(items)


def _expert(rng: random.Random, hightech: bool, certified: bool) -> ExpertInput:
    draw = 0.0 if certified else rng.random()
    if draw < (0.6 if hightech else 0.2):
        low = 0.5 if hightech else 0.0  # reviewed high-tech firms score in the upper half
        return ExpertInput(
            points={
                item: rng.randint(int(top * low), top)
                for item, top in (("A1", 8), ("A2", 8), ("C1", 6), ("C2", 6), ("C3", 4), ("C4", 4))
            }
        )
    if draw < 0.7:
        return ExpertInput(bands={"A1": rng.choice("ABCDE"), "A2": rng.choice("ABCDE")})
    return ExpertInput()


def make_enterprise_year(seed: int, index: int) -> tuple[EnterpriseFigures, dt.date]:
    """Enterprise-year ``index`` of the data set ``seed``: the figures and the evaluation date.

    Deterministic in ``(seed, index)``. See the module docstring for the mix; every figure is an exact
    ``Decimal`` (yuan with 分, persons with one decimal).
    """
    rng = random.Random(seed * 1_000_003 + index)
    eval_year = rng.choice(_EVAL_YEARS)
    evaluation_date = dt.date(eval_year, rng.randint(3, 11), rng.randint(1, 28))
    last = eval_year - 1
    age = rng.random()
    if age < 0.04:
        days = rng.randint(30, 364)  # younger than one year: FAIL(REG_AGE)
    elif age < 0.2:
        days = rng.randint(365, 3 * 365)
    elif age < 0.65:
        days = rng.randint(3 * 365, 10 * 365)
    else:
        days = rng.randint(10 * 365, 30 * 365)  # older than ten years: gazelle FAIL(AGE)
    establish = evaluation_date - dt.timedelta(days=days)
    size = rng.choices(_SIZES, weights=_SIZE_WEIGHTS)[0]
    staff_lo, staff_hi, sales_lo, sales_hi = _SIZE_RANGES[size]
    hightech = rng.random() < 0.45
    certified = hightech and rng.random() < 0.6  # holds (or held) an HNTE certificate: stronger figures
    edge = rng.random()

    # last-year levels, then earlier years backwards with a firm-specific growth rate
    last_sales = _cents(rng, sales_lo, sales_hi)
    if edge < 0.02:
        last_sales = Decimal(rng.choice((50_000_000, 200_000_000)))  # band edges of HT-C5 and S-C2
    staff = rng.uniform(staff_lo, staff_hi)
    trend = rng.uniform(-0.1, 0.45) if hightech else rng.uniform(-0.15, 0.3)
    rd_ratio = rng.uniform(0.035 if certified else 0.025, 0.09) if hightech else rng.uniform(0.0, 0.04)
    tech_share = rng.uniform(0.1 if certified else 0.09, 0.45) if hightech else rng.uniform(0.02, 0.2)
    foreign = rng.random() < 0.08
    first_year = max(establish.year, last - 4)
    rows: list[FiscalYearFigures] = []
    sales = last_sales
    for y in range(last, first_year - 1, -1):
        if y == establish.year and rng.random() < 0.3:
            sales = _scaled(sales, rng.uniform(0.05, 0.5))  # part-year start
        rd = _scaled(sales, rd_ratio * rng.uniform(0.8, 1.2))
        total_revenue = _scaled(sales, rng.uniform(1.0, 1.08))
        non_taxable = Decimal(0) if rng.random() < 0.8 else _scaled(total_revenue, rng.uniform(0.0, 0.05))
        income = total_revenue - non_taxable
        hitech_share = rng.uniform(0.6 if certified else 0.5, 0.95) if hightech else rng.uniform(0.0, 0.5)
        total_assets = _scaled(sales, rng.uniform(0.5, 1.6))
        staff_avg = _tenths(staff)
        rows.append(
            FiscalYearFigures(
                year=y,
                staff_total_avg=staff_avg,
                tech_staff_avg=_tenths(staff * tech_share),
                sales_revenue=sales,
                total_revenue=total_revenue,
                non_taxable_revenue=non_taxable,
                hitech_revenue=_scaled(income, hitech_share),
                total_costs_and_expenses=_scaled(sales, rng.uniform(0.7, 1.05)),
                total_assets=total_assets,
                net_assets=_scaled(total_assets, rng.uniform(-0.1, 0.7)),
                net_profit=_scaled(sales, rng.uniform(-0.1, 0.2)),
                rd_expense_hnte=rd,
                rd_expense_hnte_domestic=_scaled(rd, rng.uniform(0.3, 0.95)) if foreign else rd,
                rd_expense_super_deduction=_scaled(rd, rng.uniform(0.85, 1.1)),
                achievements_transformed=rng.randint(2 if certified else 1, 8)
                if hightech
                else rng.randint(0, 2),
            )
        )
        sales = _scaled(sales, 1 / (1 + trend + rng.uniform(-0.08, 0.08)))
        staff = max(staff / (1 + trend / 2), 3.0)
    rows.reverse()
    if rows and 0.02 <= edge < 0.04:
        # tech staff exactly 10 % and the 3-year R&D ratio exactly on its threshold (when reachable)
        window = [r for r in rows if r.year >= last - 2]
        total_sales = sum((r.sales_revenue or Decimal(0)) for r in window)
        sales_last = rows[-1].sales_revenue or Decimal(0)
        threshold = (
            Decimal("0.05")
            if sales_last <= 50_000_000
            else Decimal("0.04")
            if sales_last <= 200_000_000
            else Decimal("0.03")
        )
        others = sum((r.rd_expense_hnte or Decimal(0)) for r in window[:-1])
        rd_last = threshold * total_sales - others
        changes: dict[str, object] = {"staff_total_avg": Decimal(100), "tech_staff_avg": Decimal(10)}
        if rd_last >= 0:
            changes.update(
                rd_expense_hnte=rd_last, rd_expense_hnte_domestic=rd_last, rd_expense_super_deduction=rd_last
            )
        rows[-1] = _replace_row(rows[-1], changes)
    if rows and 0.04 <= edge < 0.08:
        rows[-1] = _replace_row(rows[-1], {rng.choice(_NULLABLE): None})  # one missing figure
    if rows and 0.08 <= edge < 0.09:
        rows.pop()  # last fiscal year not filed yet

    flags = rng.random()
    incidents: tuple[Incident, ...] | None = ()
    if flags < 0.03:
        when = evaluation_date - dt.timedelta(days=rng.randint(0, 3 * 365))
        incidents = (Incident(when, rng.choice(_INCIDENTS), "抽样记录"),)
    elif flags < 0.05:
        incidents = None
    certificate = None
    if certified:
        issued = evaluation_date - dt.timedelta(days=rng.randint(30, 5 * 365))  # some expired
        certificate = HnteCertificate(f"GR{issued.year}51{index % 1_000_000:06d}", issued)
    evidence = RdManagementEvidence(*(rng.random() < (0.7 if hightech else 0.3) for _ in range(12)))
    enterprise = EnterpriseFigures(
        name=f"样本企业{index:06d}",
        establish_date=establish,
        years=tuple(rows),
        is_resident_enterprise=rng.random() >= 0.02,
        registered_in_mainland=rng.random() >= 0.01,
        is_local_legal_person=rng.random() >= 0.05,
        tax_mode=TaxMode.ACTUAL_BOOKS if rng.random() >= 0.05 else TaxMode.ASSESSED,
        tech_field=rng.choice(_FIELDS) if hightech or rng.random() < 0.5 else None,
        in_restricted_catalogue=rng.random() < 0.02,
        in_super_deduction_excluded_industry=rng.random() < 0.05,
        ip_items=_ip_items(rng, hightech, last),
        rd_management=evidence,
        standards=(
            StandardRecord(
                "某产品团体/行业标准",
                rng.choice((StandardLevel.NATIONAL, StandardLevel.INDUSTRY, StandardLevel.GROUP)),
                rng.choice(tuple(StandardRole)),
                evaluation_date - dt.timedelta(days=rng.randint(30, 8 * 365)),
            ),
        )
        if rng.random() < 0.08
        else (),
        awards=(
            AwardRecord(
                "国家科学技术进步奖", AwardLevel.NATIONAL, dt.date(last - 1, 12, 1), rng.randint(1, 5)
            ),
        )
        if rng.random() < 0.01
        else (),
        rd_institutions=(RdInstitution("工程技术研究中心", rng.choice(tuple(InstitutionLevel))),)
        if rng.random() < 0.06
        else (),
        incidents=incidents,
        on_abnormal_operation_list=None if rng.random() < 0.01 else rng.random() < 0.02,
        on_serious_violation_list=rng.random() < 0.01,
        hnte_certificate=certificate,
        tsme_registration=TsmeRegistration(f"{eval_year}5117{index:06d}", eval_year)
        if rng.random() < 0.3
        else None,
        expert=_expert(rng, hightech, certified),
    )
    return enterprise, evaluation_date


def _replace_row(row: FiscalYearFigures, changes: dict[str, object]) -> FiscalYearFigures:
    values = {name: getattr(row, name) for name in row.__dataclass_fields__}
    values.update(changes)
    return FiscalYearFigures(**values)


def _render_part(part: ScorePart) -> int:
    size = len(part.message_zh)
    if part.next_band is not None:
        size += len(part.next_band.message_zh)
    for child in part.children:
        size += _render_part(child)
    return size


def render_all(assessment: Assessment) -> int:
    """Build every Chinese text of ``assessment`` (conditions with sources, score parts, band hints,
    notes, coaching lines) and return the number of characters, as a printed report would."""
    size = 0
    for result in (assessment.tsme, assessment.hnte, assessment.gazelle):
        for cond in result.conditions:
            size += len(cond.coaching_text_zh)
        for part in result.score_parts:
            size += _render_part(part)
        size += sum(len(note) for note in result.notes_zh)
    for item in assessment.coaching:
        size += len(item.text_zh)
    return size


def run_chunk(seed: int, start: int, stop: int, coaching: bool) -> dict[str, object]:
    """Generate enterprise-years ``start … stop - 1`` (not timed), then evaluate them (timed).

    Returns:
        ``{"pid", "count", "seconds", "cpu_seconds", "generate_seconds", "characters", "outcomes"}``;
        ``outcomes`` counts ``(verdict, reasons)`` of each tier and the next tier, as strings.
    """
    config = _CONFIG
    outcomes: Counter[tuple[object, ...]] = Counter()
    characters = 0
    t0 = time.perf_counter()
    batch = [make_enterprise_year(seed, i) for i in range(start, stop)]
    t1 = time.perf_counter()
    c1 = time.process_time()
    # Stream: each assessment is tallied and dropped, as a batch that writes each result out does.
    for enterprise, day in batch:
        a = assess(enterprise, day, config)
        if coaching:
            characters += render_all(a)
        outcomes[
            (
                a.tsme.verdict,
                a.tsme.reasons,
                a.hnte.verdict,
                a.hnte.reasons,
                a.gazelle.verdict,
                a.gazelle.reasons,
                a.next_tier,
            )
        ] += 1
    cpu = time.process_time() - c1
    t2 = time.perf_counter()
    plain = Counter({tuple(_plain(part) for part in outcome): count for outcome, count in outcomes.items()})
    return {
        "pid": os.getpid(),
        "count": stop - start,
        "seconds": t2 - t1,
        "cpu_seconds": cpu,
        "generate_seconds": t1 - t0,
        "characters": characters,
        "outcomes": plain,
    }


_CONFIG = BureauConfig()


def _plain(part: object) -> object:
    if isinstance(part, tuple):
        return tuple(str(p) for p in part)
    return None if part is None else str(part)


def _chunk_task(task: tuple[int, int, int, bool]) -> dict[str, object]:
    return run_chunk(*task)


def _run(n: int, seed: int, workers: int, coaching: bool, chunk: int = _CHUNK) -> list[dict[str, object]]:
    """Evaluate ``n`` enterprise-years in chunks: in this process (one worker) or spread over
    ``workers`` processes, each taking the next chunk when it is free (so a worker slowed by other
    load on the machine takes fewer chunks)."""
    tasks = [(seed, a, min(a + chunk, n), coaching) for a in range(0, n, chunk)]
    if workers == 1 or len(tasks) <= 1:
        return [run_chunk(*task) for task in tasks]
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ctx.Pool(min(workers, len(tasks))) as pool:
        return list(pool.imap_unordered(_chunk_task, tasks))


def _summarize(outputs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per-worker times and merged counts of the chunk outputs."""
    per_worker: dict[int, float] = {}
    outcomes: Counter[tuple[object, ...]] = Counter()
    for output in outputs:
        pid = int(output["pid"])
        per_worker[pid] = per_worker.get(pid, 0.0) + float(output["seconds"])
        outcomes.update(output["outcomes"])
    verdicts: dict[str, dict[str, int]] = {t.value: {} for t in Tier}
    reasons: Counter[str] = Counter()
    next_tiers: Counter[str] = Counter()
    for outcome, count in outcomes.items():
        *tiers, target = outcome
        for tier, verdict, codes in zip(Tier, tiers[0::2], tiers[1::2], strict=True):
            counts = verdicts[tier.value]
            counts[str(verdict)] = counts.get(str(verdict), 0) + count
            if verdict != Verdict.PASS.value:
                for code in cast("tuple[str, ...]", codes):
                    reasons[f"{tier.value}:{code}"] += count
        next_tiers[str(target) if target else "NONE"] += count
    return {
        "seconds": max(per_worker.values(), default=0.0),
        "workers": len(per_worker) or 1,
        "cpu_seconds": sum(float(o["cpu_seconds"]) for o in outputs),
        "generate_seconds": sum(float(o["generate_seconds"]) for o in outputs),
        "characters": sum(int(o["characters"]) for o in outputs),
        "verdicts": {tier: dict(sorted(counts.items())) for tier, counts in verdicts.items()},
        "next_tier": dict(sorted(next_tiers.items())),
        "reasons": dict(sorted(reasons.items())),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (see the module docstring); print a summary and, last, one JSON line.

    Returns:
        0 (also when the target is missed: the figure is reported, not enforced); 2 for bad arguments.
    """
    parser = argparse.ArgumentParser(
        prog="kechuang bench cultivation", description="Benchmark of the tiered-cultivation engine."
    )
    parser.add_argument(
        "--n", type=int, default=100_000, help="enterprise-years to evaluate (default 100000)"
    )
    parser.add_argument("--seed", type=int, default=2025, help="data set seed (default 2025)")
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes (default 2; 1 = this process)"
    )
    parser.add_argument("--coaching", action="store_true", help="also build every Chinese message")
    parser.add_argument(
        "--chunk", type=int, default=_CHUNK, help=f"enterprise-years per chunk (default {_CHUNK})"
    )
    args = parser.parse_args(argv)
    if args.n < 0 or args.workers < 1 or args.chunk < 1:
        parser.error("--n must be >= 0, --workers and --chunk >= 1")

    t0 = time.perf_counter()
    outputs = _run(args.n, args.seed, args.workers, args.coaching, args.chunk)
    wall = time.perf_counter() - t0
    merged = _summarize(outputs)
    seconds = float(merged["seconds"])
    cpu = float(merged["cpu_seconds"])
    generate = float(merged["generate_seconds"])
    verdicts: dict[str, dict[str, int]] = merged["verdicts"]
    summary = {
        "benchmark": "cultivation",
        "n": args.n,
        "seconds": round(seconds, 3),
        "per_second": round(args.n / seconds, 1) if seconds > 0 else None,
        "workers": merged["workers"],
        "cpu_seconds": round(cpu, 3),
        "cpu_ms_per_item": round(1000 * cpu / args.n, 4) if args.n else None,
        "wall_seconds": round(wall, 3),
        "generate_seconds": round(generate, 3),
        "seed": args.seed,
        "coaching": args.coaching,
        "characters": merged["characters"],
        "verdicts": verdicts,
        "next_tier": merged["next_tier"],
        "reasons": merged["reasons"],
        "target_seconds": TARGET_SECONDS,
        "meets_target": seconds * 100_000 / max(args.n, 1) <= TARGET_SECONDS,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
    }
    print(
        f"cultivation benchmark: {args.n} enterprise-years, {summary['workers']} worker(s), seed {args.seed}"
    )
    print(
        f"evaluation {seconds:.3f} s ({summary['per_second']} per s; CPU {cpu:.3f} s, "
        f"{summary['cpu_ms_per_item']} ms each); generation {generate:.3f} s; whole run {wall:.3f} s"
    )
    for tier, counts in verdicts.items():
        print(
            f"  {tier:8s} " + "  ".join(f"{v}={counts.get(v, 0)}" for v in ("PASS", "FAIL", "NEEDS_REVIEW"))
        )
    print("  next tier " + "  ".join(f"{k}={v}" for k, v in summary["next_tier"].items()))
    print(json.dumps(summary, ensure_ascii=False, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
