"""Page-number pagination for API lists, with bounds checked (an absurd page is a 422, not a 500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from kechuang.common.api_errors import InputError

MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


def page_of(
    queryset: QuerySet[Any], page: int, page_size: int, convert: Callable[[Any], Any] | None = None
) -> dict[str, Any]:
    """``{"items": [...], "count": n}`` for page ``page`` (from 1) of ``page_size`` (1–200) records.

    Raises:
        InputError: an out-of-range page or page size, by parameter (answered as 422 {"errors"}).
    """
    errors = {}
    if not 1 <= page <= MAX_PAGE:
        errors["page"] = [f"应在 1–{MAX_PAGE} 之间"]
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [f"应在 1–{MAX_PAGE_SIZE} 之间"]
    if errors:
        raise InputError(errors)
    start = (page - 1) * page_size
    records = list(queryset[start:start + page_size])
    return {"items": [convert(r) for r in records] if convert else records, "count": queryset.count()}
