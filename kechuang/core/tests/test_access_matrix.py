"""The access matrix of the core app's scoped models (kechuang.common.testing.ScopedAccessChecks)."""

from __future__ import annotations

from django.urls import reverse

from kechuang.common.testing import ScopedAccessChecks
from kechuang.core.models import Contact, Organisation


class TestOrganisationAccess(ScopedAccessChecks):
    model = Organisation
    owners = ("acme",)
    urls = {
        "list": lambda r: reverse("core:organisation-list"),
        "export": lambda r: reverse("core:organisation-list") + "?export=xlsx",
        "detail": lambda r: reverse("core:organisation-detail", args=[r.pk]),
        "edit": lambda r: reverse("core:organisation-edit", args=[r.pk]),
        "api_list": lambda r: "/api/core/organisations",
        "api_detail": lambda r: f"/api/core/organisations/{r.pk}",
    }

    def make(self, orgs, cast, regions):
        return orgs["acme_ltd"]


class TestContactAccess(ScopedAccessChecks):
    model = Contact
    owners = ("acme",)

    def make(self, orgs, cast, regions):
        return Contact.objects.create(organisation=orgs["acme_ltd"], name="甲联系人", phone="0818-2000001")
