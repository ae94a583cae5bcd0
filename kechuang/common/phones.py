"""Phone numbers (电话号码): one check for every phone field of the platform (a demand's contact phone, an
expert's mobile, an organisation contact's phone, an account's mobile), in pages, API, admin and imports.

Accepted, in half- or full-width characters, with spaces or hyphens between groups:

* a mainland mobile number: 11 digits ``1[3-9]xxxxxxxxx`` (numbering plan of the Ministry of Industry and
  Information Technology), optionally preceded by ``+86`` / ``86``: ``138 0000 1234``, ``+86-138-0000-1234``;
* a landline with its area code: ``0`` + 2–3 digits (``010``, ``028``, ``0818``), then 7–8 digits, the
  area code optionally in brackets, optionally an extension of 1–6 digits after ``-``, ``转``, ``分机``,
  ``ext``, ``x`` or ``#``: ``0818-2123456``, ``(0818) 212 3456``, ``0818-2123456-801``,
  ``0818-2123456转801``;
* a nationwide service number ``400`` / ``800`` + 7 digits: ``400-123-4567``.

Anything else (a name, an e-mail address, a number without its area code, two numbers in one field) is
refused with a Chinese message giving the accepted forms. A blank field is not checked here (the field
says whether it is required).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models

_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_SERVICE = re.compile(r"^[48]00\d{7}$")
_LANDLINE = re.compile(
    r"^(?:\((0\d{2,3})\)|(0\d{2,3}))[ -]?(\d{3,4})[ -]?(\d{3,4})"
    r"(?:\s*(?:-|转|分机|ext\.?|x|#)\s*\d{1,6})?$", re.IGNORECASE)

PHONE_EXAMPLES = "手机号如 138 0000 1234，固定电话须带区号，如 0818-2123456（分机写作 0818-2123456-801 或 0818-2123456转801）"


def phone_number_error(text: str) -> str | None:
    """A Chinese message saying why ``text`` is not a phone number, or None when it is one (see the
    module docstring for the accepted forms). ``text`` is read after NFKC (full-width digits and
    brackets count)."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    compact = re.sub(r"[\s-]", "", value)
    if _MOBILE.match(compact) or _SERVICE.match(compact):
        return None
    match = _LANDLINE.match(value)
    if match and len(match.group(3) + match.group(4)) in (7, 8):
        return None
    return f"电话号码“{text}”格式不正确：{PHONE_EXAMPLES}"


def validate_phone(value: str) -> None:
    """Django validator of :func:`phone_number_error`.

    Raises:
        ValidationError: not a phone number (code ``phone``; Chinese message with the accepted forms).
    """
    message = phone_number_error(value)
    if message:
        raise ValidationError(message, code="phone")


if TYPE_CHECKING:
    _CharField = models.CharField[Any, Any]  # generic in django-stubs only (not subscriptable at run time)
else:
    _CharField = models.CharField


class PhoneField(_CharField):
    """A phone number column: ``CharField`` (30 characters by default) checked by :func:`validate_phone`
    wherever the model is validated (pages, admin, API, imports), shown as a telephone input.

    The check is a default validator, not a migration-state change: :meth:`deconstruct` reports a plain
    ``CharField``, so swapping a ``CharField`` for this field needs no migration."""

    default_validators = [validate_phone]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        field: Any = super().formfield(**kwargs)  # a CharField's form field (never None)
        field.widget.input_type = "tel"
        field.widget.attrs.setdefault("inputmode", "tel")
        field.help_text = field.help_text or PHONE_EXAMPLES
        return field
