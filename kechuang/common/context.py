"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

import kechuang


def platform(request: HttpRequest) -> dict[str, Any]:
    """The platform's name and version for the page frame."""
    return {"platform_name": "科创平台", "platform_version": kechuang.__version__}
