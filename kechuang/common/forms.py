"""Small helpers shared by the apps' Django forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms


def model_choice(field: forms.Field) -> forms.ModelChoiceField[Any]:
    """``field`` as the model choice field it is: a form's ``fields[name]`` is typed as any field, so
    setting its ``queryset`` or ``label_from_instance`` needs the narrower type (no run-time effect)."""
    return cast("forms.ModelChoiceField[Any]", field)


def label_choices(field: forms.Field, label: Callable[[Any], str]) -> None:
    """Show each choice of the model choice ``field`` as ``label(record)`` (Django's documented way is to
    replace the field's ``label_from_instance``; the type checker refuses assigning to a method)."""
    setattr(field, "label_from_instance", label)  # noqa: B010 - see the docstring
