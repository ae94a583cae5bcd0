"""Filters of the cultivation lists (pages and API)."""

from __future__ import annotations

import django_filters

from kechuang.core.facts import EnterpriseFilter
from kechuang.cultivation.choices import TIERS, VERDICTS, Pool
from kechuang.cultivation.models import CultivationProfile, Evaluation
from kechuang.cultivation.pools import pool_filter


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
