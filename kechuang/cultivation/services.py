"""Evaluating enterprises with the cultivation engine and keeping the results.

* :func:`bureau_config` — the bureau's open decisions (``KECHUANG_CULTIVATION_CONFIG``, a JSON file of
  :class:`~kechuang.engines.cultivation.BureauConfig` fields; the spec's defaults without it);
* :func:`evaluation_date_for` — the reference date of an evaluation year;
* :func:`evaluate_enterprise` — one enterprise now (page, API);
* :func:`evaluate_year` — every enterprise in a queryset, in chunks, with progress (``kechuang evaluate``);
* :func:`start_run` / :func:`advance_run` — a region re-evaluated from the page one chunk per request;
* :func:`summary_of` — the summary columns of an :class:`~kechuang.cultivation.models.Evaluation`.

Stored results are never changed: a new run adds a row and clears ``is_latest`` on the earlier ones of
the same enterprise and year, so pages show the latest result and its history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from kechuang.core.choices import OrganisationKind
from kechuang.core.models import Organisation, Region
from kechuang.cultivation.figures import MissingProfile, enterprises_with_figures, figures_of
from kechuang.cultivation.models import Evaluation, EvaluationRun, EvaluationSource
from kechuang.engines.cultivation import (
    Assessment,
    BureauConfig,
    EnterpriseFigures,
    Tier,
    Verdict,
    assess,
    hnte,
)
from kechuang.engines.cultivation.codec import assessment_to_json, figures_to_json, load_assessment_input
from kechuang.engines.cultivation.results import blocking_conditions

CHUNK = 500


class ConfigError(ValueError):
    """The bureau's configuration file cannot be read (names the file and the field)."""


@lru_cache(maxsize=4)
def _config_from(path: str) -> BureauConfig:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}：无法读取培育配置（{exc}）") from exc
    known = {f.name for f in fields(BureauConfig)} - {"gazelle"}
    defaults = BureauConfig()
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{path}：未知配置项 {key}，可用：{'、'.join(sorted(known))}"
                              "（瞪羚企业模板请写入 parameters_file 指向的规则参数文件）")
        default = getattr(defaults, key)
        if isinstance(default, Enum):
            try:
                value = type(default)[value]
            except KeyError as exc:
                choices = "、".join(type(default).__members__)
                raise ConfigError(f"{path}：{key} 的取值 {value} 无效，可用：{choices}") from exc
        elif key == "parameters_file" and value:
            value = Path(value)
        values[key] = value
    return BureauConfig(**values)


def bureau_config() -> BureauConfig:
    """The bureau's choices: the JSON file named by the setting / environment variable
    ``KECHUANG_CULTIVATION_CONFIG`` (keys = ``BureauConfig`` field names, enum values by member name),
    or the spec's defaults when unset.

    Raises:
        ConfigError: the file is missing, malformed, or names an unknown key or value.
    """
    path = getattr(settings, "KECHUANG_CULTIVATION_CONFIG", None)
    return _config_from(str(path)) if path else BureauConfig()


def config_snapshot(bureau: BureauConfig) -> dict[str, Any]:
    """The configuration as stored with an evaluation (JSON-ready)."""
    result: dict[str, Any] = {}
    for f in fields(bureau):
        value = getattr(bureau, f.name)
        if isinstance(value, Enum):
            value = value.name
        elif value is not None and not isinstance(value, bool | int | str):
            value = str(value)
        result[f.name] = value
    return result


def check_year(value: int | str) -> int:
    """``value`` as an evaluation year the rules cover: from the first rule version's year to next year.

    Raises:
        ValueError: not a year, or outside that range (Chinese message).
    """
    from django.utils import timezone

    from kechuang.engines.cultivation.parameters import first_year

    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"评估年度“{value}”无效") from exc
    low, high = first_year(), timezone.localdate().year + 1
    if not low <= year <= high:
        raise ValueError(f"评估年度应在 {low}–{high} 年之间（现行评价规则自 {low} 年起施行）")
    return year


