"""Rule parameters (thresholds, bands, points) of the cultivation engine, kept as data.

All numbers live in ``rule_parameters.json`` beside this module, in **versions** with an
``effective_from`` year, so that a later notice can change a threshold without changing code and
old evaluations can be recomputed under the rules of their year. Everything is read through one
function, :func:`rule_parameters`; a bureau may point it at its own file with the same layout.

Money is ``Decimal`` yuan, ratios ``Decimal`` fractions, points ``int``. Bands are ordered from the
highest to the lowest; the last band (``lower is None``) catches everything below.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_PARAMETERS_FILE",
    "Band",
    "GazelleTemplate",
    "GrowthMethod",
    "GrowthMetric",
    "HnteParameters",
    "Prerequisite",
    "RdRatioBand",
    "RdScope",
    "RuleParameters",
    "TsmeParameters",
    "band_index_q",
    "pick_band",
    "pick_band_q",
    "rule_parameters",
]

DEFAULT_PARAMETERS_FILE = Path(__file__).with_name("rule_parameters.json")


@dataclass(frozen=True)
class Band:
    """One scoring band: a lower bound on a value and the points (range) it earns.

    Attributes:
        label: band letter as in the official table ("A" … "F").
        lower: lower bound of the value (a fraction, a count or an average), ``None`` for the
            catch-all lowest band.
        inclusive: ``True`` when the bound itself belongs to the band (``>=``), ``False`` for ``>``.
        points_min: lowest points of the band.
        points_max: highest points of the band (equal to ``points_min`` for fixed-point bands).
    """

    label: str
    lower: Decimal | None
    inclusive: bool
    points_min: int
    points_max: int
    bound: Fraction | None = field(init=False, repr=False, compare=False)
    """The lower bound as an exact fraction (computed), ``None`` for the catch-all band."""
    bound_q: tuple[int, int] | None = field(init=False, repr=False, compare=False)
    """The lower bound as ``(numerator, denominator)`` ints (computed), ``None`` for the catch-all band."""

    def __post_init__(self) -> None:
        """Precompute the exact bound (``Fraction`` and ``int`` pair) used by :meth:`admits`."""
        pair = None if self.lower is None else self.lower.as_integer_ratio()
        object.__setattr__(self, "bound_q", pair)
        object.__setattr__(self, "bound", None if pair is None else Fraction(*pair))

    def admits(self, value: Fraction) -> bool:
        """``True`` when ``value`` (exact) is at or above this band's bound, as the bound says."""
        return self.admits_q(*value.as_integer_ratio())

    def admits_q(self, numerator: int, denominator: int) -> bool:
        """:meth:`admits` for the exact value ``numerator / denominator`` (``denominator > 0``)."""
        pair = self.bound_q
        if pair is None:
            return True
        left, right = numerator * pair[1], pair[0] * denominator
        return left >= right if self.inclusive else left > right


def pick_band(bands: Sequence[Band], value: Fraction) -> Band:
    """Return the highest band that admits ``value``.

    Raises:
        ValueError: when no band admits it (a table without a catch-all band).
    """
    return pick_band_q(bands, *value.as_integer_ratio())


def pick_band_q(bands: Sequence[Band], numerator: int, denominator: int) -> Band:
    """:func:`pick_band` for the exact value ``numerator / denominator`` (``denominator > 0``)."""
    return bands[band_index_q(bands, numerator, denominator)]


def band_index_q(bands: Sequence[Band], numerator: int, denominator: int) -> int:
    """Index in ``bands`` of :func:`pick_band_q` (the band above it, if any, is at ``index - 1``).

    Raises:
        ValueError: when no band admits the value.
    """
    for index, band in enumerate(bands):
        pair = band.bound_q
        if pair is None:
            return index
        left, right = numerator * pair[1], pair[0] * denominator
        if left > right or (left == right and band.inclusive):
            return index
    raise ValueError(f"no band admits {Fraction(numerator, denominator)}")


@dataclass(frozen=True)
class RdRatioBand:
    """HNTE R&D-intensity band (HT-M art. 11(5)): for last-year sales ``<= sales_max`` (yuan; ``None`` =
    no upper bound) the 3-year R&D ratio must be ``>= ratio_min``."""

    sales_max: Decimal | None
    ratio_min: Decimal


