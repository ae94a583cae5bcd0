"""API authentication: bearer tokens (``core.ApiToken``) first, then the Django session with a CSRF
check. A request with neither gets 401; a session write without the CSRF token gets 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as _NinjaSessionAuth


class SessionAuth(_NinjaSessionAuth):
    """The logged-in browser session; unsafe methods need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> Any:
        # Without a logged-in session there is nothing to protect: answer 401 (not a CSRF 403).
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class BearerToken(HttpBearer):
    """``Authorization: Bearer <key>`` with a key issued by ``kechuang token``. Not a cookie, so no CSRF."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from kechuang.core.models import ApiToken

        user = ApiToken.authenticate(token)
        if user is not None:
            # History rows read the acting user from the request (simple_history's middleware).
            request.user = user
        return user
