"""Filters of the matchmaking record list (page and Excel export): by demand and by status."""

from __future__ import annotations

import django_filters

from kechuang.matchmaking.choices import MatchStatus
from kechuang.matchmaking.models import MatchRecord


class MatchRecordFilter(django_filters.FilterSet):
    """``?demand=<id>`` (one demand's records, as linked from the demand's page) and ``?status=<value>``
    (one of :class:`MatchStatus`; an unknown value is refused by the form, never applied)."""

    demand = django_filters.NumberFilter(field_name="demand_id", label="技术需求")
    status = django_filters.ChoiceFilter(choices=MatchStatus.choices, label="状态", empty_label="全部状态")

    class Meta:
        model = MatchRecord
        fields = ["demand", "status"]
