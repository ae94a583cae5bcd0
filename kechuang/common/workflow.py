"""Running workflow transitions (django-fsm-2) for a user: permission, save and history in one call."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django_fsm import can_proceed, has_transition_perm

#: Between a transition's label and the officer's comment in a history row's change reason
#: ("退回：请补充…"); what follows it is internal (owner and staff only, see ``history.py``).
COMMENT_SEPARATOR = "："


_M = TypeVar("_M", bound=models.Model)

def public_reason(reason: str) -> str:
    """A change reason without its comment (the part after :data:`COMMENT_SEPARATOR`), for viewers
    who see the record only because it is public."""
    return reason.split(COMMENT_SEPARATOR, 1)[0]


def available_transitions(obj: models.Model, user: Any, field: str = "status") -> list[tuple[str, str]]:
    """The transitions ``user`` may run on ``obj`` now, as (method name, Chinese label from its docstring)."""
    getter = getattr(obj, f"get_available_user_{field}_transitions")
    result = []
    for t in getter(user):
        method = getattr(obj, t.name)
        result.append((t.name, (method.__doc__ or t.name).strip()))
    return result


@transaction.atomic
def run_transition(obj: _M, name: str, user: Any, comment: str = "", field: str = "status") -> _M:
    """Run the transition ``name`` on ``obj`` as ``user`` and save; the history row records the user and,
    as its change reason, the transition's label and the comment. The comment and the user's name are
    shown to the record's owner and the staff over it only (``history_rows``), never to every
    signed-in user of a public record.

    Raises:
        PermissionDenied: no such transition, not allowed from the current state, or not for this user
            (the message says which, in Chinese).
    """
    names = {n for n, _ in available_transitions(obj, user, field)}
    method = getattr(obj, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise PermissionDenied(f"未知的操作：{name}")
    if name not in names or not has_transition_perm(method, user):
        current = getattr(obj, f"get_{field}_display")()
        label = (method.__doc__ or name).strip()
        if not can_proceed(method):
            raise PermissionDenied(f"当前状态为“{current}”，不能执行“{label}”")
        raise PermissionDenied(f"无权执行“{label}”（当前状态“{current}”）")
    label = (method.__doc__ or name).strip()
    method()
    reason = f"{label}{COMMENT_SEPARATOR}{comment}" if comment else label
    record: Any = obj  # simple_history reads these two attributes on save
    record._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"  # the history column holds 100
    record._history_user = user  # who acted, also outside a request (commands, services)
    obj.save()
    return obj
