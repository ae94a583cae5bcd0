"""Django admin of pairing for the city administrator: campaigns, their pairs and service visits, each
list narrowed by the record's access scope (as the pages and the API), history read-only."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import ScopedHistoryAdmin
from kechuang.pairing.models import Pairing, PairingCampaign, ServiceVisit


@admin.register(PairingCampaign)
class PairingCampaignAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    """Campaigns; plans are computed, changed and published from the campaign pages (their services)."""

    list_display = ["name", "region", "status", "experts_per_enterprise", "total_affinity", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["status", "total_affinity", "computed_affinity"]
    raw_id_fields = ["region", "created_by"]
    filter_horizontal = ["experts", "enterprises"]

    def get_queryset(self, request):
        return PairingCampaign.objects.visible_to(request.user).select_related("region")


@admin.register(Pairing)
class PairingAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["enterprise", "expert", "campaign", "affinity", "manual", "enterprise_response",
                    "expert_response"]
    list_filter = ["manual", "enterprise_response", "expert_response"]
    search_fields = ["enterprise__name", "expert__name", "campaign__name"]
    raw_id_fields = ["campaign", "enterprise", "expert"]

    def get_queryset(self, request):
        return Pairing.objects.visible_to(request.user).select_related("campaign", "enterprise", "expert")


@admin.register(ServiceVisit)
class ServiceVisitAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["visit_date", "place", "pairing", "recorded_by"]
    search_fields = ["place", "pairing__enterprise__name", "pairing__expert__name"]
    raw_id_fields = ["pairing", "recorded_by"]

    def get_queryset(self, request):
        return ServiceVisit.objects.visible_to(request.user).select_related("pairing__enterprise",
                                                                           "pairing__expert")
