"""High-tech enterprise (高新技术企业, HNTE): the conditions of HT-M art. 11 and the
innovation-capability score of HT-G.

Sources: HT-M = 《高新技术企业认定管理办法》国科发火〔2016〕32号; HT-G = 《高新技术企业认定管理
工作指引》国科发火〔2016〕195号 (spec ``cultivation_rules.md`` §1). Every check names its article.

Windows, for an application on ``apply_date`` in year ``Y``:

* "近三个会计年度" = fiscal years ``Y-3, Y-2, Y-1``; a firm operating for less than three years uses
  the years it operated in (a year counts when the firm existed during any part of it).
* "近一年" / "当年" (tech staff, high-tech revenue, R&D band) = fiscal year ``Y-1``.
* "申请认定前一年内" (incidents) = ``[apply_date - 1 year, apply_date]``.

Scores are integer ranges ``[score_min, score_max]``; expert-only items are ``[0, max]`` unless
:class:`.figures.ExpertInput` gives a band or points. HT-C7 passes only when the whole range is at
or above 71, fails when all of it is below, and is NEEDS_REVIEW(SCORE_RANGE) otherwise.

The package is split by idea: :mod:`.conditions` (HT-C0 … HT-C8), :mod:`.score` (innovation score parts
A–C), :mod:`.growth` (part D, growth arithmetic) and :mod:`.evaluate` (:func:`evaluate_hnte`,
:func:`near_pass`); every public name is importable from ``kechuang.engines.cultivation.hnte``.
"""

from __future__ import annotations

from .conditions import (
    HnteIpSelection,
    check_hitech_revenue,
    check_innovation_score,
    check_ip_owned,
    check_no_major_incident,
    check_rd_domestic,
    check_rd_ratio,
    check_registration_age,
    check_resident,
    check_tech_field,
    check_tech_staff,
    select_hnte_ip,
)
from .evaluate import evaluate_hnte, innovation_parts, near_pass
from .growth import GrowthRate, growth_rate, score_growth, score_growth_item
from .score import score_ip, score_ip_quantity, score_management, score_transformation

__all__ = [
    "GrowthRate",
    "HnteIpSelection",
    "check_hitech_revenue",
    "check_innovation_score",
    "check_ip_owned",
    "check_no_major_incident",
    "check_rd_domestic",
    "check_rd_ratio",
    "check_registration_age",
    "check_resident",
    "check_tech_field",
    "check_tech_staff",
    "evaluate_hnte",
    "growth_rate",
    "innovation_parts",
    "near_pass",
    "score_growth",
    "score_growth_item",
    "score_ip",
    "score_ip_quantity",
    "score_management",
    "score_transformation",
    "select_hnte_ip",
]