def evaluation_date_for(year: int) -> dt.date:
    """The reference date of evaluation year ``year``: ``KECHUANG_CULTIVATION_DAY`` ("MM-DD", default
    "06-30", inside the usual HNTE application period), so that the HNTE window is the three fiscal
    years before ``year`` and the tech-SME data year is ``year − 1`` (spec §1.1, §2.1)."""
    day = getattr(settings, "KECHUANG_CULTIVATION_DAY", "06-30")
    month, dom = (int(part) for part in day.split("-"))
    return dt.date(year, month, dom)


def summary_of(a: Assessment, figures: EnterpriseFigures) -> dict[str, Any]:
    """The summary columns of an :class:`Evaluation` for assessment ``a`` of ``figures``."""
    day = a.evaluation_date
    return {
        "evaluation_date": day,
        "rule_version": a.rule_version,
        "highest_tier": a.highest_tier_passed.value if a.highest_tier_passed else "",
        "next_tier": a.next_tier.value if a.next_tier else "",
        "tsme_verdict": a.tsme.verdict.value, "tsme_label": a.tsme.label[:200],
        "tsme_score_min": a.tsme.score_min, "tsme_score_max": a.tsme.score_max,
        "hnte_verdict": a.hnte.verdict.value, "hnte_label": a.hnte.label[:200],
        "hnte_score_min": a.hnte.score_min, "hnte_score_max": a.hnte.score_max,
        "hnte_conditions_failed": sum(1 for c in a.hnte.conditions if c.verdict is Verdict.FAIL),
        "gazelle_verdict": a.gazelle.verdict.value, "gazelle_label": a.gazelle.label[:200],
        "tsme_registered": bool(figures.tsme_registration and figures.tsme_registration.is_valid_on(day)),
        "hnte_certified": bool(figures.hnte_certificate and figures.hnte_certificate.is_valid_on(day)),
        "near_hnte": hnte.near_pass(a.hnte),
        "hnte_blocked": "；".join(blocking_conditions(a.hnte.conditions))[:200],
        "coaching_count": len(a.coaching),
    }


def _evaluation(enterprise: Organisation, year: int, figures: EnterpriseFigures, bureau: BureauConfig,
                snapshot: dict[str, Any], source: str, user: Any) -> Evaluation:
    day = evaluation_date_for(year)
    a = assess(figures, day, bureau)
    return Evaluation(enterprise=enterprise, year=year, result=assessment_to_json(a),
                      figures=figures_to_json(figures, day), config=snapshot, source=source,
                      created_by=user if getattr(user, "is_authenticated", False) else None,
                      **summary_of(a, figures))


def _store(evaluations: list[Evaluation]) -> None:
    """Save new evaluations as the latest of their enterprise and year (one transaction)."""
    with transaction.atomic():
        for year in {e.year for e in evaluations}:
            Evaluation.objects.filter(year=year, is_latest=True,
                                      enterprise__in=[e.enterprise_id for e in evaluations if e.year == year]
                                      ).update(is_latest=False)
        Evaluation.objects.bulk_create(evaluations)


def evaluate_enterprise(enterprise: Organisation, year: int, *, user: Any = None,
                        source: str = EvaluationSource.PAGE) -> Evaluation:
    """Evaluate ``enterprise`` for evaluation year ``year`` with what the platform holds, and store it.

    Raises:
        MissingProfile: the enterprise has no cultivation profile.
        ValueError: ``year`` is outside the years the rules cover, or the engine refuses a figure.
        LookupError: no rule parameters are in force for ``year``.
        ConfigError: the bureau's configuration cannot be read.
    """
    year = check_year(year)
    bureau = bureau_config()
    enterprise = enterprises_with_figures(Organisation.objects.filter(pk=enterprise.pk)).get()
    evaluation = _evaluation(enterprise, year, figures_of(enterprise), bureau, config_snapshot(bureau), source, user)
    _store([evaluation])
    return evaluation


@dataclass
class YearRun:
    """Outcome of :func:`evaluate_year`: evaluations stored, enterprises skipped (name → why)."""

    year: int
    evaluated: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    rule_versions: set[str] = field(default_factory=set)


