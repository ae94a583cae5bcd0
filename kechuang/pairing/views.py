"""Pages of pairing campaigns: list, create, preview/compute, swap, publish, export; and "my pairings"
for experts and enterprises."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.common.access import ADD, CHANGE, can, get_for_user, is_region_staff, role_allows
from kechuang.common.export import xlsx_response
from kechuang.common.history import history_rows
from kechuang.common.imports import ImportFileError
from kechuang.common.uploads import refused
from kechuang.common.workflow import available_transitions
from kechuang.core.facts import section_name
from kechuang.pairing import participants, services
from kechuang.pairing.choices import CampaignStatus, ParticipantKind
from kechuang.pairing.filters import EnterpriseCandidateFilter, ExpertCandidateFilter
from kechuang.pairing.forms import (
    CampaignForm,
    ListUploadForm,
    PublishForm,
    RespondForm,
    ServiceVisitForm,
    SwapForm,
    WithdrawForm,
)
from kechuang.pairing.models import Pairing, PairingCampaign, ServiceVisit, side_of
from kechuang.pairing.tables import PAIRING_TABLE


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = PairingCampaign.objects.visible_to(request.user).select_related("region")
    return render(request, "pairing/list.html", {
        "campaigns": campaigns, "may_create": role_allows(request.user, PairingCampaign, ADD), "title": "科技博士进企业"})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not role_allows(request.user, PairingCampaign, ADD):
        raise PermissionDenied("只有科技部门人员可以组织结对活动")
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = services.create_campaign(form, request.user)
        messages.success(request, f"已创建活动“{campaign}”，请选择参与的企业和专家")
        return redirect("pairing:participants", pk=campaign.pk, kind=ParticipantKind.ENTERPRISES)
    return render(request, "pairing/form.html", {"form": form, "title": "新建结对活动"})


def industry_label(code: str) -> str:
    """「C2614（制造业）」: the GB/T 4754 code with its section's name, or blank."""
    return f"{code}（{section_name(code)}）" if code else ""


#: Candidates listed at most on the participants page (a larger set is added whole by its filter).
SHOWN_CANDIDATES = 300


