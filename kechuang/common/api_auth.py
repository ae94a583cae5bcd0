"""API authentication: bearer tokens first, then the Django session with a CSRF check. A request with
neither gets 401; a session write without the CSRF token gets 403.

``common`` imports no app: the top-level API (``kechuang/api.py``) hands :class:`BearerToken` the function
that turns a key into a user (``core.ApiToken.authenticate``)."""

from __future__ import annotations

from collections.abc import Callable
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
    """``Authorization: Bearer <key>`` with a key issued by ``kechuang token``. Not a cookie, so no CSRF.

    Args:
        user_for_key: the user a key stands for, or None for an unknown, expired or revoked key
            (``core.models.ApiToken.authenticate``).
    """

    def __init__(self, user_for_key: Callable[[str], Any]) -> None:
        super().__init__()
        self.user_for_key = user_for_key

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = self.user_for_key(token)
        if user is not None:
            # History rows read the acting user from the request (simple_history's middleware).
            request.user = user
        return user
