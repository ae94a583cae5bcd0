"""Actions of the core app. Each runs in a transaction; history rows record who and when."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms import BaseInlineFormSet

from kechuang.core.forms import OrganisationForm
from kechuang.core.models import Organisation


@transaction.atomic
def save_organisation(form: OrganisationForm, contacts: BaseInlineFormSet[Any, Any, Any] | None = None) -> Organisation:
    """Save a validated organisation form (and its contacts formset, if given) together. A form with
    no change writes nothing, so no empty history rows.

    Raises:
        ValueError: the form or formset was not validated first.
    """
    if not form.is_valid() or (contacts is not None and not contacts.is_valid()):
        raise ValueError("save_organisation needs valid forms")
    organisation = form.save() if form.has_changed() or not form.instance.pk else form.instance
    if contacts is not None:
        contacts.instance = organisation
        contacts.save()
    return organisation