@dataclass(frozen=True)
class HnteParameters:
    """HNTE parameters (HT-M art. 11; HT-G 企业创新能力评价). See ``rule_parameters.json`` for values."""

    min_registration_years: int
    fiscal_years_window: int
    tech_staff_ratio_min: Decimal
    rd_ratio_bands: tuple[RdRatioBand, ...]
    rd_domestic_share_min: Decimal
    hitech_revenue_share_min: Decimal
    innovation_score_min: int
    incident_lookback_years: int
    part_max: Mapping[str, int]
    item_max: Mapping[str, int]
    expert_bands: tuple[Band, ...]
    ip_quantity_class_i: Band
    ip_quantity_class_ii_bands: tuple[Band, ...]
    ip_acquisition_self_developed: tuple[int, int]
    ip_acquisition_other_only: tuple[int, int]
    standards_bonus: tuple[int, int]
    transformation_bands: tuple[Band, ...]
    growth_bands: tuple[Band, ...]

    def rd_ratio_threshold(self, last_year_sales: Decimal) -> Decimal:
        """Minimum 3-year R&D ratio for the given most-recent-year sales revenue (yuan)."""
        for band in self.rd_ratio_bands:
            if band.sales_max is None or last_year_sales <= band.sales_max:
                return band.ratio_min
        raise ValueError("rd_ratio_bands has no open-ended last band")


@dataclass(frozen=True)
class TsmeParameters:
    """Tech-SME parameters (SME-M arts. 6–8, SME-G). See ``rule_parameters.json`` for values."""

    staff_max: Decimal
    sales_revenue_max: Decimal
    total_assets_max: Decimal
    pass_score: int
    tech_staff_bands: tuple[Band, ...]
    rd_sales_bands: tuple[Band, ...]
    rd_cost_bands: tuple[Band, ...]
    ip_class_i_points: int
    ip_class_ii_bands: tuple[Band, ...]
    part_max: Mapping[str, int]
    direct_route_lookback_years: int
    direct_award_rank_max: int


class Prerequisite(StrEnum):
    """Status a gazelle candidate must already hold (spec §3.1 ``prerequisite_status``)."""

    HNTE = "HNTE"
    HNTE_OR_TSME = "HNTE_OR_TSME"


class GrowthMetric(StrEnum):
    """Figure whose growth a gazelle template measures (spec §3.1 ``growth_metric``)."""

    REVENUE = "REVENUE"
    NET_PROFIT = "NET_PROFIT"
    EMPLOYEES = "EMPLOYEES"


class GrowthMethod(StrEnum):
    """How "近三年年均增长率" is computed (spec §3.1 ambiguity): compound rate over ``n`` intervals
    (methods (a) n=3 and (b) n=2), or the arithmetic mean of the ``n`` yearly rates (method (c))."""

    CAGR = "CAGR"
    MEAN_OF_YEARLY_RATES = "MEAN_OF_YEARLY_RATES"


class RdScope(StrEnum):
    """Which R&D expense figure a gazelle template uses."""

    HNTE = "HNTE"
    SUPER_DEDUCTION = "SUPER_DEDUCTION"


@dataclass(frozen=True)
class GazelleTemplate:
    """The parameterized gazelle template of spec §3.1 [L]; all values are the bureau's to set.

    Attributes:
        must_be_local_legal_person: the enterprise must be a legal person registered locally.
        prerequisite: :class:`Prerequisite` status already held.
        max_age_years: at most this many years since establishment (``<=``); ``None`` = no limit.
        base_revenue_min: revenue of the base year ``T-n`` must be ``>=`` this (yuan); ``None`` = none.
        last_year_revenue_max: revenue of year ``T`` must be ``<=`` this (yuan); ``None`` = none.
        growth_metric: :class:`GrowthMetric`.
        growth_method: :class:`GrowthMethod`.
        growth_intervals: number of yearly intervals ``n`` (data years = ``n + 1``).
        growth_min: minimum growth rate (fraction, ``>=``).
        large_firm_revenue_over: revenue (yuan) above which ``growth_min_large_firm`` applies; ``None``.
        growth_min_large_firm: the lower growth minimum for large firms; ``None``.
        rd_ratio_min: minimum R&D ÷ sales revenue of year ``T`` (fraction, ``>=``); ``None`` = none.
        rd_scope: :class:`RdScope` of the R&D figure.
        no_violation_years: years before the evaluation date without an incident or breach.
    """

    must_be_local_legal_person: bool = True
    prerequisite: Prerequisite = Prerequisite.HNTE
    max_age_years: int | None = 10
    base_revenue_min: Decimal | None = Decimal("10000000")
    last_year_revenue_max: Decimal | None = None
    growth_metric: GrowthMetric = GrowthMetric.REVENUE
    growth_method: GrowthMethod = GrowthMethod.CAGR
    growth_intervals: int = 3
    growth_min: Decimal = Decimal("0.20")
    large_firm_revenue_over: Decimal | None = None
    growth_min_large_firm: Decimal | None = None
    rd_ratio_min: Decimal | None = Decimal("0.03")
    rd_scope: RdScope = RdScope.HNTE
    no_violation_years: int = 3

    def __post_init__(self) -> None:
        """Raise ``ValueError`` for ``growth_intervals < 1`` or a half-set large-firm rule."""
        if self.growth_intervals < 1:
            raise ValueError("growth_intervals must be >= 1")
        if (self.large_firm_revenue_over is None) != (self.growth_min_large_firm is None):
            raise ValueError("set both large_firm_revenue_over and growth_min_large_firm, or neither")


