"""REST endpoints of matching: the explained matches of a record, among what the caller may see."""

from django.http import HttpRequest
from ninja import Router, Schema

from kechuang.common.access import get_for_user
from kechuang.common.api_errors import InputError
from kechuang.matchmaking.collections import DIRECTIONS
from kechuang.matchmaking.services import matches_for
from kechuang.matchmaking.views import KINDS

router = Router(tags=["供需对接"])


class MatchOut(Schema):
    collection: str
    id: int
    title: str
    rank: int
    score: float
    matched_terms: list[str]
    parts: dict[str, dict[str, float]]
    reasons: dict[str, str]
    summary: str


@router.get("/{kind}/{record_id}/matches", response=list[MatchOut],
            summary="记录的推荐匹配（kind: demand/achievement/expert；target: achievements/experts/institutions/"
                    "demands/enterprises）")
def record_matches(request: HttpRequest, kind: str, record_id: int, target: str, top: int = 10):
    model = KINDS.get(kind)
    if model is None or target not in DIRECTIONS[model]:
        raise InputError({"target": [f"{kind} 不能与 {target} 匹配"]})
    if not 1 <= top <= 50:
        raise InputError({"top": ["应在 1–50 之间"]})
    obj = get_for_user(model, request.user, record_id)
    return [MatchOut(collection=m.collection, id=m.record.pk, title=str(m.record), rank=m.rank, score=m.score,
                     matched_terms=list(m.matched_terms), parts=m.parts, reasons=m.reasons, summary=m.summary)
            for m in matches_for(obj, target, request.user, top)]
