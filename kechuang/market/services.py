"""Actions of the registries. Each runs in a transaction; history rows record who, when and why."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

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


SUBMISSIONS = frozenset({"submit", "publish"})
"""Transitions that put a record forward for publication: the record's ``submission_problems`` are checked."""


def transition_record(obj: models.Model, name: str, user: Any, comment: str = "") -> models.Model:
    """Move a record along its publication workflow (submit, publish, return, withdraw …). Submitting or
    publishing first asks the record's ``submission_problems(today)`` (e.g. a demand whose deadline has
    passed) and refuses with them.

    Raises:
        ValidationError: the record may not be submitted or published as it is (Chinese messages).
        PermissionDenied: the transition is not open to this user in the record's state.
    """
    check = getattr(obj, "submission_problems", None)
    if name in SUBMISSIONS and check is not None:
        problems = check(timezone.localdate())
        if problems:
            raise ValidationError(problems)
    return run_transition(obj, name, user, comment)


@transaction.atomic
def adopt_suggested_field(obj: models.Model, field: Any) -> models.Model:
    """Set a record's technical field to a suggestion a user confirmed; history says so."""
    record: Any = obj  # an achievement or a demand (both have ``field`` and history)
    record.field = field
    record._change_reason = "采纳技术领域建议"
    obj.save()
    return obj
