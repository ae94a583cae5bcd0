"""The change history of a record (django-simple-history), as rows for the record's page.

Who acted and the comments typed with a workflow step (``退回：内部意见…``) are for the record's owner
and the staff over it (``access.reaches``); any other viewer — one who sees the record because it is
public — gets the kind of actor (its role) and the step's label only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils.timezone import localtime

from kechuang.common.access import reaches
from kechuang.common.money import is_money_field, money_text, money_unit_of, unit_label
from kechuang.common.workflow import public_reason

_KINDS = {"+": "新建", "~": "修改", "-": "删除"}


@dataclass
class HistoryRow:
    """One change: when, by whom, what kind, and (field label, old value, new value) triples."""

    when: datetime
    who: str
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""


def _money_unit(model: type[Model], field_name: str) -> str | None:
    """The module's unit when ``field_name`` is a money column of ``model`` (stored in yuan), else None."""
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a history-only field has no model field
        return None
    return money_unit_of(model) if is_money_field(model_field) else None


def _label(model: type[Model], field_name: str) -> str:
    """The field's name as the page shows it; a money field carries the module's unit (「预算上限（万元）」)."""
    model_field: Any = model._meta.get_field(field_name)  # a concrete field (history rows name only those)
    label = str(model_field.verbose_name)
    unit = _money_unit(model, field_name)
    return unit_label(label, unit) if unit else label


def _display(model: type[Model], field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    try:
        model_field: Any = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a history-only field has no model field
        return str(value)
    unit = _money_unit(model, field_name)
    if unit:
        return money_text(value, unit)  # the module's unit, as its pages show money
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and model_field.related_model is not None:
        target = model_field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dict | list):  # a JSON column (a whole form): say it changed, not its text
        return f"（{len(value)} 项）"
    return str(value)


def _actor(user: Any, internal: bool) -> str:
    """The name of who acted (owner and staff), or only the kind of account (everyone else)."""
    if user is None:
        return "系统"
    if internal:
        return str(user)
    if user.is_superuser:
        return "平台管理员"
    return user.get_role_display() or "平台用户"


def _rows(records: list[Any], model: type[Model], label: str = "", hidden: frozenset[str] | set[str] = frozenset(),
          internal: bool = True) -> list[HistoryRow]:
    """Rows for historical records of one or more objects of ``model`` (newest first), each diffed
    against the previous version of the same object; without ``internal``, names and comments are left
    out (see the module docstring)."""
    previous_of: dict[int, object] = {}
    rows: list[HistoryRow] = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        kind = _KINDS.get(record.history_type, "?")
        reason = record.history_change_reason or ""
        row = HistoryRow(when=record.history_date, who=_actor(record.history_user, internal),
                         kind=f"{label}{kind}" if label else kind,
                         reason=reason if internal else public_reason(reason))
        previous = previous_of.get(record.id)
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                if change.field in hidden:
                    row.changes.append((_label(model, change.field), "（不可见）", "（不可见）"))
                    continue
                field_label = _label(model, change.field)
                row.changes.append((field_label, _display(model, change.field, change.old),
                                    _display(model, change.field, change.new)))
        if label and record.history_type != "~":
            row.changes.append(("", "", str(record.instance)))
        previous_of[record.id] = record
        rows.append(row)
    return rows


def _current_user() -> Any:
    """The signed-in user of the request being served (simple_history's request middleware), or None."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


def history_rows(obj: Model, limit: int = 50, related: tuple[Any, ...] = (),
                 hidden: frozenset[str] | set[str] = frozenset(), viewer: Any = None) -> list[HistoryRow]:
    """The record's last ``limit`` changes, newest first, each with its field-level differences.

    ``related`` adds the history of dependent records, as (label, model, historical queryset) — e.g. an
    organisation's contacts — merged into the same timeline. Changes to ``hidden`` fields (restricted
    for the viewer) show that the field changed, never the values. ``viewer`` (default: the user of
    the current request; nobody outside a request) decides whether names and workflow comments are
    shown: only to the record's owner and the staff over it (``access.reaches``).
    """
    viewer = viewer if viewer is not None else _current_user()
    internal = reaches(viewer, obj)
    record: Any = obj  # a model with simple_history's ``history`` manager
    rows = _rows(list(record.history.select_related("history_user")), type(obj), hidden=hidden, internal=internal)
    for label, model, records in related:
        rows += _rows(list(records.select_related("history_user")), model, label, internal=internal)
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows[:limit]
