"""Object permissions (``rules``) derived from the models' access scopes, so ``user.has_perm`` and the
querysets can never disagree."""

from __future__ import annotations

from typing import Any

import rules
from django.db import models

from kechuang.common.access import ACTIONS, can, role_allows


def _predicate(model: type[models.Model], action: str) -> rules.Predicate:
    # rules' functions carry no annotations (the four ignores below: its untyped API)
    @rules.predicate(name=f"{model._meta.label_lower}.{action}")  # type: ignore[no-untyped-call, untyped-decorator]
    def allowed(user: Any, obj: models.Model | None = None) -> bool:
        if obj is None:
            return role_allows(user, model, action)
        return can(user, action, obj)

    return allowed  # type: ignore[no-any-return]


def register_scoped_model(model: type[models.Model]) -> None:
    """Add ``<app>.<action>_<model>`` permissions for the four actions, decided by the access scope."""
    for action in ACTIONS:
        name = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        if not rules.perm_exists(name):  # type: ignore[no-untyped-call]
            rules.add_perm(name, _predicate(model, action))  # type: ignore[no-untyped-call]
