"""Filters of the registries, used by the list pages and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from kechuang.common.search import search_q
from kechuang.core.choices import RegionLevel
from kechuang.core.models import Region
from kechuang.market.choices import AchievementKind, AchievementStatus, DemandStatus, ExpertStatus
from kechuang.market.models import Achievement, Demand, Expert, TechField


def _regions(request):
    return Region.objects.exclude(level=RegionLevel.PROVINCE)


def _top_fields(request):
    return TechField.objects.filter(parent__isnull=True)


class RegistryFilter(django_filters.FilterSet):
    """Keyword search, technical field (a top field includes its sub-fields), region with its subtree."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label="关键词",
                                  widget=forms.TextInput(attrs={"placeholder": "名称、关键词、简介"}))
    field = django_filters.ModelChoiceFilter(queryset=_top_fields, method="in_field", label="技术领域",
                                             empty_label="全部领域")
    region = django_filters.ModelChoiceFilter(queryset=_regions, method="in_region", label="区域",
                                              empty_label="全部区域")

    def search(self, queryset, name, value):
        # Every word must match in one of the search fields: 「天然气 化工」, and 「锂电池正极」 cut into
        # words as the matching engine cuts it (kechuang.common.search).
        def one_word(word: str) -> Q:
            q = Q()
            for field in self.search_fields:
                q |= Q(**{f"{field}__icontains": word})
            return q

        return queryset.filter(search_q(value, one_word))

    def in_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path) if value else queryset

    def in_field(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(field=value) | Q(field__parent=value))


class AchievementFilter(RegistryFilter):
    search_fields = ("title", "keywords", "summary", "owner__name", "patent_numbers")
    trl = django_filters.ChoiceFilter(choices=[(i, f"TRL {i}") for i in range(1, 10)], label="技术就绪度",
                                      empty_label="全部")
    trl_min = django_filters.NumberFilter(field_name="trl", lookup_expr="gte", label="TRL 不低于",
                                          widget=forms.NumberInput(attrs={"min": 1, "max": 9}))
    kind = django_filters.ChoiceFilter(choices=AchievementKind.choices, label="成果类型", empty_label="全部类型")
    status = django_filters.ChoiceFilter(choices=AchievementStatus.choices, label="状态", empty_label="全部状态")

    class Meta:
        model = Achievement
        fields = ["q", "field", "region", "trl", "trl_min", "kind", "status"]


class DemandFilter(RegistryFilter):
    search_fields = ("title", "keywords", "description", "enterprise__name")
    status = django_filters.ChoiceFilter(choices=DemandStatus.choices, label="状态", empty_label="全部状态")

    class Meta:
        model = Demand
        fields = ["q", "field", "region", "status"]


class ExpertFilter(RegistryFilter):
    search_fields = ("name", "keywords", "biography", "organisation__name", "title")
    field = django_filters.ModelChoiceFilter(queryset=_top_fields, method="in_field", label="技术领域",
                                             empty_label="全部领域")
    available = django_filters.BooleanFilter(label="可接受对接",
                                             widget=forms.Select(choices=[("", "全部"), ("true", "是"),
                                                                          ("false", "否")]))
    status = django_filters.ChoiceFilter(choices=ExpertStatus.choices, label="状态", empty_label="全部状态")

    class Meta:
        model = Expert
        fields = ["q", "field", "region", "available", "status"]

    def in_field(self, queryset, name, value):
        if not value:
            return queryset
        # Codes are stored as 「0402；0602」: match whole codes starting with the chosen one, never a
        # substring inside another code (「02」 must not match 「0402」).
        return queryset.filter(tech_fields__regex=rf"(^|；){value.code}")
