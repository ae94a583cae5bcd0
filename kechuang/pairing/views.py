"""Pages of pairing campaigns: list, create, preview/compute, swap, publish, export; and "my pairings"
for experts and enterprises."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.common.access import ADD, CHANGE, can, get_for_user, role_allows
from kechuang.common.export import xlsx_response
from kechuang.common.tables import Column, Table
from kechuang.common.workflow import available_transitions
from kechuang.pairing import services
from kechuang.pairing.forms import CampaignForm, SwapForm
from kechuang.pairing.models import Pairing, PairingCampaign

PAIRING_TABLE = Table((
    Column("enterprise", "企业", value=lambda p: p.enterprise.name),
    Column("expert", "专家", value=lambda p: p.expert.name),
    Column("organisation", "专家单位", value=lambda p: p.expert.organisation.name if p.expert.organisation_id else ""),
    Column("affinity", "匹配度", value=lambda p: round(p.affinity, 3)),
    Column("matched_terms", "命中词"),
    Column("manual", "人工调整", value=lambda p: "是" if p.manual else ""),
))


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
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        form.save_m2m()
        messages.success(request, f"已创建活动“{campaign}”，请生成结对方案")
        return redirect(campaign)
    return render(request, "pairing/form.html", {"form": form, "title": "新建结对活动"})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(PairingCampaign, request.user, pk)
    pairings = campaign.pairings.select_related("enterprise", "expert__organisation")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(PAIRING_TABLE, pairings, f"{campaign.name}-结对名单")
    editable = can(request.user, CHANGE, campaign) and campaign.status != "published"
    return render(request, "pairing/detail.html", {
        "campaign": campaign, "pairings": pairings, "editable": editable,
        "transitions": available_transitions(campaign, request.user),
        "swap_form": SwapForm(campaign=campaign) if editable else None, "title": campaign.name,
        "unpaired": campaign.enterprises.exclude(pk__in=pairings.values("enterprise")),
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
@require_POST
def pairing_swap(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_for_user(Pairing, request.user, pk, CHANGE)
    form = SwapForm(request.POST, campaign=pairing.campaign)
    if form.is_valid():
        try:
            services.swap(pairing, form.cleaned_data["expert"], request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已改派：{pairing}")
    return redirect(pairing.campaign)


@login_required
@require_POST
def campaign_publish(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_for_user(PairingCampaign, request.user, pk, CHANGE)
    try:
        services.publish(campaign, request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "结对结果已发布，专家和企业可在“我的结对”中查看")
    return redirect(campaign)


@login_required
def my_pairings(request: HttpRequest) -> HttpResponse:
    """Pairings of published campaigns the user's enterprise or expert profile is part of."""
    pairings = Pairing.objects.visible_to(request.user).select_related("campaign", "enterprise", "expert__organisation")
    return render(request, "pairing/mine.html", {"pairings": pairings, "title": "我的结对"})