def evaluate_year(year: int, enterprises: QuerySet[Organisation] | None = None, *,
                  progress: Callable[[int], object] | None = None, user: Any = None) -> YearRun:
    """Evaluate every enterprise of ``enterprises`` (default: all enterprises with a cultivation profile)
    for evaluation year ``year``, in chunks of 500 (each stored in one transaction).

    Args:
        year: the evaluation year.
        enterprises: a queryset of organisations.
        progress: called with the number of enterprises done after each chunk.
        user: recorded as the operator.

    Returns:
        :class:`YearRun`. Enterprises without a profile are skipped and listed, not errors.

    Raises:
        LookupError: no rule parameters are in force for ``year``.
        ConfigError: the bureau's configuration cannot be read.
    """
    check_year(year)
    bureau = bureau_config()
    bureau.parameters(year)  # fail before any work when no rules are in force
    snapshot = config_snapshot(bureau)
    if enterprises is None:
        enterprises = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, cultivation_profile__isnull=False)
    run = YearRun(year)
    ids = list(enterprises.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = enterprises_with_figures(Organisation.objects.filter(pk__in=ids[start:start + CHUNK]).order_by("pk"))
        batch: list[Evaluation] = []
        for enterprise in chunk:
            try:
                figures = figures_of(enterprise)
                batch.append(_evaluation(enterprise, year, figures, bureau, snapshot, EvaluationSource.BATCH, user))
            except (MissingProfile, ValueError, TypeError) as exc:  # one bad record must not stop the year
                run.skipped[enterprise.name] = str(exc)
        _store(batch)
        run.evaluated += len(batch)
        run.rule_versions.update(e.rule_version for e in batch)
        if progress:
            progress(len(ids[start:start + CHUNK]))
    return run


RUN_CHUNK = 50  # enterprises per request of a page run: a request stays around a second


def region_enterprises(region: Region) -> Any:
    """Enterprises with a cultivation profile in ``region`` and below."""
    return Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, cultivation_profile__isnull=False,
                                       region__path__startswith=region.path)


def start_run(region: Region, year: int | str, *, user: Any = None) -> EvaluationRun:
    """A new re-evaluation of every enterprise of ``region`` (and below) for ``year``, nothing done yet —
    or the one already running for that region and year; :func:`advance_run` does the work. The caller decides access (``common.access.reaches_region``).

    Raises:
        ValueError: ``year`` is outside the years the rules cover (Chinese message).
        LookupError: no rule parameters are in force for ``year``.
        ConfigError: the bureau's configuration cannot be read.
    """
    checked = check_year(year)  # a page gives the year as text
    bureau_config().parameters(checked)  # refuse at once when no rules are in force
    with transaction.atomic():  # a double click, or two officers: one run per region and year at a time
        running = (EvaluationRun.objects.select_for_update()
                   .filter(region=region, year=checked, status=EvaluationRun.Status.RUNNING).first())
        if running is not None:
            return running
        return EvaluationRun.objects.create(region=region, year=checked, total=region_enterprises(region).count(),
                                            created_by=user if getattr(user, "is_authenticated", False) else None)


def advance_run(run: EvaluationRun, *, user: Any = None, chunk: int = RUN_CHUNK) -> EvaluationRun:
    """Evaluate the next ``chunk`` enterprises of ``run`` (by id, after ``run.cursor``), store them as the
    latest results, and record the progress; the run is DONE once none is left. Each call is one
    transaction holding the run's row, so two pages stepping the same run never evaluate a chunk twice.

    Returns:
        The run as saved. A run that is not RUNNING is returned unchanged.
    """
    with transaction.atomic():
        run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
        if run.status != EvaluationRun.Status.RUNNING:
            return run
        ids = list(region_enterprises(run.region).filter(pk__gt=run.cursor).order_by("pk")
                   .values_list("pk", flat=True)[:chunk])
        if ids:
            try:
                outcome = evaluate_year(run.year, Organisation.objects.filter(pk__in=ids), user=user)
            except (LookupError, ConfigError) as exc:
                run.status, run.message, run.finished_at = EvaluationRun.Status.FAILED, str(exc)[:500], _now()
                run.save()
                return run
            run.cursor, run.done = ids[-1], run.done + len(ids)
            run.skipped += len(outcome.skipped)
            if outcome.skipped:
                notes = [f"{name}：{why}" for name, why in outcome.skipped.items()]
                run.message = "；".join(filter(None, [run.message, *notes]))[:500]
        if len(ids) < chunk:
            run.status, run.finished_at = EvaluationRun.Status.DONE, _now()
            run.total = max(run.total, run.done)
        run.save()
    return run


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def tier_of(evaluation: Evaluation, tier: Tier) -> dict[str, Any]:
    """The stored JSON of one tier's result in ``evaluation``."""
    return evaluation.result["tiers"][tier.value]


