"""The technology-market demo: realistic, valid, marked as demo data, idempotent, and wired into
``kechuang demo``."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kechuang.common.idcard import id_number_error
from kechuang.conftest import rows_for_the_module
from kechuang.core.choices import OrganisationKind
from kechuang.core.demo import DEMO_SOURCE, DEMO_SUFFIX, load_demo
from kechuang.core.models import User
from kechuang.market.choices import (
    AchievementKind,
    AchievementStatus,
    DemandStatus,
    ExpertStatus,
)
from kechuang.market.demo import load_market_demo
from kechuang.market.models import Achievement, AchievementPatent, Demand, Expert, TechField
from kechuang.market.patents import patent_number_error


@pytest.fixture(scope="module", autouse=True)
def _market_rows(django_db_setup, django_db_blocker):
    """Every test of this module runs on the demo, loaded once (seconds) and rolled back after the module;
    the tests that need it absent are in test_demo_command.py."""
    with rows_for_the_module(django_db_blocker):
        load_demo()
        yield load_market_demo()


@pytest.fixture
def market(_market_rows, db):
    return _market_rows


def test_counts_are_in_range_and_mostly_published(market):
    achievements, demands, experts = market.totals
    assert 250 <= achievements <= 350 and 80 <= demands <= 120 and 50 <= experts <= 70
    assert tuple(model.objects.filter(source=DEMO_SOURCE).count()
                 for model in (Achievement, Demand, Expert)) == market.totals
    assert market.created == {"experts": experts, "achievements": achievements, "demands": demands}
    assert market.achievements[AchievementStatus.PUBLISHED] > achievements / 2
    assert market.demands[DemandStatus.PUBLISHED] > demands / 2
    assert market.experts[ExpertStatus.PUBLISHED] > experts / 2
    # every workflow state is represented, so the pages and filters have something to show
    assert set(market.achievements) == set(AchievementStatus.values)
    assert set(market.demands) == set(DemandStatus.values)
    assert {ExpertStatus.SUBMITTED, ExpertStatus.DRAFT} <= set(market.experts)
    kinds = {k: Achievement.objects.filter(kind=k).count() for k in AchievementKind.values}
    assert kinds[AchievementKind.PATENT] > achievements / 2
    assert all(kinds[k] for k in (AchievementKind.SOFTWARE, AchievementKind.PRODUCT, AchievementKind.VARIETY))


def test_records_are_valid_and_marked(market):
    for record in [*Achievement.objects.all(), *Demand.objects.all(), *Expert.objects.all()]:
        record.full_clean()
        assert record.source == DEMO_SOURCE
    assert all(t.endswith(DEMO_SUFFIX) for t in Achievement.objects.values_list("title", flat=True))
    assert all(t.endswith(DEMO_SUFFIX) for t in Demand.objects.values_list("title", flat=True))
    assert not Expert.objects.filter(name__contains="演示").exists()
    # the generator never fell back to numbered variants: titles are unique across the whole demo
    keys = list(Achievement.objects.values_list("title_key", flat=True))
    assert len(set(keys)) == len(keys)


def test_every_patent_number_is_valid_and_unique(market):
    numbers = [n for a in Achievement.objects.all() for n in a.patent_list]
    assert len(numbers) == market.patents == AchievementPatent.objects.count() == len(set(numbers))
    assert numbers and all(patent_number_error(n) is None and n.startswith("CN") for n in numbers)
    for achievement in Achievement.objects.all():
        assert (achievement.kind == AchievementKind.PATENT) == (1 <= len(achievement.patent_list) <= 2)


def test_every_id_number_is_valid_with_a_dazhou_area_code(market):
    phones = set()
    for expert in Expert.objects.all():
        assert id_number_error(expert.id_number) is None, expert.id_number
        assert expert.id_number.startswith("5117")
        born = date(int(expert.id_number[6:10]), int(expert.id_number[10:12]), int(expert.id_number[12:14]))
        assert date(1960, 1, 1) <= born <= date(1995, 12, 31)
        assert re.fullmatch(r"1380000\d{4}", expert.phone) and expert.email.endswith("@example.com")
        phones.add(expert.phone)
    assert len(phones) == Expert.objects.count()


def test_experts_fields_and_organisations(market):
    sub_fields = set(TechField.objects.filter(parent__isnull=False).values_list("code", flat=True))
    for expert in Expert.objects.select_related("organisation"):
        assert 1 <= len(expert.field_codes) <= 3 and set(expert.field_codes) <= sub_fields
        assert expert.region_id == expert.organisation.region_id and 2 <= expert.max_load <= 5
        assert expert.title and 2 <= len(expert.biography.split("。")) - 1 <= 3
    at = dict.fromkeys(OrganisationKind.values, 0)
    for kind in Expert.objects.values_list("organisation__kind", flat=True):
        at[kind] += 1
    assert at[OrganisationKind.ENTERPRISE] and at[OrganisationKind.ENTERPRISE] < Expert.objects.count() / 4
    user = User.objects.get(username="expert")
    assert user.expert_profile.organisation_id == user.organisation_id
    assert user.expert_profile.status == ExpertStatus.PUBLISHED


def test_achievements_belong_to_their_owners(market):
    for achievement in Achievement.objects.select_related("owner", "field").prefetch_related("inventors"):
        assert achievement.region_id == achievement.owner.region_id
        assert achievement.field.parent_id is not None and 3 <= achievement.trl <= 9
        assert 3 <= len(achievement.keyword_list) <= 6
        assert achievement.price_negotiable != (achievement.asking_price is not None)
        for inventor in achievement.inventors.all():
            assert inventor.organisation_id == achievement.owner_id
            assert inventor.name in achievement.inventor_names
    linked = Achievement.objects.filter(inventors__isnull=False).distinct().count()
    assert linked > Achievement.objects.count() / 2


def test_demands_come_from_enterprises(market):
    for demand in Demand.objects.select_related("enterprise"):
        assert demand.enterprise.kind == OrganisationKind.ENTERPRISE
        assert demand.region_id == demand.enterprise.region_id
        assert demand.deadline.year == 2027 and demand.field.parent_id is not None
        budget = [b for b in (demand.budget_min, demand.budget_max) if b is not None]
        assert all(100_000 <= b <= 3_000_000 for b in budget)
        if len(budget) == 2:
            assert demand.budget_min <= demand.budget_max
        assert re.fullmatch(r"1380000\d{4}", demand.contact_phone)
        assert demand.contact_email.endswith("@example.com")
    assert Demand.objects.filter(budget_min__isnull=True, budget_max__isnull=True).exists()
    assert Demand.objects.values("enterprise").distinct().count() > 50


def test_loading_twice_duplicates_nothing(market):
    def snapshot():
        return (Achievement.objects.count(), Demand.objects.count(), Expert.objects.count(),
                AchievementPatent.objects.count(), Achievement.history.count(), Demand.history.count(),
                Expert.history.count(), Achievement.inventors.through.objects.count())
    before = snapshot()
    again = load_market_demo()
    assert snapshot() == before
    assert again.created == {"experts": 0, "achievements": 0, "demands": 0}
    assert (again.achievements, again.demands, again.experts) == (market.achievements, market.demands,
                                                                  market.experts)


def test_loading_again_keeps_edits_and_recreates_what_was_deleted(market):
    achievement = Achievement.objects.filter(status=AchievementStatus.PUBLISHED).first()
    achievement.title = "改过名称的成果（演示）"
    achievement.status = AchievementStatus.WITHDRAWN
    achievement.save()
    demand = Demand.objects.exclude(budget_max=None).first()
    demand.budget_max = demand.budget_max + 10_000
    demand.save()
    Expert.objects.filter(user__isnull=True).first().delete()
    again = load_market_demo()
    assert again.created == {"experts": 1, "achievements": 0, "demands": 0}
    assert Achievement.objects.get(pk=achievement.pk).title == "改过名称的成果（演示）"
    assert Achievement.objects.get(pk=achievement.pk).status == AchievementStatus.WITHDRAWN
    assert Demand.objects.get(pk=demand.pk).budget_max == demand.budget_max
    assert again.totals == market.totals
    withdrawn = AchievementStatus.WITHDRAWN
    assert again.achievements[withdrawn] == market.achievements[withdrawn] + 1
    refs = list(Achievement.objects.values_list("source_ref", flat=True))
    assert all(refs) and len(set(refs)) == len(refs)
