"""Pages of the core app: home dashboard, organisation list, detail, create and edit.

Views are thin: access through ``visible_to`` / ``get_for_user``, saving through ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kechuang.common.access import CHANGE, can, get_for_user
from kechuang.common.history import history_rows
from kechuang.common.views import ScopedListView
from kechuang.core.dashboard import organisation_counts
from kechuang.core.filters import OrganisationFilter
from kechuang.core.forms import ContactFormSet, OrganisationForm, can_add_organisation
from kechuang.core.models import Contact, Organisation
from kechuang.core.services import save_organisation
from kechuang.core.tables import ORGANISATION_TABLE


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: live counts of the organisations the user may see."""
    counts = organisation_counts(request.user)
    chart = {"regions": counts.rows, "kinds": counts.kinds,
             "series": [list(col) for col in zip(*counts.cells, strict=False)] if counts.cells else []}
    kind_totals = list(zip(counts.kinds, counts.column_totals, strict=True))
    return render(request, "core/home.html", {"counts": counts, "chart": chart, "kind_totals": kind_totals})


class OrganisationListView(ScopedListView):
    model = Organisation
    filterset_class = OrganisationFilter
    table = ORGANISATION_TABLE
    title = "组织机构"
    export_name = "组织机构"
    create_url = "core:organisation-create"

    def get_queryset(self):
        return super().get_queryset().select_related("region__parent__parent")

    def can_create(self) -> bool:
        return can_add_organisation(self.request.user)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for_user(Organisation.objects.select_related("region"), request.user, pk)
    return render(request, "core/organisation_detail.html", {
        "organisation": organisation,
        "contacts": organisation.contacts.all(),
        "history": history_rows(organisation, related=(
            ("联系人", Contact, Contact.history.filter(organisation_id=organisation.pk)),), viewer=request.user),
        "can_change": can(request.user, CHANGE, organisation),
    })


def _edit(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    instance = organisation or Organisation()
    form = OrganisationForm(request.POST or None, instance=instance, user=request.user)
    contacts = ContactFormSet(request.POST or None, instance=instance, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        saved = save_organisation(form, contacts)
        messages.success(request, f"已保存“{saved.name}”")
        return redirect(saved)
    if request.method == "POST":
        messages.error(request, "保存失败，请按提示修改后重试")
    return render(request, "core/organisation_form.html",
                  {"form": form, "contacts": contacts, "organisation": organisation})


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not can_add_organisation(request.user):
        raise PermissionDenied("无权新建组织机构")
    return _edit(request, None)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_for_user(Organisation, request.user, pk, CHANGE))