@login_required
def campaign_participants(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """参与名单: search and filter candidates, add those ticked, the whole filtered set or an uploaded
    list; remove chosen ones; counts of both lists shown."""
    campaign = get_for_user(PairingCampaign, request.user, pk, CHANGE)
    if kind not in ParticipantKind.values:
        raise Http404("没有这种名单")
    filter_class = EnterpriseCandidateFilter if kind == ParticipantKind.ENTERPRISES else ExpertCandidateFilter
    params = request.POST if request.method == "POST" else request.GET
    found = filter_class(params, participants.candidates(campaign, request.user, kind), campaign=campaign,
                         user=request.user)
    upload = ListUploadForm()
    list_report = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
                added = participants.add(campaign, request.user, kind, found.queryset.filter(pk__in=ids))
                messages.success(request, f"已加入 {added} 个")
            elif action == "add_filtered" and found.is_valid():
                added = participants.add(campaign, request.user, kind, found.qs)
                messages.success(request, f"已加入筛选结果中的 {added} 个（其余已在名单中）")
            elif action == "remove":
                pks = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
                messages.success(request, f"已移出 {participants.remove(campaign, request.user, kind, pks)} 个")
            elif action == "upload":
                upload = ListUploadForm(request.POST, request.FILES)
                if upload.is_valid():
                    file = upload.cleaned_data["file"]
                    list_report = participants.add_from_list(campaign, request.user, kind, file, file.name,
                                                             upload.cleaned_data["valid_only"])
                elif reason := refused(request):
                    upload.add_error("file", reason)
        except (ValidationError, ImportFileError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        if list_report is None and upload.is_bound is False:
            return redirect(request.path + "?" + request.POST.get("query", ""))
    campaign.refresh_from_db()
    chosen_ids = set(participants.chosen(campaign, kind).values_list("pk", flat=True))
    results = found.qs if found.is_valid() else found.queryset.none()
    return render(request, "pairing/participants.html", {
        "campaign": campaign, "kind": kind, "kinds": ParticipantKind.choices, "filter": found,
        "results": results[:SHOWN_CANDIDATES], "result_count": results.count(), "shown": SHOWN_CANDIDATES,
        "chosen_ids": chosen_ids, "chosen": participants.chosen(campaign, kind).select_related("region"),
        "enterprise_count": campaign.enterprises.count(), "expert_count": campaign.experts.count(),
        "upload": upload, "list_report": list_report, "query": request.GET.urlencode(),
        "title": f"参与名单：{campaign.name}"})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(PairingCampaign, request.user, pk)
    pairings = campaign.pairings.select_related("enterprise", "expert__organisation")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(PAIRING_TABLE, pairings, f"{campaign.name}-结对名单")
    may_change = can(request.user, CHANGE, campaign)
    editable = may_change and campaign.status != CampaignStatus.PUBLISHED
    return render(request, "pairing/detail.html", {
        "campaign": campaign, "pairings": pairings.annotate(visit_count=Count("visits")), "editable": editable,
        "participants_editable": editable, "published": campaign.status == CampaignStatus.PUBLISHED,
        "transitions": available_transitions(campaign, request.user), "title": campaign.name,
        "unpaired": campaign.enterprises.exclude(pk__in=pairings.values("enterprise")),
        "visits": ServiceVisit.objects.visible_to(request.user).filter(pairing__campaign=campaign)
        .select_related("pairing__enterprise", "pairing__expert", "recorded_by"),
        "history": history_rows(campaign),
    })


@login_required
@require_POST
def campaign_compute(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(PairingCampaign, request.user, pk, CHANGE)
    try:
        pairings = services.compute(campaign, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已生成 {len(pairings)} 对结对，总匹配度 {campaign.total_affinity:.2f}")
    return redirect(campaign)


@login_required
def pairing_swap(request: HttpRequest, pk: int) -> HttpResponse:
    """改派: every other expert of the campaign with field, current enterprises and score for this
    enterprise (GET); the hand change, both moves named when two enterprises exchange (POST)."""
    pairing = get_for_user(Pairing.objects.select_related("campaign", "enterprise", "expert"), request.user, pk, CHANGE)
    form = SwapForm(request.POST or None, campaign=pairing.campaign)
    if request.method == "POST" and form.is_valid():
        try:
            moves = services.swap(pairing, form.cleaned_data["expert"], request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            pairing.campaign.refresh_from_db()
            messages.success(request, "已改派：" + "；".join(str(m) for m in moves)
                             + f"。总匹配度 {pairing.campaign.total_affinity:.3f}")
            return redirect(pairing.campaign)
    return render(request, "pairing/swap.html", {
        "pairing": pairing, "campaign": pairing.campaign, "choices": services.swap_choices(pairing),
        "form": form, "title": f"改派：{pairing.enterprise.name}"})


@login_required
def campaign_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """发布: a confirmation page (what is published, to whom, what stays unpaired), then publication."""
    campaign = get_for_user(PairingCampaign, request.user, pk, CHANGE)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(campaign, request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "结对结果已发布，专家和企业可在“我的结对”中查看并确认")
        return redirect(campaign)
    pairings = campaign.pairings.all()
    return render(request, "pairing/publish.html", {
        "campaign": campaign, "form": form, "pairs": pairings.count(), "manual": pairings.filter(manual=True).count(),
        "unpaired": campaign.enterprises.exclude(pk__in=pairings.values("enterprise")), "title": "发布结对结果"})


@login_required
def campaign_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """撤回发布 with a reason kept in the campaign's history."""
    campaign = get_for_user(PairingCampaign, request.user, pk, CHANGE)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(campaign, request.user, form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "已撤回发布，可调整后重新发布")
        return redirect(campaign)
    return render(request, "pairing/withdraw.html", {"campaign": campaign, "form": form, "title": "撤回发布"})


@login_required
def my_pairings(request: HttpRequest) -> HttpResponse:
    """Pairings of published campaigns the user's enterprise or expert profile is part of, with the other
    side's contact details."""
    pairings = Pairing.objects.visible_to(request.user).select_related(
        "campaign", "enterprise", "expert__organisation").filter(campaign__status=CampaignStatus.PUBLISHED)
    rows = [(p, services.contacts(p, request.user)) for p in pairings]
    return render(request, "pairing/mine.html", {"rows": rows, "title": "我的结对"})


@login_required
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One pair: both profiles, contact details (the two sides and staff only), each side's answer, the
    service visits; the side's own answer form and the visit form."""
    pairing = get_for_user(Pairing.objects.select_related("campaign", "enterprise__region", "expert__organisation"),
                           request.user, pk)
    side = side_of(request.user, pairing)
    return render(request, "pairing/pairing.html", {
        "pairing": pairing, "campaign": pairing.campaign, "side": side,
        "industry": industry_label(pairing.enterprise.industry_code),
        "contacts": services.contacts(pairing, request.user),
        "respond_form": RespondForm() if side and pairing.campaign.status == CampaignStatus.PUBLISHED else None,
        "visit_form": ServiceVisitForm() if services.may_record_visit(request.user, pairing) else None,
        "visits": pairing.visits.visible_to(request.user).select_related("recorded_by"),
        "history": history_rows(pairing, related=(("服务记录", ServiceVisit,
                                                   ServiceVisit.history.filter(pairing_id=pairing.pk)),))
        if is_region_staff(request.user) else None,
        "title": f"{pairing.enterprise.name} · {pairing.expert.name}"})


@login_required
@require_POST
def pairing_respond(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_for_user(Pairing, request.user, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        confirmed = form.cleaned_data["decision"] == "confirm"
        try:
            services.respond(pairing, request.user, confirmed, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已确认结对" if confirmed else "已婉拒，科技部门将另行安排")
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("pairing:pairing-detail", pk=pairing.pk)


@login_required
@require_POST
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_for_user(Pairing, request.user, pk)
    form = ServiceVisitForm(request.POST)
    if form.is_valid():
        services.record_visit(pairing, request.user, form)
        messages.success(request, "已登记服务记录")
    else:
        messages.error(request, "服务记录未保存：" + "；".join(
            f"{form.fields[name].label if name in form.fields else ''}{e}" for name, errors in form.errors.items()
            for e in errors))
    return redirect("pairing:pairing-detail", pk=pairing.pk)
