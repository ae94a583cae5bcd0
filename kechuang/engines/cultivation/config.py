"""The bureau's open decisions (spec ``open_decisions.md`` items 1–3) as one configuration object.

Defaults are the spec's recommendations; no city is wired in. The numeric thresholds live in
``rule_parameters.json`` (see :mod:`.parameters`); this object only picks among interpretations and
may replace the gazelle template.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .parameters import GazelleTemplate, RuleParameters, rule_parameters

__all__ = [
    "BureauConfig",
    "GrowthNegativeFirstYear",
    "GrowthTwoOperatingYears",
    "RegistrationAgeRule",
    "ScorePoint",
    "TransformationBelowOne",
]


class ScorePoint(StrEnum):
    """Which single point to quote inside a score range (spec §0 "Score ranges"; default lower bound)."""

    LOWER = "LOWER"
    UPPER = "UPPER"
    MIDPOINT = "MIDPOINT"  # rounded down to an integer

    def pick(self, low: int, high: int) -> int:
        """Return the quoted point of ``[low, high]``."""
        if self is ScorePoint.LOWER:
            return low
        if self is ScorePoint.UPPER:
            return high
        return (low + high) // 2


class TransformationBelowOne(StrEnum):
    """HNTE part B when 0 < yearly average < 1 (spec §1.3 B note [M]; open decision 3)."""

    F_NEEDS_REVIEW = "F_NEEDS_REVIEW"  # band F (0 points) and NEEDS_REVIEW: an expert may still give E
    E = "E"  # band E (1–6 points)


class GrowthNegativeFirstYear(StrEnum):
    """HNTE part D when the year-1 value is negative (spec §1.3 D edge rules [L]; open decision 3)."""

    LAST_TWO_YEARS_NEEDS_REVIEW = "LAST_TWO_YEARS_NEEDS_REVIEW"  # like "= 0": r = V3/V2 - 1, flagged
    ZERO = "ZERO"  # 0 points


class GrowthTwoOperatingYears(StrEnum):
    """HNTE part D for an enterprise with only two operating years in the window ([L]; open decision 3)."""

    SINGLE_RATE = "SINGLE_RATE"  # r = V2/V1 - 1 (the common encoding)
    ZERO = "ZERO"


class RegistrationAgeRule(StrEnum):
    """How "注册成立一年以上" (HT-M art. 11(1)) is counted (spec §1.1 HT-C1)."""

    CALENDAR = "CALENDAR"  # apply_date >= establish_date + 1 calendar year (29 Feb -> 28 Feb)
    DAYS_365 = "DAYS_365"  # apply_date >= establish_date + 365 days


@dataclass(frozen=True)
class BureauConfig:
    """The bureau's choices. Every field has the spec's default.

    Attributes:
        rule_year: year whose rule parameters to use; ``None`` = the evaluation year.
        parameters_file: another parameters file (layout of ``rule_parameters.json``); ``None`` = built-in.
        gazelle: the bureau's gazelle template; ``None`` = the template in the parameters file
            (spec §3.1 defaults). Open decision 1.
        score_point: :class:`ScorePoint` quoted inside expert-judged ranges.
        transformation_below_one: :class:`TransformationBelowOne`.
        growth_negative_first_year: :class:`GrowthNegativeFirstYear`.
        growth_two_operating_years: :class:`GrowthTwoOperatingYears`.
        registration_age_rule: :class:`RegistrationAgeRule`.
        tsme_exclude_super_deduction_industries: also bar tech SMEs in industries excluded from the
            super deduction (one 2023 provincial notice, spec §2.1 S-C3 [M]). Default ``False``.
        tsme_staff_fallback_to_hnte_counting: when the tech-SME staff counts (6-month rule) are not
            given, use the HNTE counts (183-day rule) and say so. Default ``True``.
    """

    rule_year: int | None = None
    parameters_file: Path | None = None
    gazelle: GazelleTemplate | None = None
    score_point: ScorePoint = ScorePoint.LOWER
    transformation_below_one: TransformationBelowOne = TransformationBelowOne.F_NEEDS_REVIEW
    growth_negative_first_year: GrowthNegativeFirstYear = GrowthNegativeFirstYear.LAST_TWO_YEARS_NEEDS_REVIEW
    growth_two_operating_years: GrowthTwoOperatingYears = GrowthTwoOperatingYears.SINGLE_RATE
    registration_age_rule: RegistrationAgeRule = RegistrationAgeRule.CALENDAR
    tsme_exclude_super_deduction_industries: bool = False
    tsme_staff_fallback_to_hnte_counting: bool = True

    def parameters(self, evaluation_year: int) -> RuleParameters:
        """Rule parameters for ``evaluation_year`` (or :attr:`rule_year`), with the bureau's gazelle
        template applied. Raises ``LookupError`` as :func:`.parameters.rule_parameters` does."""
        params = rule_parameters(self.rule_year or evaluation_year, self.parameters_file)
        return params.with_gazelle(self.gazelle)
