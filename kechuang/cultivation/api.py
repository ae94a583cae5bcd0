"""REST endpoints of tiered cultivation: the public self-assessment, evaluations (list with the page's
filters, detail, evaluate now) and an enterprise's yearly figures (amounts in yuan here; the pages show
万元). Same access rules as the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, create_model

from kechuang.common.access import ADD, CHANGE, get_for_user
from kechuang.common.api_crud import Errors, invalid
from kechuang.common.api_pages import page_of
from kechuang.cultivation.figures import YEAR_FIELDS, MissingProfile
from kechuang.cultivation.filters import EvaluationFilter
from kechuang.cultivation.forms import AnnualFiguresForm
from kechuang.cultivation.models import AnnualFigures, CultivatedEnterprise, Evaluation, EvaluationSource
from kechuang.cultivation.services import evaluate_enterprise, save_annual_figures, self_assess
from kechuang.engines.cultivation.codec import CodecError

router = Router(tags=["梯度培育"])


class EvaluationOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    year: int
    evaluation_date: date
    rule_version: str
    highest_tier: str
    next_tier: str
    tsme_label: str
    hnte_label: str
    hnte_score_min: int | None
    hnte_score_max: int | None
    gazelle_label: str
    near_hnte: bool
    is_latest: bool
    created_at: datetime


class EvaluationDetail(EvaluationOut):
    result: dict[str, Any]


class EvaluationPage(Schema):
    items: list[EvaluationOut]
    count: int


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


#: One year's figures (the engine's ``FiscalYearFigures`` fields): amounts in yuan (decimal strings keep
#: them exact), persons as yearly averages; fields left out keep their value, null clears one.
FiguresIn = create_model(  # type: ignore[call-overload]  # fields given as one dict (pydantic's API)
    "FiguresIn", __base__=_Strict,
    **{name: ((int | None) if name == "achievements_transformed" else (Decimal | None), None) for name in YEAR_FIELDS},
)


class FiguresOut(Schema):
    year: int
    figures: dict[str, Any]


def _evaluation(e: Evaluation, full: bool = False) -> dict[str, Any]:
    data = {name: getattr(e, name) for name in EvaluationOut.model_fields if hasattr(e, name)}
    data["enterprise_name"] = e.enterprise.name
    if full:
        data["result"] = e.result
    return data


def _problems(exc: CodecError) -> dict[str, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        errors.setdefault(problem.path, []).append(problem.message_zh)
    return {"errors": errors}


@router.post("/assess", auth=None, response={200: dict[str, Any], 422: Errors}, summary="企业梯度自测（无需登录）",
             openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}},
                                            "description": "企业数据，格式见 docs/assess_input.md（金额单位：元）"}})
def assess(request: HttpRequest):
    """Figures in (the ``kechuang assess`` format), verdicts, score ranges and coaching out. Nothing is
    stored; the bureau's configuration applies."""
    try:
        return self_assess(request.body)
    except CodecError as exc:
        return Status(422, _problems(exc))
    except (LookupError, ValueError) as exc:
        return Status(422, {"errors": {"evaluation_date": [str(exc)]}})


@router.get("/evaluations", response={200: EvaluationPage, 422: Errors}, summary="评估结果列表（各企业各年度最新）")
def evaluations(request: HttpRequest, q: str = "", year: int | None = None, pool: str = "", region: int | None = None,
                section: str = "", highest_tier: str = "", hnte_verdict: str = "", page: int = 1, page_size: int = 50):
    params = {k: v for k, v in {"q": q, "year": year, "pool": pool, "region": region, "section": section,
                                "highest_tier": highest_tier, "hnte_verdict": hnte_verdict}.items() if v}
    base = Evaluation.objects.visible_to(request.user).filter(is_latest=True).select_related("enterprise")
    filterset = EvaluationFilter(params, queryset=base)
    if not filterset.is_valid():
        return invalid(filterset)
    return page_of(filterset.qs.order_by("enterprise_id", "-year"), page, page_size, _evaluation)


@router.get("/evaluations/{evaluation_id}", response=EvaluationDetail, summary="一次评估的完整结果")
def evaluation(request: HttpRequest, evaluation_id: int):
    return _evaluation(get_for_user(Evaluation.objects.select_related("enterprise"), request.user, evaluation_id),
                       full=True)


@router.post("/enterprises/{enterprise_id}/evaluate", response={200: EvaluationDetail, 422: Errors},
             summary="按平台数据立即评估一家企业")
def evaluate(request: HttpRequest, enterprise_id: int, year: int = Query(..., description="评估年度")):
    org = get_for_user(CultivatedEnterprise, request.user, enterprise_id, ADD)
    try:
        result = evaluate_enterprise(org, year, user=request.user, source=EvaluationSource.API)
    except (MissingProfile, LookupError, ValueError) as exc:
        return Status(422, {"errors": {"enterprise": [str(exc)]}})
    return _evaluation(result, full=True)


def _figures(row: AnnualFigures) -> dict[str, Any]:
    return {"year": row.year, "figures": {name: getattr(row, name) for name in YEAR_FIELDS}}


@router.get("/enterprises/{enterprise_id}/figures", response=list[FiguresOut], summary="企业年度数据（金额单位：元）")
def figures(request: HttpRequest, enterprise_id: int):
    org = get_for_user(CultivatedEnterprise, request.user, enterprise_id)
    return [_figures(row) for row in AnnualFigures.objects.filter(enterprise=org).order_by("year")]


@router.put("/enterprises/{enterprise_id}/figures/{year}", response={200: FiguresOut, 422: Errors},
            summary="填报或修改某一年度数据（金额单位：元；未给出的项保持原值）")
def put_figures(request: HttpRequest, enterprise_id: int, year: int, payload: FiguresIn):  # type: ignore[valid-type]  # schema made at import
    org = get_for_user(CultivatedEnterprise, request.user, enterprise_id, CHANGE)
    instance = AnnualFigures.objects.filter(enterprise=org, year=year).first() or AnnualFigures(enterprise=org,
                                                                                              year=year)
    data = {name: getattr(instance, name) for name in YEAR_FIELDS}
    data.update(payload.model_dump(exclude_unset=True))  # type: ignore[attr-defined]  # FiguresIn (see above)
    data = {k: ("" if v is None else str(v)) for k, v in data.items()}
    form = AnnualFiguresForm({**data, "year": str(year)}, instance=instance, money_unit="元")
    if not form.is_valid():
        return invalid(form)
    try:
        saved = save_annual_figures(org, form)
    except ValidationError as exc:
        return Status(422, {"errors": exc.message_dict})
    return _figures(saved)