@dataclass(frozen=True)
class RuleParameters:
    """One version of all rule parameters.

    Attributes:
        version: version id, recorded in every result.
        effective_from: first fiscal/evaluation year this version applies to.
        hnte: :class:`HnteParameters`.
        tsme: :class:`TsmeParameters`.
        gazelle_template: default :class:`GazelleTemplate` (the bureau may replace it).
    """

    version: str
    effective_from: int
    hnte: HnteParameters
    tsme: TsmeParameters
    gazelle_template: GazelleTemplate

    def with_gazelle(self, template: GazelleTemplate | None) -> RuleParameters:
        """Return a copy using ``template`` (unchanged when ``None``)."""
        return self if template is None else replace(self, gazelle_template=template)


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError("rule parameters: write numbers as strings or integers, not floats")
    return Decimal(str(value))


def _req_dec(value: Any) -> Decimal:
    result = _dec(value)
    if result is None:
        raise ValueError("rule parameters: a required number is null")
    return result


def _pair(value: Sequence[int]) -> tuple[int, int]:
    low, high = int(value[0]), int(value[1])
    if not 0 <= low <= high:
        raise ValueError(f"rule parameters: bad points range {value!r}")
    return low, high


def _bands(rows: Sequence[Mapping[str, Any]]) -> tuple[Band, ...]:
    bands = tuple(
        Band(
            label=str(row["label"]),
            lower=_dec(row.get("lower")),
            inclusive=bool(row.get("inclusive", True)),
            points_min=_pair(row["points"])[0],
            points_max=_pair(row["points"])[1],
        )
        for row in rows
    )
    if not bands or bands[-1].lower is not None:
        raise ValueError("rule parameters: a band table must end with a catch-all band (lower: null)")
    return bands


def _hnte(data: Mapping[str, Any]) -> HnteParameters:
    class_i = data["ip_quantity_class_i"]
    expert = tuple(
        Band(str(r["label"]), None, True, _pair(r["points"])[0], _pair(r["points"])[1])
        for r in data["expert_bands"]
    )
    return HnteParameters(
        min_registration_years=int(data["min_registration_years"]),
        fiscal_years_window=int(data["fiscal_years_window"]),
        tech_staff_ratio_min=_req_dec(data["tech_staff_ratio_min"]),
        rd_ratio_bands=tuple(
            RdRatioBand(sales_max=_dec(r["sales_max"]), ratio_min=_req_dec(r["ratio_min"]))
            for r in data["rd_ratio_bands"]
        ),
        rd_domestic_share_min=_req_dec(data["rd_domestic_share_min"]),
        hitech_revenue_share_min=_req_dec(data["hitech_revenue_share_min"]),
        innovation_score_min=int(data["innovation_score_min"]),
        incident_lookback_years=int(data["incident_lookback_years"]),
        part_max={str(k): int(v) for k, v in data["part_max"].items()},
        item_max={str(k): int(v) for k, v in data["item_max"].items()},
        expert_bands=expert,
        ip_quantity_class_i=Band(
            str(class_i["label"]), _dec(class_i["min_count"]), True, *_pair(class_i["points"])
        ),
        ip_quantity_class_ii_bands=_bands(data["ip_quantity_class_ii_bands"]),
        ip_acquisition_self_developed=_pair(data["ip_acquisition"]["self_developed"]),
        ip_acquisition_other_only=_pair(data["ip_acquisition"]["other_only"]),
        standards_bonus=_pair(data["standards_bonus"]),
        transformation_bands=_bands(data["transformation_bands"]),
        growth_bands=_bands(data["growth_bands"]),
    )