def self_assess(text: str | bytes) -> dict[str, Any]:
    """The public self-assessment: an assessment-input document (docs/assess_input.md) → the assessment
    as JSON, with the bureau's configuration (the document may not change it). Nothing is stored.

    Raises:
        CodecError: the document's problems, each with its path and a Chinese message.
        ValueError: the evaluation year is outside the years the rules cover (Chinese message).
    """
    document = load_assessment_input(text if isinstance(text, bytes) else text.encode("utf-8"),
                                     base_config=bureau_config(), allow_config=False)
    check_year(document.evaluation_date.year)
    return assessment_to_json(document.assess())


EXAMPLE_INDEX, EXAMPLE_LAST_YEAR = 61, 2025  # a demo firm passing tech SME, 15.97 万元 of R&D short of HNTE


def example_figures() -> tuple[EnterpriseFigures, dt.date]:
    """The self-assessment page's example: one demo enterprise that passes tech SME and is one condition
    short of high-tech, and its evaluation date (2026-06-30)."""
    from dataclasses import replace

    from kechuang.cultivation.demo import demo_figures

    figures = replace(demo_figures(EXAMPLE_INDEX, EXAMPLE_LAST_YEAR), name="示例科技有限公司", uscc=None)
    return figures, dt.date(EXAMPLE_LAST_YEAR + 1, 6, 30)


def example_input() -> str:
    """:func:`example_figures` as an assessment input (JSON text). (The documented example of the format
    is docs/examples/assess_example.json.)"""
    document = figures_to_json(*example_figures())
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def self_assess_forms(filled: Any) -> dict[str, Any]:
    """The public self-assessment filled as the enterprise's forms (:class:`.selfassess.SelfAssessmentForms`,
    already valid): their figures become the assessment-input JSON and go through :func:`self_assess`, so
    the verdicts are those of the same document pasted as JSON.

    Raises:
        CodecError, ValueError: as :func:`self_assess`.
    """
    return self_assess(filled.document())


# ------------------------------------------------------------------------------------------------- writes


@transaction.atomic
def save_profile(enterprise: Organisation, form: Any, formsets: Iterable[Any]) -> Any:
    """Save an enterprise's cultivation profile and its lists (certificates, IP, …) together, all or
    nothing. ``form``: a valid :class:`~kechuang.cultivation.forms.ProfileForm`; ``formsets``: valid
    list formsets bound to the enterprise.

    Raises:
        ValueError: a form or formset is not valid (the caller shows the errors first).
    """
    formsets = list(formsets)
    if not (form.is_valid() and all(fs.is_valid() for fs in formsets)):
        raise ValueError("save_profile needs valid forms")
    profile = form.save(commit=False)
    profile.enterprise = enterprise
    profile.save()
    for formset in formsets:
        formset.save()
    return profile


DUPLICATE_YEAR = "该年度数据已存在，请在列表中修改"


@transaction.atomic
def save_annual_figures(enterprise: Organisation, form: Any) -> Any:
    """Save one year's figures (:class:`~kechuang.cultivation.forms.AnnualFiguresForm`, valid; money in
    yuan after the form's unit conversion) for ``enterprise``: a new year or the year the form edits.

    Raises:
        ValidationError: another row of the enterprise already holds that year (``{"year": …}``).
        ValueError: the form is not valid.
    """
    from django.core.exceptions import ValidationError

    from kechuang.cultivation.models import AnnualFigures

    if not form.is_valid():
        raise ValueError("save_annual_figures needs a valid form")
    duplicate = AnnualFigures.objects.filter(enterprise=enterprise, year=form.cleaned_data["year"])
    if form.instance.pk:
        duplicate = duplicate.exclude(pk=form.instance.pk)
    if duplicate.exists():
        raise ValidationError({"year": [DUPLICATE_YEAR]})
    figures = form.save(commit=False)
    figures.enterprise = enterprise
    figures.save()
    return figures
