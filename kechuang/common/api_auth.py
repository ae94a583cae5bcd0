"""API authentication: Django session (with CSRF check) and bearer tokens (``core.ApiToken``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as _NinjaSessionAuth


class SessionAuth(_NinjaSessionAuth):
    """The logged-in browser session; unsafe methods need the CSRF token."""


class BearerToken(HttpBearer):
    """``Authorization: Bearer <key>`` with a key issued by ``kechuang token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from kechuang.core.models import ApiToken

        user = ApiToken.authenticate(token)
        if user is not None:
            # History rows read the acting user from the request (simple_history's middleware).
            request.user = user
        return user
