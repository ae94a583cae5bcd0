"""The access matrix of matchmaking records (kechuang.common.testing.ScopedAccessChecks): staff over the
demand's region work on them, the demand's enterprise follows them."""

from __future__ import annotations

from django.urls import reverse

from kechuang.common.testing import ScopedAccessChecks
from kechuang.market.models import Achievement, Demand
from kechuang.matchmaking.models import MatchRecord


class TestMatchRecordAccess(ScopedAccessChecks):
    model = MatchRecord
    owners = ("acme",)  # the demand's enterprise; the achievement's owner (the university) is no owner
    urls = {"list": lambda r: reverse("matchmaking:record-list")}

    def make(self, orgs, cast, regions):
        demand = Demand.objects.create(title="合成氨装置节能改造", enterprise=orgs["acme_ltd"], region=regions["通川区"],
                                       status="published")
        achievement = Achievement.objects.create(title="天然气制氢催化剂", owner=orgs["uni"], region=regions["通川区"],
                                                 trl=6, kind="patent", status="published")
        return MatchRecord.objects.create(demand=demand, achievement=achievement, region=regions["通川区"])

    def marker(self, record):
        return f"/demands/{record.demand_id}/"


class TestMatchRecordExportAccess(TestMatchRecordAccess):
    """The record list's Excel export: the same records as the page, for the same cast."""

    urls = {"export": lambda r: reverse("matchmaking:record-list") + "?export=xlsx"}

    def marker(self, record):
        return record.demand.title
