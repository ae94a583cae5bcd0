"""Filters of the R&D report lists (pages and API)."""

from __future__ import annotations

import django_filters

from kechuang.core.facts import EnterpriseFilter
from kechuang.rdreport.choices import ReportStatus
from kechuang.rdreport.models import RdReport


class ReportFilter(EnterpriseFilter):
    year = django_filters.NumberFilter(label="报告年度")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label="状态", empty_label="全部状态")
    has_errors = django_filters.BooleanFilter(method="with_errors", label="有错误")

    class Meta:
        model = RdReport
        fields = ["q", "year", "status", "region", "section", "has_errors"]

    def with_errors(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(error_count__gt=0) if value else queryset.filter(error_count=0)
