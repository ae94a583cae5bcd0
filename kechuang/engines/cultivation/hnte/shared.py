"""Constants and source helpers shared by the HNTE modules (conditions, score parts, growth)."""

from __future__ import annotations

from functools import lru_cache

from ..checks import (
    Quantity,
)
from ..config import (
    BureauConfig,
)
from ..figures import (
    ExpertInput,
    IncidentKind,
    IPKind,
)
from ..results import (
    Unit,
)
from ..sources import HT_G_DOC, HT_M_DOC, Source, ht_g

_INCIDENT_KINDS = frozenset(
    {IncidentKind.MAJOR_SAFETY, IncidentKind.MAJOR_QUALITY, IncidentKind.SERIOUS_ENVIRONMENTAL}
)
_SCORE_SECTION = "“企业创新能力评价”"


_INNOVATION_SOURCE = Source(HT_M_DOC, "第十一条第（七）项", "H", also=f"{HT_G_DOC}{_SCORE_SECTION}")
_NEW_TECH_STAFF = Quantity("科技人员（全年平均）", Unit.PERSON, adds_to_denominator=True)
_MORE_RD = Quantity("研发费用", Unit.YUAN, verb_zh="投入")
_MORE_DOMESTIC_RD = Quantity("境内研发费用", Unit.YUAN, adds_to_denominator=True, verb_zh="投入")
_MORE_HITECH_REVENUE = Quantity("高新技术产品（服务）收入", Unit.YUAN, adds_to_denominator=True)
_DEFAULT_CONFIG = BureauConfig()
_NO_EXPERT = ExpertInput()
_A_POINTS = ("A", "A1", "A2", "A3", "A4", "A5")
_A_BANDS = ("A1", "A2")
_C_POINTS = ("C", "C1", "C2", "C3", "C4")
_CLASS_OF = {kind: kind.ip_class for kind in IPKind}
_MANAGEMENT_ITEMS = {
    "C1": "研发组织管理制度、研发投入核算体系、研发费用辅助账",
    "C2": "内设研发机构及产学研合作",
    "C3": "成果转化组织实施与激励奖励制度、创新创业平台",
    "C4": "人才培养、引进与绩效评价奖励制度",
}


@lru_cache(maxsize=128)
def _g(item: str) -> Source:
    return ht_g(f"{_SCORE_SECTION}之{item}")
