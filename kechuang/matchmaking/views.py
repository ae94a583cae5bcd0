"""Pages of matchmaking: the matches panel of a record (htmx), turning a match into a record, the
records with their funnel, and their transitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kechuang.common.access import ADD, get_for_user, is_staff_of, role_allows
from kechuang.common.export import xlsx_response
from kechuang.common.workflow import available_transitions
from kechuang.market.models import Achievement, Demand, Expert
from kechuang.matchmaking.collections import COLLECTIONS, DIRECTIONS
from kechuang.matchmaking.filters import MatchRecordFilter
from kechuang.matchmaking.forms import RecommendForm, TransitionForm
from kechuang.matchmaking.funnel import funnels
from kechuang.matchmaking.models import MatchRecord
from kechuang.matchmaking.services import matches_for, move, recommend
from kechuang.matchmaking.tables import MATCH_RECORD_TABLE

KINDS = {"demand": Demand, "achievement": Achievement, "expert": Expert}


@login_required
def matches_panel(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Top matches of a demand, achievement or expert in every direction, explained (htmx fragment)."""
    model = KINDS.get(kind)
    if model is None:
        raise PermissionDenied
    obj = get_for_user(model, request.user, pk)
    sections = [(COLLECTIONS[c].label, c, matches_for(obj, c, request.user, 8)) for c in DIRECTIONS[model]]
    if role_allows(request.user, MatchRecord, ADD):
        # A match can become a matchmaking record only with a demand on one side, by staff over it.
        for _, collection, matches in sections:
            for match in matches:
                demand = obj if kind == "demand" else match.record if collection == "demands" else None
                match.recordable = demand is not None and is_staff_of(request.user, demand)
    return render(request, "matchmaking/_matches.html", {"obj": obj, "kind": kind, "sections": sections})


@login_required
@require_POST
def make_record(request: HttpRequest) -> HttpResponse:
    """Staff turn a shown match into a matchmaking record (status 已推荐); the record's score and
    explanation are recomputed by the matching service, never read from the form."""
    form = RecommendForm(request.POST)
    if not form.is_valid():
        if "collection" in form.errors:
            raise PermissionDenied("未知的对接对象")
        if "demand" in form.errors or "target" in form.errors:
            raise Http404("记录不存在或无权访问")
        messages.error(request, "；".join(f"{form.fields[name].label}：{e}" for name, errors in form.errors.items()
                                         for e in errors))
        return redirect(safe_next(request))
    data = form.cleaned_data
    demand = get_for_user(Demand, request.user, data["demand"])
    if not is_staff_of(request.user, demand):
        raise PermissionDenied("只有该需求所在地的科技部门人员可以创建对接记录")
    counterpart = get_for_user(COLLECTIONS[data["collection"]].model, request.user, data["target"])
    next_url = safe_next(request)
    try:  # the score and explanation are the server's (recommend), whatever the form posts
        record, created = recommend(demand, counterpart, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(next_url)
    if created:
        messages.success(request, f"已创建对接记录：{record}")
    else:
        messages.info(request, f"该对接记录已存在（{record.get_status_display()}）：{record}")
    return redirect(next_url)


def safe_next(request: HttpRequest, default: str = "matchmaking:record-list") -> str:
    """The ``next`` address of the request when it stays on this site (same host, http(s), no scheme
    tricks), else ``default`` — never a redirect to another host."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    records = MatchRecordFilter(request.GET or None, queryset=MatchRecord.objects.visible_to(request.user).select_related(
        "demand", "achievement", "expert", "organisation", "region")).qs
    status = request.GET.get("status")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(MATCH_RECORD_TABLE, records, "对接记录")
    rows = [(r, available_transitions(r, request.user)) for r in records[:500]]
    return render(request, "matchmaking/records.html", {
        "rows": rows, "funnels": funnels(request.user), "title": "对接记录", "status": status,
    })


@login_required
@require_POST
def record_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    record = get_for_user(MatchRecord, request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for e in form.errors["comment"]))
        return redirect("matchmaking:record-list")
    try:
        move(record, name, request.user, form.cleaned_data["comment"])
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"对接记录已变为“{record.get_status_display()}”")
    return redirect("matchmaking:record-list")
