"""Filters of the core app, used by the list pages and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from kechuang.common.search import search_q
from kechuang.core.choices import OrganisationKind, RegionLevel
from kechuang.core.industry import SECTIONS
from kechuang.core.models import Organisation, Region


def _scope_regions(request):
    if request is None or not request.user.is_authenticated:
        return Region.objects.none()
    return Region.objects.assignable_by(request.user).exclude(level=RegionLevel.PROVINCE)


class OrganisationFilter(django_filters.FilterSet):
    """Search by name, code or address; filter by kind, region (with its subtree) and industry section."""

    q = django_filters.CharFilter(method="search", label="关键词",
                                  widget=forms.TextInput(attrs={"placeholder": "名称、信用代码或地址"}))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="类型", empty_label="全部类型")
    region = django_filters.ModelChoiceFilter(queryset=_scope_regions, method="in_region", label="区域",
                                              empty_label="全部区域")
    industry = django_filters.ChoiceFilter(
        choices=[(k, f"{k} {v[0]}") for k, v in SECTIONS.items()], method="in_section",
        label="行业门类", empty_label="全部行业",
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "industry"]

    def search(self, queryset, name, value):
        # Every word must match somewhere: 「天然气 化工」, and 「天然气化工」 cut as the matching engine cuts it.
        return queryset.filter(search_q(value, lambda word: Q(name__icontains=word)
                                        | Q(uscc__icontains=word.upper()) | Q(address__icontains=word)))

    def in_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path) if value else queryset

    def in_section(self, queryset, name, value):
        return queryset.filter(industry_code__startswith=value) if value else queryset


def _enterprise_regions(request):
    return Region.objects.exclude(level=RegionLevel.PROVINCE)


class EnterpriseFilter(django_filters.FilterSet):
    """Name or credit code search, region (with its subtree) and industry section, for any record hanging on
    an enterprise by an ``enterprise`` foreign key (cultivation lists, R&D reports); other apps subclass it
    through :mod:`kechuang.core.facts`."""

    q = django_filters.CharFilter(method="search", label="企业",
                                  widget=forms.TextInput(attrs={"placeholder": "企业名称或统一社会信用代码"}))
    region = django_filters.ModelChoiceFilter(queryset=_enterprise_regions, method="in_region", label="区域",
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
