"""Tiered cultivation (梯度培育) engine: evaluate an enterprise against the tech-SME (科技型中小企业),
high-tech-enterprise (高新技术企业) and gazelle (瞪羚企业) criteria and coach it (精准辅导).

Framework-free: standard library only, no Django. Entry points:

* :func:`assess` — all tiers, the next tier and the coaching list (:class:`Assessment`);
* :func:`evaluate_tsme`, :func:`evaluate_hnte`, :func:`evaluate_gazelle` — one tier (:class:`TierResult`);
* the ``check_*`` / ``score_*`` functions of :mod:`.hnte`, :mod:`.tsme`, :mod:`.gazelle` — one
  official condition or score part each, on plain figures;
* :func:`rule_parameters` — the versioned thresholds in ``rule_parameters.json``;
* :class:`BureauConfig` — the bureau's open decisions, with the spec's defaults;
* :mod:`.codec` — JSON in (:func:`load_assessment_input`, :func:`figures_from_json`, format in
  ``docs/assess_input.md``) and out (:func:`assessment_to_json`, :func:`figures_to_json`).

Rules: spec ``shared/specs/cultivation_rules.md`` (HT-M 国科发火〔2016〕32号, HT-G 国科发火〔2016〕195号,
SME-M 国科发政〔2017〕115号 with SME-G 国科火字〔2022〕67号, gazelle template §3.1). Units: money
``Decimal`` yuan, ratios ``Decimal`` fractions, persons ``Decimal`` yearly averages, counts ``int``.
Comparisons are exact; rounding is described in :mod:`.arithmetic`.

Speed (issue 6: 100,000 enterprise-years in ≤ 10 s on two cores; measured by
``python -m kechuang.engines.cultivation.bench``, see :mod:`.bench`):

* ratios are compared as ``int`` pairs by cross-multiplication (:mod:`.arithmetic`), exactly as
  with ``Fraction`` but without its per-operation cost;
* Chinese texts (``message_zh``, ``text_zh``) and score-part hints (``next_band``) are built on first
  read (:class:`.results.LazyText`, :class:`.results.LazyValue`); verdicts, scores, figures and the
  remedies of conditions are computed eagerly;
* results that depend only on a few small inputs (IP counts, evidence counts, score ranges, flags,
  expert-free score items) are computed once per rule-parameters object and shared
  (:func:`.checks.memo`); rule parameters are chosen once per year;
* a batch should write each result out and drop it: holding many results alive at once makes
  Python's cyclic garbage collector rescan them (the engine creates no reference cycles).

Interpretations chosen where the spec is silent or ambiguous (each also configurable where marked):

1. Staff averages are ``Decimal``, not ``int``: the HT-G averaging rule yields fractions (spec T04
   uses 11.9). Tech-staff remedies count **new full-year tech staff**, who raise total staff too;
   where hiring would break another condition (the tech-SME 500-staff limit), coaching offers
   reclassifying existing staff as tech staff instead (:mod:`.feasibility`).
2. HNTE window: the three fiscal years before the application year; a year counts as operated when
   the firm existed in any part of it. "当年" / "近一年" = the last fiscal year.
3. HT-C1 "一年以上" counts calendar years (29 Feb → 28 Feb), ``apply_date >= establish + 1 year``;
   ``RegistrationAgeRule.DAYS_365`` is the alternative.
4. HT-C3: the engine only checks that a field was declared; undeclared → NEEDS_REVIEW(MISSING_DATA).
5. HT-C5b with no R&D expense at all → NEEDS_REVIEW(NO_RD_EXPENSE) (0/0 is undefined; HT-C5 fails anyway).
6. HNTE IP counts only items granted in China, in force, owned, supporting the main products and not
   used by a co-owner; reused Class II items are dropped and listed. Disputes are not a HNTE exclusion
   (the spec names none); they are for the tech-SME score.
7. HT-C7 on a range: PASS when the lower bound ≥ 71, FAIL when the upper bound < 71, else
   NEEDS_REVIEW(SCORE_RANGE). Expert-only items (A1, A2, C1–C4) are ``[0, max]`` until an expert band or
   points is given; part C never gets invented sub-bands.
8. HT-G B for 0 < n < 1: band F with NEEDS_REVIEW (``TransformationBelowOne``, spec §1.3 note).
9. HT-G D: year-1 negative → last two years with NEEDS_REVIEW (``GrowthNegativeFirstYear``);
   year-2 negative → 0 points with NEEDS_REVIEW (not in the spec); two operating years → V2/V1 − 1,
   one year → 0 (``GrowthTwoOperatingYears``).
10. A5 bonus counts recognized national or industry standards, and recognized test methods and
    technical specifications of any level (HT-G 国科发火〔2016〕195号: "参与编制国家标准、行业标准、检测
    方法、技术规范"; spec §1.3 A5), of any date up to the application (the spec names no window). The
    tech-SME direct route counts led standards only (SME-M 第八条).
11. Tech SME: data of fiscal year ``Y-1``; the 6-month staff counts fall back to the HNTE counts when
    not given (``tsme_staff_fallback_to_hnte_counting``), with a note. R&D is on the super-deduction
    scope; the costs total is taken to include R&D, so extra R&D raises both sides of metric (2).
    Tech-SME IP: in force, owned, related to the main products, undisputed (China grant not required).
12. Tech-SME direct route: "近五年" = events dated on or after the same day five years before the
    evaluation date; R&D institution level provincial / ministerial or national. When both the score
    and a direct route qualify, the direct route is reported. S-C3's super-deduction industry
    exclusion is off by default (``tsme_exclude_super_deduction_industries``; spec [M]).
13. S-C4 window: 1 January of the previous fiscal year to the evaluation date.
14. Tech-SME registration is treated as valid during its year of entry only (spec §2.4 [L]).
15. Gazelle: template of spec §3.1 (default CAGR over 3 intervals, i.e. 4 data years); the verdict
    compares ``V_T / V_{T-n} >= (1 + g)^n`` exactly; base ≤ 0 → NEEDS_REVIEW(NEGATIVE_BASE); "revenue"
    = sales revenue (营业收入); R&D on the HNTE scope by default; age limit inclusive.
16. Next tier: the lowest tier above the highest passed one that is not out of reach (SIZE, AGE,
    RESIDENT failures); coaching lists score parts only when the tier's score condition is short.
17. Every coaching suggestion that changes figures is checked against all conditions of its tier on
    the changed figures (:mod:`.feasibility`, issue 11 item 17): one that would break another condition
    comes with the other changes it needs (e.g. new sales with the R&D that keeps the HNTE ratio), is
    replaced (reclassify staff instead of hiring beyond 500), or is said to have no route.
"""

