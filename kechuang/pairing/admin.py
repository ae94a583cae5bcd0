"""Django admin of pairing for the city administrator: campaigns, their pairs and service visits, each
list narrowed by the record's access scope (as the pages and the API), view and history only: participants,
pairs, swaps and visits change on the campaign pages, whose services check the workflow (a computed plan
dropped when participants change, swaps against conflicts and capacity, visits kept)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import ReadOnly, ScopedHistoryAdmin
from kechuang.pairing.models import Pairing, PairingCampaign, ServiceVisit


@admin.register(PairingCampaign)
class PairingCampaignAdmin(ReadOnly, ScopedHistoryAdmin, SimpleHistoryAdmin):
    """Campaigns; plans are computed, changed and published from the campaign pages (their services)."""

    list_display = ["name", "region", "status", "experts_per_enterprise", "total_affinity", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["status", "total_affinity", "computed_affinity"]
    exclude = ["experts", "enterprises"]  # the participants page lists them (a widget would list every city's)

    def get_queryset(self, request):
        return PairingCampaign.objects.visible_to(request.user).select_related("region")


@admin.register(Pairing)
class PairingAdmin(ReadOnly, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["enterprise", "expert", "campaign", "affinity", "manual", "enterprise_response",
                    "expert_response"]
    list_filter = ["manual", "enterprise_response", "expert_response"]
    search_fields = ["enterprise__name", "expert__name", "campaign__name"]
    raw_id_fields = ["campaign", "enterprise", "expert"]

    def get_queryset(self, request):
        return Pairing.objects.visible_to(request.user).select_related("campaign", "enterprise", "expert")


@admin.register(ServiceVisit)
class ServiceVisitAdmin(ReadOnly, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["visit_date", "place", "pairing", "recorded_by"]
    search_fields = ["place", "pairing__enterprise__name", "pairing__expert__name"]
    raw_id_fields = ["pairing", "recorded_by"]

    def get_queryset(self, request):
        return ServiceVisit.objects.visible_to(request.user).select_related("pairing__enterprise",
                                                                           "pairing__expert")
