"""The change history of a record (django-simple-history), as rows for the record's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model

_KINDS = {"+": "新建", "~": "修改", "-": "删除"}


@dataclass
class HistoryRow:
    """One change: when, by whom, what kind, and (field label, old value, new value) triples."""

    when: datetime
    who: str
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""


def _display(model: type[Model], field_name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a history-only field has no model field
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and model_field.related_model is not None:
        target = model_field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    return str(value)


def history_rows(obj: Model, limit: int = 50) -> list[HistoryRow]:
    """The record's last ``limit`` changes, newest first, each with its field-level differences."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows: list[HistoryRow] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        who = str(record.history_user) if record.history_user else "系统"
        row = HistoryRow(when=record.history_date, who=who, kind=_KINDS.get(record.history_type, "?"),
                         reason=record.history_change_reason or "")
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                label = str(model._meta.get_field(change.field).verbose_name)
                row.changes.append((label, _display(model, change.field, change.old),
                                    _display(model, change.field, change.new)))
        rows.append(row)
    return rows
