"""Login throttling (django-axes): the authentication backend, the client address behind the bureau's
reverse proxy, and the Chinese lockout answer.

After ``KECHUANG_LOGIN_FAILURE_LIMIT`` failed logins for one account, or from one address, further
attempts are refused for ``KECHUANG_LOGIN_COOLOFF_MINUTES`` (0: until a staff member unlocks) — even
with the right password. Every failure is recorded (``axes.AccessAttempt`` / ``AccessFailureLog``);
the city administrator unlocks an account in the admin (用户 → 解除登录锁定, or 登录失败记录 → delete),
or on the command line with ``kechuang axes_reset_username NAME`` / ``axes_reset_ip ADDRESS``.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]  # django-axes ships no types
    """Refuses a web login (``authenticate(request, …)``) while the account or the address is locked out.

    An ``authenticate()`` call without a request is not a web login attempt (a management command, the
    test client's ``login``): nothing to throttle, so it passes to the next backend instead of failing
    with axes' "request required" error. Every page login passes its request.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address for per-address throttling.

    ``REMOTE_ADDR``, unless ``KECHUANG_PROXY_COUNT`` (N ≥ 1) reverse proxies stand in front of the
    server: then the N-th address from the right of ``X-Forwarded-For`` (the one the outermost trusted
    proxy saw), so a client cannot pick its address by sending its own header, and one proxy's address
    does not lock out everybody behind it.
    """
    count = settings.KECHUANG_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= count:
            client: str = forwarded[-count]
            return client
    return request.META.get("REMOTE_ADDR")


def lockout_message(request: HttpRequest | None = None) -> str:
    """The Chinese message of a locked-out login, with the cool-off in minutes when there is one."""
    cool_off = get_cool_off(request)
    if cool_off:
        minutes = max(1, int(cool_off.total_seconds() // 60))
        return (f"登录失败次数过多（连续 {settings.AXES_FAILURE_LIMIT} 次），该账号或当前网络地址已被暂时锁定，"
                f"请 {minutes} 分钟后再试，或联系科技局管理员解除锁定。")
    return (f"登录失败次数过多（连续 {settings.AXES_FAILURE_LIMIT} 次），该账号或当前网络地址已被锁定，"
            "请联系科技局管理员解除锁定。")


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``), status 429.

    The API (``/api/``) and script requests (``X-Requested-With`` / ``Accept: application/json``) get
    ``{"detail": message}``; a browser gets the login page with the message.
    """
    message = lockout_message(request)
    wants_json = (request.path.startswith("/api/")
                  or request.headers.get("x-requested-with") == "XMLHttpRequest"
                  or "application/json" in request.headers.get("accept", ""))
    if wants_json:
        return JsonResponse({"detail": message}, status=429)
    return render(request, "common/login.html", {"lockout": message, "next": request.POST.get("next", "")},
                  status=429)