from __future__ import annotations

from .coaching import assess, coaching_for, next_tier
from .codec import (
    AssessmentInput,
    CodecError,
    Problem,
    ProblemCode,
    assessment_to_json,
    expert_problems,
    figures_from_json,
    figures_to_json,
    load_assessment_input,
    parse_json,
    tier_result_to_json,
)
from .config import (
    BureauConfig,
    GrowthNegativeFirstYear,
    GrowthTwoOperatingYears,
    RegistrationAgeRule,
    ScorePoint,
    TransformationBelowOne,
)
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
    IPClass,
    IPItem,
    IPKind,
    RdInstitution,
    RdManagementEvidence,
    StandardKind,
    StandardLevel,
    StandardRecord,
    StandardRole,
    TaxMode,
    TechField,
    TsmeRegistration,
)
from .gazelle import evaluate_gazelle
from .hnte import evaluate_hnte
from .parameters import (
    GazelleTemplate,
    GrowthMethod,
    GrowthMetric,
    Prerequisite,
    RdScope,
    RuleParameters,
    rule_parameters,
)
from .results import (
    Assessment,
    CoachingItem,
    ConditionResult,
    Reason,
    Remedy,
    ScorePart,
    Tier,
    TierResult,
    Unit,
    Verdict,
)
from .tsme import evaluate_tsme

__all__ = [
    "Acquisition",
    "Assessment",
    "AssessmentInput",
    "AwardLevel",
    "AwardRecord",
    "BureauConfig",
    "CoachingItem",
    "CodecError",
    "ConditionResult",
    "EnterpriseFigures",
    "ExpertInput",
    "FiscalYearFigures",
    "GazelleTemplate",
    "GrowthMethod",
    "GrowthMetric",
    "GrowthNegativeFirstYear",
    "GrowthTwoOperatingYears",
    "HnteCertificate",
    "IPClass",
    "IPItem",
    "IPKind",
    "Incident",
    "IncidentKind",
    "InstitutionLevel",
    "Prerequisite",
    "Problem",
    "ProblemCode",
    "RdInstitution",
    "RdManagementEvidence",
    "RdScope",
    "Reason",
    "RegistrationAgeRule",
    "Remedy",
    "RuleParameters",
    "ScorePart",
    "ScorePoint",
    "StandardKind",
    "StandardLevel",
    "StandardRecord",
    "StandardRole",
    "TaxMode",
    "TechField",
    "Tier",
    "TierResult",
    "TransformationBelowOne",
    "TsmeRegistration",
    "Unit",
    "Verdict",
    "assess",
    "assessment_to_json",
    "coaching_for",
    "evaluate_gazelle",
    "expert_problems",
    "evaluate_hnte",
    "evaluate_tsme",
    "figures_from_json",
    "figures_to_json",
    "load_assessment_input",
    "next_tier",
    "parse_json",
    "rule_parameters",
    "tier_result_to_json",
]
