"""Actions of the registries. Each runs in a transaction; history rows record who, when and why."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from kechuang.common.workflow import run_transition


@transaction.atomic
def save_record(form: Any) -> models.Model:
    """Save a validated registry form (new records start as drafts).

    Raises:
        ValueError: the form was not validated first.
    """
    if not form.is_valid():
        raise ValueError("save_record needs a valid form")
    return form.save()


def transition_record(obj: models.Model, name: str, user: Any, comment: str = "") -> models.Model:
    """Move a record along its publication workflow (submit, publish, return, withdraw …).

    Raises:
        PermissionDenied: the transition is not open to this user in the record's state.
    """
    return run_transition(obj, name, user, comment)


@transaction.atomic
def adopt_suggested_field(obj: models.Model, field: Any) -> models.Model:
    """Set a record's technical field to a suggestion a user confirmed; history says so."""
    obj.field = field
    obj._change_reason = "采纳技术领域建议"
    obj.save()
    return obj
