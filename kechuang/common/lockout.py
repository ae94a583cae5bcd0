"""Login throttling (django-axes): the authentication backend, the lockout handler with two limits, the
client address behind the bureau's reverse proxy, and the Chinese lockout answer.

Two limits, counted over the cool-off ``KECHUANG_LOGIN_COOLOFF_MINUTES`` (0: until a staff member
unlocks), each refusing further logins — even with the right password:

- **per account**: ``KECHUANG_LOGIN_FAILURE_LIMIT`` (default 5) failures for one user name, from any
  address, lock that account only (guessing one account's password);
- **per address**: ``KECHUANG_LOGIN_ADDRESS_FAILURE_LIMIT`` (default 50) failures from one address,
  over all accounts, lock every login from that address (password spraying). It is much higher than
  the account limit because a bureau's offices sit behind one NAT address: one officer's typos must not
  lock the whole bureau out.

Every failure is recorded (``axes.AccessAttempt`` / ``AccessFailureLog``); the city administrator
unlocks an account in the admin (用户 → 解除登录锁定, or 登录失败记录 → delete), or on the command line
with ``kechuang axes_reset_username NAME`` / ``axes_reset_ip ADDRESS``.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
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


ACCOUNT = "account"
ADDRESS = "address"


class LoginThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no types
    """django-axes' database handler with a separate, higher limit per address (``AXES_HANDLER``).

    axes compares one number, ``get_failures()``, with one limit, ``AXES_FAILURE_LIMIT``, and with
    ``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`` that number is the larger of the account's
    and the address's failures — so one limit for both, and five typos by one officer lock everybody
    behind the office's NAT address. A callable ``AXES_FAILURE_LIMIT`` cannot help (it returns one limit
    per request, not one per parameter). This handler keeps axes' recording, cool-off, signals, admin
    and reset commands, and changes only the count and the reset:

    - ``get_failures()`` is the account's failures (``AXES_FAILURE_LIMIT`` = the account limit); when
      the address has reached ``KECHUANG_LOGIN_ADDRESS_FAILURE_LIMIT`` over all accounts it is at least
      the account limit, so axes locks. Which limit applies is noted on the request
      (``request.kechuang_lockout_scope``: ``"account"`` or ``"address"``) for the lockout message.
    - ``reset_user_attempts()`` (a successful login, ``AXES_RESET_ON_SUCCESS``) clears the account's own
      failures only: a colleague logging in from the same address does not unlock a locked account, and a
      sprayer holding one valid account cannot clear the address's count.
    """

    def failure_counts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> tuple[int, int]:
        """(failures of the account, failures from the address over all accounts) within the cool-off."""
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))

        def total(queryset: Any) -> int:
            return int(queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0)

        username = get_client_username(request, credentials)
        return (total(attempts.filter(username=username)),
                total(attempts.filter(ip_address=getattr(request, "axes_ip_address", None))))

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The number axes compares with ``AXES_FAILURE_LIMIT`` (see the class docstring)."""
        account, address = self.failure_counts(request, credentials)
        account_limit = get_failure_limit(request, credentials)
        if account < account_limit and address >= settings.KECHUANG_LOGIN_ADDRESS_FAILURE_LIMIT:
            setattr(request, "kechuang_lockout_scope", ADDRESS)  # noqa: B010 (an attribute HttpRequest does not declare)
            return int(account_limit)
        setattr(request, "kechuang_lockout_scope", ACCOUNT)  # noqa: B010
        return account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login: delete the account's failures (any address), not the address's."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)


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
    """The Chinese message of a locked-out login: which limit applies (the account's, or the address's
    after failures over many accounts), and the cool-off in minutes when there is one."""
    if getattr(request, "kechuang_lockout_scope", ACCOUNT) == ADDRESS:
        reason = (f"当前网络地址的登录失败次数过多（{settings.KECHUANG_LOGIN_ADDRESS_FAILURE_LIMIT} 次，"
                  "涉及多个账号），来自该网络地址的登录已被")
    else:
        reason = f"该账号登录失败次数过多（{settings.AXES_FAILURE_LIMIT} 次），该账号已被"
    cool_off = get_cool_off(request)
    if cool_off:
        minutes = max(1, int(cool_off.total_seconds() // 60))
        return f"{reason}暂时锁定，请 {minutes} 分钟后再试，或联系科技局管理员解除锁定。"
    return f"{reason}锁定，请联系科技局管理员解除锁定。"


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
