"""The access matrix of cultivation data (kechuang.common.testing.ScopedAccessChecks): staff over the
enterprise's region, the enterprise itself keeps its own; researchers and experts have no part."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kechuang.common.testing import ScopedAccessChecks
from kechuang.cultivation.figures import save_figures
from kechuang.cultivation.models import (
    AnnualFigures,
    Award,
    CultivatedEnterprise,
    CultivationProfile,
    Evaluation,
    EvaluationRun,
    Incident,
    IntellectualProperty,
    RecognisedRdInstitution,
    StandardDrafted,
)
from kechuang.cultivation.services import evaluate_enterprise, start_run
from kechuang.engines.cultivation.tests.builders import reference


def _first_choice(model, field: str) -> str:
    return model._meta.get_field(field).choices[0][0]


def _with_figures(orgs):
    """acme_ltd (通川区) with the reference figures saved (profile, four years, property)."""
    save_figures(orgs["acme_ltd"], reference(name=orgs["acme_ltd"].name))
    return orgs["acme_ltd"]


class TestCultivatedEnterpriseAccess(ScopedAccessChecks):
    model = CultivatedEnterprise
    owners = ("acme",)
    urls = {
        "detail": lambda r: reverse("cultivation:enterprise", args=[r.pk]),
        "edit": lambda r: reverse("cultivation:profile-edit", args=[r.pk]),
        "api_detail": lambda r: f"/api/cultivation/enterprises/{r.pk}/figures",
    }

    def make(self, orgs, cast, regions):
        return CultivatedEnterprise.objects.get(pk=_with_figures(orgs).pk)


class TestCultivationProfileAccess(ScopedAccessChecks):
    model = CultivationProfile
    owners = ("acme",)
    urls = {"edit": lambda r: reverse("cultivation:profile-edit", args=[r.enterprise_id])}

    def make(self, orgs, cast, regions):
        return CultivationProfile.objects.get(enterprise=_with_figures(orgs))


class TestAnnualFiguresAccess(ScopedAccessChecks):
    model = AnnualFigures
    owners = ("acme",)
    urls = {"edit": lambda r: reverse("cultivation:figures-edit", args=[r.enterprise_id, r.year])}

    def make(self, orgs, cast, regions):
        return AnnualFigures.objects.filter(enterprise=_with_figures(orgs)).order_by("-year").first()


class TestIntellectualPropertyAccess(ScopedAccessChecks):
    model = IntellectualProperty
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return IntellectualProperty.objects.filter(enterprise=_with_figures(orgs)).first()


class TestStandardDraftedAccess(ScopedAccessChecks):
    model = StandardDrafted
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return StandardDrafted.objects.create(enterprise=orgs["acme_ltd"], title="余热回收装置技术条件",
                                              level=_first_choice(StandardDrafted, "level"),
                                              role=_first_choice(StandardDrafted, "role"), date=dt.date(2024, 3, 1))


class TestAwardAccess(ScopedAccessChecks):
    model = Award
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return Award.objects.create(enterprise=orgs["acme_ltd"], title="科技进步奖", date=dt.date(2024, 5, 1),
                                    level=_first_choice(Award, "level"))


class TestRecognisedRdInstitutionAccess(ScopedAccessChecks):
    model = RecognisedRdInstitution
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return RecognisedRdInstitution.objects.create(enterprise=orgs["acme_ltd"], name="企业技术中心",
                                                      level=_first_choice(RecognisedRdInstitution, "level"))


class TestIncidentAccess(ScopedAccessChecks):
    model = Incident
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return Incident.objects.create(enterprise=orgs["acme_ltd"], date=dt.date(2024, 6, 1),
                                       kind=_first_choice(Incident, "kind"))


class TestEvaluationAccess(ScopedAccessChecks):
    model = Evaluation
    owners = ("acme",)
    urls = {
        "list": lambda r: reverse("cultivation:evaluation-list") + f"?year={r.year}",
        "export": lambda r: reverse("cultivation:evaluation-list") + f"?year={r.year}&export=xlsx",
        "detail": lambda r: reverse("cultivation:evaluation-detail", args=[r.pk]),
        "api_list": lambda r: f"/api/cultivation/evaluations?year={r.year}",
        "api_detail": lambda r: f"/api/cultivation/evaluations/{r.pk}",
    }

    def make(self, orgs, cast, regions):
        return evaluate_enterprise(_with_figures(orgs), 2025)

    def marker(self, record):
        return record.enterprise.name


class TestEvaluationRunAccess(ScopedAccessChecks):
    model = EvaluationRun
    urls = {"detail": lambda r: reverse("cultivation:run-step", args=[r.pk])}

    def make(self, orgs, cast, regions):
        return start_run(regions["通川区"], 2025)
