"""Pages of the registries beyond what the registry kit gives (:mod:`kechuang.market.registries`:
list, detail, create/edit, workflow, import, template, export): adopting a suggested technical field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kechuang.common.access import CHANGE, get_for_user
from kechuang.market.registries import REGISTRIES, field_suggestion
from kechuang.market.services import adopt_suggested_field


@login_required
@require_POST
def adopt_field(request: HttpRequest, registry: str, pk: int) -> HttpResponse:
    """Adopt the suggested technical field (a user who may change the record confirms it)."""
    obj = get_for_user(REGISTRIES[registry].model, request.user, pk, CHANGE)
    suggestion = field_suggestion(obj)
    if suggestion is None:
        messages.error(request, "没有可采纳的领域建议")
    else:
        adopt_suggested_field(obj, suggestion.field)
        messages.success(request, f"已采纳技术领域：{suggestion.field}")
    return redirect(obj)
