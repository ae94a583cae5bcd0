"""Filters of the cultivation lists (pages and API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from kechuang.common.search import search_q
from kechuang.core.choices import RegionLevel
from kechuang.core.industry import SECTIONS
from kechuang.core.models import Region
from kechuang.cultivation.choices import TIERS, VERDICTS, Pool
from kechuang.cultivation.models import CultivationProfile, Evaluation
from kechuang.cultivation.pools import pool_filter


def _regions(request):
    return Region.objects.exclude(level=RegionLevel.PROVINCE)


class EnterpriseFilter(django_filters.FilterSet):
    """Name or credit code search and region (with its subtree), for anything hanging on an enterprise."""

    q = django_filters.CharFilter(method="search", label="企业",
                                  widget=forms.TextInput(attrs={"placeholder": "企业名称或统一社会信用代码"}))
    region = django_filters.ModelChoiceFilter(queryset=_regions, method="in_region", label="区域",
                                              empty_label="全部区域")
    section = django_filters.ChoiceFilter(
        choices=[(k, f"{k} {v[0]}") for k, v in SECTIONS.items()], method="in_section", label="行业门类",
        empty_label="全部行业")

    def search(self, queryset, name, value):
        # Every word must match (a name typed without spaces is cut as the matching engine cuts it).
        return queryset.filter(search_q(value, lambda word: Q(enterprise__name__icontains=word)
                                        | Q(enterprise__uscc__iexact=word)))

    def in_region(self, queryset, name, value):
        return queryset.filter(enterprise__region__path__startswith=value.path) if value else queryset

    def in_section(self, queryset, name, value):
        return queryset.filter(enterprise__industry_code__startswith=value) if value else queryset


class EvaluationFilter(EnterpriseFilter):
    year = django_filters.NumberFilter(label="评估年度")
    pool = django_filters.ChoiceFilter(choices=[(p.value, p.label) for p in Pool if p != Pool.HNTE_EXPIRING],
                                       method="in_pool", label="培育库", empty_label="全部")
    highest_tier = django_filters.ChoiceFilter(choices=[("none", "未达到"), *TIERS], method="by_tier",
                                               label="已达梯度", empty_label="全部")
    hnte_verdict = django_filters.ChoiceFilter(choices=VERDICTS, label="高企结论", empty_label="全部")

    class Meta:
        model = Evaluation
        fields = ["q", "year", "pool", "region", "section", "highest_tier", "hnte_verdict"]

    def in_pool(self, queryset, name, value):
        return queryset.filter(pool_filter(value)) if value else queryset

    def by_tier(self, queryset, name, value):
        return queryset.filter(highest_tier="" if value == "none" else value)


class CertificateFilter(EnterpriseFilter):
    class Meta:
        model = CultivationProfile
        fields = ["q", "region", "section"]