def _tsme(data: Mapping[str, Any]) -> TsmeParameters:
    return TsmeParameters(
        staff_max=_req_dec(data["staff_max"]),
        sales_revenue_max=_req_dec(data["sales_revenue_max"]),
        total_assets_max=_req_dec(data["total_assets_max"]),
        pass_score=int(data["pass_score"]),
        tech_staff_bands=_bands(data["tech_staff_bands"]),
        rd_sales_bands=_bands(data["rd_sales_bands"]),
        rd_cost_bands=_bands(data["rd_cost_bands"]),
        ip_class_i_points=int(data["ip_class_i_points"]),
        ip_class_ii_bands=_bands(data["ip_class_ii_bands"]),
        part_max={str(k): int(v) for k, v in data["part_max"].items()},
        direct_route_lookback_years=int(data["direct_route_lookback_years"]),
        direct_award_rank_max=int(data["direct_award_rank_max"]),
    )


def _gazelle(data: Mapping[str, Any]) -> GazelleTemplate:
    return GazelleTemplate(
        must_be_local_legal_person=bool(data["must_be_local_legal_person"]),
        prerequisite=Prerequisite(data["prerequisite"]),
        max_age_years=None if data["max_age_years"] is None else int(data["max_age_years"]),
        base_revenue_min=_dec(data["base_revenue_min"]),
        last_year_revenue_max=_dec(data["last_year_revenue_max"]),
        growth_metric=GrowthMetric(data["growth_metric"]),
        growth_method=GrowthMethod(data["growth_method"]),
        growth_intervals=int(data["growth_intervals"]),
        growth_min=_req_dec(data["growth_min"]),
        large_firm_revenue_over=_dec(data["large_firm_revenue_over"]),
        growth_min_large_firm=_dec(data["growth_min_large_firm"]),
        rd_ratio_min=_dec(data["rd_ratio_min"]),
        rd_scope=RdScope(data["rd_scope"]),
        no_violation_years=int(data["no_violation_years"]),
    )


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[RuleParameters, ...]:
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle, parse_float=Decimal)
    versions = tuple(
        RuleParameters(
            version=str(v["version"]),
            effective_from=int(v["effective_from"]),
            hnte=_hnte(v["hnte"]),
            tsme=_tsme(v["tsme"]),
            gazelle_template=_gazelle(v["gazelle_template"]),
        )
        for v in raw["versions"]
    )
    if len({v.version for v in versions}) != len(versions):
        raise ValueError(f"{path}: duplicate version ids")
    return tuple(sorted(versions, key=lambda v: v.effective_from))


def rule_parameters(year: int, path: str | Path | None = None) -> RuleParameters:
    """Return the rule parameters in force for ``year``: the version with the latest
    ``effective_from <= year``.

    Args:
        year: evaluation year (the year of the application / assessment).
        path: a parameters file with the layout of ``rule_parameters.json``; default: that file.

    Returns:
        :class:`RuleParameters` (cached per file; the objects are immutable).

    Raises:
        LookupError: when no version is in force for ``year``.
        OSError, json.JSONDecodeError, KeyError, ValueError, TypeError: for a missing or malformed file.
    """
    key = (year, path)
    cached = _CHOSEN.get(key)
    if cached is not None:
        return cached
    versions = _load(str(path or DEFAULT_PARAMETERS_FILE))
    chosen = None
    for version in versions:
        if version.effective_from <= year:
            chosen = version
    if chosen is None:
        raise LookupError(f"no cultivation rule parameters in force for {year}")
    if len(_CHOSEN) < 1024:
        _CHOSEN[key] = chosen
    return chosen


_CHOSEN: dict[tuple[int, str | Path | None], RuleParameters] = {}
"""``(year, path) -> version`` already chosen (the versions of a file are cached by :func:`_load`)."""


def first_year(path: str | Path | None = None) -> int:
    """The first year any rule version applies to (the earliest ``effective_from``).

    Raises:
        LookupError: the file has no version.
    """
    versions = _load(str(path or DEFAULT_PARAMETERS_FILE))
    if not versions:
        raise LookupError("no cultivation rule parameters")
    return versions[0].effective_from
