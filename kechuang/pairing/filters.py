"""Filters choosing a campaign's participants: enterprises by name or code, county, industry section,
cultivation tier and pool, and technical field; experts by name or keywords, county and field."""

from __future__ import annotations

import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from kechuang.core.facts import SECTIONS
from kechuang.core.models import Organisation, Region
from kechuang.cultivation import facts
from kechuang.cultivation.choices import TIERS, Pool
from kechuang.market.models import Expert, TechField

MAX_WORDS = 10  # words of a search that count (a thousand would make one huge SQL expression)


def _words(value: str) -> list[str]:
    return unicodedata.normalize("NFKC", value).split()[:MAX_WORDS]


def _field_choices() -> list[tuple[str, str]]:
    return [(f.code, f"{f.code} {'　' if f.parent_id else ''}{f.name}") for f in TechField.objects.order_by("code")]


class _CampaignFilter(django_filters.FilterSet):
    """Counties are those under the campaign's region; the user's scope narrows the cultivation data."""

    county = django_filters.ModelChoiceFilter(queryset=Region.objects.none(), method="in_county",
                                              label="县（市、区）", empty_label="全部")
    field = django_filters.ChoiceFilter(choices=_field_choices, method="in_field", label="技术领域",
                                        empty_label="全部领域")

    def __init__(self, data=None, queryset=None, *, campaign, user, **kwargs) -> None:
        super().__init__(data, queryset, **kwargs)
        self.campaign, self.user = campaign, user
        self.filters["county"].queryset = Region.objects.filter(path__startswith=campaign.region.path) \
            .exclude(pk=campaign.region_id).order_by("path")

    def in_county(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path) if value else queryset


class EnterpriseCandidateFilter(_CampaignFilter):
    """Enterprises of the campaign's region. Tier and pool are read from the cultivation app (the latest
    evaluation year the user sees, through its own pool and tier filters); the technical field is that
    of the enterprise's registered demands and achievements (专家库、需求库、成果库的技术领域)."""

    q = django_filters.CharFilter(method="search", label="关键词",
                                  widget=forms.TextInput(attrs={"placeholder": "企业名称或统一社会信用代码"}))
    industry = django_filters.ChoiceFilter(choices=[(k, f"{k} {v[0]}") for k, v in SECTIONS.items()],
                                           method="in_section", label="行业门类", empty_label="全部行业")
    tier = django_filters.ChoiceFilter(choices=[("none", "未达到"), *TIERS], method="in_tier", label="已达梯度",
                                       empty_label="全部")
    pool = django_filters.ChoiceFilter(choices=Pool.choices, method="in_pool", label="培育库", empty_label="全部")

    class Meta:
        model = Organisation
        fields = ["q", "county", "industry", "tier", "pool", "field"]

    def search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(Q(name__icontains=word) | Q(uscc__iexact=word.upper()))
        return queryset

    def in_section(self, queryset, name, value):
        return queryset.filter(industry_code__startswith=value) if value else queryset

    def in_tier(self, queryset, name, value):
        return queryset.filter(pk__in=facts.enterprises_in_tier(self.user, value)) if value else queryset

    def in_pool(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=facts.enterprises_in_pool(self.user, value, timezone.localdate()))

    def in_field(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(demands__field__code__startswith=value)
                               | Q(achievements__field__code__startswith=value)).distinct()


class ExpertCandidateFilter(_CampaignFilter):
    """Published experts who take enterprises, by name, unit or keywords, county and technical field."""

    q = django_filters.CharFilter(method="search", label="关键词",
                                  widget=forms.TextInput(attrs={"placeholder": "姓名、单位或研究方向"}))

    class Meta:
        model = Expert
        fields = ["q", "county", "field"]

    def search(self, queryset, name, value):
        for word in _words(value):
            queryset = queryset.filter(Q(name__icontains=word) | Q(organisation__name__icontains=word)
                                       | Q(keywords__icontains=word))
        return queryset

    def in_field(self, queryset, name, value):
        # tech_fields holds codes joined by "；": a code or a sub-field code of it at a boundary
        if not value:
            return queryset
        return queryset.filter(Q(tech_fields__startswith=value) | Q(tech_fields__contains=f"；{value}"))
