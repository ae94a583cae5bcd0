from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kechuang.common.admin import ScopedHistoryAdmin
from kechuang.matchmaking.models import MatchRecord


@admin.register(MatchRecord)
class MatchRecordAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["demand", "achievement", "expert", "organisation", "status", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["demand", "achievement", "expert", "organisation", "created_by"]

    def get_queryset(self, request):
        return MatchRecord.objects.visible_to(request.user)
