"""Official sources cited by the cultivation engine (document number and article).

Article numbers follow spec ``cultivation_rules.md``; ``confidence`` repeats its mark
(H = checked in two copies, M = one copy or practice, L = placeholder / template).
:class:`Source` is the rule kit's (:mod:`kechuang.engines.rulekit.source`), importable from here.

The constructors :func:`ht_m`, :func:`ht_g`, :func:`sme` and :func:`gazelle` are cached: a
:class:`Source` is immutable, so every check of one article shares one object.
"""

from __future__ import annotations

from functools import lru_cache

from kechuang.engines.rulekit.source import Source

__all__ = ["Source", "gazelle", "ht_g", "ht_m", "sme"]

HT_M_DOC = "国科发火〔2016〕32号"
"""《高新技术企业认定管理办法》 (HT-M)."""
HT_G_DOC = "国科发火〔2016〕195号"
"""《高新技术企业认定管理工作指引》 (HT-G)."""
SME_M_DOC = "国科发政〔2017〕115号"
"""《科技型中小企业评价办法》 (SME-M)."""
SME_G_DOC = "国科火字〔2022〕67号"
"""《科技型中小企业评价服务工作指引》 (SME-G)."""
GAZELLE_DOC = "瞪羚企业认定模板（参照 GB/T 41464-2022，待本地文件确认）"
"""Spec §3.1 template; no provincial or city text at hand [L]."""


@lru_cache(maxsize=512)
def ht_m(article: str, confidence: str = "H") -> Source:
    """A source in HT-M (国科发火〔2016〕32号)."""
    return Source(HT_M_DOC, article, confidence)


@lru_cache(maxsize=512)
def ht_g(section: str, confidence: str = "H") -> Source:
    """A source in HT-G (国科发火〔2016〕195号); ``section`` names the part of the guideline."""
    return Source(HT_G_DOC, section, confidence)


@lru_cache(maxsize=512)
def sme(article: str, confidence: str = "H") -> Source:
    """A source in SME-M (国科发政〔2017〕115号), cited together with SME-G (spec §2.0)."""
    return Source(SME_M_DOC, article, confidence, also=SME_G_DOC)


GAZELLE_PARAMETERS_ZH = {
    "must_be_local_legal_person": "本地独立法人要求",
    "prerequisite_status": "前置资质要求",
    "max_age_years": "成立年限上限",
    "base_revenue_min": "基期营业收入下限",
    "last_year_revenue_max": "上年营业收入上限",
    "rd_ratio_min": "研发投入强度下限",
    "no_violation_years": "无违法违规记录年限",
}
"""Chinese names of the gazelle template's parameters (spec §3.1), as cited to users."""


@lru_cache(maxsize=512)
def gazelle(item: str) -> Source:
    """A gazelle-template parameter (spec §3.1, confidence L); ``item`` names the parameter (its Chinese
    name from :data:`GAZELLE_PARAMETERS_ZH` is cited) or is already a Chinese description."""
    name = GAZELLE_PARAMETERS_ZH.get(item, item)
    return Source(GAZELLE_DOC, name if name.startswith("之") else f"之{name}", "L")
